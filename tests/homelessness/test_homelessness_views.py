"""Homelessness (issue 14) in the views: the national series, the rates per 1 000 inhabitants,
the municipal figures with their coverage, no county total from part of its municipalities, and
the qualifiers, alternatives and source documents in the JSON, the page and the Excel file."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from ara_raw import number, qualifier_code
from pyoxigraph import NamedNode

from kgservice.indicators.views import COLUMNS
from kgservice.texts import translate

PHEN = "asunnottomuus"
BRIEF = f"/api/views/phenomenon-in-brief?phenomenon={PHEN}"
MUNICIPAL_VIEW = f"/api/views/phenomenon-view?phenomenon={PHEN}&level=municipality"


def get_json(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()


def row_of(body: dict, indicator: str, area: str) -> dict:
    return next(r for r in body["rows"] if r["indicator"] == indicator and r["area_code"] == area)


def national(preferred, measure: str) -> dict[str, dict]:
    return {k[2]: r for k, r in preferred.items() if k[0] == measure and k[1] == "SSS"}


def test_national_series_is_the_surveys_own_figure_and_missing_years_stay_missing(
    client, preferred
):
    body = get_json(client, f"{BRIEF}&level=country")
    trend = {t["period"]: t for t in body["trend"] if t["indicator"] == "asunnottomat"}
    want = national(preferred, "singles_homeless")
    assert set(trend) >= set(want)
    for year in set(trend) - set(want):  # e.g. 2011: only Espoo published, never summed
        assert trend[year]["value"] is None and trend[year]["status"] == "missing"
    for year, row in want.items():
        value = number(row["value"])
        got = trend[year]
        if value is None:  # the source states only a change: missing, never 0
            assert got["value"] is None and got["status"] == "missing"
        else:
            assert Decimal(str(got["value"])) == value and got["status"] == "ok"
    assert trend["1987"]["value"] == float(want["1987"]["value"])  # the first survey


def test_rates_per_1000_are_recomputed_from_the_bundled_population(
    svc, preferred, population, country_population, classification
):
    ind = svc.registry.get("asunnottomat-1000-asukasta")
    by_level = svc.values(ind)
    country = {p: v for (_a, p), v in by_level["country"].items()}
    singles = national(preferred, "singles_homeless")
    for year, row in singles.items():
        municipalities = [k for (k, y) in population if y == year]
        # Statistics Finland counts the population of 31.12.2024 in the municipalities of
        # 1.1.2025 (308); Sotkanet's yearly figures are in the 2021–2024 division (309).
        in_classification = classification["2025" if year == "2024" else "2024"]
        complete = bool(municipalities) and set(in_classification) <= set(municipalities)
        v = country.get(year)
        if row["value"] and (complete or year in country_population):
            pop = (
                sum(population[(k, year)] for k in in_classification)
                if complete
                else Decimal(country_population[year]["value"])
            )
            expected = 1000 * Decimal(row["value"]) / pop
            assert v is not None and v.shown and v.origin == "computed"
            assert v.value == pytest.approx(float(expected), rel=1e-9)
            assert v.denominator == float(pop)
        else:
            assert v is None or v.value is None, year  # no population, no rate
    shown = 0
    for (area, year), v in by_level["municipality"].items():
        if not v.shown:
            continue
        code = area.rsplit("/", 1)[-1]
        count = number(preferred[("singles_homeless", code, year)]["value"])
        expected = 1000 * count / population[(code, year)]
        assert v.value == pytest.approx(float(expected), rel=1e-9)
        shown += 1
    assert shown >= 5  # Turku, Tampere, Espoo, Helsinki, Vantaa … have 2024 figures


def test_2023_and_2025_rates_use_the_whole_countrys_published_population_and_1987_has_none(
    svc, preferred, country_population
):
    ind = svc.registry.get("asunnottomat-1000-asukasta")
    country = {p: v for (_a, p), v in svc.values(ind)["country"].items()}
    singles = national(preferred, "singles_homeless")
    assert set(country_population) == {"2023", "2025"}
    for year, pop_row in country_population.items():
        count = number(singles[year]["value"])
        population = Decimal(pop_row["value"])
        v = country[year]
        assert v.shown and v.origin == "computed" and v.denominator == float(population)
        assert v.value == pytest.approx(float(1000 * count / population), rel=1e-9)
    assert country_population["2025"]["reference_date"] == "2025-11-30"
    assert country_population["2025"]["status"] == "preliminary"
    assert number(singles["1987"]["value"]) and country["1987"].value is None  # no population


POPULATION_SOURCES = """
PREFIX rake: <https://rake-kg.example/ontology/>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?period ?url ?publisher WHERE {
  ?o rake:variable ?variable ; sdmx-dimension:refPeriod ?period ; dct:source ?doc .
  ?doc foaf:page ?url ; dct:publisher ?publisher .
}
"""
COUNTRY_POPULATION = (
    "https://rake-kg.example/data/variable/statfin-vaesto-koko-maa-2023-2025/vaesto_koko_maa"
)


def test_the_population_rows_name_their_source_page_in_the_graph(store, country_population):
    rows = store.select(POPULATION_SOURCES, {"variable": NamedNode(COUNTRY_POPULATION)})
    got = {(r["period"].value, r["url"].value) for r in rows}
    want = {(r["period"].replace("M", "-"), r["source_url"]) for r in country_population.values()}
    assert got == want
    assert all("Tilastokeskus" in r["publisher"].value for r in rows)


def test_the_rate_definition_names_its_population_base(svc):
    ind = svc.registry.get("asunnottomat-1000-asukasta")
    for lang, words in (("fi", "väkiluku"), ("en", "population")):
        text = ind.definition(lang)
        assert words in text and "127" in text and "11s5" in text


def test_coverage_note_counts_the_municipalities_with_a_published_figure(
    client, preferred, classification
):
    with_figure = {
        k[1]
        for k, r in preferred.items()
        if k[0] == "singles_homeless" and k[1].isdigit()
        if r["value"]
    }
    total = len(set(classification["2024"]) | set(classification["2025"]))
    for lang in ("fi", "sv", "en"):
        body = get_json(client, f"{MUNICIPAL_VIEW}&lang={lang}")
        cov = next(c for c in body["coverage"] if c["indicator"] == "asunnottomat")
        assert (cov["areas_with_figure"], cov["areas"]) == (len(with_figure), total)
        assert str(len(with_figure)) in cov["note"] and str(total) in cov["note"]
    assert "municipalities have a published figure" in cov["note"]
    html = client.get(f"/views/phenomenon-view?phenomenon={PHEN}&lang=en").get_data(as_text=True)
    assert re.search(
        rf'data-note="coverage" data-indicator="asunnottomat">[^<]*{len(with_figure)} of {total}',
        html,
    )


def test_a_chosen_year_counts_the_municipalities_of_that_years_division(
    client, preferred, classification
):
    """2025's division has 308 municipalities (Pertunmaa merged into Mäntyharju): the table of
    2025 neither lists Pertunmaa nor counts it in "N of 308", in the JSON and in the page."""
    with_figure = {
        k[1]
        for k, r in preferred.items()
        if k[0] == "singles_homeless" and k[1].isdigit() and k[2] == "2025" and r["value"]
    }
    division = set(classification["2025"])
    assert len(division) < len(set(classification["2024"]) | division)
    body = get_json(client, f"{MUNICIPAL_VIEW}&year=2025&lang=en")
    assert {r["area_code"] for r in body["rows"] if r["indicator"] == "asunnottomat"} == division
    cov = next(c for c in body["coverage"] if c["indicator"] == "asunnottomat")
    assert (cov["areas_with_figure"], cov["areas"]) == (len(with_figure), len(division))
    html = client.get(f"/views/phenomenon-view?phenomenon={PHEN}&year=2025&lang=en")
    assert re.search(
        rf'data-note="coverage" data-indicator="asunnottomat">[^<]*'
        rf"{len(with_figure)} of {len(division)} municipalities",
        html.get_data(as_text=True),
    )


def test_the_brief_names_the_covered_cities_beside_the_national_trend(
    client, preferred, classification
):
    """At every level the homelessness brief names, per survey measure, the municipalities the
    raw municipal file gives a figure of (a zero and a suppressed count are figures)."""
    measures = {"asunnottomat": "singles_homeless", "pitkaaikaisasunnottomat": "longterm_homeless"}
    total = len(set(classification["2024"]) | set(classification["2025"]))
    checked = 0
    for level in ("country", "cooperation-area", "wellbeing-county"):
        for lang in ("fi", "sv", "en"):
            body = get_json(client, f"{BRIEF}&level={level}&lang={lang}")
            notes = {c["indicator"]: c for c in body["coverage"] if c["level"] == "municipality"}
            for slug in {i["id"] for i in body["indicators"]} & set(measures):
                expected = {
                    k[1]
                    for k, r in preferred.items()
                    if k[0] == measures[slug] and k[1].isdigit() and r["value"]
                }
                note = notes[slug]
                assert sorted(note["area_codes"]) == sorted(expected)
                assert (note["areas_with_figure"], note["areas"]) == (len(expected), total)
                checked += 1
    assert checked >= 6
    html = client.get(f"/views/phenomenon-in-brief?phenomenon={PHEN}&level=country&lang=en")
    shown = re.search(
        r'data-note="coverage" data-indicator="asunnottomat">([^<]*)</div>',
        html.get_data(as_text=True),
    )
    assert shown and "of 309 municipalities have a published figure: " in shown.group(1)
    assert "Espoo" in shown.group(1) and "Sievi" in shown.group(1)  # 1 person: suppressed


def test_no_county_total_is_summed_from_part_of_its_municipalities(svc, preferred, classification):
    ind = svc.registry.get("asunnottomat")
    counties = svc.values(ind)["wellbeing-county"]
    seen_partial = False
    for (area, year), v in counties.items():
        county = area.rsplit("/", 1)[-1]
        members = [
            k
            for k, c in classification["2025" if year >= "2025" else "2024"].items()
            if c == county
        ]
        have = [
            k
            for k in members
            if (r := preferred.get(("singles_homeless", k, year))) is not None and r["value"]
        ]
        if len(have) < len(members):
            seen_partial = seen_partial or bool(have)
            assert v.value is None and v.status == "missing", (county, year)
        elif v.shown:
            assert v.value == sum(
                float(preferred[("singles_homeless", k, year)]["value"]) for k in members
            )
    assert seen_partial  # Pohjois-Pohjanmaa 2023: 19 municipalities published, not all


def test_pohjois_pohjanmaa_zeros_are_zeros_and_counts_of_1_to_4_are_suppressed(client, preferred):
    county = {
        r["hyvinvointialue_code"]
        for r in preferred.values()
        if r.get("hyvinvointialue_fi", "").startswith("Pohjois-Pohjanmaa")
    }.pop()
    body = get_json(client, f"{MUNICIPAL_VIEW}&area={county}&year=2023&lang=en")
    seen = {"zero": 0, "small": 0, "other": 0}
    for (measure, code, year), r in preferred.items():
        if (measure, year, r.get("hyvinvointialue_code")) != ("singles_homeless", "2023", county):
            continue
        row = row_of(body, "asunnottomat", code)
        value = int(r["value"])
        if value == 0:  # the county's own zeros: real zeros, shown
            assert row["value"] == 0 and row["status"] == "ok"
            seen["zero"] += 1
        elif value <= 4:  # published, but a count of 1-4 people is never shown
            assert row["value"] is None and row["status"] == "suppressed"
            seen["small"] += 1
        else:
            assert row["value"] == value
            seen["other"] += 1
    assert all(seen.values()), seen


def first_qualified(preferred) -> tuple[str, dict]:
    """The first national year whose single homeless figure the source gives approximately."""
    return next(
        (y, r)
        for y, r in sorted(national(preferred, "singles_homeless").items())
        if qualifier_code(r["value_qualifier"]) and r["value"]
    )


def with_alternative(ara_rows, preferred) -> tuple[str, dict, dict]:
    """The newest national year with a second publication giving another single homeless figure."""
    found = []
    for r in ara_rows:
        if (r["area_level"], r["measure"], r["preferred_row"]) != (
            "koko maa",
            "singles_homeless",
            "0",
        ):
            continue
        chosen = preferred.get(("singles_homeless", "SSS", r["year"]))
        if chosen and r["value"] and number(r["value"]) != number(chosen["value"]):
            found.append((r["year"], chosen, r))
    return max(found, key=lambda f: f[0])


def test_an_approximate_figure_is_marked_in_json_page_and_excel(client, preferred):
    year, raw = first_qualified(preferred)
    code = qualifier_code(raw["value_qualifier"])
    url = f"{BRIEF}&level=country&year={year}"
    row = row_of(get_json(client, url), "asunnottomat", "SSS")
    assert row["qualifier"] == code and row["value"] == float(raw["value"])
    assert row["source"]["title"] == raw["source_title"]
    assert row["source_url"] == raw["source_url"]
    html = client.get(url.replace("/api/views", "/views") + "&lang=fi").get_data(as_text=True)
    mark = translate(f"qualifier_mark.{code}", "fi")
    assert (
        f'<abbr class="qualifier" title="{translate(f"qualifier.{code}", "fi")}">{mark}</abbr>'
        in html
    )
    assert f'href="{raw["source_url"].replace("&", "&amp;")}"' in html
    assert 'data-note="qualifier-legend"' in html
    wb = openpyxl.load_workbook(io.BytesIO(client.get(url + "&format=xlsx").data))
    # the file is in the table's language (fi): sheet names and codes as Finnish words
    data = list(wb[translate("sheet.data", "fi")].iter_rows(min_row=2, values_only=True))
    cells = next(c for c in data if c[COLUMNS.index("indicator")] == "asunnottomat")
    assert cells[COLUMNS.index("qualifier")] == translate(f"qualifier.{code}", "fi")
    assert cells[COLUMNS.index("source_url")] == raw["source_url"]
    metadata = wb[translate("sheet.metadata", "fi")]
    meta = [c for line in metadata.iter_rows(values_only=True) for c in line if c]
    assert raw["source_title"] in meta  # the source documents are listed
    # the qualifier's word with the mark the pages use (the file has words, not codes)
    assert translate(f"qualifier.{code}", "fi") in meta
    assert translate(f"qualifier_mark.{code}", "fi") in meta


def test_every_approximate_figure_of_the_national_trend_keeps_its_mark(client, preferred):
    """The national series of the situation picture (1987–2025): each year the raw file gives
    with a qualifier carries it in the JSON trend, the trend sheet of the Excel file and the
    page's trend table (1987's "noin 18 000" is in the trend only, never the latest figure)."""
    expected = {
        year: qualifier_code(r["value_qualifier"])
        for year, r in national(preferred, "singles_homeless").items()
        if r["value"]
    }
    assert any(expected.values()) and any(c is None for c in expected.values())
    url = "/api/views/situation-picture?area=SSS"
    body = get_json(client, f"{url}&lang=en")
    trend = {
        t["period"]: t
        for t in body["trend"]
        if t["indicator"] == "asunnottomat" and t["area_code"] == "SSS"
    }
    assert {p: t["qualifier"] for p, t in trend.items() if t["value"] is not None} == expected
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}&lang=en&format=xlsx").data))
    sheet = list(wb[translate("sheet.trend", "en")].iter_rows(values_only=True))
    col = sheet[0].index(translate("column.qualifier", "en"))
    words = {str(r[3]): r[col] for r in sheet[1:] if r[0] == "asunnottomat" and r[4] is not None}
    assert words == {
        y: translate(f"qualifier.{c}", "en") if c else None for y, c in expected.items()
    }
    html = client.get("/views/situation-picture?area=SSS&lang=en").get_data(as_text=True)
    card = html[html.index('data-card="asunnottomat"') :]
    table = card[card.index('class="values spark-table"') : card.index("</table>")]
    for year, code in expected.items():
        cell = re.search(rf'<th scope="row">{year}</th><td class="num">([^<]*)</td>', table)
        assert cell, year
        marked = cell.group(1).startswith(translate(f"qualifier_mark.{code}", "en") + " ")
        assert marked == (code is not None), (year, cell.group(1))
    marks = re.search(r'data-note="qualifier-legend">(.*?)</p>', html, re.S)
    assert marks and all(
        translate(f"qualifier_mark.{c}", "en") in marks.group(1) for c in expected.values() if c
    )
    # the brief's trend table of the national rate: a rate of an approximate count is marked
    brief = client.get(f"/views/phenomenon-in-brief?phenomenon={PHEN}&level=country&lang=en")
    page = brief.get_data(as_text=True)
    table = page[page.index('class="values trend-table"') :]
    table = table[: table.index("</table>")]
    rated = 0
    for year, code in expected.items():
        cell = re.search(rf'<td>{year}</td><td class="num">(.*?)</td>', table)
        if cell is None or cell.group(1) == "–":
            continue  # no rate that year (1987: no population)
        rated += 1
        assert ('<abbr class="qualifier"' in cell.group(1)) == (code is not None), year
    assert rated > 10


def test_another_publications_figure_is_shown_beside_the_chosen_one(client, ara_rows, preferred):
    year, chosen, other = with_alternative(ara_rows, preferred)
    url = f"{BRIEF}&level=country&year={year}"
    row = row_of(get_json(client, url), "asunnottomat", "SSS")
    assert row["value"] == float(chosen["value"])
    alt = next(a for a in row["alternatives"] if a["source"]["title"] == other["source_title"])
    assert alt["value"] == float(other["value"])
    assert alt.get("qualifier") == qualifier_code(other["value_qualifier"])
    html = client.get(url.replace("/api/views", "/views") + "&lang=en").get_data(as_text=True)
    assert '<ul class="alternatives"' in html and other["source_title"] in html
    csv_text = client.get(url + "&format=csv").data.decode("utf-8-sig")
    assert other["source_title"] in csv_text and other["value"] in csv_text
    wb = openpyxl.load_workbook(io.BytesIO(client.get(url + "&format=xlsx").data))
    data = list(wb[translate("sheet.data", "fi")].iter_rows(min_row=2, values_only=True))
    cells = next(c for c in data if c[COLUMNS.index("indicator")] == "asunnottomat")
    assert other["source_title"] in cells[COLUMNS.index("alternatives")]
    # an English file words the other source's qualifier in English ("about"), never the code
    code = qualifier_code(other["value_qualifier"])
    assert code  # the newest alternative is an approximate figure (2025: noin 4 600)
    en = openpyxl.load_workbook(io.BytesIO(client.get(url + "&format=xlsx&lang=en").data))
    rows = en[translate("sheet.data", "en")].iter_rows(min_row=2, values_only=True)
    cell = next(c for c in rows if c[COLUMNS.index("indicator")] == "asunnottomat")
    text = cell[COLUMNS.index("alternatives")]
    assert f"({translate(f'qualifier.{code}', 'en')})" in text and f"({code})" not in text


def test_a_year_with_only_a_stated_change_is_missing_with_its_source(client, preferred):
    year, raw = next(
        (y, r) for y, r in sorted(national(preferred, "singles_homeless").items()) if not r["value"]
    )
    row = row_of(get_json(client, f"{BRIEF}&level=country&year={year}"), "asunnottomat", "SSS")
    assert row["value"] is None and row["status"] == "missing"
    assert row["source"]["title"] == raw["source_title"]
