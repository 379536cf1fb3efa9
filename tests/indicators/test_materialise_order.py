"""The indicator values are written the same way every time (kgservice.indicators.materialise).

Two builds of the same inputs must give the same bytes: the records inside a slice's
``rake:sliceRecords`` array follow the areas and periods, not the order the queries answered in,
however many threads computed them.
"""

from __future__ import annotations

import json

from indicator_fixture import load_fixture_graphs
from pyoxigraph import RdfFormat

from kgservice.config import Settings
from kgservice.indicators import materialise
from kgservice.indicators.areas import load_regions
from kgservice.indicators.materialise import compute_all, value_triples
from kgservice.indicators.registry import load_registry
from kgservice.iris import graph_iri
from kgservice.store.embedded import EmbeddedStore

SLICE_RECORDS = "<https://rake-kg.example/ontology/sliceRecords>"


def test_slice_records_follow_area_and_period_whatever_order_the_values_came_in(fixture_svc):
    svc = fixture_svc
    regions = load_regions(svc.store, svc.settings)
    arrays = 0
    for ind in load_registry(svc.store, svc.settings).indicators.values():
        by_level = compute_all(svc.store, svc.settings, regions, ind)
        reversed_order = {level: dict(reversed(v.items())) for level, v in by_level.items()}
        text = "".join(value_triples(svc.settings, regions, ind, by_level))
        again = "".join(value_triples(svc.settings, regions, ind, reversed_order))
        assert text == again, ind.slug
        for line in text.splitlines():
            if SLICE_RECORDS in line:
                literal = line.split(SLICE_RECORDS, 1)[1].rsplit("^^", 1)[0].strip()
                records = json.loads(json.loads(literal))
                keys = [(r["area"], r["period"]) for r in records]
                assert keys == sorted(keys), ind.slug
                arrays += 1
    assert arrays > 10  # the fixture's slices, not a vacuous loop


def _materialised(monkeypatch, cores: int) -> bytes:
    settings = Settings()
    store = EmbeddedStore(None)
    monkeypatch.setattr(materialise.os, "cpu_count", lambda: cores)
    load_fixture_graphs(store, settings)
    return store.dump(RdfFormat.N_TRIPLES, graph_iri(settings, "indicator-values"))


def test_two_materialisations_give_the_same_bytes(monkeypatch):
    first, second = _materialised(monkeypatch, 2), _materialised(monkeypatch, 2)
    assert first.count(b"\n") > 1000
    assert first == second


def test_values_computed_on_one_thread_or_two_are_the_same_bytes(monkeypatch):
    two = _materialised(monkeypatch, 2)
    one = _materialised(monkeypatch, 1)
    assert two.count(b"\n") > 1000
    assert two == one
