"""One table of the texts a reader sees (kgservice/texts.py): every key in Finnish, Swedish and
English, each key defined once, and every key the code and the templates look up present."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import kgservice
from kgservice import texts
from kgservice.indicators.views import CODES, COLUMNS, VIEWS

PACKAGE = Path(kgservice.__file__).parent


def test_every_text_is_in_finnish_swedish_and_english():
    for table in (texts.STRINGS, texts.TERM_LABELS):
        for key, by_lang in table.items():
            assert set(by_lang) == set(texts.LANGUAGES), key
            assert all(text.strip() for text in by_lang.values()), key


def test_each_key_is_defined_once_in_the_table():
    """A dict literal keeps the last of two equal keys without a word: count them in the source."""
    tree = ast.parse((PACKAGE / "texts.py").read_text("utf-8"))
    tables = {
        node.target.id: [ast.unparse(k) for k in node.value.keys if k is not None]
        for node in tree.body
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.value, ast.Dict)
        and isinstance(node.target, ast.Name)
    }
    assert {"STRINGS"} <= set(tables)
    twice = {name: [k for k, n in Counter(keys).items() if n > 1] for name, keys in tables.items()}
    assert twice == {name: [] for name in tables}


def test_every_indicator_code_column_and_view_has_a_text():
    keys = [f"{column}.{code}" for column, codes in CODES.items() for code in codes]
    keys += [f"column.{c}" for c in COLUMNS] + [f"view.{v}" for v in VIEWS]
    keys.append("suppression_rule")
    assert [k for k in keys if k not in texts.STRINGS] == []


def test_every_key_the_code_looks_up_by_name_is_in_the_table():
    literal = re.compile(r"""\btranslate\(\s*["']([\w.-]+)["']""")
    used = {
        key for path in PACKAGE.rglob("*.py") for key in literal.findall(path.read_text("utf-8"))
    }
    assert used and used <= set(texts.STRINGS), used - set(texts.STRINGS)


def test_the_view_templates_look_up_dotted_keys_by_code():
    """The views' templates name codes as ``'status.' ~ r.status``: those prefixes have codes."""
    templates = PACKAGE / "web" / "templates" / "views"
    prefixes = {
        m
        for path in templates.glob("*.html")
        for m in re.findall(r"""\bt\(\s*'(\w+)\.'\s*~""", path.read_text("utf-8"))
    }
    assert prefixes == {"status", "view"}
    assert "status" in CODES


def test_an_unknown_key_shows_itself_and_an_unknown_language_falls_back_to_finnish():
    assert texts.translate("no-such-key", "sv") == "no-such-key"
    assert texts.translate("status.suppressed", "de") == texts.STRINGS["status.suppressed"]["fi"]
    assert texts.translate("status.suppressed", "sv") == "skyddad"
