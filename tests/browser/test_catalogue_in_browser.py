"""The Sotkanet catalogue on the phenomenon view in real Chromium (full build of the bundled data):
a collapsed list under its own heading, in the page's language, that opens on a click, with no
WCAG 2.1 A/AA violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
URL = "/views/phenomenon-view?phenomenon=mielenterveys&level=country&lang=sv"


def test_the_available_sotkanet_indicators_are_a_collapsed_list_that_opens(page, live_server):
    page.goto(live_server + URL)
    heading = page.locator("#available-h")
    assert heading.inner_text().startswith("Fler indikatorer tillgängliga i Sotkanet")
    items = page.locator("details.available-indicators li")
    assert items.count() > 100
    assert not items.first.is_visible()
    page.locator("details.available-indicators summary").click()
    assert items.first.is_visible()
    assert "kgservice" not in page.content()


def test_the_phenomenon_view_with_the_list_open_has_no_wcag_violations(page, live_server):
    page.goto(live_server + URL)
    page.locator("details.available-indicators summary").click()
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
