"""The drill-down chain (issue 13): area, year and language travel through every link between the
views; breadcrumbs lead back up; phenomenon in brief takes an area, highlights it and puts rates
and indices before counts. Expected values come from the JSON API of the same fixture store."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from kgservice.indicators import brief
from kgservice.indicators.registry import Indicator
from kgservice.texts import translate

ECON = "taloudellinen-tilanne-ja-toimeentulo"
VIEW_PAGES = {
    "situation-picture": "/views/situation-picture?area=20",
    "phenomenon-in-brief": f"/views/phenomenon-in-brief?phenomenon={ECON}&area=20",
    "phenomenon-view": f"/views/phenomenon-view?phenomenon={ECON}&area=20",
}


class Page(HTMLParser):
    """The links of a page's ``<main>``: href, text, attributes and the classes around them."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"}

    def __init__(self, html: str) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.links: list[dict] = []
        self.options: dict[str, list[dict]] = {}
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._select = a.get("name")
        if tag == "option" and self._select:
            self.options.setdefault(self._select, []).append(a)
        if tag in self.VOID:
            return
        self.stack.append((tag, a))
        if tag == "a":
            classes = {c for _t, at in self.stack for c in (at.get("class") or "").split()}
            inside = {t for t, _at in self.stack}
            self.links.append({**a, "text": "", "within": classes | inside})

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "a":
            self.links[-1]["text"] += data

    def main_links(self) -> list[dict]:
        return [x for x in self.links if "main" in x["within"]]


def get(client, url: str) -> str:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_data(as_text=True)


def query(href: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def is_view_link(href: str) -> bool:
    return href.startswith(("/views/", "/api/views/"))


@pytest.mark.parametrize("view", list(VIEW_PAGES))
def test_every_link_of_each_view_keeps_area_year_and_language(fixture_client, view):
    page = Page(get(fixture_client, VIEW_PAGES[view] + "&year=2024&lang=sv"))
    for choice, value in (("area", "20"), ("year", "2024")):  # the form keeps them too
        assert [o["value"] for o in page.options[choice] if "selected" in o] == [value]
    links = [x for x in page.main_links() if is_view_link(x["href"])]
    assert len(links) >= 4  # breadcrumbs and downloads at least
    for link in links:
        q = query(link["href"])
        assert q.get("lang") == "sv", link
        assert q.get("year") == "2024", link
        if link.get("data-sort"):  # a column's sort link keeps the page's own area
            assert q.get("area") == "20", link
        elif "values" in link["within"]:  # an area's name in the table leads to that area
            row_areas = {r["area_code"] for r in api(fixture_client, view)["rows"]}
            assert q.get("area") in row_areas | {"20"}, link  # 20: the county row on top
        elif link.get("data-area") == "all":  # the phenomenon view's "show all" is on purpose
            assert view == "phenomenon-view" and q.get("area") == "all", link
        else:
            assert q.get("area") == "20", link


def api(client, view: str, extra: str = "") -> dict:
    url = "/api" + VIEW_PAGES[view] + "&year=2024" + extra
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()


def test_breadcrumbs_lead_from_the_municipalities_back_up_to_the_views(fixture_client):
    html = get(fixture_client, VIEW_PAGES["phenomenon-view"] + "&year=2024&lang=en")
    crumbs = [x for x in Page(html).links if "breadcrumbs" in x["within"]]
    kainuu = api(fixture_client, "situation-picture", "&lang=en")["area"]["name"]
    econ = next(
        r["phenomenon"]
        for r in api(fixture_client, "phenomenon-view", "&lang=en")["rows"]
        if r["indicator"] == "pienituloisuusaste"
    )
    assert [c["text"] for c in crumbs] == [
        "Views",
        f"Situation picture: {kainuu}",
        f"Phenomenon in brief: {econ}",
        f"{kainuu}: municipalities",
    ]
    paths = [urlsplit(c["href"]).path for c in crumbs]
    assert paths == [
        "/views/",
        "/views/situation-picture",
        "/views/phenomenon-in-brief",
        "/views/phenomenon-view",
    ]
    for c in crumbs:
        assert {k: query(c["href"]).get(k) for k in ("area", "year", "lang")} == {
            "area": "20",
            "year": "2024",
            "lang": "en",
        }
    assert [c.get("aria-current") for c in crumbs] == [None, None, None, "page"]
    assert query(crumbs[2]["href"])["phenomenon"] == ECON


def test_breadcrumbs_of_the_brief_and_the_situation_picture_end_at_the_page(fixture_client):
    for view, texts in (
        ("situation-picture", ["views", "view.situation-picture"]),
        ("phenomenon-in-brief", ["views", "view.situation-picture", "view.phenomenon-in-brief"]),
    ):
        crumbs = [
            x
            for x in Page(get(fixture_client, VIEW_PAGES[view])).links
            if "breadcrumbs" in x["within"]
        ]
        assert [c["text"].split(":")[0] for c in crumbs] == [translate(k, "fi") for k in texts]
        assert crumbs[-1].get("aria-current") == "page"
        assert urlsplit(crumbs[-1]["href"]).path == f"/views/{view}"


def test_brief_with_a_county_highlights_it_on_the_map_in_the_trend_and_in_the_table(
    fixture_client,
):
    html = get(fixture_client, VIEW_PAGES["phenomenon-in-brief"] + "&indicator=pienituloisuusaste")
    body = api(fixture_client, "phenomenon-in-brief")
    assert body["highlighted"] == ["20"]
    kainuu = next(r["area_name"] for r in body["rows"] if r["area_code"] == "20")
    svg = html[html.index('class="county-map"') : html.index("</svg>", html.index("county-map"))]
    paths = svg.split("<path ")[1:]
    selected = [p for p in paths if 'class="selected"' in p]
    assert len(selected) == 1 and 'data-area="20"' in selected[0]
    entry = svg[svg.index('<g class="legend-entry selected">') :].split("</g>")[0]
    assert re.sub(r"<[^>]+>", " ", entry).split() == kainuu.split()  # the map's legend
    trend = html[
        html.index('class="trend-chart"') : html.index("</svg>", html.index("trend-chart"))
    ]
    points = [p for p in trend.split("<circle ")[1:] if "<title>" in p]
    mine = [p for p in points if f"<title>{kainuu} " in p]
    assert mine and all(p.startswith('class="selected"') for p in mine)
    assert all(not p.startswith('class="selected"') for p in points if p not in mine)
    assert 'stroke-dasharray="6 4"' in trend  # the whole country, dashed, in line and legend
    legend = html[
        html.index('<ul class="chart-legend"') : html.index("</ul>", html.index("chart-legend"))
    ]
    assert f"{translate('legend.selected', 'fi')}: {kainuu}" in legend
    rows = [r for r in html.split("<tr ")[1:] if 'data-indicator="pienituloisuusaste"' in r]
    assert {('data-area="20"' in r) for r in rows if "highlighted" in r.split(">")[0]} == {True}


def test_brief_without_an_area_highlights_nothing(fixture_client):
    html = get(fixture_client, f"/views/phenomenon-in-brief?phenomenon={ECON}")
    assert 'class="selected"' not in html and "highlighted" not in html
    assert 'data-drill="down"' not in html


@pytest.mark.parametrize(
    ("area", "level", "highlighted"),
    [
        ("20", "wellbeing-county", ["20"]),
        ("205", "wellbeing-county", ["20"]),  # Kajaani: its county
        ("5", "cooperation-area", ["5"]),
        ("SSS", "wellbeing-county", []),  # the country is the reference, not a highlight
    ],
)
def test_the_area_decides_the_level_of_the_brief(fixture_client, area, level, highlighted):
    body = fixture_client.get(
        f"/api/views/phenomenon-in-brief?phenomenon={ECON}&area={area}"
    ).get_json()
    assert body["parameters"]["level"] == level
    assert body["parameters"]["area"] == area
    assert body["highlighted"] == highlighted
    assert {r["level"] for r in body["rows"]} == {level}


def test_a_given_level_wins_and_highlights_the_counties_inside_the_area(fixture_client):
    body = fixture_client.get(
        f"/api/views/phenomenon-in-brief?phenomenon={ECON}&area=5&level=wellbeing-county"
    ).get_json()
    counties = {r["area_code"] for r in body["rows"]}  # the fixture's counties, both in area 5
    assert body["parameters"]["level"] == "wellbeing-county"
    assert set(body["highlighted"]) == counties


def test_brief_api_answers_an_unknown_area_with_404_naming_the_valid_codes(fixture_client):
    r = fixture_client.get(f"/api/views/phenomenon-in-brief?phenomenon={ECON}&area=99")
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    problem = r.get_json()
    counties = fixture_client.get(f"/api/views/phenomenon-in-brief?phenomenon={ECON}").get_json()
    assert problem["parameter"] == "area" and problem["value"] == "99"
    assert problem["valid"] == sorted({x["area_code"] for x in counties["rows"]})


def test_brief_page_answers_an_unknown_area_with_a_page_in_its_language(fixture_client):
    r = fixture_client.get(
        f"/views/phenomenon-in-brief?phenomenon={ECON}&area=99&lang=sv",
        headers={"Accept": "text/html"},
    )
    assert r.status_code == 404 and r.mimetype == "text/html"
    assert '<html lang="sv">' in r.get_data(as_text=True)


def _indicators(client) -> dict[str, dict]:
    return {i["id"]: i for i in client.get("/api/indicators").get_json()["indicators"]}


def test_brief_puts_rates_and_indices_first_and_leaves_out_counts_a_rate_covers(fixture_client):
    meta = _indicators(fixture_client)
    body = fixture_client.get(f"/api/views/phenomenon-in-brief?phenomenon={ECON}").get_json()
    order = list(dict.fromkeys(r["indicator"] for r in body["rows"]))

    def count(i: str) -> bool:
        return meta[i]["aggregation_rule"] == "AggregateBySum" and not meta[i]["is_index"]

    kinds = [count(i) for i in order]
    assert kinds == sorted(kinds) and False in kinds  # every rate and index before any count
    rate_numerators = {meta[i]["numerator"] for i in order if not count(i)}
    brief_econ = [
        i
        for i, m in meta.items()
        if any(p == body["rows"][0]["phenomenon"] for p in m["phenomena"])
    ]
    covered = {i for i in brief_econ if count(i) and meta[i]["numerator"] in rate_numerators}
    assert covered and not covered & set(order)  # e.g. low-income persons beside the rate
    # the phenomenon view keeps them
    view = fixture_client.get(f"/api/views/phenomenon-view?phenomenon={ECON}&area=20").get_json()
    assert covered <= {r["indicator"] for r in view["rows"]}


def test_the_charts_open_on_the_first_rate(fixture_client):
    html = get(fixture_client, f"/views/phenomenon-in-brief?phenomenon={ECON}")
    meta = _indicators(fixture_client)
    body = fixture_client.get(f"/api/views/phenomenon-in-brief?phenomenon={ECON}").get_json()
    first = next(
        r["indicator"]
        for r in body["rows"]
        if meta[r["indicator"]]["aggregation_rule"] != "AggregateBySum"
    )
    assert f'<h2 id="charts-h">{meta[first]["label"]}</h2>' in html


def test_a_count_row_is_not_compared_with_the_national_count(fixture_client):
    view = fixture_client.get(
        f"/api/views/phenomenon-view?phenomenon={ECON}&level=wellbeing-county"
    ).get_json()
    row = next(r for r in view["rows"] if r["indicator"] == "pienituloiset-henkilot" and r["rank"])
    assert row["national_value"] is not None  # the phenomenon view has it; the brief drops it
    shown = brief.uncompared(row)
    assert (shown["national_value"], shown["rank"], shown["rank_of"]) == (None, None, None)
    assert shown["value"] == row["value"]


def test_a_count_trend_plots_the_areas_without_the_whole_country():
    count = Indicator("x", "persons", rule="AggregateBySum")
    rate = Indicator("y", "rate", rule="AggregateByRatioOfSums")
    trend = [
        {"indicator": slug, "area_code": code, "area_name": code, "period": "2024", "value": 1.0}
        for slug in ("persons", "rate")
        for code in ("18", "20", "SSS")
    ]
    assert {t["area_code"] for t in brief.trend_rows(trend, count)} == {"18", "20"}
    assert {t["area_code"] for t in brief.trend_rows(trend, rate)} == {"18", "20", "SSS"}
    assert [k for k, _ in brief.legend(["20"], "SSS", "muut", brief.trend_rows(trend, count))] == [
        "selected",
        "other",
    ]
    assert [k for k, _ in brief.legend(["20"], "SSS", "muut", brief.trend_rows(trend, rate))] == [
        "selected",
        "reference",
        "other",
    ]


def test_the_legend_names_only_what_the_trend_draws():
    trend = [
        {"indicator": "i", "area_code": c, "area_name": c, "period": "2020", "value": v}
        for c, v in (("18", 100.0), ("20", 90.0), ("SSS", None))  # an index: no country figure
    ]
    assert brief.legend(["20"], "SSS", "muut", trend) == [("selected", "20"), ("other", "muut")]
    assert brief.legend([], "SSS", "muut", trend) == [("other", "muut")]


@pytest.mark.parametrize(
    ("area", "level", "target"),
    [
        ("20", "municipality", "20"),
        ("5", "wellbeing-county", "5"),
        ("SSS", "wellbeing-county", "SSS"),
    ],
)
def test_brief_links_down_to_the_phenomenon_view_below_the_area(
    fixture_client, area, level, target
):
    page = Page(
        get(fixture_client, f"/views/phenomenon-in-brief?phenomenon={ECON}&area={area}&year=2024")
    )
    down = [x for x in page.links if x.get("data-drill") == "down"]
    assert len(down) == 1
    assert urlsplit(down[0]["href"]).path == "/views/phenomenon-view"
    assert query(down[0]["href"]) == {
        "phenomenon": ECON,
        "level": level,
        "area": target,
        "year": "2024",
        "lang": "fi",
    }


def test_area_names_in_the_brief_table_lead_down_not_up(fixture_client):
    page = Page(get(fixture_client, VIEW_PAGES["phenomenon-in-brief"]))
    in_table = [x for x in page.main_links() if "values" in x["within"] and "tbody" in x["within"]]
    assert in_table
    for link in in_table:
        assert urlsplit(link["href"]).path == "/views/phenomenon-view"
        assert query(link["href"])["level"] == "municipality"


def test_front_page_starts_with_the_area_and_offers_each_view_and_phenomenon(
    fixture_client, fixture_svc
):
    html = get(fixture_client, "/views/?area=20&year=2024&lang=en")
    page = Page(html)
    chosen = [o["value"] for o in page.options["area"] if "selected" in o]
    assert chosen == ["20"]
    assert [o["value"] for o in page.options["year"] if "selected" in o] == ["2024"]
    assert "" in [o["value"] for o in page.options["year"]]  # "latest"
    phenomena = {p.rsplit("/", 1)[-1] for p in fixture_svc.registry.phenomena()}
    slugs = {
        b.split('value="')[1].split('"')[0]
        for b in html.split("<button ")[1:]
        if 'formaction="/views/phenomenon-in-brief"' in b
    }
    assert slugs == phenomena and len(slugs) == 4
    assert html.count('formaction="/views/phenomenon-view"') == len(phenomena)
    assert html.count('formaction="/views/situation-picture"') == 1


def test_front_page_answers_an_unknown_area_with_404(fixture_client):
    r = fixture_client.get("/views/?area=99", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.get_json()["parameter"] == "area"
