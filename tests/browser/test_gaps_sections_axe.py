"""axe-core on the sections session 6 added, in real Chromium on the bundled build: the register
estimates block of the views and the region pages' group of Åland. No WCAG 2.1 A/AA violation
inside them, in each UI language."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
REGION = "https://rake-kg.example/region/"
SECTIONS = [
    (
        "/views/phenomenon-in-brief?phenomenon=paihteet-ja-riippuvuudet&level=country&lang=sv",
        ".register-estimates",
    ),
    ("/views/situation-picture?area=SSS&lang=en", ".register-estimates"),
    (f"/page?uri={quote(REGION + 'koko-suomi', safe='')}&lang=fi", "dl.props"),
    (f"/page?uri={quote(REGION + 'hyvinvointialue/91', safe='')}&lang=sv", "dl.props"),
]


def test_the_new_sections_have_no_wcag_a_or_aa_violations(page, live_server):
    axe = Axe()
    problems = {}
    for path, selector in SECTIONS:
        page.goto(live_server + path)
        assert page.locator(selector).count() >= 1, path
        result = axe.run(page, context={"include": [[selector]]}, options=WCAG)
        if result.violations_count:
            problems[path] = [v["id"] for v in result.response["violations"]]
    assert problems == {}
