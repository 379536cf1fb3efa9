"""The term browser, concept IRIs and REST API on the remote backend (a real `oxigraph serve`,
and a real Virtuoso)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fixtures.engines import ENGINES, engine_server
from fixtures.vocab import load_fixture

from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step


@pytest.fixture(scope="module", params=ENGINES)
def remote_client(request, app_factory, settings_factory, tmp_path_factory):
    location = tmp_path_factory.mktemp("remote-web")
    with engine_server(request, request.param, location) as server:
        settings = settings_factory(**server.settings())
        build(settings, [Step("web-fixture", load_fixture)])  # pushed to the server
        yield app_factory(settings).test_client(), settings.base_iri


def test_remote_front_page_counts_and_search(remote_client):
    client, _ = remote_client
    html = client.get("/?lang=fi").get_data(as_text=True)
    assert 'data-vocab="service-task"' in html and "Palvelutehtävät" in html
    hits = client.get("/search/suggest?q=paihde").get_json()
    # the base form päihde (Voikko): the phenomenon first, then the service task
    assert [h["label"] for h in hits] == ["päihteet ja riippuvuudet", "päihdehuolto"]


def test_remote_concept_page_data_and_privacy(remote_client):
    client, base = remote_client
    iri = base + "concept/phenomenon/asunnottomuus"
    html = client.get(f"/page?uri={quote(iri, safe='')}&lang=sv").get_data(as_text=True)
    assert "hemlöshet" in html and "asunnottomat yksin eläjät (testi)" in html
    assert "SALAINEN" not in html
    resp = client.get("/concept/phenomenon/asunnottomuus", headers={"Accept": "text/turtle"})
    assert resp.status_code == 303
    data = client.get(resp.location)
    assert data.status_code == 200 and b"heml\xc3\xb6shet" in data.data
    assert b"SALAINEN" not in data.data
    assert client.get("/concept/phenomenon/ei-ole").status_code == 404


def test_remote_structure_entries_and_rest_hierarchy(remote_client):
    client, base = remote_client
    iri = base + "sosmeta/1.2.246.537.6.1506.11052.2022.6.28"
    html = client.get(f"/page?uri={quote(iri, safe='')}").get_data(as_text=True)
    assert "Yksityishenkilö (TK)" in html and "TOISTUVA" in html
    body = client.get(
        "/rest/v1/service-task/hierarchy",
        query_string={"uri": base + "concept/service-task/lastensuojelu"},
    ).get_json()
    top = body["broaderTransitive"][base + "concept/service-task/sosiaalipalvelut"]
    assert top["top"] == base + "scheme/service-task"
