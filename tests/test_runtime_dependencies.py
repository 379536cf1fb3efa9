"""The service runs on its runtime dependencies alone: every third-party module ``kgservice/``
imports (at the top or inside a function) comes with ``[project] dependencies``, not only with
the ``dev`` or ``bench`` extras the tests and benchmarks use."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from kgservice.config import PROJECT_ROOT

#: Modules of ``kgservice/`` the service never imports, whose libraries come with ``dev``.
TEST_TOOLS = {
    "kgservice/sosmeta/synth.py": "synthetic client documents for tests and benchmarks",
}


def imported_top_level_modules() -> dict[str, str]:
    """Top-level module → the first file of ``kgservice/`` importing it (third-party only)."""
    found: dict[str, str] = {}
    for path in sorted((PROJECT_ROOT / "kgservice").rglob("*.py")):
        if str(path.relative_to(PROJECT_ROOT)) in TEST_TOOLS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top != "kgservice" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(PROJECT_ROOT)))
    return found


def pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def runtime_closure() -> set[str]:
    """The runtime dependencies and everything they require in turn (extras left out)."""
    todo = [Requirement(r) for r in pyproject()["project"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen or (req.marker is not None and not req.marker.evaluate({"extra": ""})):
            continue
        seen.add(name)
        todo += [Requirement(r) for r in metadata.requires(req.name) or []]
    return seen


def test_the_scan_finds_the_runtime_libraries():
    assert {"pyoxigraph", "flask", "rdflib"} <= set(imported_top_level_modules())


def test_every_module_the_service_imports_comes_with_the_runtime_dependencies():
    distributions = metadata.packages_distributions()
    closure = runtime_closure()
    outside = {
        module: where
        for module, where in imported_top_level_modules().items()
        if not {canonicalize_name(d) for d in distributions.get(module, [module])} & closure
    }
    assert outside == {}


def test_test_and_bench_libraries_are_not_runtime_dependencies():
    runtime = {
        canonicalize_name(Requirement(r).name) for r in pyproject()["project"]["dependencies"]
    }
    assert not runtime & {"pandas", "sparqlwrapper", "jsonschema", "oxigraph", "locust"}


def test_the_test_tools_are_imported_by_no_module_of_the_service():
    importers = [
        str(path.relative_to(PROJECT_ROOT))
        for path in (PROJECT_ROOT / "kgservice").rglob("*.py")
        if "sosmeta.synth" in path.read_text(encoding="utf-8")
        or "from kgservice.sosmeta import synth" in path.read_text(encoding="utf-8")
    ]
    assert [p for p in importers if p not in TEST_TOOLS] == []
