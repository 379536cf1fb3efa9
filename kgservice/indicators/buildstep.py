"""Build step ``indicators``: materialises the regional "inside" relation into graph/indicators.

The indicator queries (``queries/indicators/sum.rq``, ``ratio-of-sums.rq``) join observations to
the areas above them through ``rake:inArea`` (the reflexive, transitive closure of
``skos:broader`` among regions). Evaluating ``skos:broader*`` inside every aggregation was two
orders of magnitude slower than this one CONSTRUCT (``queries/indicators/area-closure.rq``).
"""

from __future__ import annotations

from pyoxigraph import RdfFormat, serialize

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.queries import construct
from kgservice.store.base import Store


def materialise_area_closure(settings: Settings, store: Store, report=None) -> int:
    triples = construct(store, settings.queries_dir, "indicators/area-closure")
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    store.replace_graph(graph_iri(settings, "indicators"), data, RdfFormat.N_TRIPLES)
    if report is not None:
        report.rows_in += len(triples)
        report.rows_loaded += len(triples)
        report.notes.append(f"{len(triples)} rake:inArea links between regions")
    return len(triples)
