"""The term browser in real headless Chromium: autocomplete, concept pages, language, hierarchy."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fixtures.vocab import build_fixture_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def terms_server(settings_factory, live_server_factory) -> tuple[str, str]:
    settings = build_fixture_store(settings_factory())
    return live_server_factory(settings), settings.base_iri


def _page_url(server: tuple[str, str], path: str, lang: str = "fi") -> str:
    url, base = server
    return f"{url}/page?uri={quote(base + path, safe='')}&lang={lang}"


def test_autocomplete_finds_accented_label_and_opens_the_concept_by_keyboard(page, terms_server):
    url, _ = terms_server
    page.goto(f"{url}/?lang=fi")
    page.fill("#search-q", "paihde")
    options = page.locator("#search-suggestions [role=option]")
    options.first.wait_for()
    # "päihteet" in base form is "päihde", then the prefix match "päihdehuolto"
    assert "päihteet ja riippuvuudet" in options.nth(0).inner_text()
    assert "päihdehuolto" in options.nth(1).inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url("**/page?uri=*paihdehuolto*")
    assert page.locator("h1").inner_text() == "päihdehuolto"


def test_language_switch_shows_swedish_label_and_marks_finnish_fallback(page, terms_server):
    page.goto(_page_url(terms_server, "concept/phenomenon/asunnottomuus"))
    assert page.locator("h1").inner_text() == "asunnottomuus"
    page.click(".lang-switch a[data-lang=sv]")
    page.wait_for_url("**lang=sv*")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "hemlöshet"
    # a concept with a Finnish label only: shown in Finnish, marked as such
    page.goto(_page_url(terms_server, "concept/service-task/vammaispalvelut", lang="en"))
    assert page.locator("h1").inner_text() == "vammaispalvelut (in Finnish)"
    assert page.locator("h1 span[lang=fi]").count() == 1


def test_following_broader_then_narrower_links_walks_the_hierarchy(page, terms_server):
    page.goto(_page_url(terms_server, "concept/service-task/paihdehuolto", lang="en"))
    assert page.locator("h1").inner_text() == "substance abuse services"
    page.click("ul.broader a")
    assert page.locator("h1").inner_text() == "social services"
    narrower = page.locator("ul.narrower a")
    texts = narrower.all_inner_texts()
    assert "child welfare" in texts
    assert not any("päihdetyö" in t for t in texts)  # deprecated: out of the hierarchy
    narrower.filter(has_text="child welfare").click()
    assert page.locator("h1").inner_text() == "child welfare"


def test_hierarchy_tree_is_keyboard_operable(page, terms_server):
    url, _ = terms_server
    page.goto(f"{url}/vocab/service-task/hierarchy?lang=fi")
    summary = page.locator(".tree details > summary").first
    details = page.locator(".tree details").first
    assert details.get_attribute("open") is not None
    summary.focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is None
