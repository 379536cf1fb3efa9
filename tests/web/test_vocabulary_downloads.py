"""A vocabulary's information page and its whole-vocabulary downloads, on the bundled data.

Expected values are read from the hand-edited source (``ontology/phenomena.ttl``,
``ontology/metadata.ttl``) with rdflib, independently of the store and the index.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import openpyxl
import pytest
import rdflib
from rdflib.namespace import DCTERMS, SKOS

from kgservice.config import PROJECT_ROOT
from kgservice.texts import LANGUAGES, translate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RAKE = rdflib.Namespace("https://rake-kg.example/ontology/")
SCHEME = rdflib.URIRef("https://rake-kg.example/scheme/phenomenon")


@pytest.fixture(scope="module")
def source() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(PROJECT_ROOT / "ontology" / "phenomena.ttl")
    g.parse(PROJECT_ROOT / "ontology" / "metadata.ttl")
    return g


def phenomena(g: rdflib.Graph) -> set[str]:
    return {str(c) for c in g.subjects(SKOS.inScheme, SCHEME)} | {
        str(c) for c in g.objects(SCHEME, SKOS.hasTopConcept)
    }


def filename(resp) -> str:
    m = re.search(r'filename="([^"]+)"', resp.headers["Content-Disposition"])
    assert m, resp.headers.get("Content-Disposition")
    return m.group(1)


def test_phenomena_page_states_licence_publisher_version_and_concepts_by_status(client, source):
    html = client.get("/vocab/phenomenon/?lang=fi").get_data(as_text=True)
    info = html.split('class="vocab-info"', 1)[1]
    for licence in source.objects(SCHEME, DCTERMS.license):
        assert f'href="{licence}"' in info
    publisher = next(
        source.objects(
            rdflib.URIRef("https://rake-kg.example/data/knowledge-graph/vocabulary"),
            DCTERMS.publisher,
        )
    )
    assert source.value(publisher, rdflib.RDFS.label) is not None
    fi_name = next(
        str(o) for o in source.objects(publisher, rdflib.RDFS.label) if o.language == "fi"
    )
    assert fi_name in info
    definition = next(str(o) for o in source.objects(SCHEME, SKOS.definition) if o.language == "fi")
    assert definition in info
    expected = Counter(str(source.value(rdflib.URIRef(c), RAKE.status)) for c in phenomena(source))
    shown = dict(re.findall(r'<tr data-status="([^"]*)">.*?<td class="n">(\d+)</td>', info))
    assert {k: int(v) for k, v in shown.items()} == dict(expected)


def test_phenomena_excel_is_named_ilmiot_and_has_one_row_per_concept_with_finnish_headers(
    client, source
):
    r = client.get("/vocab/phenomenon/download?format=xlsx&lang=fi")
    assert r.status_code == 200 and r.mimetype == XLSX
    assert filename(r) == "ilmiot.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    ws = wb[translate("sheet.concepts", "fi")]
    rows = [[c.value or "" for c in row] for row in ws.iter_rows()]
    header = rows[0]
    assert header[0] == translate("vocab_col.uri", "fi")
    assert header[1:4] == [f"{translate('vocab_col.label', 'fi')} ({lg})" for lg in LANGUAGES]
    by_uri = {row[0]: row for row in rows[1:]}
    assert set(by_uri) == phenomena(source)
    for uri, row in by_uri.items():
        for i, lg in enumerate(LANGUAGES):
            stated = [
                str(o)
                for o in source.objects(rdflib.URIRef(uri), SKOS.prefLabel)
                if o.language == lg
            ]
            assert row[1 + i] == (stated[0] if stated else "")
            defs = [
                str(o)
                for o in source.objects(rdflib.URIRef(uri), SKOS.definition)
                if o.language == lg
            ]
            assert row[4 + i] == (defs[0] if defs else "")


def test_swedish_csv_has_swedish_headers_and_is_named_after_the_swedish_title(client, source):
    r = client.get("/vocab/phenomenon/download?format=csv&lang=sv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    sv_title = next(str(o) for o in source.objects(SCHEME, SKOS.prefLabel) if o.language == "sv")
    assert filename(r) == sv_title.lower() + ".csv"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0][-2:] == [
        translate("vocab_col.broader", "sv"),
        translate("vocab_col.status", "sv"),
    ]
    assert {row[0] for row in rows[1:]} == phenomena(source)


@pytest.mark.parametrize(
    ("fmt", "parser"), [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")]
)
def test_rdf_download_holds_every_concept_of_the_vocabulary(client, source, fmt, parser):
    r = client.get(f"/vocab/phenomenon/download?format={fmt}")
    assert r.status_code == 200
    assert filename(r) == f"ilmiot.{fmt}"
    g = rdflib.Graph().parse(data=r.data, format=parser)
    assert {str(s) for s in g.subjects(SKOS.inScheme, SCHEME)} | {
        str(o) for o in g.objects(SCHEME, SKOS.hasTopConcept)
    } == phenomena(source)


def test_unknown_download_format_is_a_400_naming_the_valid_formats(client):
    r = client.get("/vocab/phenomenon/download?format=docx", headers={"Accept": "application/json"})
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    for fmt in ("ttl", "jsonld", "rdf", "csv", "xlsx"):
        assert fmt in body


def test_rest_data_of_a_vocabulary_is_the_whole_vocabulary(client, source):
    r = client.get("/rest/v1/phenomenon/data?format=text/turtle")
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.data, format="turtle")
    assert {str(s) for s in g.subjects(SKOS.inScheme, SCHEME)} == {
        str(c) for c in source.subjects(SKOS.inScheme, SCHEME)
    }
