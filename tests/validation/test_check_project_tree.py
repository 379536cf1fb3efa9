"""``kgservice check`` works on the project tree of the current directory (a second checkout, a
git worktree), not on the tree the package was installed from, and names the tree it checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT, Settings
from kgservice.errors import ConfigError

#: Variables that would point the check elsewhere; removed so that only the tree decides.
_UNSET: dict[str, str | None] = {
    var: None
    for var in (
        "KG_PROJECT_DIR",
        "KG_ONTOLOGY_DIR",
        "KG_SHAPES_DIR",
        "KG_QUERIES_DIR",
        "KG_VAR_DIR",
    )
}


@pytest.fixture()
def checkout(project) -> Path:
    """A second checkout: ontology/ with one broken module, shapes/, queries/, mappings/."""
    root = project("label-whitespace-padded")
    (root / "queries").mkdir()
    (root / "mappings").mkdir()
    return root


@pytest.fixture()
def check_in(monkeypatch) -> Callable[..., Result]:
    def run(cwd: Path, **env: str) -> Result:
        monkeypatch.chdir(cwd)
        return CliRunner().invoke(main, ["check", "--no-reasoner"], env={**_UNSET, **env})

    return run


def test_check_in_a_second_checkout_checks_that_checkouts_ontology(checkout, check_in):
    result = check_in(checkout)
    assert result.exit_code == 1, result.output
    summary = result.output.splitlines()[-1]
    assert f"under {checkout}," in summary
    assert "broken rules: label-whitespace-padded" in summary


def test_check_in_a_subdirectory_of_a_checkout_checks_the_whole_checkout(checkout, check_in):
    result = check_in(checkout / "ontology")
    assert f"under {checkout}," in result.output.splitlines()[-1]
    assert "ontology/label-whitespace-padded.ttl:" in result.output


def test_kg_project_dir_overrides_the_current_directory(checkout, check_in, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = check_in(elsewhere, KG_PROJECT_DIR=str(checkout))
    assert f"under {checkout}," in result.output.splitlines()[-1]
    assert result.exit_code == 1


def test_kg_project_dir_that_is_no_project_is_refused_naming_the_directories_it_needs(
    check_in, tmp_path
):
    result = check_in(tmp_path, KG_PROJECT_DIR=str(tmp_path))
    assert result.exit_code == 1
    assert "KG_PROJECT_DIR" in result.output and "[config-project-dir]" in result.output
    assert "ontology, shapes, queries, mappings" in result.output


def test_outside_any_checkout_the_installed_tree_is_used(tmp_path):
    settings = Settings.from_env({}, cwd=tmp_path)
    assert settings.project_dir == PROJECT_ROOT
    assert settings.ontology_dir == PROJECT_ROOT / "ontology"


def test_every_path_of_a_checkout_lies_in_that_checkout(checkout):
    settings = Settings.from_env({}, cwd=checkout)
    paths = (
        settings.ontology_dir,
        settings.shapes_dir,
        settings.queries_dir,
        settings.mappings_dir,
        settings.data_dir,
        settings.var_dir,
        settings.store_path,
    )
    assert settings.project_dir == checkout.resolve()
    assert all(p.is_relative_to(checkout.resolve()) for p in paths)


def test_a_path_variable_still_overrides_the_checkouts_directory(checkout, tmp_path_factory):
    other = tmp_path_factory.mktemp("other-ontology")
    settings = Settings.from_env({"KG_ONTOLOGY_DIR": str(other)}, cwd=checkout)
    assert settings.ontology_dir == other
    assert settings.shapes_dir == checkout.resolve() / "shapes"


def test_settings_refuse_a_project_dir_without_the_marker_directories(tmp_path):
    (tmp_path / "ontology").mkdir()
    with pytest.raises(ConfigError, match="needs the directories"):
        Settings.from_env({"KG_PROJECT_DIR": str(tmp_path)})
