"""The served build (kgservice.store.served): opened read-only, named by the build id the swap
created, followed to each new build; a remote endpoint's version follows its data. And the
boundary around it: the serving side never reaches into the build package or past ``Store``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from kgservice.config import PROJECT_ROOT
from kgservice.errors import StoreUnavailable
from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step
from kgservice.store.remote import RemoteStore
from kgservice.store.served import ServedStore, open_served, remote_version, served_dir

THING = "<http://example.org/thing> <http://example.org/version>"


def _step(version: str) -> Step:
    """A build step writing one triple that says which build this is."""
    data = f'{THING} "{version}" .\n'.encode()
    graph = "graph/test/version"
    return Step("version", lambda s, st, _r: st.load(data, RdfFormat.N_TRIPLES, s.base_iri + graph))


def _values(store) -> list[str]:
    return [r["v"].value for r in store.select(f"SELECT ?v WHERE {{ {THING} ?v }}")]


def test_the_served_version_is_the_build_id_the_swap_gave_its_directory(settings_factory):
    settings = settings_factory()
    report = build(settings, [_step("one")])
    served = open_served(settings)
    assert served.directory == report.store_dir.resolve() == served_dir(settings)
    assert served.version.id == report.store_dir.name
    assert served.version.built_at == report.store_dir.stat().st_mtime
    assert served.store.path == served.directory
    assert _values(served.store) == ["one"]


def test_before_the_first_build_the_served_store_is_unavailable(settings_factory):
    settings = settings_factory()
    with pytest.raises(StoreUnavailable) as raised:
        ServedStore(settings).current()
    assert raised.value.rule == "store-missing"
    assert raised.value.status == 503


def test_a_new_build_is_served_on_the_next_call_and_the_old_one_stays_readable(settings_factory):
    settings = settings_factory()
    build(settings, [_step("one")])
    holder = ServedStore(settings)
    first = holder.current()
    assert holder.current() is first  # nothing changed: the same build, not reopened
    second_report = build(settings, [_step("two")])
    second = holder.current()
    assert second.version.id == second_report.store_dir.name != first.version.id
    assert second.version.tag != first.version.tag
    assert _values(second.store) == ["two"]
    assert _values(first.store) == ["one"]  # a request still holding the old build finishes


def test_version_tag_and_modified_are_derived_from_the_build_id_and_time(settings_factory):
    settings = settings_factory()
    build(settings, [_step("one")])
    version = open_served(settings).version
    assert len(version.tag) == 16 and int(version.tag, 16) >= 0
    assert version.modified.microsecond == 0
    assert version.modified.timestamp() == int(version.built_at)


@pytest.mark.remote
def test_a_remote_version_changes_when_the_endpoint_data_changes(oxigraph_endpoint):
    server = oxigraph_endpoint
    with RemoteStore(server.query, server.update, server.store) as store:
        store.update("DROP ALL")
        store.load(b'<urn:a> <urn:p> "1" .\n', RdfFormat.N_TRIPLES, "urn:g")
        first = remote_version(store)
        assert remote_version(store, first) is first  # unchanged data keeps its version
        store.load(b'<urn:b> <urn:p> "2" .\n', RdfFormat.N_TRIPLES, "urn:g")
        second = remote_version(store, first)
        assert second.id != first.id and second.id.startswith("remote-")
        assert store.path is None


@pytest.mark.remote
def test_a_remote_served_store_has_no_directory(settings_factory, oxigraph_endpoint):
    settings = settings_factory(sparql_endpoint=oxigraph_endpoint.query)
    served = ServedStore(settings).current()
    assert served.directory is None and served.store.path is None
    assert served.version.id.startswith("remote-")


# -- the boundary ------------------------------------------------------------------------------
SOURCES = sorted((PROJECT_ROOT / "kgservice").rglob("*.py"))
CODE = SOURCES + sorted((PROJECT_ROOT / "tests").rglob("*.py"))
CODE += sorted((PROJECT_ROOT / "bench").rglob("*.py"))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return found


def _rel(path: Path, root: Path = PROJECT_ROOT) -> str:
    return str(path.relative_to(root))


def test_only_the_build_and_the_store_import_the_swap():
    allowed = ("kgservice/pipeline/", "kgservice/store/")
    offenders = [
        _rel(p)
        for p in SOURCES
        if "kgservice.pipeline.swap" in _imports(p) and not _rel(p).startswith(allowed)
    ]
    assert offenders == []


def _reaches_past_the_interface(path: Path, root: Path = PROJECT_ROOT) -> list[str]:
    """``getattr``/``hasattr`` on a store, or its ``.pyoxigraph``, as "file:line what"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and "store" in node.args[0].id
        ):
            found.append(f"{_rel(path, root)}:{node.lineno} {node.func.id}({node.args[0].id})")
        if isinstance(node, ast.Attribute) and node.attr == "pyoxigraph":
            found.append(f"{_rel(path, root)}:{node.lineno} .pyoxigraph")
    return found


def test_no_code_reaches_past_the_store_interface():
    assert [hit for p in CODE for hit in _reaches_past_the_interface(p)] == []


def test_the_boundary_checks_catch_what_they_look_for(tmp_path):
    """The two checks above would fail on the patterns they forbid."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from kgservice.pipeline.swap import new_store_dir\n"
        "from kgservice.pipeline import swap\n"
        "path = getattr(store, 'path', None)\n"
        "store.pyoxigraph.load(b'', format=None)\n"
    )
    assert {"kgservice.pipeline.swap.new_store_dir", "kgservice.pipeline.swap"} <= _imports(sample)
    assert sorted(_reaches_past_the_interface(sample, tmp_path)) == [
        "sample.py:3 getattr(store)",
        "sample.py:4 .pyoxigraph",
    ]
