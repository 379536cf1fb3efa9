"""Issue 13, "latest means the latest figure that exists": without a year, each indicator and
area shows its newest period that has a figure, the row says which period, and a table whose
figures come from different periods says so in the page's language.

The rule (``kgservice.indicators.materialise.selections``): a shown figure or a suppressed one
is a figure that exists (a suppressed cell is shown as suppressed, as THL shows it); a missing
cell — a column the source left empty, an incomplete sum — is passed over for the period before.
"""

from __future__ import annotations

import pandas as pd
import pytest
from indicator_raw import DATA, source_path
from markupsafe import escape

from kgservice.indicators.compute import Value
from kgservice.indicators.materialise import has_figure, selections
from kgservice.indicators.views import phenomenon_in_brief, phenomenon_view
from kgservice.texts import LANGUAGES, translate

UNEMPLOYMENT_SHARE = "tyottomien-osuus-tyovoimasta"
ECONOMY = "taloudellinen-tilanne-ja-toimeentulo"


def _v(period: str, value: float | None, status: str = "ok") -> Value:
    return Value(
        "i", "a", "municipality", period, value, status, "none" if value is None else "published"
    )


def _latest(values: list[Value]) -> str:
    chosen = selections({(v.area, v.period): v for v in values})
    return next(period for (_a, period), sels in chosen.items() if "latest" in sels)


def test_an_empty_newest_column_does_not_hide_the_figure_of_the_year_before():
    assert _latest([_v("2015", 14.2), _v("2016", 13.5), _v("2017", None, "missing")]) == "2016"


def test_a_suppressed_newest_figure_stays_the_latest_figure():
    assert _latest([_v("2023", 7.0), _v("2024", None, "suppressed")]) == "2024"


def test_an_area_without_any_figure_shows_its_newest_period_as_missing():
    assert _latest([_v("2016", None, "missing"), _v("2017", None, "missing")]) == "2017"


def test_a_year_is_its_last_period_with_a_figure():
    chosen = selections({("a", p): v for v in (_v("2026-05", 3.0), _v("2026-06", None, "missing"))
                         for p in [v.period]})  # fmt: skip
    assert "2026" in chosen[("a", "2026-05")]
    assert "2026" not in chosen[("a", "2026-06")]


@pytest.fixture(scope="module")
def svc(built_settings):
    from kgservice.indicators.service import service_for
    from kgservice.store.served import open_served

    return service_for(open_served(built_settings), built_settings)


@pytest.fixture(scope="module")
def raw_share_2016() -> float:
    """The whole country's 2016 unemployment share as the raw Kuntien avainluvut file gives it."""
    path = source_path(DATA, "statfin_kuntien_avainluvut_*_tyottomyys_kunta.csv")
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig").set_index(
        "Alue 2017"
    )  # fmt: skip
    assert frame.loc["KOKO MAA", "2017"] == ".."  # the empty column of issue 13
    return float(frame.loc["KOKO MAA", "2016"])


@pytest.mark.slow
def test_latest_unemployment_share_is_the_2016_figure_with_period_2016(svc, raw_share_2016):
    country = [
        r for r in phenomenon_in_brief(svc, ECONOMY, "country", None, "fi").rows
        if r["indicator"] == UNEMPLOYMENT_SHARE
    ]  # fmt: skip
    assert [(r["period"], r["status"], r["value"]) for r in country] == [
        ("2016", "ok", raw_share_2016)
    ]
    latest = {
        r["area_code"]: r for r in phenomenon_view(svc, ECONOMY, None, None, None).rows
        if r["indicator"] == UNEMPLOYMENT_SHARE
    }  # fmt: skip
    of_2016 = {
        r["area_code"]: r for r in phenomenon_view(svc, ECONOMY, None, None, 2016).rows
        if r["indicator"] == UNEMPLOYMENT_SHARE
    }  # fmt: skip
    assert sum(r["value"] is not None for r in latest.values()) > 250
    assert latest == of_2016  # every municipality: the 2016 figure, period 2016


@pytest.mark.slow
@pytest.mark.parametrize(
    "level", ["municipality", "wellbeing-county", "cooperation-area", "country"]
)
def test_no_latest_figure_is_missing_where_an_older_period_has_one(svc, level):
    checked = 0
    for phen in svc.registry.phenomena():
        rows = phenomenon_view(svc, phen, level, None, None).rows
        for ind in svc.registry.for_phenomenon(phen):
            values = svc.values(ind)[level]
            with_figure = {area for (area, _p), v in values.items() if has_figure(v)}
            codes = {svc.regions.by_iri[a].code for a in with_figure}
            for r in rows:
                if r["indicator"] == ind.slug and r["area_code"] in codes:
                    assert r["status"] != "missing", (ind.slug, r["area_code"], r["period"])
                    checked += 1
    assert checked > 0


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_page_of_figures_from_different_periods_says_so_in_its_language(client, lang):
    page = client.get(f"/views/situation-picture?area=20&lang={lang}").get_data(as_text=True)
    data = client.get(f"/api/views/situation-picture?area=20&lang={lang}&format=json").get_json()
    assert data["periods"] == ["2020", "2024", "2026-06"]
    note = translate("mixed_periods", lang).format(periods="2020, 2024, 2026-06")
    assert data["period_note"] == note
    assert 'data-note="mixed-periods"' in page and str(escape(note)) in page
    for other in set(LANGUAGES) - {lang}:
        assert translate("mixed_periods", other).split("(")[0] not in page


@pytest.mark.slow
def test_a_table_of_one_period_has_no_period_note(client):
    data = client.get("/api/views/situation-picture?area=20&year=2024&format=json").get_json()
    assert data["periods"] == ["2024"]
    assert data["period_note"] is None
    page = client.get("/views/situation-picture?area=20&year=2024").get_data(as_text=True)
    assert 'data-note="mixed-periods"' not in page


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_note_of_a_figure_missing_at_its_level_is_in_the_page_language(client, lang):
    """The unemployment share has no county figure in the source: the counties' rows say so in
    the table's own language (it was English on every page)."""
    url = f"/api/views/phenomenon-in-brief?phenomenon={ECONOMY}&level=wellbeing-county&lang={lang}"
    data = client.get(url).get_json()
    notes = {row["note"] for row in data["rows"] if row["status"] == "missing"}
    assert translate("note.no_figure", lang) in notes
    others = [translate("note.no_figure", other) for other in LANGUAGES if other != lang]
    assert not any(other in note for note in notes for other in others)
