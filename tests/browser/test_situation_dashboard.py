"""The situation picture as an analyst uses it, in real headless Chromium on the full build.

The task of issue 13's proof: from the views' front page, choose Kainuu and find its low-income
rate in 2024 and its difference to the whole country, in at most three interactions after
choosing the area, at 1280 px and at 390 px (a phone), where the page never scrolls sideways.
The expected figures are read from Statistics Finland's raw file, not from the service.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kgservice.config import PROJECT_ROOT

pytestmark = pytest.mark.browser

RAW = PROJECT_ROOT.parent / "shared" / "data-raw"
RAW_14WW = (
    RAW / "indicators" / "statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.csv"
)


def fi_decimal(x: float) -> str:
    return f"{abs(x):.1f}".replace(".", ",")


@pytest.fixture(scope="module")
def low_income() -> tuple[float, float]:
    """Kainuu's and the whole country's low-income rate 2024, as published."""
    df = pd.read_csv(RAW_14WW, dtype=str).set_index("area_code")
    return float(df.loc["HVA20", "rpt_aste"]), float(df.loc["SSS", "rpt_aste"])


class Steps:
    """Counts what the analyst does on the page (clicks and choices)."""

    def __init__(self, page) -> None:
        self.page, self.count = page, 0

    def click(self, locator) -> None:
        locator.click()
        self.count += 1

    def select(self, locator, value: str) -> None:
        locator.select_option(value)
        self.count += 1


@pytest.mark.parametrize("width", [1280, 390])
def test_kainuu_low_income_rate_and_its_difference_in_three_steps_after_choosing_the_area(
    page, live_server, low_income, width
):
    kainuu, country = low_income
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/views/?lang=fi")
    steps = Steps(page)
    steps.select(page.locator("form.drill-start select[name=area]"), "20")  # choose the area
    chosen_at = steps.count
    steps.click(page.get_by_role("button", name="Näytä alueen tilannekuva"))
    page.wait_for_url("**/views/situation-picture?**area=20**")

    card = page.locator("article[data-card=pienituloisuusaste]")
    card.scroll_into_view_if_needed()
    assert card.is_visible()
    assert card.get_by_role("heading").inner_text() == "Pienituloisuusaste"
    assert card.locator("[data-field=value]").inner_text() == f"{fi_decimal(kainuu)} %"
    assert card.locator("[data-field=period]").inner_text() == "2024"
    difference = card.locator("[data-field=difference]")
    assert difference.is_visible()
    sign = "+" if kainuu > country else "-"
    assert difference.inner_text() == f"{sign}{fi_decimal(kainuu - country)} %-yks."
    assert "Koko Suomi" in card.inner_text() and f"{fi_decimal(country)} %" in card.inner_text()
    assert steps.count - chosen_at <= 3

    overflow = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"page scrolls sideways at {width} px: {overflow}"


def test_cards_stack_in_one_column_on_a_phone_and_sit_side_by_side_on_a_desktop(page, live_server):
    url = f"{live_server}/views/situation-picture?area=20&lang=en"
    economy = "section[data-phenomenon=taloudellinen-tilanne-ja-toimeentulo] article"
    lefts = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        boxes = [card.bounding_box() for card in page.locator(economy).all()]
        assert len(boxes) > 1 and all(b is not None for b in boxes)
        assert all(b["x"] + b["width"] <= width for b in boxes)
        lefts[width] = {round(b["x"]) for b in boxes}
    assert len(lefts[390]) == 1  # one column
    assert len(lefts[1280]) > 1  # a grid


def test_sparkline_is_an_image_named_in_the_page_language_with_a_table_behind_it(page, live_server):
    page.goto(f"{live_server}/views/situation-picture?area=20&lang=sv")
    card = page.locator("article[data-card=pienituloisuusaste]")
    svg = card.get_by_role("img")
    name = svg.evaluate(
        "el => document.getElementById(el.getAttribute('aria-labelledby')).textContent"
    )
    assert "fylld stapel" in name and "Hela Finland" in name  # one period (2024): bars
    table = card.locator("details table")
    assert not table.is_visible()
    steps = Steps(page)
    steps.click(card.locator("details summary"))
    assert table.is_visible() and "2024" in table.inner_text()
