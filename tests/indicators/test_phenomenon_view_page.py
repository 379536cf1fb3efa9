"""The phenomenon view page (issue 13): the municipalities of one chosen area, never all of
Finland by default; per indicator the area's own row on top, sortable columns, the rows without a
figure folded into one line, a bar chart of the chosen indicator, and the client-data level.

Every expectation is computed from the JSON API's rows of the same table (the API serves the same
figures as the page; its own tests compare them with the raw source files).
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

ECON = "taloudellinen-tilanne-ja-toimeentulo"
CLIENT_INDICATOR = "toimeentulotukipaatoksen-saaneet-asiakkaat"
KAINUU = "20"


def page(client, url: str):
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return lxml_html.fromstring(r.get_data(as_text=True))


def api_rows(client, query: str) -> list[dict]:
    r = client.get(f"/api/views/phenomenon-view?{query}&format=json")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()["rows"]


def by_indicator(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["indicator"], []).append(r)
    return out


def shown_rows(doc, indicator: str) -> list:
    """The value rows of an indicator's table (not the folded line of missing ones)."""
    table = doc.xpath(f'//table[contains(@class, "pv-table")][@data-indicator="{indicator}"]')
    assert table, f"no table of {indicator}"
    return table[0].xpath(".//tbody/tr[@data-area]")


def test_without_an_area_the_municipal_view_asks_for_one_and_shows_no_rows(fixture_client):
    doc = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&lang=fi")
    assert doc.xpath('//section[@data-choice="area"]')
    assert not doc.xpath('//table[contains(@class, "pv-table")]')
    offered = {a.get("data-area") for a in doc.xpath('//ul[@class="pv-areas"]//a')}
    counties = {
        r["area_code"]
        for r in api_rows(fixture_client, f"phenomenon={ECON}&level=wellbeing-county")
    }
    assert counties <= offered  # every county can be chosen
    links = doc.xpath('//section[@data-choice="area"]//a/@href')
    assert any("area=all" in href for href in links)  # and all of Finland, on purpose
    assert all("lang=fi" in href and f"phenomenon={ECON}" in href for href in links)


def test_area_all_shows_every_municipality_as_the_api_does_without_an_area(fixture_client):
    everything = by_indicator(api_rows(fixture_client, f"phenomenon={ECON}"))
    assert by_indicator(api_rows(fixture_client, f"phenomenon={ECON}&area=all")) == everything
    doc = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&area=all")
    for ind, rows in everything.items():
        if ind == CLIENT_INDICATOR:
            continue  # in its own section
        shown = [tr for tr in shown_rows(doc, ind) if tr.get("data-total") != "true"]
        folded = doc.xpath(f'//table[@data-indicator="{ind}"]//tr[@data-missing-count]')
        missing = int(folded[0].get("data-missing-count")) if folded else 0
        assert len(shown) + missing == len(rows)


def test_the_county_row_comes_first_marked_as_the_area_total(fixture_client):
    doc = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&lang=en")
    county = {
        r["indicator"]: r
        for r in api_rows(fixture_client, f"phenomenon={ECON}&level=wellbeing-county")
        if r["area_code"] == KAINUU
    }
    tables = doc.xpath('//table[contains(@class, "pv-table")]')
    assert tables
    for table in tables:
        first = table.xpath(".//tbody/tr")[0]
        assert first.get("data-total") == "true" and first.get("data-area") == KAINUU
        assert "area total" in first.text_content()
        want = county[table.get("data-indicator")]["value"]
        assert first.get("data-value") == ("" if want is None else repr(float(want)))
        others = table.xpath(".//tbody/tr[@data-area][not(@data-total)]/@data-area")
        assert KAINUU not in others


def _value_order(rows: list[dict], descending: bool) -> list[str]:
    """Area codes in the page's value order, computed here: figures by value (ties in the API's
    order), then the rows with a status but no figure; missing rows are folded, not listed."""
    have = [r for r in rows if r["value"] is not None]
    lack = [r for r in rows if r["value"] is None and r["status"] != "missing"]
    ordered = sorted(have, key=lambda r: -r["value"] if descending else r["value"])
    return [r["area_code"] for r in ordered + lack]


def test_sort_by_value_in_both_directions_matches_the_json(fixture_client):
    rows = by_indicator(api_rows(fixture_client, f"phenomenon={ECON}&area={KAINUU}"))
    for sort, descending in (("-value", True), ("value", False)):
        url = f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&sort={sort}"
        doc = page(fixture_client, url)
        checked = 0
        for ind, want in rows.items():
            if ind == CLIENT_INDICATOR:
                continue
            got = [tr.get("data-area") for tr in shown_rows(doc, ind)][1:]  # after the total
            assert got == _value_order(want, descending), (sort, ind)
            checked += sum(r["value"] is not None for r in want)
        assert checked > 20  # the order of real figures was compared
        heading = doc.xpath('//table[contains(@class, "pv-table")]//th[.//a[@data-sort="value"]]')
        assert heading[0].get("aria-sort") == ("descending" if descending else "ascending")


def test_sort_links_keep_area_language_and_flip_the_direction(fixture_client):
    url = f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&sort=-value&lang=sv"
    doc = page(fixture_client, url)
    link = doc.xpath('//table[contains(@class, "pv-table")]//a[@data-sort="value"]/@href')[0]
    assert "sort=value" in link and "sort=-value" not in link
    assert f"area={KAINUU}" in link and "lang=sv" in link
    area_link = doc.xpath('//table[contains(@class, "pv-table")]//a[@data-sort="area"]/@href')[0]
    assert "sort=area" in area_link


def test_a_bad_sort_is_a_400_naming_the_choices(fixture_client):
    r = fixture_client.get(
        f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&sort=colour",
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "sort" in body and "-value" in body


def test_rows_without_a_figure_fold_into_one_line_that_counts_them(fixture_client):
    rows = by_indicator(api_rows(fixture_client, f"phenomenon={ECON}&area={KAINUU}&lang=fi"))
    doc = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&lang=fi")
    folded_somewhere = False
    for ind, want in rows.items():
        if ind == CLIENT_INDICATOR:
            continue
        missing = [r for r in want if r["status"] == "missing"]
        line = doc.xpath(f'//table[@data-indicator="{ind}"]//tr[@data-missing-count]')
        if not missing:
            assert not line
            continue
        folded_somewhere = True
        assert int(line[0].get("data-missing-count")) == len(missing)
        summary = line[0].xpath(".//summary")[0].text_content()
        assert summary == f"{len(missing)} alueella ei lukua"
        assert {tr.get("data-area") for tr in shown_rows(doc, ind)}.isdisjoint(
            r["area_code"] for r in missing
        )
    assert folded_somewhere  # the fixture has indicators without municipal figures


def test_the_bar_chart_has_one_bar_per_municipality_with_a_figure(fixture_client):
    ind = "pienituloisuusaste"
    rows = by_indicator(api_rows(fixture_client, f"phenomenon={ECON}&area={KAINUU}"))[ind]
    url = f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&indicator={ind}"
    doc = page(fixture_client, url)
    bars = doc.xpath('//svg[@class="bar-chart"]//*[@class="bar"]')
    want = {r["area_code"]: r["value"] for r in rows if r["value"] is not None}
    assert len(bars) == len(want) > 0
    assert {b.get("data-area"): float(b.get("data-value")) for b in bars} == want
    values = [float(b.get("data-value")) for b in bars]
    assert values == sorted(values, reverse=True)  # longest first
    county = [
        r
        for r in api_rows(fixture_client, f"phenomenon={ECON}&level=wellbeing-county")
        if r["area_code"] == KAINUU and r["indicator"] == ind
    ][0]
    references = doc.xpath('//svg[@class="bar-chart"]//*[@class="reference"]/title/text()')
    assert len(references) == 2  # the county and the whole country
    assert any("Kainuu" in t for t in references)
    table = doc.xpath('//table[contains(@class, "bar-table")]//tr[@data-area]')
    assert len(table) == len(want)  # the table alternative lists the same bars
    assert county["value"] is not None


def test_a_count_is_never_drawn_or_set_against_the_county_or_country_count(fixture_client):
    ind = "pienituloiset-henkilot"  # persons with low income: a count summed over areas
    url = f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&indicator={ind}"
    doc = page(fixture_client, url)
    assert doc.xpath('//svg[@class="bar-chart"]//*[@class="bar"]')
    assert not doc.xpath('//svg[@class="bar-chart"]//*[@class="reference"]')
    national = [tr.xpath("./td")[3].text_content() for tr in shown_rows(doc, ind)]
    assert national and set(national) == {""}  # no whole-country count beside a municipality's
    rate = shown_rows(doc, "pienituloisuusaste")  # a rate keeps its whole-country figure
    assert all(tr.xpath("./td")[3].text_content() for tr in rate)


def test_an_index_is_drawn_against_its_reference_100_and_the_counties_index(fixture_client):
    ind = "mielenterveyden-avohoitokaynnit-indeksi"
    url = f"/views/phenomenon-view?phenomenon=mielenterveys&area={KAINUU}&indicator={ind}&lang=en"
    doc = page(fixture_client, url)
    assert doc.xpath('//svg[@class="bar-chart"]//*[@class="bar"]')
    references = doc.xpath('//svg[@class="bar-chart"]//*[@class="reference"]/title/text()')
    assert any(t.endswith("(median area): 100.0") for t in references)
    assert any(t.startswith("Kainuu") for t in references)
    heading = doc.xpath(f'//section[.//table[@data-indicator="{ind}"]]/h2')[0].text_content()
    assert heading.count("(index)") == 1  # the unit once, not "(index) (index)"


def test_without_lifted_documents_the_client_section_says_the_data_is_not_loaded(fixture_client):
    doc = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}&lang=en")
    section = doc.xpath('//section[@data-section="client-data"]')[0]
    assert section.xpath(".//h2")[0].text_content() == "Client-data level"
    note = section.xpath('.//*[@data-client="not-loaded"]')[0].text_content()
    assert "not loaded" in note and "Kainuu" in note
    assert "kgservice" not in section.text_content()  # no command lines on the page
    assert not section.xpath(".//table")


def test_the_json_says_which_indicators_are_client_data(fixture_client):
    r = fixture_client.get(f"/api/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}")
    marked = {i["id"] for i in r.get_json()["indicators"] if i["client_data"]}
    assert marked == {CLIENT_INDICATOR}


def test_client_data_indicators_are_not_in_the_municipal_tables(fixture_client):
    doc = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&area={KAINUU}")
    assert not doc.xpath(
        f'//table[contains(@class, "pv-table")][@data-indicator="{CLIENT_INDICATOR}"]'
    )
    assert re.search("Asiakastietojen taso", lxml_html.tostring(doc, encoding="unicode"))


def test_at_county_level_the_country_heads_the_counties_beside_map_and_bar_chart(fixture_client):
    query = f"phenomenon={ECON}&level=wellbeing-county&indicator=pienituloisuusaste"
    url = f"/views/phenomenon-view?{query}"
    doc = page(fixture_client, url)
    assert doc.xpath('//svg[@class="county-map"]') and doc.xpath('//svg[@class="bar-chart"]')
    assert len(doc.xpath('//nav[ul[@class="indicator-choices"]]')) == 1  # one choice, not two
    first = shown_rows(doc, "pienituloisuusaste")[0]
    assert first.get("data-total") == "true" and first.get("data-area") == "SSS"
