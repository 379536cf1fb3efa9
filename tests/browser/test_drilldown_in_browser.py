"""The analyst's drill-down in real Chromium (issue 13, Proof): from the views' front page choose
Pirkanmaa, open its situation picture, drill to the economic phenomenon in brief, on to its
municipal table, and back up by the breadcrumb, never losing the area. Counts the interactions."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

ECON = "taloudellinen-tilanne-ja-toimeentulo"
PIRKANMAA = "08"


def area_of(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("area", [None])[0]


def assert_place(page, path: str) -> None:
    """The page is ``path`` for Pirkanmaa: in its address and in the form's area choice."""
    assert urlsplit(page.url).path == path
    assert area_of(page.url) == PIRKANMAA
    assert page.locator("main select[name=area]").input_value() == PIRKANMAA


def test_drill_from_pirkanmaa_to_its_municipalities_and_back_keeps_the_area(page, live_server):
    steps = 0
    page.goto(f"{live_server}/views/")
    area = page.locator("main select[name=area]")
    pirkanmaa = area.locator("option", has_text=re.compile(r"^Pirkanmaa"))
    assert pirkanmaa.get_attribute("value") == PIRKANMAA
    area.select_option(PIRKANMAA)
    steps += 1
    page.locator('button[data-view="situation-picture"]').click()
    steps += 1
    page.wait_for_url("**/views/situation-picture?**")
    assert_place(page, "/views/situation-picture")

    page.locator(
        f'main a[href*="/views/phenomenon-in-brief"][href*="phenomenon={ECON}"]'
    ).first.click()
    steps += 1
    page.wait_for_url("**/views/phenomenon-in-brief?**")
    assert_place(page, "/views/phenomenon-in-brief")
    assert (
        page.locator(f'svg.county-map path[data-area="{PIRKANMAA}"]').get_attribute("class")
        == "selected"
    )
    assert page.locator("svg.county-map path.selected").count() == 1

    page.locator('a[data-drill="down"]').click()
    steps += 1
    page.wait_for_url("**/views/phenomenon-view?**")
    assert_place(page, "/views/phenomenon-view")
    assert parse_qs(urlsplit(page.url).query)["level"] == ["municipality"]
    assert page.locator('table.values tr[data-area="837"]').count() > 0  # Tampere
    assert page.locator('table.values tr[data-area="091"]').count() == 0  # not Helsinki

    crumbs = page.locator("nav.breadcrumbs a")
    assert crumbs.count() == 4
    assert crumbs.last.get_attribute("aria-current") == "page"
    crumbs.nth(1).click()  # "Tilannekuva: Pirkanmaan hyvinvointialue"
    steps += 1
    page.wait_for_url("**/views/situation-picture?**")
    assert_place(page, "/views/situation-picture")
    assert "Pirkanma" in page.locator("nav.breadcrumbs a").last.inner_text()
    assert steps == 5  # choose, show, drill, municipalities, back up


START_PAGES = {
    "start": "/views/?area=08",
    "in-brief-pirkanmaa": f"/views/phenomenon-in-brief?phenomenon={ECON}&area={PIRKANMAA}",
    "in-brief-cooperation-area-sv": f"/views/phenomenon-in-brief?phenomenon={ECON}&area=3&lang=sv",
}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(START_PAGES))
def test_start_and_brief_with_an_area_fit_the_screen_with_24px_targets(
    page, live_server, tmp_path, name, width
):
    from test_responsive import _check

    _check(page, live_server + START_PAGES[name], width, tmp_path / f"{name}-{width}.png")


def test_start_and_brief_with_an_area_have_no_wcag_a_or_aa_violations(page, live_server):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    problems = {}
    for name, url in START_PAGES.items():
        page.goto(live_server + url)
        result = axe.run(page, options=options)
        if result.violations_count:
            problems[name] = [v["id"] for v in result.response["violations"]]
    assert problems == {}
