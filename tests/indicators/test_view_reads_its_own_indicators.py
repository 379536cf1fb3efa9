"""A phenomenon view reads the values of the indicators it shows, and only those (issue 18).

A national catalogue puts hundreds of indicators under the four phenomena, most shown only in
the situation picture; the phenomenon in brief and the phenomenon view must not read (and pay
for) their values. Checked on the real-figure fixture with one indicator taken out of the brief:
the brief's lookups leave it out, the phenomenon view's keep it, and the values of the others
are those of the unfiltered lookup. And what every view needs once per build (the years of each
indicator, the whole country's series) is read by the server's warm-up, not by the first view.
"""

from __future__ import annotations

import pytest
from indicator_fixture import load_fixture_graphs

from kgservice.config import Settings
from kgservice.indicators.service import IndicatorService
from kgservice.indicators.views import VIEWS, phenomenon_in_brief
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import BuildVersion

B = "https://rake-kg.example/"
PHENOMENON = f"{B}concept/phenomenon/taloudellinen-tilanne-ja-toimeentulo"
TAKEN_OUT = f"{B}concept/indicator/pienituloisuusaste"
BRIEF, FULL = VIEWS["phenomenon-in-brief"], VIEWS["phenomenon-view"]
NOT_IN_BRIEF = f"""
PREFIX rake: <{B}ontology/>
DELETE WHERE {{ GRAPH ?g {{ <{TAKEN_OUT}> rake:shownIn <{B}concept/view/{BRIEF}> }} }}
"""


@pytest.fixture(scope="module")
def svc() -> IndicatorService:
    """The fixture store with the low-income rate shown in the phenomenon view only."""
    settings = Settings()
    store = EmbeddedStore(None)
    load_fixture_graphs(store, settings)
    store.update(NOT_IN_BRIEF)
    return IndicatorService(store, settings, BuildVersion("fixture", 0.0))


def _slug(svc: IndicatorService) -> str:
    return svc.registry.indicators[TAKEN_OUT].slug


@pytest.mark.parametrize("level", ["country", "wellbeing-county", "municipality"])
def test_brief_values_leave_out_an_indicator_the_brief_does_not_show(svc, level):
    everything = svc.at_level(PHENOMENON, level, None)
    brief = svc.at_level(PHENOMENON, level, None, BRIEF)
    assert any(slug == _slug(svc) for slug, _ in everything)  # the values exist …
    assert all(slug != _slug(svc) for slug, _ in brief)  # … the brief does not read them
    shown = {i.slug for i in svc.registry.for_phenomenon(PHENOMENON, BRIEF)}
    assert brief == {k: v for k, v in everything.items() if k[0] in shown}
    assert brief


def test_phenomenon_view_values_keep_the_indicator(svc):
    everything = svc.at_level(PHENOMENON, "municipality", None)
    full = svc.at_level(PHENOMENON, "municipality", None, FULL)
    assert any(slug == _slug(svc) for slug, _ in full)
    shown = {i.slug for i in svc.registry.for_phenomenon(PHENOMENON, FULL)}
    assert full == {k: v for k, v in everything.items() if k[0] in shown}


@pytest.mark.parametrize("level", ["country", "wellbeing-county"])
def test_brief_trend_series_leaves_out_an_indicator_the_brief_does_not_show(svc, level):
    everything = svc.series(PHENOMENON, level)
    brief = svc.series(PHENOMENON, level, BRIEF)
    assert any(v.indicator == _slug(svc) for v in everything)
    shown = {i.slug for i in svc.registry.for_phenomenon(PHENOMENON, BRIEF)}
    assert brief == [v for v in everything if v.indicator in shown]
    assert brief


def test_brief_table_has_no_row_or_trend_of_the_indicator(svc):
    table = phenomenon_in_brief(svc, PHENOMENON, "wellbeing-county", None)
    assert table.rows and table.trend
    assert all(r["indicator"] != _slug(svc) for r in table.rows)
    assert all(t["indicator"] != _slug(svc) for t in table.trend)


def test_warm_up_reads_the_years_and_the_country_series_before_the_first_view(
    app_factory, fixture_built_settings
):
    from kgservice.web import api

    app = app_factory(fixture_built_settings.with_())  # settings of its own: a new service
    api.warm_up(app).join(timeout=60)
    with app.app_context():
        svc = api.indicator_service()
    assert svc._years is not None  # read at start-up, not by the first view
    assert any(svc.all_years().values())
    country = svc.regions.country()
    assert country is not None
    assert ("series-at-area", country.iri) in svc.memo  # every situation picture's trend


def test_warm_up_reads_the_series_of_every_cooperation_area_and_county(
    app_factory, fixture_built_settings
):
    """The situation picture of a cooperation area or county reads that area's whole series,
    which grows with indicators × years: the server reads them while it starts."""
    from kgservice.web import api

    app = app_factory(fixture_built_settings.with_())
    api.warm_up(app).join(timeout=60)
    with app.app_context():
        svc = api.indicator_service()
    areas = svc.regions.at_level("cooperation-area") + svc.regions.at_level("wellbeing-county")
    assert areas
    assert all(("series-at-area", r.iri) in svc.memo for r in areas)
    # municipalities are read on their first request, not at start-up
    assert not any(
        ("series-at-area", r.iri) in svc.memo for r in svc.regions.at_level("municipality")
    )
