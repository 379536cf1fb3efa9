"""The imports of ``kgservice/`` follow the data flow: no circle, and no import runs up the layers.

Every module's imports are read from its syntax tree — module level, inside functions (the lazy
imports of the CLI and of the build), under ``if TYPE_CHECKING`` — and resolved to the modules of
this package. A module may import from its own layer and from the layers before it, never after.

The layers, in the order of the data flow (issue 12), and where each part of the tree sits:

============  ===============================  ===================================================
layer         modules                          why there
============  ===============================  ===================================================
foundation    config, errors, iris,            what every layer receives: the settings, the one
              namespaces, texts                exception hierarchy, IRIs minted under the
                                               configured base, namespace constants, UI strings
foundation    queryfile                        the header format of every ``.rq`` file
                                               (``queries/`` and ``mappings/``); reads text only
foundation    store.base, store.binding        the Store interface and the binding of validated
                                               terms as ``VALUES``: a layer that runs SPARQL is
                                               handed a Store (or binds a template) through them
sources       sources/                         reading files and APIs: readers, the source spec,
                                               RDF files, the snapshot, fetch
mappings      mappings/                        rows → normalised rows (quarantine) → RDF through
                                               the CONSTRUCT templates of ``mappings/``
validation    validation/                      the quality gate on RDF files: SHACL, reasoner,
                                               baseline, coverage
store         store/                           the backends (embedded, remote) and opening them
queries       queries                          the catalogue of ``queries/``, run on a Store
queries       validation.datacube              validation by purpose, but it runs the IC queries
                                               of ``queries/datacube-ic/`` over a copy of a store
read models   indicators/, terms/              what the service shows, read from the store
read models   sosmeta/                         one domain package from schema import to the
                                               client aggregate; it sits at its latest stage:
                                               the aggregate and the change history query the
                                               store, the aggregate applies the indicators'
                                               disclosure rules
web           web/                             HTTP only, over the read models and the store
build         pipeline/                        the build orchestration: every stage above in
                                               order into a fresh store, then the swap; after
                                               the web, so the serving side never reaches into
                                               the build (it reads the served build in store/)
cli           cli, cli_query                   the commands, over everything
============  ===============================  ===================================================

Packages (``kgservice.<name>``) may not import each other in a circle either. A module that has
no row here fails the test: a new module is placed in the table, with its reason. The HTTP
libraries (Flask, Werkzeug, waitress) are imported in ``web/`` only.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import kgservice

LAYERS = (
    "foundation",
    "sources",
    "mappings",
    "validation",
    "store",
    "queries",
    "read models",
    "web",
    "build",
    "cli",
)

#: Module or package → layer; the longest matching prefix decides.
PLACES: dict[str, str] = {
    "kgservice": "foundation",  # the package itself (its version)
    "kgservice.config": "foundation",
    "kgservice.errors": "foundation",
    "kgservice.iris": "foundation",
    "kgservice.namespaces": "foundation",
    "kgservice.texts": "foundation",
    "kgservice.queryfile": "foundation",
    "kgservice.store.base": "foundation",
    "kgservice.store.binding": "foundation",
    "kgservice.sources": "sources",
    "kgservice.mappings": "mappings",
    "kgservice.validation": "validation",
    "kgservice.store": "store",
    "kgservice.store.dialects": "store",  # issue 18: what the remote backend knows per engine
    "kgservice.queries": "queries",
    "kgservice.validation.datacube": "queries",
    "kgservice.indicators": "read models",
    "kgservice.indicators.brief": "read models",  # issue 13 (drill): phenomenon in brief
    "kgservice.indicators.drill": "read models",  # issue 13 (drill): the chain, breadcrumbs
    "kgservice.indicators.dashboard": "read models",  # the situation picture's cards (issue 13)
    "kgservice.indicators.sparkline": "read models",  # its small trend lines (SVG)
    "kgservice.terms": "read models",
    "kgservice.sosmeta": "read models",
    "kgservice.web": "web",
    # the phenomenon view and its client-data level (issue 13)
    "kgservice.indicators.municipal": "read models",
    "kgservice.indicators.clientdata": "read models",
    "kgservice.indicators.barchart": "read models",
    "kgservice.indicators.register": "read models",  # s6: THL register estimates in the views
    "kgservice.web.phenomenon_page": "web",
    "kgservice.pipeline": "build",
    "kgservice.pipeline.replica": "build",  # issue 18: publish a build, load it in a replica
    "kgservice.cli": "cli",
    "kgservice.cli_query": "cli",
    # issue 17: releases and diffs read files and git like the gate; the gate checks changelogs
    "kgservice.releases": "validation",
    "kgservice.cli_release": "cli",
    # issue 17, reviewed edits over HTTP: the tokens file and who may touch which graph read only
    # the settings; the write path (a new store generation, validated, swapped in) is a build
    # step, handed to the web by the CLI's `serve` (create_app's graph_writer), never imported
    "kgservice.tokens": "foundation",
    "kgservice.graphaccess": "foundation",
    "kgservice.web.graphs": "web",
    "kgservice.pipeline.graphwrite": "build",
    "kgservice.pipeline.edits": "build",  # the journal of accepted writes, replayed by the build
    # s8: the build's last read-only steps beside persist, in a forked process
    "kgservice.pipeline.overlap": "build",
    "kgservice.cli_token": "cli",
    # issue 17: a build's releases read back from its store; their pages
    "kgservice.terms.history": "read models",
    "kgservice.web.releases": "web",
    # s7: the release store, a second Oxigraph store of the frozen releases (issue 17)
    "kgservice.store.releases": "store",
}

#: Imports that break the rules, each with the reason it is still here (none today). Every entry
#: must still exist (a test says so): remove it with the import.
ALLOWED: dict[tuple[str, str], str] = {}

#: Libraries only the web layer may import.
HTTP_LIBRARIES = ("flask", "werkzeug", "waitress")

ROOT = Path(kgservice.__file__).parent


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package under ``root`` by dotted name (a package by its own name)."""
    names: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path, modules: Mapping[str, Path]) -> Iterator[Import]:
    """The package's modules that ``name`` imports anywhere in its file (not itself)."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from package import module`` imports the module; else a name of ``base``
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        for target in targets:
            while target not in modules and "." in target:
                target = target.rpartition(".")[0]
            if target in modules and target != name:
                yield Import(name, target, node.lineno)


def libraries_of(path: Path) -> set[str]:
    """Top-level names of what ``path`` imports absolutely from outside the package."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.partition(".")[0])
    return found - {"kgservice"}


def layer_of(name: str) -> str | None:
    prefixes = [p for p in PLACES if name == p or name.startswith(p + ".")]
    return PLACES[max(prefixes, key=len)] if prefixes else None


def package_of(name: str) -> str:
    """``kgservice.web.sparql`` → ``kgservice.web``; a top-level module is its own package."""
    return ".".join(name.split(".")[:2])


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Circles of ``graph`` (importer → imported), each as ``[a, b, …, a]``: one is found, one of
    its edges set aside, and so on until none is left (so every circle is named at least once)."""
    rest = {node: set(edges) for node, edges in graph.items()}
    found: list[list[str]] = []
    while True:
        try:
            TopologicalSorter(rest).prepare()
        except CycleError as exc:
            circle = list(exc.args[1])
            found.append(circle)
            # graphlib names each node an immediate predecessor (an import) of the next
            rest[circle[1]].discard(circle[0])
            continue
        return found


def all_imports(root: Path = ROOT, package: str = "kgservice") -> list[Import]:
    modules = module_names(root, package)
    return [i for name, path in modules.items() for i in imports_of(name, path, modules)]


def module_graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for i in imports:
        if (i.importer, i.imported) not in ALLOWED:
            graph.setdefault(i.importer, set()).add(i.imported)
    return graph


def package_graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for i in imports:
        a, b = package_of(i.importer), package_of(i.imported)
        if a != b and (i.importer, i.imported) not in ALLOWED:
            graph.setdefault(a, set()).add(b)
    return graph


def upward(imports: list[Import]) -> list[str]:
    found = []
    for i in imports:
        a, b = layer_of(i.importer), layer_of(i.imported)
        if a is None or b is None or (i.importer, i.imported) in ALLOWED:
            continue
        if LAYERS.index(b) > LAYERS.index(a):
            found.append(f"{i.importer} ({a}) line {i.line} imports {i.imported} ({b})")
    return found


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return all_imports()


def test_every_module_has_a_place_in_the_layer_table():
    unplaced = [name for name in module_names(ROOT, "kgservice") if layer_of(name) is None]
    assert unplaced == []
    assert set(PLACES.values()) <= set(LAYERS)


def test_no_import_runs_up_the_layers(imports):
    assert upward(imports) == []


def test_no_circle_between_modules(imports):
    assert cycles(module_graph(imports)) == []


def test_no_circle_between_packages(imports):
    assert cycles(package_graph(imports)) == []


def test_only_the_web_layer_imports_http_libraries():
    outside = {
        name: sorted(libraries_of(path) & set(HTTP_LIBRARIES))
        for name, path in module_names(ROOT, "kgservice").items()
        if layer_of(name) != "web"
    }
    assert {name: libs for name, libs in outside.items() if libs} == {}


def test_every_allowed_exception_is_still_an_import_of_the_tree(imports):
    """An allow-list entry whose import is gone is deleted, so the list only ever shrinks."""
    present = {(i.importer, i.imported) for i in imports}
    assert set(ALLOWED) - present == set()


# -- the walker itself: it must see what the rules are about -------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A made-up package ``kgservice`` with a lazy upward import, a relative circle and a
    package circle."""
    root = tmp_path / "kgservice"
    files = {
        "__init__.py": "",
        "config.py": "",
        "sources/__init__.py": "",
        "sources/readers.py": (
            "from kgservice import config\n"
            "import werkzeug.http\n"
            "def read():\n"
            "    from kgservice.web.views import page  # lazy, and up the layers\n"
        ),
        "web/__init__.py": "",
        "web/views.py": "from . import helpers\n",
        "web/helpers.py": "from .views import page\n",
        "indicators/__init__.py": "",
        "indicators/a.py": "from ..terms import b\n",
        "terms/__init__.py": "",
        "terms/b.py": "import kgservice.indicators.a\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_walker_sees_imports_inside_functions_and_relative_ones(tree):
    found = {(i.importer, i.imported) for i in all_imports(tree)}
    assert ("kgservice.sources.readers", "kgservice.web.views") in found
    assert ("kgservice.sources.readers", "kgservice.config") in found
    assert ("kgservice.web.views", "kgservice.web.helpers") in found
    assert ("kgservice.indicators.a", "kgservice.terms.b") in found
    assert ("kgservice.terms.b", "kgservice.indicators.a") in found
    assert libraries_of(tree / "sources" / "readers.py") == {"werkzeug"}


def test_the_checks_fail_on_an_upward_import_and_on_circles(tree):
    found = all_imports(tree)
    assert upward(found) == [
        "kgservice.sources.readers (sources) line 4 imports kgservice.web.views (web)"
    ]
    assert {frozenset(c) for c in cycles(module_graph(found))} == {
        frozenset({"kgservice.web.views", "kgservice.web.helpers"}),
        frozenset({"kgservice.indicators.a", "kgservice.terms.b"}),
    }
    assert {frozenset(c) for c in cycles(package_graph(found))} == {
        frozenset({"kgservice.indicators", "kgservice.terms"})
    }
