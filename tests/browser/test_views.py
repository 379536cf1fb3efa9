"""The indicator views in real headless Chromium: read a view, see the map, download its Excel."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from pyoxigraph import RdfFormat

from kgservice.indicators.closure import materialise_area_closure
from kgservice.indicators.materialise import materialise_values
from kgservice.iris import graph_iri
from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step

pytestmark = pytest.mark.browser

CUBE = Path(__file__).parent.parent / "indicators" / "fixtures" / "cube.ttl"
MODULES = ["core", "indicators", "indicators-homelessness", "phenomena", "views", "levels"]


def _load(settings, store, _report) -> None:
    """The indicator tests' store: ontology modules + a small cube of real figures, with the
    build's indicator steps."""
    for name in MODULES:
        store.load(
            settings.ontology_dir / f"{name}.ttl",
            RdfFormat.TURTLE,
            graph_iri(settings, "ontology", name),
        )
    store.load(CUBE, RdfFormat.TURTLE, graph_iri(settings, "source", "fixture"))
    materialise_area_closure(settings, store)
    materialise_values(settings, store)


@pytest.fixture(scope="module")
def views_server(settings_factory, live_server_factory) -> str:
    settings = settings_factory()
    build(settings, [Step("indicator-fixture", _load)])
    return live_server_factory(settings)


def test_phenomenon_in_brief_shows_table_map_with_legend_and_downloads_excel(page, views_server):
    page.goto(
        f"{views_server}/views/phenomenon-in-brief?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
        "&level=wellbeing-county&indicator=pienituloisuusaste"
    )
    assert "Ilmiöstä tiiviisti" in page.locator("h1").inner_text()
    row = page.locator('tr[data-indicator="pienituloisuusaste"][data-area="20"]')
    assert "15,4" in row.inner_text()
    svg_map = page.locator("svg.county-map")
    assert svg_map.locator("path[data-area]").count() == 23
    assert svg_map.locator('path[data-area="20"]').get_attribute("fill") != "url(#nodata)"
    assert svg_map.locator('path[data-area="01"]').get_attribute("fill") == "url(#nodata)"
    assert "tieto puuttuu" in svg_map.text_content()  # the legend names missing data
    with page.expect_download() as info:
        page.locator('a[data-format="xlsx"]').click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert wb.sheetnames == ["tiedot", "kehitys", "metatiedot"]  # the page's language
    assert wb["tiedot"].freeze_panes == "A2"


def test_situation_picture_shows_homelessness_missing_never_zero_and_drills_down(
    page, views_server
):
    # this store has no ARA/Varke figures (tests/browser/test_homelessness_page.py: real ones)
    page.goto(f"{views_server}/views/situation-picture?area=20")
    section = page.locator("section[data-phenomenon=asunnottomuus]")
    assert section.get_by_role("heading").first.inner_text() == "asunnottomuus"
    card = section.locator("article[data-card=asunnottomat] [data-field=value]")
    assert card.inner_text().strip() == "tieto puuttuu"
    page.locator("details.all-figures > summary").click()  # every figure as a table too
    cell = page.locator('tr[data-indicator="asunnottomat"] td.num').first
    assert cell.inner_text().strip() == "tieto puuttuu"
    page.get_by_role("link", name="taloudellinen tilanne ja toimeentulo").last.click()
    page.wait_for_url("**/views/phenomenon-in-brief**")
    assert page.locator("table.values tbody tr").count() > 0


def test_view_form_is_keyboard_usable(page, views_server):
    page.goto(f"{views_server}/views/phenomenon-view?phenomenon=mielenterveys&area=20")
    page.locator("select[name=phenomenon]").select_option("taloudellinen-tilanne-ja-toimeentulo")
    page.locator("select[name=year]").focus()
    page.keyboard.press("Tab")  # to the submit button, then activate it with the keyboard
    page.keyboard.press("Enter")
    page.wait_for_url("**phenomenon=taloudellinen-tilanne-ja-toimeentulo**")
    hidden = page.locator("tr[data-status=suppressed]")
    assert hidden.count() > 0
    assert hidden.first.locator("td.num").first.inner_text().strip() == "salattu"
