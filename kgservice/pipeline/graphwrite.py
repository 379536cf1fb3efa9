"""A write to one named graph over ``/graphs`` (issue 17), made like a build: a new store
generation, validated, recorded, swapped in atomically.

:meth:`GraphWriter.write` takes the served build (``var/store`` → ``var/stores/build-…``) and

1. copies it into a fresh, locked build directory (:func:`kgservice.pipeline.swap.new_store_dir`)
   with pyoxigraph's ``backup`` — hard links to the immutable RocksDB files, so a copy of the
   whole store takes well under a second and the served build is only read;
2. checks the graph's version against the client's ``If-Match`` (else ``409``);
3. applies the write (PUT replaces, POST merges, DELETE drops the graph) in the copy;
4. validates the graph as it now is with the rules that govern it: the vocabulary gate's SHACL
   shapes over every ontology graph for ``graph/ontology/…``; the statistics shapes
   (``queries/build/``) and the W3C Data Cube ICs for ``graph/source/…`` — a broken rule
   raises :class:`~kgservice.graphaccess.GraphInvalid` (``400``) and the copy is deleted;
5. records a ``cs:ChangeSet`` in ``graph/changelog`` (who, when, which graph, how many triples
   were added and removed, each of them as a reified statement, the comment);
6. swaps the copy in with :func:`kgservice.pipeline.swap.swap_in`, the same atomic link
   replacement a build ends with — unless a build has swapped in meanwhile (then ``409``) —
   and keeps the change set in the journal ``var/graph-edits/`` that the next build replays
   (:mod:`kgservice.pipeline.edits`).

Any failure deletes the copy; the served build is never written. Writes are serialised (a lock
in the process and an ``flock`` on ``var/stores/graphs.lock`` between processes); a second
write to a graph that is being written is refused at once with ``409``.

The release store (``releases/`` in the build directory, :mod:`kgservice.store.releases`) is
copied with the store, and a write to a vocabulary graph updates its copy of the vocabulary
there; its frozen graphs are never written.

Between steps 5 and 6 the build's own derived steps run on the new generation
(:func:`derived_steps`), so that the generation swapped in is what ``kgservice build`` makes from
the same files plus the journal: ``indicator-values`` (the views' figures) and
``datacube-integrity`` after a statistics write or a vocabulary write that changes more than
labels and notes (the indicator registry, the variables, levels and Data Cube structures are
ontology statements; the computation reads no label or note), and always ``dump`` (the download
holds every public graph, the change log too), in the build's order. A Data Cube IC the new
generation breaks refuses the write like a broken rule (``400`` with the report); on any
failure of a step the copy is deleted and nothing is swapped.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize
from pyoxigraph import Store as OxStore

from kgservice.config import Settings
from kgservice.errors import NotFound, StoreUnavailable, ValidationError
from kgservice.graphaccess import (
    STATISTICS,
    VOCABULARY,
    Conflict,
    GraphInvalid,
    GraphWrite,
    WriteOutcome,
    change_log_graph,
    graph_kind,
    lines_etag,
)
from kgservice.iris import graph_iri
from kgservice.namespaces import CS, RDF, RDFS, SKOS, XSD, ontology_ns
from kgservice.pipeline import edits, swap
from kgservice.pipeline.steps import Step, StepReport
from kgservice.store.base import Store
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import copy_vocabulary, release_store_path
from kgservice.store.served import served_dir

log = logging.getLogger(__name__)


class GraphWriter:
    """Applies :class:`GraphWrite` requests to the served store, one at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._busy: set[str] = set()
        self._busy_lock = threading.Lock()

    def write(self, request: GraphWrite) -> WriteOutcome:
        with self._claim(request.graph), self._lock, _stores_lock(self.settings):
            return apply_write(self.settings, request)

    @contextmanager
    def _claim(self, graph: str) -> Iterator[None]:
        with self._busy_lock:
            if graph in self._busy:
                raise Conflict(
                    f"another write to <{graph}> is in progress; read the graph again and retry",
                    rule="graph-write-in-progress",
                )
            self._busy.add(graph)
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy.discard(graph)


@contextmanager
def _stores_lock(settings: Settings) -> Iterator[None]:
    """An exclusive ``flock`` shared by every process writing graphs into this store."""
    root = swap.stores_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / "graphs.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def apply_write(settings: Settings, request: GraphWrite) -> WriteOutcome:
    """Steps 1–6 of the module docstring (the caller serialises writes)."""
    base = served_dir(settings)
    if base is None or not base.is_dir():
        raise StoreUnavailable("no store has been built yet", rule="store-missing")
    new_dir = swap.new_store_dir(settings)
    try:
        _copy_generation(base, new_dir)
        store = EmbeddedStore(new_dir, base_iri=settings.base_iri)
        try:
            outcome, change_set, changed = _write_in(settings, store, request)
            kind = graph_kind(settings, request.graph)
            if kind == VOCABULARY:
                _update_release_store(settings, store, new_dir)
            run_derived(settings, store, derived_steps(kind, changed))
        finally:
            store.close()
        if served_dir(settings) != base:
            raise Conflict(
                "the store was rebuilt while the write was checked; retry", rule="store-changed"
            )
        entry = edits.stage(settings, new_dir.name, change_set)
        swap.swap_in(settings, new_dir)
    except BaseException:
        swap.discard(new_dir)
        raise
    edits.commit(entry)  # the journal keeps the edit through the next build
    return outcome


def _copy_generation(base: Path, new_dir: Path) -> None:
    new_dir.rmdir()  # pyoxigraph's backup makes the directory itself
    source = OxStore.read_only(str(base))
    try:
        source.backup(str(new_dir))
    finally:
        del source
    frozen = release_store_path(base)
    if frozen.is_dir():  # the release store (issue 17), copied the same way
        source = OxStore.read_only(str(frozen))
        try:
            source.backup(str(release_store_path(new_dir)))
        finally:
            del source


def _update_release_store(settings: Settings, store: Store, new_dir: Path) -> None:
    """The release store's copy of the vocabulary graphs as this generation has them."""
    if not release_store_path(new_dir).is_dir():
        return
    releases = EmbeddedStore(release_store_path(new_dir), base_iri=settings.base_iri)
    try:
        copy_vocabulary(settings, store, releases)
    finally:
        releases.close()


def _write_in(
    settings: Settings, store: Store, request: GraphWrite
) -> tuple[WriteOutcome, bytes, set[Triple]]:
    """Steps 2–5; also the triples the write added or removed."""
    graph = request.graph
    existed = graph in store.graphs()
    before = _lines(store, graph) if existed else set()
    current = lines_etag(before) if existed else ""
    wanted = request.if_match
    if wanted is not None and not (wanted == "*" and existed) and wanted != current:
        raise Conflict(
            f"<{graph}> has changed since it was read (If-Match does not match its ETag); "
            "read it again and retry",
            rule="graph-version",
            current=current,
        )
    if request.method == "DELETE" and not existed:
        raise NotFound(f"no graph <{graph}> in the store", rule="graph-missing")
    data = serialize(list(request.triples), format=RdfFormat.N_TRIPLES) or b""
    if request.method == "PUT":
        store.replace_graph(graph, data, RdfFormat.N_TRIPLES)
    elif request.method == "POST":
        store.load(data, RdfFormat.N_TRIPLES, graph)
    else:
        store.drop_graph(graph)
    exists = graph in store.graphs()
    after = _lines(store, graph) if exists else set()
    validate_graph(settings, store, graph)
    added, removed = _parsed(after - before), _parsed(before - after)
    change, change_set = record_change(settings, store, request, added, removed)
    outcome = WriteOutcome(
        created=not existed and request.method != "DELETE",
        etag=lines_etag(after) if exists else "",
        change=change,
        added=len(added),
        removed=len(removed),
    )
    return outcome, change_set, added | removed


def _lines(store: Store, graph: str) -> set[bytes]:
    """The graph's triples as N-Triples lines (one line per triple, comparable as bytes)."""
    return {line for line in store.dump(RdfFormat.N_TRIPLES, graph).splitlines() if line.strip()}


def _parsed(lines: set[bytes]) -> set[Triple]:
    data = b"\n".join(lines)
    return {q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)} if lines else set()


# -- validation ------------------------------------------------------------------------------
def validate_graph(settings: Settings, store: Store, graph: str) -> None:
    """Raise :class:`GraphInvalid` when ``graph`` breaks the rules of its kind."""
    kind = graph_kind(settings, graph)
    if kind == VOCABULARY:
        results = vocabulary_results(settings, store)
        what = "the vocabulary gate (shapes/vocabulary.ttl, shapes/owl-model.ttl)"
    elif kind == STATISTICS:
        results = statistics_results(settings, store, graph)
        what = "the statistics shapes (shapes/statistics.ttl) and the Data Cube ICs"
    else:
        return
    if results:
        raise GraphInvalid(
            f"the write would leave <{graph}> breaking {len(results)} rule(s) of {what}; "
            "nothing was changed",
            rule="graph-validation",
            report=results,
        )


def vocabulary_results(settings: Settings, store: Store) -> list[dict[str, Any]]:
    """The failing SHACL results of the quality shapes over every ontology graph (what
    ``kgservice check`` runs over ``ontology/``; the OWL reasoner is left to the gate in CI)."""
    from rdflib import Graph

    from kgservice.validation.shacl import quality_shape_files, run_shapes
    from kgservice.validation.sources import SourceSet, load_sources

    data = Graph()
    for g in store.graphs():
        if graph_kind(settings, g) == VOCABULARY:
            data.parse(data=store.dump(RdfFormat.N_TRIPLES, g), format="nt")
    shapes = load_sources(quality_shape_files(settings.shapes_dir)).graph
    found = run_shapes(SourceSet(graph=data), shapes)
    return [{"source": "shacl", **v.as_dict()} for v in found if v.failing]


def statistics_results(settings: Settings, store: Store, graph: str) -> list[dict[str, Any]]:
    """The statistics shapes (their SPARQL form, as the build runs them) over ``graph`` and the
    Data Cube ICs over it with the statistics vocabulary, the regions and the ontology."""
    from kgservice.pipeline.lift import shape_violations
    from kgservice.validation import datacube

    regions = graph_iri(settings, "regions")
    data = store.dump(RdfFormat.N_TRIPLES, graph) if graph in store.graphs() else b""
    region_data = store.dump(RdfFormat.N_TRIPLES, regions) if regions in store.graphs() else b""
    results: list[dict[str, Any]] = [
        {
            "source": "shacl",
            "rule": v.get("shape", v["check"]),
            "focus": v.get("focus", ""),
            "message": f"{v.get('focus', '?')} breaks {v.get('shape', v['check'])}",
        }
        for v in shape_violations(settings, data, region_data)
    ]
    context = [graph_iri(settings, "statistics"), regions]
    context += [g for g in store.graphs() if graph_kind(settings, g) == VOCABULARY]
    present = [g for g in [graph, *context] if g in store.graphs()]
    for ic in datacube.check_integrity(store, settings, graphs=present):
        results.append({"source": "datacube-ic", "rule": ic.ic, "message": ic.describe()})
    return results


# -- the derived data, as the build makes it ------------------------------------------------
#: Predicates that only name or document a resource: the indicator values and the Data Cube ICs
#: read none of them, so a vocabulary write that changes nothing else leaves both as they are.
DOCUMENTATION = frozenset(
    [SKOS + p for p in ("prefLabel", "altLabel", "hiddenLabel", "definition", "scopeNote")]
    + [SKOS + p for p in ("note", "example", "editorialNote", "changeNote", "historyNote")]
    + [RDFS + "label", RDFS + "comment"]
)


def derived_steps(kind: str, changed: set[Triple]) -> list[Step]:
    """The build's steps after ``reviewed-edits`` that a write of a ``kind`` graph changing
    ``changed`` must rerun: ``indicator-values`` and ``datacube-integrity`` unless the write is
    a vocabulary write of labels and notes only, and ``dump`` (the change log is in it) — the
    build's own step objects, in the build's order."""
    from kgservice.pipeline.build import default_steps

    wanted = {"dump"}
    if kind == STATISTICS or any(t.predicate.value not in DOCUMENTATION for t in changed):
        wanted |= {"indicator-values", "datacube-integrity"}
    return [step for step in default_steps() if step.name in wanted]


def run_derived(settings: Settings, store: Store, steps: list[Step]) -> list[StepReport]:
    """Run ``steps`` on the new generation; a broken Data Cube IC refuses the write (``400``)."""
    reports = []
    for step in steps:
        report = StepReport(step.name)
        started = time.perf_counter()
        try:
            step.run(settings, store, report)
        except ValidationError as exc:
            raise GraphInvalid(
                f"the write would leave the store breaking a rule the build checks in step "
                f"{step.name}; nothing was changed",
                rule="graph-validation",
                report=[{"source": step.name, "rule": exc.rule, "message": exc.message}],
            ) from exc
        report.seconds = time.perf_counter() - started
        log.info("write: step %s %.2f s: %s", step.name, report.seconds, "; ".join(report.notes))
        reports.append(report)
    return reports


# -- the change log --------------------------------------------------------------------------
def record_change(
    settings: Settings,
    store: Store,
    request: GraphWrite,
    added: set[Triple],
    removed: set[Triple],
) -> tuple[str, bytes]:
    """Add the write's ``cs:ChangeSet`` to ``graph/changelog``; return its IRI and its
    N-Triples (for the journal, :mod:`kgservice.pipeline.edits`)."""
    rake = ontology_ns(settings)
    change = NamedNode(f"{settings.base_iri}change/{uuid.uuid4()}")
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    out = [
        Triple(change, NamedNode(RDF + "type"), NamedNode(CS + "ChangeSet")),
        Triple(change, NamedNode(CS + "subjectOfChange"), NamedNode(request.graph)),
        Triple(change, NamedNode(CS + "createdDate"), Literal(now, datatype=XSD_DATETIME)),
        Triple(change, NamedNode(CS + "creatorName"), Literal(request.who)),
        Triple(change, NamedNode(rake + "httpMethod"), Literal(request.method)),
        Triple(change, NamedNode(rake + "triplesAdded"), Literal(str(len(added)), datatype=INT)),
        Triple(
            change, NamedNode(rake + "triplesRemoved"), Literal(str(len(removed)), datatype=INT)
        ),
    ]
    if request.comment:
        out.append(Triple(change, NamedNode(CS + "changeReason"), Literal(request.comment)))
    for link, triples in (("addition", added), ("removal", removed)):
        for t in sorted(triples, key=str):
            statement = BlankNode()
            out += [
                Triple(change, NamedNode(CS + link), statement),
                Triple(statement, NamedNode(RDF + "type"), NamedNode(RDF + "Statement")),
                Triple(statement, NamedNode(RDF + "subject"), t.subject),
                Triple(statement, NamedNode(RDF + "predicate"), t.predicate),
                Triple(statement, NamedNode(RDF + "object"), t.object),
            ]
    data = serialize(out, format=RdfFormat.N_TRIPLES) or b""
    store.load(data, RdfFormat.N_TRIPLES, change_log_graph(settings))
    return change.value, data


XSD_DATETIME = NamedNode(XSD + "dateTime")
INT = NamedNode(XSD + "integer")
