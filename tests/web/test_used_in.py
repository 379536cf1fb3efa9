"""The "where it is used" section of a page: every resource linking to it, never the statistics.

Statistical records (Data Cube observations, missing observations, computed indicator values and
their slices) point at the same few concepts tens of thousands of times; they are left out, and
the section is read from the label index instead of being asked of the store per page (that took
up to 17 s for a status concept of the bundled data). Resources that are not records keep their
links, also when they live in a graph of records (the data set itself).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from pyoxigraph import RdfFormat, parse

from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step

B = "https://rake-kg.example/"
TRIG = f"""
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rake: <{B}ontology/> .

<{B}graph/ontology/statuses> {{
  <{B}scheme/obs-status> a skos:ConceptScheme ; skos:prefLabel "Havaintojen tilat"@fi .
  <{B}concept/obs-status/ok> a skos:Concept ; skos:inScheme <{B}scheme/obs-status> ;
      skos:prefLabel "kunnossa"@fi .
  <{B}concept/view/tilanne> a skos:Concept ; skos:prefLabel "tilanne"@fi ;
      rake:usesStatus <{B}concept/obs-status/ok> .
}}

<{B}graph/source/tilasto> {{
  <{B}data/dataset/tilasto> a qb:DataSet ; dct:conformsTo <{B}concept/obs-status/ok> .
  <{B}data/obs/1> a qb:Observation ; rake:obsStatus <{B}concept/obs-status/ok> .
  <{B}data/obs/2> a qb:Observation ; rake:obsStatus <{B}concept/obs-status/ok> .
  <{B}data/obs/3> a rake:MissingObservation ; rake:obsStatus <{B}concept/obs-status/ok> .
}}

<{B}graph/indicator-values> {{
  <{B}data/value/1> a rake:IndicatorValue ; rake:valueStatus <{B}concept/obs-status/ok> .
  <{B}data/slice/1> a rake:IndicatorSlice ; rake:sliceStatus <{B}concept/obs-status/ok> .
}}

<{B}graph/client/erä-1> {{
  <{B}client/asiakirja/1> rake:usesStatus <{B}concept/obs-status/ok> .
}}
"""


@pytest.fixture(scope="module")
def client(app_factory, settings_factory):
    settings = settings_factory()

    def load(s, store, report) -> None:
        quads = list(parse(TRIG.encode(), format=RdfFormat.TRIG))
        store.bulk_load(TRIG.encode(), RdfFormat.TRIG)
        report.rows_loaded = len(quads)

    build(settings, [Step("used-in-fixture", load)])
    return app_factory(settings).test_client()


def used_in(client, iri: str) -> list[str]:
    resp = client.get(f"/page?uri={quote(iri, safe='')}&lang=fi")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    found = re.search(r'<dl class="props used-in">(.*?)</dl>', html, re.S)
    if found is None:
        return []
    return [unquote(u) for u in re.findall(r"/page\?uri=([^&\"]+)", found.group(1))]


def test_used_in_lists_resources_linking_to_a_concept_but_no_statistical_records(client):
    linking = set(used_in(client, B + "concept/obs-status/ok"))
    assert B + "concept/view/tilanne" in linking  # an ordinary resource of the vocabulary
    assert B + "data/dataset/tilasto" in linking  # not a record, though in a graph of records
    records = {
        B + p for p in ("data/obs/1", "data/obs/2", "data/obs/3", "data/value/1", "data/slice/1")
    }
    assert not linking & records


def test_used_in_never_shows_private_client_data(client):
    linking = used_in(client, B + "concept/obs-status/ok")
    assert not any("client" in u for u in linking)


def test_page_of_a_record_still_describes_it(client):
    """Records leave the section of what they point at, but keep their own page."""
    resp = client.get(f"/page?uri={quote(B + 'data/obs/1', safe='')}&lang=fi")
    assert resp.status_code == 200
    assert "kunnossa" in resp.get_data(as_text=True)  # the status it links to, by its label
