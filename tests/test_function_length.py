"""No function of ``kgservice/`` runs over 80 lines: a longer one is split where its steps are."""

from __future__ import annotations

import ast
from pathlib import Path

from kgservice.config import PROJECT_ROOT

LIMIT = 80


def long_functions(root: Path = PROJECT_ROOT) -> dict[str, int]:
    """``path:Class.function`` → lines, for every function below ``root/kgservice`` longer than
    :data:`LIMIT`."""
    found: dict[str, int] = {}
    for path in sorted((root / "kgservice").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for parent in ast.walk(tree):
            for node in ast.iter_child_nodes(parent):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = (node.end_lineno or node.lineno) - node.lineno + 1
                    owner = f"{parent.name}." if isinstance(parent, ast.ClassDef) else ""
                    if lines > LIMIT:
                        found[f"{path.relative_to(root)}:{owner}{node.name}"] = lines
    return found


def test_no_function_of_the_service_is_over_80_lines():
    assert long_functions() == {}


def test_the_scan_finds_a_long_method_and_passes_one_at_the_limit(tmp_path):
    (tmp_path / "kgservice").mkdir()
    body = "        x = 1\n"
    source = (
        "class A:\n    def long(self):\n" + body * LIMIT
        + "    def fits(self):\n" + body * (LIMIT - 1)
    )  # fmt: skip
    (tmp_path / "kgservice" / "m.py").write_text(source, encoding="utf-8")
    assert long_functions(tmp_path) == {"kgservice/m.py:A.long": LIMIT + 1}
