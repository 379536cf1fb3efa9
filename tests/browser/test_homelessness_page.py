"""The homelessness views in real headless Chromium: an approximate figure is marked and
explained, the source is a link, another publication's figure is beside it, and the municipal
table says how few municipalities have a figure."""

from __future__ import annotations

import csv

import pytest

from kgservice.config import PROJECT_ROOT
from kgservice.texts import translate

pytestmark = pytest.mark.browser

NATIONAL = PROJECT_ROOT / "data" / "ara" / "ara_varke_asunnottomat_koko_maa_1987_2025.csv"
BRIEF = "/views/phenomenon-in-brief?phenomenon=asunnottomuus&level=country"


def singles() -> list[dict[str, str]]:
    with NATIONAL.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["measure"] == "singles_homeless"]


def test_approximate_figure_is_marked_with_a_legend_and_its_source_is_a_link(page, live_server):
    raw = next(r for r in singles() if r["preferred_row"] == "1" and r["value_qualifier"])
    page.goto(f"{live_server}{BRIEF}&year={raw['year']}&lang=fi")
    row = page.locator('tr[data-indicator="asunnottomat"][data-area="SSS"]')
    mark = row.locator("abbr.qualifier")
    assert mark.is_visible() and mark.inner_text() == "n."
    assert mark.get_attribute("title") == translate("qualifier.noin", "fi")
    assert row.locator("td.source a").first.get_attribute("href") == raw["source_url"]
    legend = page.locator('[data-note="qualifier-legend"]')
    assert legend.is_visible() and "n. = noin" in legend.inner_text()


def test_another_publications_figure_is_listed_beside_the_chosen_one(page, live_server):
    rows = singles()
    chosen = {r["year"]: r for r in rows if r["preferred_row"] == "1" and r["value"]}
    other = max(
        (r for r in rows if r["preferred_row"] == "0" and r["value"]
         and r["year"] in chosen and r["value"] != chosen[r["year"]]["value"]),
        key=lambda r: r["year"],
    )  # fmt: skip
    page.goto(f"{live_server}{BRIEF}&year={other['year']}&lang=en")
    row = page.locator('tr[data-indicator="asunnottomat"][data-area="SSS"]')
    listed = row.locator("ul.alternatives li", has_text=other["source_title"])
    assert listed.count() == 1 and listed.is_visible()
    assert f"{int(other['value']):,}" in listed.inner_text()


def test_municipal_table_says_how_many_municipalities_have_a_figure(page, live_server):
    page.goto(f"{live_server}/views/phenomenon-view?phenomenon=asunnottomuus&lang=en")
    note = page.locator('[data-note="coverage"][data-indicator="asunnottomat"]')
    assert note.is_visible()
    assert "municipalities have a published figure" in note.inner_text()
