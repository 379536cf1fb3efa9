"""A terminologist's tasks in real headless Chromium on the bundled build: download the phenomena
vocabulary as Excel from its page and read it back; read a definition in Swedish with the note
that it is the project's draft translation."""

from __future__ import annotations

from urllib.parse import quote

import openpyxl
import pytest
import rdflib
from rdflib.namespace import SKOS

from kgservice.config import PROJECT_ROOT
from kgservice.texts import translate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCHEME = rdflib.URIRef("https://rake-kg.example/scheme/phenomenon")
HOMELESSNESS = rdflib.URIRef("https://rake-kg.example/concept/phenomenon/asunnottomuus")


@pytest.fixture(scope="module")
def phenomena() -> rdflib.Graph:
    return rdflib.Graph().parse(PROJECT_ROOT / "ontology" / "phenomena.ttl")


def test_download_the_phenomena_vocabulary_as_excel_and_read_it_back(
    page, live_server, phenomena, tmp_path
):
    page.goto(f"{live_server}/?lang=fi")
    page.click('li[data-vocab="phenomenon"] h4 a')
    page.wait_for_url("**/vocab/phenomenon/**")
    with page.expect_download() as info:
        page.click('.vocab-downloads a[data-format="xlsx"]')
    download = info.value
    assert download.suggested_filename == "ilmiot.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    ws = openpyxl.load_workbook(path)[translate("sheet.concepts", "fi")]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == translate("vocab_col.uri", "fi")
    assert {r[0] for r in rows[1:]} == {str(c) for c in phenomena.subjects(SKOS.inScheme, SCHEME)}
    fi_names = {str(o) for o in phenomena.objects(None, SKOS.prefLabel) if o.language == "fi"}
    assert {r[1] for r in rows[1:]} <= fi_names


def test_switch_to_swedish_and_read_the_definition_and_the_translation_note(
    page, live_server, phenomena
):
    page.goto(f"{live_server}/page?uri={quote(str(HOMELESSNESS), safe='')}&lang=fi")
    page.click(".lang-switch a[data-lang=sv]")
    page.wait_for_url("**lang=sv*")
    sv = {o.language: str(o) for o in phenomena.objects(HOMELESSNESS, SKOS.definition)}["sv"]
    assert page.locator(".definition").inner_text().strip() == sv
    note = {o.language: str(o) for o in phenomena.objects(HOMELESSNESS, SKOS.editorialNote)}["sv"]
    assert page.get_by_text(note).count() >= 1
