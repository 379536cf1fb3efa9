"""The situation picture as a dashboard (issue 13): one card per indicator with the figure, the
whole country (or an index's reference 100), the difference in points, the change since the
previous period, the rank in words among one set of areas per level, and a trend line.

Expected figures come from the raw Statistics Finland file or from the view's own JSON, never
from the dashboard code; the words are the page's language's own (written out here)."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pandas as pd
import pytest
from indicator_raw import RAW

from kgservice.indicators.dashboard import ordinal_word, rank_words, situation_dashboard
from kgservice.indicators.sparkline import Series, sparkline
from kgservice.indicators.views import situation_picture
from kgservice.texts import LANGUAGES, translate

KAINUU = "20"
LOW_INCOME = "pienituloisuusaste"
RAW_14WW = (
    RAW / "indicators" / "statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.csv"
)
COUNTIES = {
    "fi": "hyvinvointialueesta",
    "sv": "välfärdsområden",
    "en": "wellbeing services counties",
}


def page(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def card(html: str, indicator: str) -> str:
    found = re.search(rf'<article[^>]*data-card="{indicator}".*?</article>', html, re.S)
    assert found, f"no card of {indicator}"
    return found.group(0)


def field(block: str, name: str) -> str:
    found = re.search(rf'data-field="{name}">(.*?)</(?:dd|span)>', block, re.S)
    assert found, f"no {name} in the card"
    return unescape(found.group(1)).strip()


def decimal(x: float, lang: str) -> str:
    text = f"{abs(x):.1f}"
    return text.replace(".", ",") if lang in ("fi", "sv") else text


def signed(x: float, lang: str) -> str:
    return ("±" if round(abs(x), 1) == 0 else "+" if x > 0 else "-") + decimal(x, lang)


@pytest.fixture(scope="module")
def raw_counties() -> pd.DataFrame:
    """14ww's county rows (Åland, 91, among them) and the whole country, as published."""
    df = pd.read_csv(RAW_14WW, dtype=str)
    return df[df["area_level"].isin(["HVA", "SSS"])].set_index("area_code")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "points"), [("fi", "%-yks."), ("sv", "procentenheter"), ("en", "percentage points")]
)
def test_kainuu_low_income_card_shows_difference_to_country_in_points(
    client, raw_counties, lang, points
):
    kainuu = float(raw_counties.loc["HVA20", "rpt_aste"])
    country = float(raw_counties.loc["SSS", "rpt_aste"])
    block = card(page(client, f"/views/situation-picture?area={KAINUU}&lang={lang}"), LOW_INCOME)
    assert field(block, "value") == f"{decimal(kainuu, lang)} %"
    assert field(block, "period") == "2024"
    assert field(block, "comparison") == f"{decimal(country, lang)} %"  # with its unit
    assert field(block, "difference") == f"{signed(kainuu - country, lang)} {points}"


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_kainuu_low_income_rank_is_in_words_among_the_22_counties(client, raw_counties, lang):
    """Åland (91) publishes a low-income rate but is no wellbeing services county: the rank
    counts the 21 counties and Helsinki, from the raw file."""
    counties = raw_counties[
        (raw_counties["area_level"] == "HVA") & (raw_counties["area_number"] != "91")
    ]
    rates = counties["rpt_aste"].astype(float)
    kainuu = rates["HVA20"]
    from_top = 1 + int((rates > kainuu).sum())
    from_bottom = 1 + int((rates < kainuu).sum())
    assert from_top <= from_bottom  # Kainuu is among the higher ones
    words = {
        "fi": f"{from_top}:nneksi suurin {len(rates)} hyvinvointialueesta",
        "sv": f"{from_top}:e högsta av {len(rates)} välfärdsområden",
        "en": f"{from_top}th highest of {len(rates)} wellbeing services counties",
    }
    rank = field(
        card(page(client, f"/views/situation-picture?area=20&lang={lang}"), LOW_INCOME), "rank"
    )
    assert rank.startswith(words[lang])
    assert translate("dash.polarity.HigherIsWorse", lang) in rank  # is high good or bad
    assert ("tied" in rank) == (lang == "en" and int((rates == kainuu).sum()) > 1)


@pytest.mark.slow
@pytest.mark.parametrize("area", ["20", "91", "5", "205"])
def test_a_page_has_one_denominator_per_level(client, area):
    html = page(client, f"/views/situation-picture?area={area}&lang=en")
    ranks = re.findall(r'data-field="rank">(.*?)</dd>', html)
    denominators = {re.search(r" of (\d+) ", r).group(1) for r in ranks if " of " in r}
    assert len(denominators) <= 1, ranks
    if area == "91":  # Åland is not ranked with the counties
        assert ranks and all(r == translate("dash.not_ranked", "en") for r in ranks)
    else:
        assert denominators, ranks


@pytest.mark.slow
def test_the_denominators_are_the_newest_regional_keys_areas_without_aland(app, raw_regions):
    """22 counties (21 and Helsinki), 5 cooperation areas, the mainland's municipalities: read
    from the 2025 regional key as published, Åland (91) and its municipalities left out."""
    from kgservice.web.api import indicator_service

    with app.app_context():
        svc = indicator_service()
    table = situation_picture(svc, KAINUU, None, "fi")
    shown = situation_dashboard(svc, table, lambda v, u, i: str(v))
    mainland = raw_regions[raw_regions["hyvinvointialue_code"] != "91"]
    assert shown.denominators == {
        "municipality": mainland["kuntanumero"].nunique(),
        "wellbeing-county": mainland["hyvinvointialue_code"].nunique(),
        "cooperation-area": mainland["yhteistyoalue_code"].nunique(),
    }


@pytest.mark.slow
def test_the_county_denominator_is_the_regional_keys_counties_without_aland(client):
    data = client.get("/api/views/phenomenon-in-brief?phenomenon=mielenterveys&format=json")
    counties = {r["area_code"] for r in data.get_json()["rows"]} - {"91"}
    html = page(client, "/views/situation-picture?area=20&lang=fi")
    for rank in re.findall(r'data-field="rank">(.*?)</dd>', html):
        assert f" {len(counties)} hyvinvointialueesta" in rank


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_index_cards_show_the_reference_100_and_the_difference_in_index_points(client, lang):
    html = page(client, f"/views/situation-picture?area={KAINUU}&lang={lang}")
    data = client.get(f"/api/views/situation-picture?area={KAINUU}&lang={lang}").get_json()
    indices = [r for r in data["rows"] if r["is_index"] and r["value"] is not None]
    assert indices
    for row in indices:
        assert row["national_value"] is None  # an index has no national figure…
        block = card(html, row["indicator"])
        assert field(block, "comparison").startswith("100 (")  # …but its reference, never blank
        expected = f"{signed(row['value'] - 100, lang)} {translate('dash.index_points', lang)}"
        assert field(block, "difference") == expected


@pytest.mark.slow
def test_change_since_the_previous_period_names_that_period_and_its_figure(client):
    data = client.get(f"/api/views/situation-picture?area={KAINUU}&lang=en").get_json()
    html = page(client, f"/views/situation-picture?area={KAINUU}&lang=en")
    changed = [r for r in data["rows"] if r["change"] is not None]
    assert changed
    for row in changed:
        before = row["value"] - row["change"]
        words = "index points" if row["is_index"] else row["unit"]
        expected = f"{signed(row['change'], 'en')} {words} ({row['previous_period']}: {before:.1f})"
        assert field(card(html, row["indicator"]), "change") == expected
    for row in data["rows"]:
        if row["change"] is None and row["value"] is not None:
            assert field(card(html, row["indicator"]), "change") == "no earlier period"


@pytest.mark.slow
def test_json_trend_has_the_area_and_the_country_by_period(client):
    data = client.get(f"/api/views/situation-picture?area={KAINUU}&format=json").get_json()
    trend = data["trend"]

    def series(indicator: str, area: str) -> dict[str, float | None]:
        return {
            t["period"]: t["value"]
            for t in trend
            if t["indicator"] == indicator and t["area_code"] == area
        }

    for row in data["rows"]:
        if row["value"] is None:
            continue
        mine = series(row["indicator"], KAINUU)
        assert mine[row["period"]] == row["value"]
        if row["previous_period"]:
            assert mine[row["previous_period"]] == pytest.approx(row["value"] - row["change"])
        if row["national_value"] is not None:
            assert series(row["indicator"], "SSS")[row["period"]] == row["national_value"]
    assert {t["area_code"] for t in trend} == {KAINUU, "SSS"}


@pytest.mark.slow
def test_sparklines_draw_the_area_solid_and_the_country_dashed(client):
    html = page(client, f"/views/situation-picture?area={KAINUU}&lang=en")
    data = client.get(f"/api/views/situation-picture?area={KAINUU}").get_json()
    rate = card(html, LOW_INCOME)
    svg = rate[rate.index("<svg") : rate.index("</svg>")]
    assert 'role="img"' in svg and "<title id=" in svg
    # one period (2024): bars from zero, as long as the figures (the area's filled)
    row = next(r for r in data["rows"] if r["indicator"] == LOW_INCOME)
    widths = {
        kind: float(re.search(rf'class="bar-{kind}"[^>]* width="([\d.]+)"', svg).group(1))
        for kind in ("area", "country")
    }
    assert widths["area"] / widths["country"] == pytest.approx(
        row["value"] / row["national_value"], rel=0.02
    )
    assert "(filled bar)" in svg and "(bar with a dashed edge)" in svg  # the name says which
    assert "<details>" in rate and "<table" in rate  # the same figures as a table
    index = next(r for r in data["rows"] if r["is_index"] and r["value"] is not None)
    periods = {t["period"] for t in data["trend"]
               if t["indicator"] == index["indicator"] and t["value"] is not None}  # fmt: skip
    block = card(html, index["indicator"])
    points = re.search(r'class="series-area" points="([^"]*)"', block).group(1).split()
    assert len(points) == len(periods) > 1
    assert 'class="reference"' in block  # the index's reference line 100
    assert "(solid line) and the reference level 100 (dotted line)" in block
    assert len(re.findall(r"<tr><th scope=\"row\">", block)) == len(periods)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_missing_data_note_appears_once_per_phenomenon_in_its_section(
    no_homelessness_data_client, lang
):
    client = no_homelessness_data_client  # homelessness has no data definition in this store
    data = client.get(f"/api/views/situation-picture?area={KAINUU}&lang={lang}").get_json()
    html = page(client, f"/views/situation-picture?area={KAINUU}&lang={lang}")
    assert [m["iri"].rsplit("/", 1)[-1] for m in data["missing_phenomena"]] == ["asunnottomuus"]
    for missing in data["missing_phenomena"]:
        note = str(missing["availability"])
        assert unescape(html).count(note) == 1
        slug = missing["iri"].rsplit("/", 1)[-1]
        section = re.search(rf'<section[^>]*data-phenomenon="{slug}".*?</section>', html, re.S)
        assert note in unescape(section.group(0))


@pytest.mark.slow
def test_figures_from_another_period_than_the_main_one_are_flagged(client):
    html = page(client, f"/views/situation-picture?area={KAINUU}&lang=fi")
    data = client.get(f"/api/views/situation-picture?area={KAINUU}").get_json()
    periods = Counter(r["period"] for r in data["rows"] if r["value"] is not None)
    main = max(periods, key=lambda p: (periods[p], p))
    assert f'data-main-period="{main}"' in html and 'data-note="mixed-periods"' in html
    for row in data["rows"]:
        if row["value"] is not None:
            flagged = 'data-field="period-differs"' in card(html, row["indicator"])
            assert flagged == (row["period"] != main), row["indicator"]


@pytest.mark.slow
def test_a_chosen_year_is_the_main_period(client):
    html = page(client, f"/views/situation-picture?area={KAINUU}&year=2020&lang=fi")
    assert 'data-field="period-differs"' not in html  # every figure is from 2020 or missing


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_section_links_down_to_its_phenomenon_in_brief_with_the_area(client, lang):
    html = page(client, f"/views/situation-picture?area={KAINUU}&year=2024&lang={lang}")
    sections = re.findall(r'<section[^>]*data-phenomenon="([^"]+)"', html)
    assert len(sections) == 4
    for slug in sections:
        query = f"phenomenon={slug}&amp;area=20&amp;year=2024&amp;lang={lang}"
        assert f'href="/views/phenomenon-in-brief?{query}"' in html


def test_a_count_is_never_compared_with_the_national_count(fixture_svc):
    """A county's count is a part of the country's: the card names the national count and says
    that it is not compared (no difference figure)."""
    table = situation_picture(fixture_svc, KAINUU, 2024, "en")
    count = fixture_svc.registry.get("perusturvan-varassa-olevat")
    value = fixture_svc.at_level(count.phenomena[0], "wellbeing-county", 2024)[
        (count.slug, fixture_svc.regions.find(KAINUU).iri)
    ]
    row = next(r for r in table.rows if r["indicator"] == LOW_INCOME) | {
        "indicator": count.slug,
        "unit": count.unit("en"),
        "value": value.value,
        "national_value": value.national,
        "is_index": False,
    }
    table.rows, table.indicators = [row], [count]
    shown = situation_dashboard(fixture_svc, table, lambda v, u, i: f"{v:.0f}").card(count.slug)
    assert shown.comparison_text == f"{value.national:.0f} persons"
    assert shown.difference_text == translate("dash.count_not_compared", "en")


@pytest.mark.parametrize(
    ("n", "fi", "sv", "en"),
    [
        (2, "2:seksi", "2:a", "2nd"),
        (3, "3:nneksi", "3:e", "3rd"),
        (7, "7:nneksi", "7:e", "7th"),
        (11, "11:nneksi", "11:e", "11th"),
        (12, "12:nneksi", "12:e", "12th"),
        (21, "21:seksi", "21:a", "21st"),
        (22, "22:seksi", "22:a", "22nd"),
        (23, "23:nneksi", "23:e", "23rd"),
    ],
)
def test_ordinals_are_written_as_each_language_abbreviates_them(n, fi, sv, en):
    assert [ordinal_word(n, lang) for lang in ("fi", "sv", "en")] == [fi, sv, en]


def test_rank_words_count_from_the_nearer_end_and_name_the_first_without_an_ordinal():
    assert rank_words(1, 22, 22, "wellbeing-county", "fi") == "suurin 22 hyvinvointialueesta"
    assert rank_words(20, 3, 22, "wellbeing-county", "en") == (
        "3rd lowest of 22 wellbeing services counties"
    )
    assert rank_words(22, 1, 22, "wellbeing-county", "sv") == "lägsta av 22 välfärdsområden"
    assert rank_words(5, 300, 308, "municipality", "fi") == "5:nneksi suurin 308 kunnasta"
    for lang, noun in COUNTIES.items():
        assert noun in rank_words(7, 16, 22, "wellbeing-county", lang)


def test_a_sparkline_of_one_period_draws_bars_the_area_filled_the_country_dashed():
    svg = sparkline(
        "s1", "t", [Series("A", [("2024", 1.0)]), Series("B", [("2024", 2.0)], "country")], str
    )
    assert "<polyline" not in svg and "<circle" not in svg
    area = re.search(r'<rect class="bar-area"[^>]*>', svg).group(0)
    country = re.search(r'<rect class="bar-country"[^>]*>', svg).group(0)
    assert "stroke-dasharray" not in area and "stroke-dasharray" in country
    width = re.compile(r' width="([\d.]+)"')
    assert float(width.search(country).group(1)) == 2 * float(width.search(area).group(1))
    assert sparkline("s2", "t", [Series("A", [("2024", None)])], str) == ""


def test_a_sparkline_of_several_periods_draws_the_area_solid_and_the_country_dashed():
    svg = sparkline(
        "s3",
        "t",
        [
            Series("A", [("2023", 1.0), ("2024", 3.0), ("2025", None)]),
            Series("B", [("2023", 2.0), ("2024", 2.0), ("2025", 2.5)], "country"),
        ],
        str,
    )
    area = re.search(r'<polyline class="series-area"[^>]*>', svg).group(0)
    country = re.search(r'<polyline class="series-country"[^>]*>', svg).group(0)
    assert "stroke-dasharray" not in area and "stroke-dasharray" in country
    assert len(area.split('points="')[1].split('"')[0].split()) == 2  # the missing 2025 left out
    assert svg.count('class="point-country"') == 3
