"""The journal of reviewed edits: what keeps a write on ``/graphs`` through the next build.

Every accepted write (:mod:`kgservice.pipeline.graphwrite`) also leaves its ``cs:ChangeSet`` (the
triples added and removed, as reified statements) as one N-Triples file in ``var/graph-edits/``,
named so that the files sort in the order the writes were made. Written under a temporary name
before the swap and renamed after it, so a write that does not reach the store leaves no entry.

The build step ``reviewed-edits`` replays the journal over the freshly built graphs, oldest first:
each change set's removed triples are taken out of its graph and its added triples put in (set
operations: replaying an edit that is already in the files changes nothing), and the change sets
are loaded into ``graph/changelog``. So a rebuild serves what the last write served, and the
history of reviewed edits survives it. The step runs before the derived data (indicator values,
dump, Data Cube ICs), so those include the edits.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

from kgservice.config import Settings
from kgservice.graphaccess import change_log_graph
from kgservice.namespaces import CS, RDF
from kgservice.pipeline.steps import StepReport
from kgservice.store.base import Store

TMP_SUFFIX = ".tmp"


def journal_dir(settings: Settings) -> Path:
    return settings.var_dir / "graph-edits"


def stage(settings: Settings, name: str, change_set: bytes) -> Path:
    """Write ``change_set`` under a temporary name in the journal; :func:`commit` names it."""
    folder = journal_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (name + ".nt" + TMP_SUFFIX)
    with tmp.open("wb") as out:
        out.write(change_set)
        out.flush()
        os.fsync(out.fileno())
    return tmp


def commit(tmp: Path) -> None:
    os.replace(tmp, tmp.with_name(tmp.name[: -len(TMP_SUFFIX)]))


def entries(settings: Settings) -> list[Path]:
    """The committed journal files, oldest first."""
    folder = journal_dir(settings)
    return sorted(folder.glob("*.nt")) if folder.is_dir() else []


def _statements(triples: list[Triple], link: str) -> set[Triple]:
    """The triples a change set lists under ``cs:addition`` or ``cs:removal``."""
    parts: dict[object, dict[str, object]] = {}
    nodes = {t.object for t in triples if t.predicate.value == CS + link}
    for t in triples:
        if t.subject in nodes and t.predicate.value in (
            RDF + "subject",
            RDF + "predicate",
            RDF + "object",
        ):
            parts.setdefault(t.subject, {})[t.predicate.value[len(RDF) :]] = t.object
    return {
        Triple(p["subject"], p["predicate"], p["object"])  # type: ignore[arg-type]
        for p in parts.values()
        if len(p) == 3
    }


def replay_edits(settings: Settings, store: Store, report: StepReport) -> None:
    """Build step ``reviewed-edits`` (see the module docstring)."""
    files = entries(settings)
    for path in files:
        data = path.read_bytes()
        triples = [q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)]
        graphs = {t.object for t in triples if t.predicate.value == CS + "subjectOfChange"}
        for graph in graphs:
            if isinstance(graph, NamedNode):
                _apply(
                    store,
                    graph.value,
                    _statements(triples, "addition"),
                    _statements(triples, "removal"),
                )
        store.load(data, RdfFormat.N_TRIPLES, change_log_graph(settings))
        report.rows_in += len(triples)
        report.rows_loaded += len(triples)
    report.notes.append(
        f"{len(files)} reviewed edit(s) replayed from {journal_dir(settings).name}/"
    )


def _apply(store: Store, graph: str, added: set[Triple], removed: set[Triple]) -> None:
    current: set[Triple] = set()
    if graph in store.graphs():
        dumped = store.dump(RdfFormat.N_TRIPLES, graph)
        current = {q.triple for q in parse(dumped, format=RdfFormat.N_TRIPLES)}
    result = (current - removed) | added
    if not result:
        store.drop_graph(graph)
        return
    store.replace_graph(
        graph, serialize(list(result), format=RdfFormat.N_TRIPLES) or b"", RdfFormat.N_TRIPLES
    )
