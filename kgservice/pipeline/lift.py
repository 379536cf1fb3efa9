"""Build steps that lift the open-data sources of ``mappings/sources/`` into the fresh store.

* :func:`load_statistics_vocabulary`  Data Cube component declarations → ``graph/statistics``
* :func:`load_tables`     ``kind = "tables"`` sources (regions, Sotkanet crosswalk) and the
                          provenance of ``kind = "file"`` sources
* :func:`load_statistics` ``kind = "cube"`` sources: read → normalise/quarantine → map →
                          validate (the SPARQL-compiled shapes of ``queries/build/``) → load

Every source lands in its own named graph; its PROV-O/DCAT record goes to ``graph/provenance``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat, parse, serialize
from tqdm import tqdm

from kgservice.config import CANONICAL_BASE_IRI, Settings
from kgservice.errors import BuildError
from kgservice.iris import graph_iri, rebase
from kgservice.mappings import quarantine
from kgservice.mappings.cube import Quarantined, normalise
from kgservice.mappings.engine import load_template, run_template
from kgservice.mappings.regions import RegionIndex, load_region_index
from kgservice.mappings.variables import variable_rows
from kgservice.pipeline.overlap import can_fork
from kgservice.pipeline.steps import Step, StepReport
from kgservice.queries import all_queries
from kgservice.sources.rdf import read_quads
from kgservice.sources.readers import read_csv, read_rows
from kgservice.sources.snapshot import sha256
from kgservice.sources.spec import SourceSpec, load_specs
from kgservice.store.base import Store
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import build_id

DATA_NS = "https://rake-kg.example/data/"


def _load_ntriples(settings: Settings, store: Store, data: bytes, graph: str) -> int:
    """Bulk-load N-Triples (canonical base) into ``graph``, rebased to the deployment's base."""
    return _load_rebased(store, _rebased(settings, data), graph)


def _rebased(settings: Settings, data: bytes) -> bytes:
    """N-Triples of the canonical base in the deployment's base."""
    if not data or settings.base_iri == CANONICAL_BASE_IRI:
        return data
    quads = rebase(parse(data, format=RdfFormat.N_TRIPLES), settings)
    return serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES) or b""


def _load_rebased(store: Store, data: bytes, graph: str) -> int:
    if not data:
        return 0
    # CONSTRUCT results serialised by pyoxigraph: their terms were checked when made
    store.bulk_load(data, RdfFormat.N_TRIPLES, graph, lenient=True)
    return data.count(b"\n")


def source_graph(settings: Settings, spec: SourceSpec) -> str:
    return (
        graph_iri(settings, spec.graph) if spec.graph else graph_iri(settings, "source", spec.slug)
    )


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def mapping_version(spec: SourceSpec, templates: list[Path]) -> str:
    h = hashlib.sha256(spec.path.read_bytes())
    for t in sorted(set(templates)):
        h.update(t.read_bytes())
    return h.hexdigest()[:12]


def add_provenance(settings: Settings, store: Store, spec: SourceSpec, **record: Any) -> None:
    """The source's PROV-O/DCAT record (:func:`provenance_triples` of ``record``) into
    ``graph/provenance``."""
    data = provenance_triples(settings, spec, **record)
    _load_ntriples(settings, store, data, graph_iri(settings, "provenance"))


def provenance_triples(
    settings: Settings,
    spec: SourceSpec,
    *,
    graph: str,
    templates: list[Path],
    rows_in: int,
    rows_loaded: int,
    rows_quarantined: int,
    triples: int,
) -> bytes:
    """The source's PROV-O/DCAT record (``mappings/provenance.rq``) as N-Triples, canonical base."""
    o = spec.origin
    common: dict[str, Any] = {
        "title_fi": spec.title.get("fi", spec.slug),
        "title_en": spec.title.get("en"),
        "publisher": o.get("publisher", ""),
        "origin": o.get("origin"),
        "licence": o.get("licence") or None,
        "licence_name": o.get("licence_name"),
        "attribution": o.get("attribution", ""),
        "retrieved": o.get("retrieved", ""),
        "year": str(o.get("year", "")),
        "mapping": _rel(spec.path, settings.project_dir),
        "mapping_version": mapping_version(spec, templates),
        "rows_in": str(rows_in),
        "rows_loaded": str(rows_loaded),
        "rows_quarantined": str(rows_quarantined),
        "triples": str(triples),
        "format": spec.read.get("format") or spec.snapshot.get("format"),
    }
    rows = []
    for n, entry in enumerate(spec.snapshot.get("files", []), start=1):
        path = settings.data_dir / entry["to"]
        if entry.get("optional") and not path.is_file():
            continue  # written only by `kgservice fetch`; not part of this build
        if not path.is_file():
            raise BuildError("bundled source file is missing", file=str(path), rule="source-file")
        rows.append(
            (
                n,
                {
                    **common,
                    "n": str(n),
                    "file": "data/" + entry["to"],
                    "sha256": sha256(path),
                    "bytes": str(path.stat().st_size),
                },
            )
        )
    template = load_template(settings.mappings_dir / "provenance.rq")
    return run_template(template, rows, {"source": Literal(spec.slug), "graph": NamedNode(graph)})


def load_statistics_vocabulary(settings: Settings, store: Store, report: StepReport) -> None:
    path = settings.mappings_dir / "cube" / "components.ttl"
    quads = read_quads(path)
    report.rows_in += len(quads)
    data = serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES) or b""
    report.rows_loaded += _load_ntriples(settings, store, data, graph_iri(settings, "statistics"))


def _table_rows(settings: Settings, table: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Inline ``rows`` and the rows of ``files`` (``format``: ``csv`` by default, or another
    reader format such as ``json-records``). With ``optional = true`` a missing file gives no
    rows (files that only ``kgservice fetch`` writes, e.g. Sotkanet's whole ``/regions`` answer)."""
    rows: list[tuple[int, dict[str, Any]]] = []
    for i, inline in enumerate(table.get("rows", []), start=1):
        rows.append((i, {k: str(v) for k, v in inline.items()}))
    fmt = table.get("format", "csv")
    for f in table.get("files", []):
        path = settings.data_dir / f
        if table.get("optional") and not path.is_file():
            continue
        reader = read_csv(path) if fmt == "csv" else read_rows(path, fmt)
        rows.extend((r.line, r.values) for r in reader)
    return rows


def load_tables(settings: Settings, store: Store, report: StepReport) -> None:
    """Regions, the Sotkanet crosswalk (``kind = "tables"``) and credits of bundled files."""
    for spec in load_specs(settings, "tables"):
        graph = source_graph(settings, spec)
        templates: list[Path] = []
        rows_in = triples = 0
        for table in spec.tables:
            tpath = settings.mappings_dir / table["construct"]
            templates.append(tpath)
            rows = _table_rows(settings, table)
            rows_in += len(rows)
            out = run_template(load_template(tpath), rows)
            triples += _load_ntriples(settings, store, out, graph)
        report.rows_in += rows_in
        report.rows_loaded += rows_in
        report.notes.append(f"{spec.slug}: {rows_in} rows → {triples} triples")
        add_provenance(
            settings,
            store,
            spec,
            graph=graph,
            templates=templates,
            rows_in=rows_in,
            rows_loaded=rows_in,
            rows_quarantined=0,
            triples=triples,
        )
    for spec in load_specs(settings, "file"):
        add_provenance(
            settings,
            store,
            spec,
            graph=source_graph(settings, spec),
            templates=[],
            rows_in=0,
            rows_loaded=0,
            rows_quarantined=0,
            triples=0,
        )


def lift_cube_source(
    settings: Settings, spec: SourceSpec, regions
) -> tuple[bytes, Any, list[Path]]:
    """Read, normalise and map one cube source; returns (triples, normalised result, templates)."""
    data_file = spec.data_path(settings)
    raw = list(read_rows(data_file, spec.read.get("format", "csv"), **spec.reader_options()))
    result = normalise(spec, raw, regions, "data/" + spec.file)
    dataset = NamedNode(DATA_NS + "dataset/" + spec.slug)
    bindings: dict[str, NamedNode | Literal] = {"dataset": dataset, "source": Literal(spec.slug)}
    cube_dir = settings.mappings_dir / "cube"
    obs_t, var_t, ds_t = (cube_dir / n for n in ("observations.rq", "variables.rq", "dataset.rq"))
    templates = [obs_t, var_t, ds_t]
    triples = run_template(load_template(obs_t), result.rows, bindings)
    if result.second:
        second_t = cube_dir / "second-sources.rq"
        templates.append(second_t)
        triples += run_template(load_template(second_t), result.second, bindings)
    triples += run_template(load_template(var_t), variable_rows(settings, spec, result), bindings)
    ds_row = {
        "title_fi": spec.title.get("fi", spec.slug),
        "title_en": spec.title.get("en"),
        "licence": spec.origin.get("licence") or None,
        "attribution": spec.origin.get("attribution", ""),
        "has_sex": "true" if result.has_sex else "false",
        "period_note": spec.origin.get("period_note"),
        "has_qualifier": "true" if "qualifier" in spec.cube or "source" in spec.cube else None,
    }
    triples += run_template(load_template(ds_t), [(1, ds_row)], bindings)
    return triples, result, templates


@dataclass(frozen=True)
class LiftedSource:
    """What the build keeps of one mapped and checked cube source: its triples and provenance
    record (N-Triples in the deployment's base) and its row accounting, not its rows."""

    triples: bytes
    provenance: bytes
    records: int
    loaded: int
    quarantined: list[Quarantined]


def lift_and_check(
    settings: Settings, spec: SourceSpec, regions: RegionIndex, region_triples: bytes
) -> LiftedSource:
    """Read, normalise, map and check one cube source (:func:`lift_cube_source`), with its
    provenance record; a source that breaks a shape raises :class:`BuildError`."""
    triples, result, templates = lift_cube_source(settings, spec, regions)
    raise_on_violations(spec, shape_violations(settings, triples, region_triples))
    if result.loaded + len(result.quarantined) != result.records:
        raise BuildError(
            f"{spec.slug}: {result.records} rows in but {result.loaded} loaded + "
            f"{len(result.quarantined)} quarantined",
            file=str(spec.data_path(settings)),
            rule="row-accounting",
        )
    provenance = provenance_triples(
        settings,
        spec,
        graph=source_graph(settings, spec),
        templates=templates,
        rows_in=result.records,
        rows_loaded=result.loaded,
        rows_quarantined=len(result.quarantined),
        triples=triples.count(b"\n"),
    )
    return LiftedSource(
        _rebased(settings, triples),
        _rebased(settings, provenance),
        result.records,
        result.loaded,
        result.quarantined,
    )


def load_statistics(settings: Settings, store: Store, report: StepReport) -> None:
    """Every cube source: rows in = rows loaded + rows quarantined, per source."""
    regions = load_region_index(settings)
    region_triples = canonical_regions(settings)
    # an optional source (figures only ``kgservice fetch`` writes) is mapped when its file is there
    specs = [
        s
        for s in load_specs(settings, "cube")
        if not s.read.get("optional") or s.data_path(settings).is_file()
    ]
    all_quarantined: list[Quarantined] = []
    checks: list[tuple[SourceSpec, int, list[Quarantined]]] = []
    processes = lift_processes(settings, len(specs))
    with _lifting(settings, specs, regions, region_triples, processes) as lifted:
        for spec, done in tqdm(
            zip(specs, lifted, strict=True),
            total=len(specs),
            desc="statistics",
            unit="source",
            disable=None,
        ):
            _load_lifted(settings, store, report, spec, done)
            checks.append((spec, done.records, done.quarantined))
            all_quarantined.extend(done.quarantined)
    report.notes.append(
        f"{len(specs)} sources mapped and checked in {processes} forked worker processes"
        if processes > 1
        else f"{len(specs)} sources mapped and checked in the build's own process"
    )
    path = quarantine.write_report(
        settings, build_id(store.path) if store.path else "build", all_quarantined
    )
    if path is not None:
        report.notes.append(f"quarantine report: {path}")
    for spec, records, q in checks:
        quarantine.check_threshold(settings, spec.slug, records, q, path or Path())


#: What the forked workers of :func:`_lifting` map from (set in this process before the fork).
_FORKED: tuple[Settings, list[SourceSpec], RegionIndex, bytes] | None = None


def _forked_lift(index: int) -> LiftedSource:
    assert _FORKED is not None
    settings, specs, regions, region_triples = _FORKED
    return lift_and_check(settings, specs[index], regions, region_triples)


def lift_processes(settings: Settings, sources: int) -> int:
    """How many forked worker processes map the cube sources: one per core up to
    ``KG_BUILD_PROCESSES``; 1 (this process, in order) with one source, one core, the setting 1,
    or other threads running here (a web server, a test serving pages): the same rule as the
    steps beside persist (:func:`kgservice.pipeline.overlap.can_fork`)."""
    workers = min(os.cpu_count() or 1, settings.build_processes)
    return workers if workers > 1 and sources > 1 and can_fork() else 1


@contextmanager
def _lifting(
    settings: Settings,
    specs: list[SourceSpec],
    regions: RegionIndex,
    region_triples: bytes,
    processes: int,
) -> Iterator[Iterator[LiftedSource]]:
    """Each source lifted and checked (:func:`lift_and_check`), in the order of ``specs``.

    In ``processes`` worker processes forked from this one: reading, normalising and writing
    the row graphs is Python that holds the GIL (threads used ~1.3 of 2 cores), while this
    process loads the finished sources into the store, one at a time, in order."""
    global _FORKED
    if processes < 2:
        yield (lift_and_check(settings, s, regions, region_triples) for s in specs)
        return
    _FORKED = (settings, specs, regions, region_triples)
    pool = ProcessPoolExecutor(processes, mp_context=get_context("fork"))
    try:
        yield pool.map(_forked_lift, range(len(specs)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED = None


def _load_lifted(
    settings: Settings, store: Store, report: StepReport, spec: SourceSpec, done: LiftedSource
) -> None:
    """One mapped and checked source into its graph, with its row accounting and provenance."""
    n = _load_rebased(store, done.triples, source_graph(settings, spec))
    _load_rebased(store, done.provenance, graph_iri(settings, "provenance"))
    q = done.quarantined
    report.rows_in += done.records
    report.rows_loaded += done.loaded
    report.rows_quarantined += len(q)
    report.notes.append(
        f"{spec.slug}: in {done.records} = loaded {done.loaded} + quarantined {len(q)}"
        + (f" ({quarantine.rules_summary(q)})" if q else "")
        + f"; {n} triples"
    )


def canonical_regions(settings: Settings) -> bytes:
    """The region code list in the canonical base (what the shapes check area codes against)."""
    spec = next(s for s in load_specs(settings, "tables") if s.slug == "regions")
    table = next(t for t in spec.tables if t.get("name") == "classification")
    template = load_template(settings.mappings_dir / table["construct"])
    return run_template(template, _table_rows(settings, table))


def shape_violations(settings: Settings, data: bytes, regions: bytes) -> list[dict[str, str]]:
    """Run every ``queries/build/*.rq`` check over one source's triples (plus the code list).

    Runs in memory, per source, before anything reaches the new store: the checks only need the
    source's own triples and the regions, and an in-memory store answers them several times
    faster than the on-disk one.
    """
    store = EmbeddedStore()
    try:
        store.load(data, RdfFormat.N_TRIPLES)
        store.load(regions, RdfFormat.N_TRIPLES)
        found: list[dict[str, str]] = []
        for q in all_queries(settings.queries_dir):
            if q.name.startswith("build/"):
                for row in store.select(q.text):
                    found.append({"check": q.name, **{k: v.value for k, v in row.items()}})
        return found
    finally:
        store.close()


def raise_on_violations(spec: SourceSpec, violations: list[dict[str, str]]) -> None:
    if violations:
        shown = "; ".join(
            f"{v.get('focus', '?')} breaks {v.get('shape', v['check'])}" for v in violations[:5]
        )
        raise BuildError(
            f"{spec.slug}: {len(violations)} violations of shapes/statistics.ttl: {shown}",
            file=str(spec.path),
            rule="shacl",
        )


def open_data_steps() -> list[Step]:
    """The open-data steps alone, in build order (for tests and benchmarks)."""
    return [
        Step("statistics-vocabulary", load_statistics_vocabulary),
        Step("regions-and-tables", load_tables),
        Step("statistics", load_statistics),
    ]
