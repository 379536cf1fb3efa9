"""README's configuration table and ``kgservice/config.py`` name the same ``KG_*`` variables."""

from __future__ import annotations

import ast
import re

import pytest

from kgservice.config import _NUMBERS, PROJECT_ROOT, Settings
from kgservice.errors import ConfigError

_VARIABLE = re.compile(r"^KG_[A-Z0-9_]+$")


def variables_config_reads() -> set[str]:
    """Every ``KG_*`` string constant in config.py (each is an environment variable it reads)."""
    tree = ast.parse((PROJECT_ROOT / "kgservice" / "config.py").read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _VARIABLE.match(node.value)
    }


def variables_readme_lists() -> set[str]:
    """The variables in the first column of the table under README's ``## Configuration``."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `KG_")]
    return {name for row in rows for name in re.findall(r"`(KG_[A-Z0-9_]+)`", row.split("|")[1])}


def test_config_reads_variables_at_all():
    assert {"KG_STORE", "KG_BASE_IRI", "KG_PROJECT_DIR"} <= variables_config_reads()


def test_every_variable_config_reads_has_a_row_in_the_readme():
    assert variables_config_reads() - variables_readme_lists() == set()


def test_every_variable_in_the_readme_is_read_by_config():
    assert variables_readme_lists() - variables_config_reads() == set()


@pytest.mark.parametrize("var", sorted(_NUMBERS))
def test_every_numeric_setting_refuses_a_word_and_names_the_variable(var):
    with pytest.raises(ConfigError) as err:
        Settings.from_env({var: "plenty"})
    assert err.value.rule == "bad-setting"
    assert var in err.value.message and ">=" in err.value.message
