"""The Skosmos REST API: routes, parameters and the JSON-LD shapes of Skosmos's RestController."""

from __future__ import annotations

import rdflib
from rdflib.namespace import SKOS

ST = "concept/service-task/"


def get(client, url: str, status: int = 200, **params):
    resp = client.get(url, query_string=params)
    assert resp.status_code == status, resp.get_data(as_text=True)
    return resp.get_json()


def test_vocabularies_requires_lang_and_lists_id_uri_title(web_client):
    assert web_client.get("/rest/v1/vocabularies").status_code == 400
    body = get(web_client, "/rest/v1/vocabularies", lang="en")
    assert body["uri"] == ""
    assert body["@context"]["vocabularies"] == "onki:hasVocabulary"
    assert body["@context"]["title"] == {"@id": "rdfs:label", "@language": "en"}
    by_id = {v["id"]: v for v in body["vocabularies"]}
    assert by_id["phenomenon"] == {"uri": "phenomenon", "id": "phenomenon", "title": "Phenomena"}
    assert set(by_id) == {"phenomenon", "service-task", "ontology"}


def test_vocabulary_information_has_skosmos_fields(web_client, base):
    body = get(web_client, "/rest/v1/phenomenon/", lang="sv")
    assert body["id"] == "phenomenon"
    assert body["title"] == "Fenomen"
    assert body["defaultLanguage"] == "fi"
    assert body["languages"] == ["fi", "sv", "en"]
    assert body["conceptschemes"] == [
        {"uri": base + "scheme/phenomenon", "prefLabel": "Fenomen", "type": "skos:ConceptScheme"}
    ]
    assert get(web_client, "/rest/v1/nope/", status=404)["status"] == 404


def test_search_results_have_uri_type_preflabel_lang_vocab(web_client, base):
    body = get(web_client, "/rest/v1/search", query="asunno*", lang="fi")
    assert body["@context"]["results"] == {"@id": "onki:results", "@container": "@list"}
    assert body["@context"]["@language"] == "fi"
    assert body["results"] == [
        {
            "uri": base + "concept/phenomenon/asunnottomuus",
            "type": ["skos:Concept", "rake:Phenomenon"],
            "prefLabel": "asunnottomuus",
            "lang": "fi",
            "vocab": "phenomenon",
        }
    ]


def test_search_reports_the_matched_alternative_label(web_client):
    hit = get(web_client, "/rest/v1/service-task/search", query="päihdepalv*", lang="fi")
    assert hit["results"][0]["prefLabel"] == "päihdehuolto"
    assert hit["results"][0]["altLabel"] == "päihdepalvelut"


def test_search_vocab_filter_maxhits_offset_and_errors(web_client):
    everything = get(web_client, "/rest/v1/service-task/search", query="*a*".strip("*"))
    assert all(r["vocab"] == "service-task" for r in everything["results"])
    two = get(web_client, "/rest/v1/search", query="s", maxhits=2)["results"]
    next_two = get(web_client, "/rest/v1/search", query="s", maxhits=2, offset=2)["results"]
    assert len(two) == 2 and not {r["uri"] for r in two} & {r["uri"] for r in next_two}
    assert web_client.get("/rest/v1/search").status_code == 400
    assert web_client.get("/rest/v1/search?query=a&maxhits=0").status_code == 400
    assert web_client.get("/rest/v1/search?query=a&vocab=nope").status_code == 404


def test_lookup_follows_skosmos_cascade_and_404s(web_client, base):
    exact = get(web_client, "/rest/v1/service-task/lookup", label="lastensuojelu")
    assert exact["result"] == [
        {
            "uri": base + ST + "lastensuojelu",
            "type": ["skos:Concept"],
            "prefLabel": "lastensuojelu",
            "lang": "fi",
            "vocab": "service-task",
        }
    ]
    case = get(web_client, "/rest/v1/service-task/lookup", label="Lastensuojelu")
    assert case["result"][0]["uri"] == base + ST + "lastensuojelu"
    alt = get(web_client, "/rest/v1/service-task/lookup", label="päihdepalvelut")
    assert alt["result"][0]["altLabel"] == "päihdepalvelut"
    assert web_client.get("/rest/v1/service-task/lookup?label=lasten").status_code == 404
    assert web_client.get("/rest/v1/service-task/lookup").status_code == 400


def test_label_returns_labels_in_requested_language(web_client, base):
    body = get(web_client, "/rest/v1/label", uri=base + ST + "paihdehuolto", lang="fi")
    assert body["uri"] == base + ST + "paihdehuolto"
    assert body["prefLabel"] == "päihdehuolto"
    assert body["altLabel"] == ["päihdepalvelut"]
    en = get(web_client, "/rest/v1/service-task/label", uri=base + ST + "paihdehuolto", lang="en")
    assert en["prefLabel"] == "substance abuse services" and "altLabel" not in en
    assert web_client.get("/rest/v1/label?uri=http://example.org/x").status_code == 404


def test_top_concepts_shape(web_client, base):
    body = get(web_client, "/rest/v1/service-task/topConcepts", lang="en")
    assert body["uri"] == base + "scheme/service-task"
    assert body["@context"]["topconcepts"] == "skos:hasTopConcept"
    assert body["topconcepts"] == [
        {
            "uri": base + ST + "sosiaalipalvelut",
            "label": "social services",
            "topConceptOf": base + "scheme/service-task",
            "hasChildren": True,
        }
    ]


def test_broader_and_narrower_shapes(web_client, base):
    broader = get(web_client, "/rest/v1/service-task/broader", uri=base + ST + "lastensuojelu")
    assert broader["broader"] == [
        {"uri": base + ST + "sosiaalipalvelut", "prefLabel": "sosiaalipalvelut"}
    ]
    narrower = get(
        web_client, "/rest/v1/service-task/narrower", uri=base + ST + "sosiaalipalvelut", lang="fi"
    )
    labels = [n["prefLabel"] for n in narrower["narrower"]]
    assert labels == [
        "lastensuojelu",
        "päihdehuolto",
        "vammaispalvelut",
        "zeta-palvelu",
        "äitiysneuvola",
    ]
    assert (
        web_client.get(f"/rest/v1/phenomenon/broader?uri={base + ST}lastensuojelu").status_code
        == 404
    )


def test_children_shape_has_haschildren_and_notation(web_client, base):
    body = get(web_client, "/rest/v1/service-task/children", uri=base + ST + "sosiaalipalvelut")
    first = body["narrower"][0]
    assert first == {
        "uri": base + ST + "lastensuojelu",
        "prefLabel": "lastensuojelu",
        "hasChildren": False,
        "notation": "LS",
    }
    assert body["@context"]["hasChildren"] == "onki:hasChildren"


def test_hierarchy_gives_broader_chain_with_children_and_tops(web_client, base):
    body = get(web_client, "/rest/v1/service-task/hierarchy", uri=base + ST + "lastensuojelu")
    nodes = body["broaderTransitive"]
    assert body["uri"] == base + ST + "lastensuojelu"
    assert nodes[base + ST + "lastensuojelu"]["broader"] == [base + ST + "sosiaalipalvelut"]
    top = nodes[base + ST + "sosiaalipalvelut"]
    assert top["top"] == base + "scheme/service-task"
    assert top["tops"] == [base + "scheme/service-task"]
    assert top["hasChildren"] is True
    assert {
        "uri": base + ST + "lastensuojelu",
        "label": "lastensuojelu",
        "hasChildren": False,
        "notation": "LS",
    } in top["narrower"]
    assert body["@context"]["broaderTransitive"] == {
        "@id": "skos:broaderTransitive",
        "@container": "@index",
    }


def test_data_returns_the_concept_in_negotiated_format(web_client, base):
    resp = web_client.get(
        "/rest/v1/data",
        query_string={"uri": base + ST + "lastensuojelu"},
        headers={"Accept": "text/turtle"},
    )
    assert resp.mimetype == "text/turtle"
    g = rdflib.Graph().parse(data=resp.data, format="turtle")
    assert (rdflib.URIRef(base + ST + "lastensuojelu"), SKOS.notation, rdflib.Literal("LS")) in g
    jsonld = web_client.get(
        "/rest/v1/data",
        query_string={"uri": base + ST + "lastensuojelu", "format": "application/ld+json"},
    )
    assert jsonld.mimetype == "application/ld+json"
    doc = jsonld.get_json()
    assert doc["@context"]["prefLabel"] == "skos:prefLabel"  # Skosmos's compaction context
    node = next(n for n in doc["graph"] if n["uri"] == base + ST + "lastensuojelu")
    assert {"lang": "sv", "value": "barnskydd"} in node["prefLabel"]
    assert node["inScheme"] == {"uri": base + "scheme/service-task"}
    assert "skos:Concept" in (node["type"] if isinstance(node["type"], list) else [node["type"]])
    same = rdflib.Graph().parse(data=jsonld.data, format="json-ld")
    assert (rdflib.URIRef(base + ST + "lastensuojelu"), SKOS.notation, rdflib.Literal("LS")) in same
    assert web_client.get("/rest/v1/data").status_code == 400


def test_vocabulary_data_without_uri_is_the_whole_scheme(web_client, base):
    resp = web_client.get("/rest/v1/service-task/data?format=text/turtle")
    g = rdflib.Graph().parse(data=resp.data, format="turtle")
    subjects = {str(s) for s in g.subjects(SKOS.inScheme, None)}
    assert base + ST + "lastensuojelu" in subjects
    assert base + "concept/phenomenon/asunnottomuus" not in subjects
    assert (rdflib.URIRef(base + "scheme/service-task"), SKOS.prefLabel, None) in g


def test_rest_responses_are_cors_open_and_revalidate(web_client):
    resp = web_client.get("/rest/v1/vocabularies?lang=fi")
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    again = web_client.get(
        "/rest/v1/vocabularies?lang=fi", headers={"If-None-Match": resp.headers["ETag"]}
    )
    assert again.status_code == 304


def test_related_shape_covers_both_directions(web_client, base):
    body = get(web_client, "/rest/v1/service-task/related", uri=base + ST + "lastensuojelu")
    assert body["related"] == [{"uri": base + ST + "paihdehuolto", "prefLabel": "päihdehuolto"}]
    assert body["@context"]["related"] == "skos:related"


def test_transitive_shapes_are_indexed_by_uri_with_direct_links(web_client, base):
    up = get(web_client, "/rest/v1/service-task/broaderTransitive", uri=base + ST + "lastensuojelu")
    assert set(up["broaderTransitive"]) == {
        base + ST + "lastensuojelu",
        base + ST + "sosiaalipalvelut",
    }
    assert up["broaderTransitive"][base + ST + "lastensuojelu"]["broader"] == [
        base + ST + "sosiaalipalvelut"
    ]
    down = get(
        web_client, "/rest/v1/service-task/narrowerTransitive", uri=base + ST + "sosiaalipalvelut"
    )
    nodes = down["narrowerTransitive"]
    assert base + ST + "paihdetyo" not in nodes  # deprecated
    assert base + ST + "aitiysneuvola" in nodes[base + ST + "sosiaalipalvelut"]["narrower"]
    assert (
        web_client.get(
            f"/rest/v1/service-task/broaderTransitive?uri={base + ST}lastensuojelu&limit=0"
        ).status_code
        == 400
    )


def test_search_vocab_list_is_split_on_spaces_only(web_client):
    """A control character is not a separator (str.split() took "vocab=%1E" for no
    vocabulary and searched them all): it is an unknown vocabulary id, 404."""
    resp = web_client.get("/rest/v1/search?query=a&vocab=%1E")
    assert resp.status_code == 404
    both = web_client.get("/rest/v1/search?query=a*&vocab=phenomenon%20%20service-task")
    assert both.status_code == 200
