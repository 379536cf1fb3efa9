"""Concept pages for people (issue 16) in real headless Chromium on the bundled build: every page
of the phenomena, indicators and regions schemes fits in 3,000 px at 1280 px wide; axe-core
finds nothing; a terminologist copies a URI and goes up the breadcrumb."""

from __future__ import annotations

import json
import time
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

RAKE = "https://rake-kg.example/"
MAX_HEIGHT = 3000
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _page_url(server: str, iri: str, lang: str = "fi") -> str:
    return f"{server}/page?uri={quote(iri, safe='')}&lang={lang}"


def _members(server: str, scheme: str) -> list[str]:
    query = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT DISTINCT ?c WHERE {"
        f" GRAPH ?g {{ ?c skos:inScheme <{RAKE}scheme/{scheme}> }} }}"
    )
    request = Request(
        f"{server}/sparql?" + urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urlopen(request) as resp:
        rows = json.load(resp)["results"]["bindings"]
    return sorted(r["c"]["value"] for r in rows)


def test_every_concept_page_of_phenomena_indicators_and_regions_is_under_3000_px(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    iris = [i for s in ("phenomenon", "indicators", "regions") for i in _members(live_server, s)]
    assert len(iris) > 300  # 4 phenomena, 17 indicators, every region of the code list
    started = time.monotonic()
    heights = {}
    for iri in iris:
        page.goto(_page_url(live_server, iri), wait_until="domcontentloaded")
        heights[iri] = page.evaluate("document.documentElement.scrollHeight")
    too_tall = {i: h for i, h in heights.items() if h > MAX_HEIGHT}
    assert too_tall == {}
    # not a timing assertion: the measured time is printed for the report (pytest -s)
    print(
        f"{len(iris)} pages, tallest {max(heights.values())} px, {time.monotonic() - started:.1f} s"
    )


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("concept/indicator/pienituloisuusaste", "fi"),
        ("region/hyvinvointialue/18", "sv"),
        ("concept/phenomenon/paihteet-ja-riippuvuudet", "en"),
    ],
)
def test_concept_page_has_no_wcag_violation_with_technical_details_open(
    page, live_server, path, lang
):
    page.goto(_page_url(live_server, RAKE + path, lang))
    if page.locator("details.technical").count():
        page.click("details.technical > summary")
    result = Axe().run(page, options=WCAG)
    assert [v["id"] for v in result.response["violations"]] == []


def test_terminologist_copies_the_uri_and_goes_up_the_breadcrumb(page, live_server):
    iri = RAKE + "concept/phenomenon/paihteet-ja-riippuvuudet"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(_page_url(live_server, iri))
    assert page.locator("h1").inner_text() == "päihteet ja riippuvuudet"
    button = page.locator("button.copy")
    assert button.is_visible() and button.inner_text() == "Kopioi URI"
    button.click()
    page.wait_for_selector("button.copy[data-state=copied]")
    assert button.inner_text() == "Kopioitu"
    assert page.evaluate("navigator.clipboard.readText()") == iri
    page.locator("nav.breadcrumb a").last.click()
    page.wait_for_url("**/vocab/phenomenon/**")
    # a region deeper down: each crumb leads one level up
    page.goto(_page_url(live_server, RAKE + "region/kunta/205"))
    page.locator("nav.breadcrumb a", has_text="Kainuun hyvinvointialue").click()
    assert page.locator("h1").inner_text() == "Kainuun hyvinvointialue"
    page.locator("nav.breadcrumb a", has_text="Pohjois-Suomen yhteistyöalue").click()
    assert page.locator("h1").inner_text() == "Pohjois-Suomen yhteistyöalue"


def test_without_javascript_the_uri_stays_a_link_and_no_dead_button_shows(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    iri = RAKE + "concept/phenomenon/paihteet-ja-riippuvuudet"
    page.goto(_page_url(live_server, iri))
    assert page.locator("a.uri").get_attribute("href") == iri
    assert not page.locator("button.copy").is_visible()
    context.close()
