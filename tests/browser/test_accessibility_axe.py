"""axe-core (bundled by axe-playwright-python) audits the term browser in real Chromium: no WCAG
2.1 A/AA violations, colour contrast included, in each UI language."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe
from fixtures.vocab import build_fixture_store

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def server(settings_factory, live_server_factory) -> tuple[str, str]:
    settings = build_fixture_store(settings_factory())
    return live_server_factory(settings), settings.base_iri


def _pages(base: str) -> list[str]:
    def page(path: str, lang: str) -> str:
        return f"/page?uri={quote(base + path, safe='')}&lang={lang}"

    return [
        "/?lang=fi",
        "/vocab/service-task/?lang=sv",  # information page with downloads
        "/vocab/service-task/hierarchy?lang=sv",
        "/vocab/service-task/index?lang=en&letter=%C3%84",
        "/search?q=paihde&lang=fi",
        page("concept/phenomenon/asunnottomuus", "en"),
        page("concept/service-task/paihdetyo", "fi"),  # deprecated: banner
        page("sosmeta/1.2.246.537.6.1506.11052.2022.6.28", "fi"),  # entries table
        "/concept/phenomenon/ei-ole-olemassa",  # 404 page
        "/sparql?lang=sv",
    ]


def test_term_browser_pages_have_no_wcag_a_or_aa_violations(page, server):
    url, base = server
    axe = Axe()
    problems = {}
    for path in _pages(base):
        page.goto(url + path)
        result = axe.run(page, options=WCAG)
        if result.violations_count:
            problems[path] = [
                (v["id"], [n["target"] for n in v["nodes"]][:3])
                for v in result.response["violations"]
            ]
    assert problems == {}


def test_open_autocomplete_has_no_wcag_violations(page, server):
    url, _ = server
    page.goto(url + "/?lang=fi")
    page.fill("#search-q", "p")
    page.locator("#search-suggestions [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
