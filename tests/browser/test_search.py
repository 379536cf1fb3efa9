"""A terminologist's search in real headless Chromium (issue 16): typing "päihde" finds the
phenomenon *päihteet ja riippuvuudet* although its label has "päihteet" (the stem changes).
On the full build of the bundled data."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_typing_paihde_suggests_the_phenomenon_with_its_vocabulary(page, live_server):
    page.goto(f"{live_server}/?lang=fi")
    page.locator("#search-q").press_sequentially("päihde", delay=30)
    option = page.locator("#search-suggestions [role=option]", has_text="päihteet ja riippuvuudet")
    option.wait_for()
    assert option.locator(".suggestion-vocab").inner_text() == " · Ilmiöt"
    assert page.locator("#search-q").get_attribute("aria-expanded") == "true"


def test_submitting_paihde_lists_the_phenomenon_on_the_first_page_with_marked_snippet(
    page, live_server
):
    page.goto(f"{live_server}/?lang=fi")
    page.fill("#search-q", "päihde")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*q=*")
    assert int(page.locator("#hit-count").inner_text().split(":")[1]) >= 3
    first_page = page.locator("ol.results > li").filter(has_text="päihteet ja riippuvuudet")
    assert first_page.count() == 1
    item = first_page.first
    assert "Ilmiöt" in item.locator(".result-vocab").inner_text()
    marks = item.locator(".snippet mark").all_inner_texts()
    assert "Päihteiden" in marks
    position = page.locator("ol.results > li").all_inner_texts()
    assert any("päihteet ja riippuvuudet" in t for t in position[:5])


def test_vocabulary_facet_narrows_the_results_to_indicators(page, live_server):
    page.goto(f"{live_server}/search?q=p%C3%A4ihde&lang=fi")
    facet = page.locator('[data-facet="vocab"] a', has_text="Indikaattorit")
    facet.click()
    page.wait_for_url("**vocab=indicators*")
    items = page.locator("ol.results > li .result-vocab").all_inner_texts()
    assert items and all("Indikaattorit" in t for t in items)
    shown = int(page.locator("#hit-count").inner_text().split(":")[1])
    assert shown == len(items)
