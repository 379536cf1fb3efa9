"""The regional "inside" relation, materialised into graph/indicators (build step ``indicators``).

The indicator queries (``queries/indicators/sum.rq``, ``ratio-of-sums.rq``) join observations to
the areas above them through ``rake:inArea?`` (``rake:inArea`` is the transitive closure of
``skos:broader`` among regions, not reflexive: a region is never inside itself; the ``?`` adds
the area itself). Evaluating ``skos:broader*`` inside every aggregation was two
orders of magnitude slower than this one CONSTRUCT (``queries/indicators/area-closure.rq``).
"""

from __future__ import annotations

from pyoxigraph import RdfFormat, serialize

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.queries import construct
from kgservice.store.base import Store


def materialise_area_closure(settings: Settings, store: Store) -> int:
    """Replaces ``graph/indicators`` with the ``rake:inArea`` links; returns how many."""
    triples = construct(store, settings.queries_dir, "indicators/area-closure")
    data = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    store.replace_graph(graph_iri(settings, "indicators"), data, RdfFormat.N_TRIPLES)
    return len(triples)
