"""The build computes every indicator once and stores the figures; the views only look them up.

Checked on the real-figure fixture: the stored values read back equal a fresh computation field
by field, every area's newest figure is selected as "latest" and each year's last figure for
that year, the views keep answering after the observations are gone, and the values are open
to SPARQL with their own vocabulary.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from indicator_fixture import load_fixture_graphs
from indicator_raw import number
from pyoxigraph import NamedNode

from kgservice.config import Settings
from kgservice.indicators.compute import Value
from kgservice.indicators.materialise import compute_all, selections
from kgservice.indicators.service import IndicatorService
from kgservice.indicators.views import phenomenon_view, situation_picture
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import BuildVersion

B = "https://rake-kg.example/"
KAINUU = f"{B}region/hyvinvointialue/20"
ANY_OBSERVATION = "SELECT * WHERE { ?o a <http://purl.org/linked-data/cube#Observation> } LIMIT 1"
DELETE_OBSERVATIONS = """
PREFIX qb: <http://purl.org/linked-data/cube#>
DELETE { GRAPH ?g { ?o ?p ?x } } WHERE { GRAPH ?g { ?o a qb:Observation ; ?p ?x } }
"""
# What an analyst would type at /sparql: the 2024 low-income rate of one area.
LOW_INCOME_RATE_2024 = """
PREFIX rake: <https://rake-kg.example/ontology/>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
SELECT ?value ?status WHERE {
  ?v a rake:IndicatorValue ;
     rake:indicator <https://rake-kg.example/concept/indicator/pienituloisuusaste> ;
     rake:valueStatus ?status .
  ?slice rake:sliceArea ?area ; rake:selectedFor "2024" ; rake:sliceValue ?v .
  OPTIONAL { ?v sdmx-measure:obsValue ?value }
}
"""


@pytest.fixture(scope="module")
def fresh() -> tuple[EmbeddedStore, IndicatorService]:
    """A fixture store of its own (this module deletes the observations from it)."""
    settings = Settings()
    store = EmbeddedStore(None)
    load_fixture_graphs(store, settings)
    return store, IndicatorService(store, settings, BuildVersion("fixture", 0.0))


def test_stored_values_equal_a_fresh_computation_field_by_field(fixture_svc):
    svc = fixture_svc
    compared = 0
    for ind in svc.registry.indicators.values():
        expected = compute_all(svc.store, svc.settings, svc.regions, ind)
        stored = svc.values(ind)
        for level, values in expected.items():
            assert set(stored[level]) == set(values), (ind.slug, level)
            for key, value in values.items():
                got = dataclasses.asdict(stored[level][key])
                want = dataclasses.asdict(value)
                for name, x in want.items():
                    if isinstance(x, float):
                        assert got[name] == pytest.approx(x, rel=1e-9), (ind.slug, key, name)
                    else:
                        assert got[name] == x, (ind.slug, key, name)
                compared += 1
    assert compared > 100  # the fixture's 194 figures, not a vacuous loop


def test_each_area_has_one_latest_figure_and_one_figure_per_year():
    periods = {("a", p) for p in ("2019", "2020", "2026M05", "2026M06")} | {("b", "2019")}
    chosen = selections({(a, p): Value("i", a, "municipality", p, 1.0, "ok", "published")
                         for a, p in periods})  # fmt: skip
    assert chosen[("a", "2026M06")] == ["latest", "2026"]
    assert chosen[("a", "2026M05")] == []
    assert chosen[("a", "2020")] == ["2020"]
    assert chosen[("b", "2019")] == ["latest", "2019"]


def test_views_answer_from_stored_figures_after_the_observations_are_gone(fresh):
    store, svc = fresh
    region = svc.regions.find("20")
    before = situation_picture(svc, "20", 2024, "fi").rows
    municipal = phenomenon_view(svc, "taloudellinen-tilanne-ja-toimeentulo", None, "20", 2024)
    store.update(DELETE_OBSERVATIONS)
    assert not store.select(ANY_OBSERVATION)
    after = situation_picture(svc, region.code, 2024, "fi").rows
    assert after == before
    assert any(r["value"] is not None for r in after)
    again = phenomenon_view(svc, "taloudellinen-tilanne-ja-toimeentulo", None, "20", 2024)
    assert again.rows == municipal.rows


def test_values_are_open_to_sparql_with_status_and_selection(fixture_svc, raw_14ww):
    rows = fixture_svc.store.select(LOW_INCOME_RATE_2024, {"area": NamedNode(KAINUU)})
    assert len(rows) == 1
    assert rows[0]["status"].value.endswith("/obs-status/ok")
    assert float(rows[0]["value"].value) == number(raw_14ww.loc["HVA20"]["rpt_aste"])


RDF_AND_RECORD = """
PREFIX rake: <https://rake-kg.example/ontology/>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
SELECT ?area ?period ?status ?origin ?figure ?record WHERE {
  ?v a rake:IndicatorValue ; rake:valueRecord ?record ; sdmx-dimension:refArea ?area ;
     sdmx-dimension:refPeriod ?period ; rake:valueStatus ?status ; rake:valueOrigin ?origin .
  OPTIONAL { ?v sdmx-measure:obsValue ?figure }
}
"""


def test_the_rdf_statements_and_the_record_of_each_value_agree(fixture_svc):
    rows = fixture_svc.store.select(RDF_AND_RECORD)
    assert len(rows) == sum(
        len(v) for i in fixture_svc.registry.indicators.values()
        for v in fixture_svc.values(i).values()
    )  # fmt: skip
    for r in rows:
        rec = json.loads(r["record"].value)
        assert rec["area"] == r["area"].value
        assert rec["period"] == r["period"].value
        assert r["status"].value.endswith("/" + rec["status"])
        assert rec["origin"] == r["origin"].value
        if "figure" in r:
            assert float(r["figure"].value) == pytest.approx(rec["value"], rel=1e-9)
        else:
            assert "value" not in rec
