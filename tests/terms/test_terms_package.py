"""``kgservice.terms`` is the terminology read model apart from HTTP: none of its modules imports
Flask or :mod:`kgservice.web`, neither at import time nor inside a function."""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import kgservice.terms

TERMS_DIR = Path(kgservice.terms.__file__).parent
FORBIDDEN = ("flask", "werkzeug", "kgservice.web")


def terms_modules() -> list[str]:
    found = [m.name for m in pkgutil.iter_modules([str(TERMS_DIR)], "kgservice.terms.")]
    return ["kgservice.terms", *sorted(found)]


def imported_names(path: Path) -> set[str]:
    """Every module an ``import`` or ``from … import`` in ``path`` names, at any depth."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            names.add("." * node.level + (node.module or ""))
    return names


def is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_the_terms_package_has_the_read_model_modules():
    assert set(terms_modules()) >= {
        "kgservice.terms.index",
        "kgservice.terms.search",
        "kgservice.terms.describe",
        "kgservice.terms.page",
        "kgservice.terms.skos",
        "kgservice.terms.collation",
    }


def test_no_terms_module_names_flask_or_the_web_package_in_an_import():
    offending = {
        path.name: sorted(n for n in imported_names(path) if is_forbidden(n) or n.startswith("."))
        for path in sorted(TERMS_DIR.glob("*.py"))
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_importing_every_terms_module_loads_neither_flask_nor_the_web_package():
    script = (
        "import importlib, json, sys\n"
        f"for name in {terms_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(done.stdout)
    assert "kgservice.terms.page" in loaded  # the script did import the package
    assert [m for m in loaded if is_forbidden(m)] == []


def test_the_check_would_catch_a_flask_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from flask import request\n    return request\n")
    assert any(is_forbidden(n) for n in imported_names(module))
