"""Concept IRIs dereference: 303 See Other by content negotiation, documents with validators."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest
import rdflib
from rdflib.namespace import SKOS

ASUNNOTTOMUUS = "concept/phenomenon/asunnottomuus"
RDF_CASES = [
    ("text/turtle", "turtle", "ttl"),
    ("application/ld+json", "json-ld", "jsonld"),
    ("application/rdf+xml", "xml", "rdf"),
    ("application/n-triples", "nt", "nt"),
]


def _query(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def test_browser_request_for_concept_iri_is_303_to_its_html_page(web_client, base):
    resp = web_client.get("/" + ASUNNOTTOMUUS, headers={"Accept": "text/html,*/*;q=0.8"})
    assert resp.status_code == 303
    assert urlsplit(resp.location).path == "/page"
    assert _query(resp.location)["uri"] == base + ASUNNOTTOMUUS
    assert "Accept" in resp.headers["Vary"]


@pytest.mark.parametrize(("media", "rdflib_format", "ext"), RDF_CASES)
def test_rdf_request_is_303_to_data_that_parses_and_describes_the_concept(
    web_client, base, media, rdflib_format, ext
):
    resp = web_client.get("/" + ASUNNOTTOMUUS, headers={"Accept": media})
    assert resp.status_code == 303
    assert _query(resp.location) == {"uri": base + ASUNNOTTOMUUS, "format": ext}
    doc = web_client.get(resp.location, headers={"Accept": media})
    assert doc.status_code == 200
    assert doc.mimetype == media
    g = rdflib.Graph().parse(data=doc.data, format=rdflib_format)
    concept = rdflib.URIRef(base + ASUNNOTTOMUUS)
    assert (concept, SKOS.prefLabel, rdflib.Literal("hemlöshet", lang="sv")) in g
    # labels of the things it links to travel with it
    scheme = rdflib.URIRef(base + "scheme/phenomenon")
    assert (scheme, SKOS.prefLabel, rdflib.Literal("Ilmiöt", lang="fi")) in g


@pytest.mark.parametrize("ext", ["ttl", "rdf"])
def test_text_and_xml_descriptions_declare_their_utf8(web_client, base, ext):
    doc = web_client.get("/data", query_string={"uri": base + ASUNNOTTOMUUS, "format": ext})
    assert doc.status_code == 200
    assert doc.mimetype_params == {"charset": "utf-8"}
    assert "hemlöshet" in doc.data.decode("utf-8")


def test_q_values_choose_the_preferred_rdf_format(web_client):
    accept = "text/html;q=0.5, application/rdf+xml;q=0.9, text/turtle;q=1.0"
    resp = web_client.get("/" + ASUNNOTTOMUUS, headers={"Accept": accept})
    assert _query(resp.location)["format"] == "ttl"
    accept = "text/html;q=0.5, application/rdf+xml, text/turtle;q=0.7"
    resp = web_client.get("/" + ASUNNOTTOMUUS, headers={"Accept": accept})
    assert _query(resp.location)["format"] == "rdf"


def test_format_parameter_overrides_accept(web_client):
    resp = web_client.get("/" + ASUNNOTTOMUUS + "?format=jsonld", headers={"Accept": "text/html"})
    assert resp.status_code == 303
    assert _query(resp.location)["format"] == "jsonld"


def test_unsupported_media_type_is_406_listing_the_offered_types(web_client):
    resp = web_client.get("/" + ASUNNOTTOMUUS, headers={"Accept": "image/png"})
    assert resp.status_code == 406
    body = resp.get_json()
    assert set(body["offered"]) == {
        "text/html",
        "text/turtle",
        "application/ld+json",
        "application/rdf+xml",
        "application/n-triples",
    }
    assert "image/png" in body["detail"]
    bad_format = web_client.get("/" + ASUNNOTTOMUUS + "?format=pdf")
    assert bad_format.status_code == 406


def test_unknown_iri_under_the_base_is_a_helpful_404_page(web_client):
    resp = web_client.get("/concept/phenomenon/ei-ole-olemassa", headers={"Accept": "text/html"})
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert "Ei löytynyt" in html
    assert "concept/phenomenon/ei-ole-olemassa" in html
    assert 'id="search-q"' in html  # offers the search
    as_json = web_client.get(
        "/concept/phenomenon/ei-ole-olemassa", headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 404
    assert as_json.mimetype == "application/problem+json"
    assert as_json.get_json()["rule"] == "unknown-iri"


def test_redirect_carries_link_headers_to_every_alternate(web_client, base):
    resp = web_client.get("/" + ASUNNOTTOMUUS, headers={"Accept": "text/turtle"})
    link = resp.headers["Link"]
    for media in ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml"):
        assert f'type="{media}"' in link
    assert quote(base + ASUNNOTTOMUUS, safe="") in link


def test_documents_have_etag_and_last_modified_and_revalidate_with_304(web_client, base):
    url = f"/data?uri={quote(base + ASUNNOTTOMUUS, safe='')}&format=ttl"
    first = web_client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    assert "Accept" in first.headers["Vary"]
    again = web_client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    since = web_client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other_format = web_client.get(url.replace("format=ttl", "format=nt"))
    assert other_format.headers["ETag"] != etag


def test_html_page_revalidates_with_304_too(web_client, base):
    url = f"/page?uri={quote(base + ASUNNOTTOMUUS, safe='')}"
    first = web_client.get(url)
    assert web_client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_head_works_on_iris_pages_and_data(web_client, base):
    head = web_client.head("/" + ASUNNOTTOMUUS, headers={"Accept": "text/turtle"})
    assert head.status_code == 303
    assert head.data == b""
    data_url = f"/data?uri={quote(base + ASUNNOTTOMUUS, safe='')}&format=ttl"
    got = web_client.get(data_url)
    head = web_client.head(data_url)
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == got.headers["ETag"]
    assert web_client.head("/concept/phenomenon/ei-ole").status_code == 404


def test_entity_redirects_any_known_iri_also_outside_the_base(web_client, base):
    resp = web_client.get(
        "/entity", query_string={"uri": base + ASUNNOTTOMUUS}, headers={"Accept": "text/turtle"}
    )
    assert resp.status_code == 303
    assert _query(resp.location)["format"] == "ttl"
    outside = "http://example.org/external-vocabulary/homelessness"  # only a mapping target
    resp = web_client.get("/entity", query_string={"uri": outside}, headers={"Accept": "text/html"})
    assert resp.status_code == 303
    assert _query(resp.location)["uri"] == outside
    unknown = web_client.get("/entity", query_string={"uri": "http://example.org/nothing"})
    assert unknown.status_code == 404


def test_invalid_iri_parameter_is_a_400_naming_the_rule(web_client):
    resp = web_client.get("/data", query_string={"uri": "not an iri"})
    assert resp.status_code == 400
    assert resp.get_json()["rule"] == "uri-parameter"
    assert web_client.get("/entity").status_code == 400


def test_every_kind_of_local_iri_resolves(web_client, base):
    for path in (
        "scheme/phenomenon",
        "ontology/Phenomenon",
        "concept/view/tilannekuva",
        "sosmeta/1.2.246.537.6.1506.11052.2022.6.28",
        "indicator/fixture-asunnottomat",
    ):
        resp = web_client.get("/" + path, headers={"Accept": "text/turtle"})
        assert resp.status_code == 303, path


def test_private_client_graphs_never_reach_a_description(web_client, base):
    resp = web_client.get("/data", query_string={"uri": base + ASUNNOTTOMUUS, "format": "nt"})
    assert b"SALAINEN" not in resp.data
    client_doc = web_client.get("/data", query_string={"uri": base + "client/doc-1"})
    assert client_doc.status_code == 404
    page = web_client.get("/page", query_string={"uri": base + ASUNNOTTOMUUS})
    assert "SALAINEN" not in page.get_data(as_text=True)
    assert "client/doc-1" not in page.get_data(as_text=True)


def test_a_route_missing_its_trailing_slash_redirects_instead_of_404(web_client):
    resp = web_client.get("/rest/v1/phenomenon?lang=en")
    assert resp.status_code == 308
    assert resp.location.endswith("/rest/v1/phenomenon/?lang=en")
    assert web_client.get("/vocab/phenomenon").status_code == 308
    assert web_client.get("/no/such/thing").status_code == 404
