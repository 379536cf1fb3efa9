"""``kgservice build``: every source into a fresh store, validated, then swapped in atomically.

A build is a list of :class:`~kgservice.pipeline.steps.Step` objects run in order against a new,
empty store. Each step loads its own named graphs and reports what it did. If any step raises,
the new store directory is discarded and the served store is untouched (see
:mod:`kgservice.pipeline.swap`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from kgservice.config import Settings
from kgservice.errors import BuildError, KgError
from kgservice.iris import graph_iri, rebase
from kgservice.namespaces import RDF, VOID
from kgservice.pipeline import swap
from kgservice.pipeline.steps import BuildReport, Step, StepReport
from kgservice.sources.rdf import read_quads
from kgservice.store.base import Store
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import RELEASE_STORE_DIR, frozen_graph


def load_ontology(settings: Settings, store: Store, report: StepReport) -> None:
    """Each ``ontology/*.ttl`` module into its own graph ``graph/ontology/<module>``."""
    files = sorted(settings.ontology_dir.glob("*.ttl"))
    if not files:
        raise BuildError("no ontology modules found", file=str(settings.ontology_dir))
    for path in files:
        quads = read_quads(path)
        triples = [q.triple for q in rebase(quads, settings)]
        data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
        store.replace_graph(graph_iri(settings, "ontology", path.stem), data, RdfFormat.N_TRIPLES)
        report.rows_in += len(quads)
        report.rows_loaded += len(triples)


def load_releases(settings: Settings, store: Store, report: StepReport) -> None:
    """Every ``release.ttl`` (VoID/DCAT) into ``graph/releases``, each release listing its
    frozen graphs ``graph/release/<version>/<module>`` as ``void:subset``
    (:mod:`kgservice.releases.record`).

    The frozen modules themselves go into the release store (step ``release-store``), never into
    this store: they hold the live concepts' IRIs with their old values, and this store's default
    graph is the union of its named graphs, so every query of the live data would see them (a list
    of the live graphs as the default graph instead costs 5-50 times more per query)."""
    from kgservice.releases.record import METADATA, list_releases, release_iri, releases_dir

    releases = list_releases(releases_dir(settings))
    metadata: list = []
    for release in releases:
        node = NamedNode(release_iri(release.version))  # canonical, rebased with the subsets
        for path in sorted(release.dir.glob("*.ttl")):
            if path.name == METADATA:
                quads = list(rebase(read_quads(path), settings))
                report.rows_in += len(quads)
                report.rows_loaded += len(quads)
                metadata += [q.triple for q in quads]
                continue
            graph = NamedNode(frozen_graph(settings, release.version, path.stem))
            subset = [
                Quad(node, NamedNode(VOID + "subset"), graph),
                Quad(graph, NamedNode(RDF + "type"), NamedNode(VOID + "Dataset")),
            ]
            metadata += [q.triple for q in rebase(subset, settings)]
    if metadata:
        data = serialize(metadata, format=RdfFormat.N_TRIPLES) or b""
        store.replace_graph(graph_iri(settings, "releases"), data, RdfFormat.N_TRIPLES)
    versions = ", ".join(r.version for r in releases)
    report.notes.append(f"{len(releases)} release(s): {versions}" if releases else "no release")


def release_store(settings: Settings, store: Store, report: StepReport) -> None:
    """The release store in the build directory (:mod:`kgservice.store.releases`): the frozen
    graphs of every release and a copy of the vocabulary graphs as the build has them now (after
    the reviewed edits are replayed)."""
    from kgservice.store.releases import frozen_quads, release_store_path, write_release_store

    if store.path is None:
        report.notes.append("no release store: the staging store has no directory")
        return
    frozen = frozen_quads(settings)
    write_release_store(settings, release_store_path(store.path), frozen, store).close()
    report.rows_in += len(frozen)
    report.rows_loaded += len(frozen)
    report.notes.append(f"{len(frozen)} frozen triples in {RELEASE_STORE_DIR}/")


def default_steps() -> list[Step]:
    """The steps of a full build, in order. Later stages register theirs here."""
    from kgservice.pipeline import dump, edits, lift, sosmeta

    return [
        Step("ontology", load_ontology),
        Step("releases", load_releases),  # issue 17: the releases' VoID/DCAT, graph/releases
        Step("statistics-vocabulary", lift.load_statistics_vocabulary),
        Step("regions-and-tables", lift.load_tables),
        Step("indicators", area_closure),
        Step("statistics", lift.load_statistics),
        Step("sosmeta-structures", sosmeta.load_structures),
        # reads regions; publishes the suppressed client aggregate
        Step("sosmeta-clients", sosmeta.load_client_batches),
        # issue 17: the writes accepted on /graphs (var/graph-edits/), replayed in order
        Step("reviewed-edits", edits.replay_edits),
        # issue 17: the frozen releases and a copy of the vocabulary, a second store beside this
        Step("release-store", release_store),
        # every indicator at every level, computed once here so that views only look values up
        Step("indicator-values", indicator_values),
        # every graph is in: the public graphs as a compressed N-Quads file (issue 16)
        # (these last two only read the store: they run beside persist, kgservice.pipeline.overlap)
        Step("dump", dump.dump_step, concurrent=True),
        # last: every Data Cube dataset above must satisfy the W3C integrity constraints
        Step("datacube-integrity", datacube_integrity, concurrent=True),
    ]


def area_closure(settings: Settings, store: Store, report: StepReport) -> None:
    """``rake:inArea`` between regions (:mod:`kgservice.indicators.closure`)."""
    from kgservice.indicators.closure import materialise_area_closure

    links = materialise_area_closure(settings, store)
    report.rows_in += links
    report.rows_loaded += links
    report.notes.append(f"{links} rake:inArea links between regions")


def indicator_values(settings: Settings, store: Store, report: StepReport) -> None:
    """Every indicator at every level (:mod:`kgservice.indicators.materialise`)."""
    from kgservice.indicators.materialise import materialise_values

    done = materialise_values(settings, store)
    report.rows_in += done.values
    report.rows_loaded += done.values
    report.notes.append(
        f"{done.values} values of {done.indicators} indicators ({done.triples} triples)"
    )


def datacube_integrity(settings: Settings, store: Store, report: StepReport) -> None:
    """Fails the build when a W3C Data Cube IC does not hold on the freshly built store, so the
    previous store keeps serving (:func:`kgservice.validation.datacube.require_integrity`)."""
    from kgservice.validation import datacube

    report.rows_in += datacube.require_integrity(store, settings)
    report.notes.append(f"Data Cube ICs: all {len(datacube.IC_IDS)} hold")


def build(
    settings: Settings,
    steps: Iterable[Step] | None = None,
    *,
    echo: Callable[[str], None] | None = None,
    in_memory: bool = True,
    overlap: bool | None = None,
) -> BuildReport:
    """Build a fresh store and put it in service. On any error the served store is untouched.

    Every build is staged in a new embedded store, by default in memory: the steps load and
    query there, and the finished store is written to its directory with one bulk load (step
    ``persist``). ``in_memory=False`` writes every step's graphs to the directory as it goes
    (the way builds ran before; ``bench/build.py`` compares the two). With the embedded backend
    the finished directory is swapped in; with a remote endpoint its graphs are then pushed (one
    PUT per graph) and stale graphs are dropped — nothing is written remotely before all steps
    pass.

    The ``concurrent`` steps at the end of the list (``dump``, ``datacube-integrity``) run beside
    ``persist`` in a forked process when ``overlap`` is true, or by default when
    ``KG_BUILD_PROCESSES`` allows two and :func:`~kgservice.pipeline.overlap.can_fork` says it is
    safe here; otherwise (and for a remote build or ``in_memory=False``: no ``persist``) every
    step runs in order.
    """
    steps = list(default_steps() if steps is None else steps)
    started = time.perf_counter()
    new_dir = swap.new_store_dir(settings)  # first removes the directories of killed builds
    report = BuildReport(store_dir=new_dir)
    try:
        store = EmbeddedStore(new_dir, base_iri=settings.base_iri, staged=in_memory)
        try:
            if in_memory and not settings.remote:  # a remote build pushes from memory
                _run_and_persist(settings, store, steps, report, echo, overlap)
            else:
                _run_steps(settings, store, steps, report, echo)
                report.graphs = store.stats()
            if settings.remote:
                _push_remote(settings, store, echo)
        finally:
            store.close()
        if settings.remote:
            swap.discard(new_dir)
            report.store_dir = None
        else:
            swap.swap_in(settings, new_dir)
    except KgError:
        swap.discard(new_dir)
        raise
    except Exception as exc:
        swap.discard(new_dir)
        raise BuildError(f"build failed: {exc}", rule="build") from exc
    report.seconds = time.perf_counter() - started
    return report


def _run_steps(
    settings: Settings,
    store: Store,
    steps: list[Step],
    report: BuildReport,
    echo: Callable[[str], None] | None,
) -> None:
    for step in steps:
        sr = StepReport(step.name)
        t0 = time.perf_counter()
        if echo:
            echo(f"→ {step.name}")
        step.run(settings, store, sr)
        sr.seconds = time.perf_counter() - t0
        report.steps.append(sr)


def _run_and_persist(
    settings: Settings,
    store: EmbeddedStore,
    steps: list[Step],
    report: BuildReport,
    echo: Callable[[str], None] | None,
    overlap: bool | None,
) -> None:
    """Every step, then ``persist``; the trailing ``concurrent`` steps beside it if allowed."""
    from kgservice.pipeline import overlap as beside

    tail = 0
    while tail < len(steps) and steps[len(steps) - 1 - tail].concurrent:
        tail += 1
    if overlap is None:
        overlap = settings.build_processes > 1 and beside.can_fork()
    if not tail or not overlap:
        _run_steps(settings, store, steps, report, echo)
        report.graphs = store.stats()
        _run_steps(settings, store, [Step("persist", _persist)], report, echo)
        return
    first, last = steps[: len(steps) - tail], steps[len(steps) - tail :]
    _run_steps(settings, store, first, report, echo)
    if echo:
        echo(f"→ persist, beside it: {', '.join(s.name for s in last)}")
    persisted = StepReport("persist")

    def persist() -> None:
        t0 = time.perf_counter()
        _persist(settings, store, persisted)
        persisted.seconds = time.perf_counter() - t0

    reports, writes = beside.run_beside(settings, store, last, persist, echo)
    for graph, data, fmt in writes:  # the graphs the steps replaced, in their order
        store.replace_graph(graph, data, fmt)
    if writes:
        disk = EmbeddedStore(store.path, base_iri=store.base_iri)
        try:
            for graph, data, fmt in writes:
                disk.replace_graph(graph, data, fmt)
        finally:
            disk.close()
        persisted.notes.append(f"then {len(writes)} graph(s) the steps beside it replaced")
    report.steps += [*reports, persisted]
    report.overlapped = [r.name for r in reports]
    report.graphs = store.stats()


def _persist(settings: Settings, store: Store, report: StepReport) -> None:
    """The staged store into its build directory, one bulk load of every quad."""
    assert isinstance(store, EmbeddedStore)
    quads = store.persist()
    report.rows_in += quads
    report.rows_loaded += quads


def _push_remote(
    settings: Settings, staged: EmbeddedStore, echo: Callable[[str], None] | None
) -> None:
    from kgservice.store import open_store

    with open_store(settings) as remote:
        before = set(remote.graphs())
        for graph in staged.graphs():
            if echo:
                echo(f"→ push <{graph}>")
            remote.replace_graph(
                graph, staged.dump(RdfFormat.N_TRIPLES, graph), RdfFormat.N_TRIPLES
            )
        for stale in sorted(before - set(staged.graphs())):
            remote.drop_graph(stale)
