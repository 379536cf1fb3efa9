"""Sosmeta build steps: the bundled structures, the private client batches, their public aggregate.

The work is done in :mod:`kgservice.sosmeta` (change history, client lift, aggregate); these steps
load its results into the fresh store and count them."""

from __future__ import annotations

import gzip
from pathlib import Path

from pyoxigraph import Quad, RdfFormat, parse, serialize

from kgservice.config import CANONICAL_BASE_IRI, Settings
from kgservice.errors import BuildError
from kgservice.iris import graph_iri, rebase
from kgservice.pipeline.lift import canonical_regions, shape_violations
from kgservice.pipeline.steps import StepReport
from kgservice.queries import select
from kgservice.sosmeta.aggregate import (
    SOURCE,
    clients_with_decision_by_county,
    cube_triples,
    structure_labels,
)
from kgservice.sosmeta.diff import change_triples, diff_versions, versions_of
from kgservice.sosmeta.lift import client_batches
from kgservice.sources.rdf import read_quads
from kgservice.store.base import Store


def load_structures(settings: Settings, store: Store, report: StepReport) -> None:
    """``data/sosmeta/structures.nt.gz`` (all structures) and ``data/sosmeta/*.ttl`` →
    ``graph/sosmeta/structures``."""
    folder = settings.data_dir / "sosmeta"
    files = sorted([*folder.glob("*.nt.gz"), *folder.glob("*.ttl")])
    if not files:
        report.notes.append("no Sosmeta structures bundled in data/sosmeta/")
        return
    graph = graph_iri(settings, "sosmeta", "structures")
    store.drop_graph(graph)
    data = b"".join(_ntriples(settings, path) for path in files)
    # a build stages in a fresh store: one bulk load (a transactional load of the 280,000
    # triples of all 202 structures took three times as long)
    store.bulk_load(data, RdfFormat.N_TRIPLES, graph)
    report.rows_in += data.count(b"\n")
    report.rows_loaded += data.count(b"\n")
    count = len(select(store, settings.queries_dir, "sosmeta/structure-versions-all"))
    report.notes.append(f"{count} structure versions")
    changes = []
    for row in select(store, settings.queries_dir, "sosmeta/versioned-structures"):
        structure = row["structure"].value
        versions = versions_of(store, settings, structure)
        for (old, _), (new, _) in zip(versions, versions[1:], strict=False):
            d = diff_versions(store, settings, structure, old, new)
            changes.extend(change_triples(d))
            report.notes.append(
                f"change history {old.rsplit('/', 1)[-1]} → {new.rsplit('/', 1)[-1]}: {d.summary()}"
            )
    if changes:
        data = serialize(changes, format=RdfFormat.N_TRIPLES) or b""
        store.load(data, RdfFormat.N_TRIPLES, graph_iri(settings, "sosmeta", "structures"))
        report.rows_loaded += len(changes)


def _ntriples(settings: Settings, path: Path) -> bytes:
    """The file as N-Triples in the deployment's base; the compressed bundle (already
    N-Triples in the canonical base) is only decompressed when no rebase is needed."""
    if path.name.endswith(".nt.gz") and settings.base_iri == CANONICAL_BASE_IRI:
        return gzip.decompress(path.read_bytes())
    triples = [q.triple for q in rebase(read_quads(path), settings)]
    return serialize(triples, format=RdfFormat.N_TRIPLES) or b""


def load_client_batches(settings: Settings, store: Store, report: StepReport) -> None:
    """``var/client/<batch>.nq`` → PRIVATE ``graph/client/<batch>``; then the suppressed
    aggregate → public ``graph/source/sosmeta-client-decisions``."""
    batches = client_batches(settings)
    for path in batches:
        expected = graph_iri(settings, "client", path.stem)
        quads: list[Quad] = read_quads(path)
        wrong = {str(q.graph_name) for q in quads} - {f"<{expected}>"}
        if wrong:
            raise BuildError(
                f"client batch holds quads outside its graph {expected}: {sorted(wrong)[:3]}",
                file=str(path),
                rule="client-graph",
            )
        data = serialize([q.triple for q in quads], format=RdfFormat.N_TRIPLES) or b""
        store.replace_graph(expected, data, RdfFormat.N_TRIPLES)
        report.rows_in += len(quads)
        report.rows_loaded += len(quads)
    if not batches:
        report.notes.append("no lifted client batches in var/client/")
        return
    counts = clients_with_decision_by_county(settings, store)
    labels = {oid: structure_labels(settings, store, oid) for oid in {c.structure for c in counts}}
    _publish(settings, store, SOURCE, cube_triples(settings, counts, labels))
    suppressed = sum(c.suppressed for c in counts)
    report.notes.append(
        f"{len(batches)} private client batches; published {len(counts)} cells of "
        f"{len({c.structure for c in counts})} decision structures by county and year "
        f"({suppressed} suppressed)"
    )
    _publish_phenomena(settings, store, report)


def _publish(settings: Settings, store: Store, source: str, data: bytes) -> None:
    """Check a client aggregate with the observation shapes of every open-data table, then load
    it into ``graph/source/<source>``; nothing is loaded when a shape is broken."""
    violations = shape_violations(settings, data, canonical_regions(settings))
    if violations:
        shown = "; ".join(f"{v.get('focus')} breaks {v.get('shape')}" for v in violations[:5])
        raise BuildError(
            f"{source}: {len(violations)} violations of shapes/statistics.ttl: {shown}",
            rule="shacl",
        )
    triples = [q.triple for q in rebase(parse(data, format=RdfFormat.N_TRIPLES), settings)]
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    store.replace_graph(graph_iri(settings, "source", source), data, RdfFormat.N_TRIPLES)


def _publish_phenomena(settings: Settings, store: Store, report: StepReport) -> None:
    """The client-data indicators per phenomenon (:mod:`kgservice.sosmeta.client_indicators`)."""
    from kgservice.indicators.registry import load_registry
    from kgservice.sosmeta import client_indicators as ci
    from kgservice.sosmeta.phenomena import SPEC, load_spec

    spec = load_spec(settings.mappings_dir / SPEC)
    docs, codes = ci.client_documents(settings, store)
    found = ci.counts(spec, docs, codes)
    registry = load_registry(store, settings)
    labels = {}
    for ind in spec.indicators:
        known = registry.indicators.get(settings.base_iri + f"concept/indicator/{ind.slug}")
        labels[ind.slug] = known.labels if known else {}
    _publish(settings, store, ci.SOURCE, ci.cube_triples(settings, found, labels))
    report.notes.append(
        f"client-data indicators per phenomenon: published {len(found)} cells of "
        f"{len({c.structure for c in found})} indicators by county and year "
        f"({sum(c.suppressed for c in found)} suppressed)"
    )


__all__ = ["load_client_batches", "load_structures"]
