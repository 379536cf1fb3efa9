"""The phenomenon view in real headless Chromium, as a county analyst uses it (issue 13): choose
Pirkanmaa's municipalities of the economic phenomenon, sort them by value, download the table as
Excel through the page's link and read it back.

Pirkanmaa's municipalities are read independently from the raw region classification in
``../shared/data-raw``; the order of the sorted rows from the figures on the page itself.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe

from kgservice.texts import translate

pytestmark = pytest.mark.browser

ECON = "taloudellinen-tilanne-ja-toimeentulo"
PIRKANMAA = "08"
INDICATOR = "pienituloisuusaste"


@pytest.fixture(scope="module")
def pirkanmaa_municipalities(shared_dir) -> set[str]:
    path = shared_dir / "data-raw" / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2025.csv"
    with path.open(encoding="utf-8") as fh:
        return {
            row["kuntanumero"].zfill(3)
            for row in csv.DictReader(fh)
            if row["hyvinvointialue_code"].zfill(2) == PIRKANMAA
        }


def test_pirkanmaa_municipalities_sorted_by_value_download_as_excel(
    page, live_server, pirkanmaa_municipalities
):
    page.goto(f"{live_server}/views/phenomenon-view?phenomenon={ECON}&lang=fi")
    assert page.locator("table.pv-table").count() == 0  # no table before an area is chosen
    page.locator(f'section[data-choice="area"] a[data-area="{PIRKANMAA}"]').click()
    page.wait_for_url(f"**area={PIRKANMAA}**")
    table = page.locator(f'table.pv-table[data-indicator="{INDICATOR}"]')
    first = table.locator("tbody tr").first
    assert first.get_attribute("data-total") == "true"
    assert first.get_attribute("data-area") == PIRKANMAA

    table.locator('a[data-sort="value"]').click()  # one click: largest first
    page.wait_for_url("**sort=-value**")
    table = page.locator(f'table.pv-table[data-indicator="{INDICATOR}"]')
    heading = table.locator("th", has=page.locator('a[data-sort="value"]'))
    assert heading.get_attribute("aria-sort") == "descending"
    rows = table.locator("tbody tr[data-area]:not([data-total])")
    areas = rows.evaluate_all("rs => rs.map(r => [r.dataset.area, r.dataset.value])")
    values = [float(v) for _a, v in areas if v]
    assert len(values) > 10 and values == sorted(values, reverse=True)
    assert {a for a, _v in areas} <= pirkanmaa_municipalities

    with page.expect_download() as info:
        page.locator('a[data-format="xlsx"]').click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    sheet = workbook[translate("sheet.data", "fi")]  # the page's language
    header = [c.value for c in sheet[1]]
    code_col = header.index(translate("column.area_code", "fi"))
    value_col = header.index(translate("column.value", "fi"))
    indicator_col = header.index(translate("column.indicator", "fi"))
    data = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {str(r[code_col]).zfill(3) for r in data} == pirkanmaa_municipalities
    figures = [r[value_col] for r in data if r[value_col] not in (None, "")]
    assert figures and all(isinstance(v, int | float) for v in figures)  # numbers as numbers
    in_excel = {
        str(r[code_col]).zfill(3): r[value_col]
        for r in data
        if r[indicator_col] == INDICATOR and isinstance(r[value_col], int | float)
    }
    on_page = {a: float(v) for a, v in areas if v}
    assert in_excel.keys() == on_page.keys()
    assert all(abs(in_excel[a] - on_page[a]) < 1e-9 for a in on_page)


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize(
    "path",
    [
        f"/views/phenomenon-view?phenomenon={ECON}&lang=sv",  # the area choice
        f"/views/phenomenon-view?phenomenon={ECON}&area={PIRKANMAA}&sort=-value&lang=fi",
        "/views/phenomenon-view?phenomenon=mielenterveys&area=20&sort=area&lang=en",
    ],
)
def test_the_phenomenon_view_has_no_wcag_a_or_aa_violations(page, live_server, path):
    page.goto(live_server + path)
    page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")  # folded rows too
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()
