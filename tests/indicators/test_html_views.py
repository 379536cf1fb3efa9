"""The HTML views: which charts each page draws (server-side SVG, no script needed)."""

from __future__ import annotations

import re

from markupsafe import escape

from kgservice.texts import translate

ECON = "taloudellinen-tilanne-ja-toimeentulo"


def page(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def test_phenomenon_view_of_the_counties_draws_the_county_map_without_a_trend(fixture_client):
    html = page(
        fixture_client,
        f"/views/phenomenon-view?phenomenon={ECON}&level=wellbeing-county"
        "&indicator=pienituloisuusaste",
    )
    assert 'class="county-map"' in html
    svg = html[html.index('class="county-map"') : html.index("</svg>", html.index("county-map"))]
    assert svg.count("data-area=") == 23  # 21 counties, Helsinki and Åland
    assert 'class="trend-chart"' not in html  # the phenomenon view has no series
    assert "Pienituloisuusaste (%)</figcaption>" in html  # the caption names the unit


def test_phenomenon_view_of_municipalities_draws_no_county_map(fixture_client):
    html = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&area=20")
    assert 'class="county-map"' not in html


def test_phenomenon_in_brief_draws_map_and_trend(fixture_client):
    html = page(
        fixture_client, f"/views/phenomenon-in-brief?phenomenon={ECON}&level=wellbeing-county"
    )
    assert 'class="county-map"' in html and 'class="trend-chart"' in html


def test_table_cells_are_formatted_in_the_page_language(fixture_client):
    url = f"/views/phenomenon-in-brief?phenomenon={ECON}&level=wellbeing-county"
    for lang, value in (("fi", "15,4 %"), ("en", "15.4 %")):
        row = table_row(page(fixture_client, f"{url}&lang={lang}"), "pienituloisuusaste", "20")
        assert f'<td class="num">{value}</td>' in row
        assert re.search(r'<td class="num">\d+/\d+</td>', row)  # rank among the level's areas


def test_a_suppressed_figure_shows_its_status_never_a_number(fixture_client):
    html = page(fixture_client, f"/views/phenomenon-view?phenomenon={ECON}&area=20&lang=en")
    rows = re.findall(r'<tr class="status-suppressed".*?</tr>', html, flags=re.S)
    assert rows
    for row in rows:
        value_cell = re.search(r'<td class="num">(.*?)</td>', row).group(1)
        assert value_cell == "suppressed"


def table_row(html: str, indicator: str, area: str) -> str:
    start = html.index(f'data-indicator="{indicator}" data-area="{area}"')
    return html[start : html.index("</tr>", start)]


def test_view_pages_revalidate_with_304_from_the_data_version(fixture_client):
    for url in ("/views/", f"/views/phenomenon-view?phenomenon={ECON}&area=20"):
        first = fixture_client.get(url)
        assert first.status_code == 200 and first.mimetype == "text/html"
        assert first.headers["ETag"] and first.headers["Last-Modified"]
        again = fixture_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == first.headers["ETag"]
        since = fixture_client.get(
            url, headers={"If-Modified-Since": first.headers["Last-Modified"]}
        )
        assert since.status_code == 304


def test_view_page_etag_differs_by_language_and_a_stale_tag_gets_the_page(fixture_client):
    url = f"/views/phenomenon-in-brief?phenomenon={ECON}"
    fi, sv = fixture_client.get(url + "&lang=fi"), fixture_client.get(url + "&lang=sv")
    assert fi.headers["ETag"] != sv.headers["ETag"]
    stale = fixture_client.get(url + "&lang=sv", headers={"If-None-Match": fi.headers["ETag"]})
    assert stale.status_code == 200 and "Fenomen" in stale.get_data(as_text=True)


def test_the_missing_data_note_is_shown_once_per_phenomenon_in_the_page_language(
    no_homelessness_data_client,
):
    client = no_homelessness_data_client  # homelessness has no data definition in this store
    for lang in ("fi", "sv", "en"):
        url = f"/views/situation-picture?area=20&lang={lang}"
        body = client.get(url.replace("/views/", "/api/views/")).get_json()
        assert [m["iri"].rsplit("/", 1)[-1] for m in body["missing_phenomena"]] == ["asunnottomuus"]
        html = page(client, url)
        for missing in body["missing_phenomena"]:
            text = escape(missing["availability"])
            assert html.count(text) == 1, (lang, missing["phenomenon"])
            assert "`" not in text and "kgservice" not in text  # words, not command lines
        # the rows of the phenomenon carry the short note, not the long text
        assert html.count(escape(translate("note.not_in_service", lang))) >= 1
