"""The frozen releases as named graphs of the served dataset (issue 17): ``/sparql`` answers a
query that names a release graph on the release store, with the live vocabulary beside it;
``/graphs`` reads a release graph and refuses to write one; ordinary queries never see one; and
with a remote store (a real ``oxigraph serve``, then Virtuoso) the release pages and the release
queries work from the release store the web process makes.

Every expected value is read from the round trip's files (``releases/<version>/*.ttl`` and the
edited ``ontology/``), never written out here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from fixtures.engines import ENGINES, engine_server
from fixtures.vocab_edits import RELABELLED
from rdflib.compare import isomorphic

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.namespaces import SKOS
from kgservice.store.embedded import EmbeddedStore

PREF_LABEL = SKOS + "prefLabel"
JSON = {"Accept": "application/sparql-results+json"}
#: The module holding the relabelled concept (its sv label changed in 1.1.0).
MODULE = "phenomena"


def turtle(path: Path) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)}


def labels(triples: set[ox.Triple], lang: str) -> dict[str, str]:
    """Concept IRI → its ``skos:prefLabel`` in ``lang``."""
    return {
        t.subject.value: t.object.value
        for t in triples
        if t.predicate.value == PREF_LABEL
        and isinstance(t.object, ox.Literal)
        and t.object.language == lang
    }


def release_file(settings: Settings, version: str, module: str = MODULE) -> Path:
    return settings.project_dir / "releases" / version / f"{module}.ttl"


def live_files(settings: Settings) -> list[Path]:
    return sorted(settings.ontology_dir.glob("*.ttl"))


def frozen(settings: Settings, version: str, module: str = MODULE) -> str:
    return graph_iri(settings, "release", version, module)


def rows(resp) -> list[dict[str, str]]:
    assert resp.status_code == 200, resp.get_data(as_text=True)
    doc = resp.get_json()
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def sparql(client, query: str, **protocol: list[str]):
    return client.post("/sparql", data={"query": query, **protocol}, headers=JSON)


@pytest.fixture(scope="module")
def web(round_trip, app_factory) -> Iterator[tuple]:
    settings, expected = round_trip
    app = app_factory(settings)
    yield app.test_client(), settings
    pool = app.extensions.get("kg.sparqlpool")
    if pool is not None:
        pool.close()


# -- /sparql ------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
def test_a_graph_pattern_on_a_release_returns_the_labels_of_that_releases_file(web, version):
    client, settings = web
    query = f"""SELECT ?s ?l WHERE {{
      GRAPH <{frozen(settings, version)}> {{ ?s <{PREF_LABEL}> ?l FILTER(LANG(?l) = "sv") }}
    }}"""
    got = {r["s"]: r["l"] for r in rows(sparql(client, query))}
    expected = labels(turtle(release_file(settings, version)), "sv")
    assert RELABELLED in expected and got == expected


def test_the_two_releases_answer_differently_where_the_label_was_edited(web):
    client, settings = web
    query = f"SELECT ?l WHERE {{ GRAPH ?g {{ <{RELABELLED}> <{PREF_LABEL}> ?l }} }}"
    answers = {
        v: {
            r["l"]
            for r in rows(sparql(client, query, **{"named-graph-uri": [frozen(settings, v)]}))
        }
        for v in ("1.0.0", "1.1.0")
    }
    files = {v: labels(turtle(release_file(settings, v)), "sv")[RELABELLED] for v in answers}
    assert files["1.0.0"] != files["1.1.0"]
    for version, label in files.items():
        assert label in answers[version]
    assert files["1.1.0"] not in answers["1.0.0"]


def changed_labels(old: dict[str, str], new: dict[str, str]) -> set[tuple[str, str, str]]:
    return {(s, old[s], new[s]) for s in old.keys() & new.keys() if old[s] != new[s]}


def test_from_named_a_release_and_the_live_module_lists_the_labels_changed_since(web):
    client, settings = web
    live = graph_iri(settings, "ontology", MODULE)
    query = f"""SELECT ?s ?old ?new
    FROM NAMED <{frozen(settings, "1.0.0")}>
    FROM NAMED <{live}>
    WHERE {{
      GRAPH <{frozen(settings, "1.0.0")}> {{ ?s <{PREF_LABEL}> ?old FILTER(LANG(?old) = "sv") }}
      GRAPH <{live}> {{ ?s <{PREF_LABEL}> ?new FILTER(LANG(?new) = "sv") }}
      FILTER(?old != ?new)
    }}"""
    got = {(r["s"], r["old"], r["new"]) for r in rows(sparql(client, query))}
    expected = changed_labels(
        labels(turtle(release_file(settings, "1.0.0")), "sv"),
        labels(turtle(settings.ontology_dir / f"{MODULE}.ttl"), "sv"),
    )
    assert RELABELLED in {s for s, _, _ in expected} and got == expected


def test_the_default_graph_beside_a_release_is_the_live_vocabulary(web):
    client, settings = web
    query = f"""SELECT ?s ?old ?new WHERE {{
      GRAPH <{frozen(settings, "1.0.0")}> {{ ?s <{PREF_LABEL}> ?old FILTER(LANG(?old) = "sv") }}
      ?s <{PREF_LABEL}> ?new FILTER(LANG(?new) = "sv" && ?old != ?new)
    }}"""
    got = {(r["s"], r["old"], r["new"]) for r in rows(sparql(client, query))}
    live = set().union(*(turtle(p) for p in live_files(settings)))
    expected = changed_labels(
        labels(turtle(release_file(settings, "1.0.0")), "sv"), labels(live, "sv")
    )
    assert expected and got == expected


@pytest.mark.parametrize("other", ["source/statfin-11x4", "client/batch-1", "releases"])
@pytest.mark.parametrize("how", ["query", "protocol"])
def test_a_release_graph_with_a_graph_the_release_store_lacks_is_refused(web, other, how):
    client, settings = web
    release, foreign = frozen(settings, "1.0.0"), graph_iri(settings, *other.split("/"))
    if how == "query":
        resp = sparql(
            client, f"SELECT * FROM NAMED <{release}> FROM NAMED <{foreign}> {{ GRAPH ?g {{}} }}"
        )
    else:
        query = "SELECT * { GRAPH ?g { ?s ?p ?o } } LIMIT 1"
        resp = sparql(client, query, **{"named-graph-uri": [release, foreign]})
    assert resp.status_code == 400
    assert resp.mimetype == "application/problem+json"
    problem = resp.get_json()
    assert problem["rule"] == "dataset-mixes-releases"
    assert f"<{foreign}>" in problem["detail"]
    # it names what can be combined: the frozen graphs (with the versions) and the vocabulary
    assert graph_iri(settings, "release") + "/<version>/<module>" in problem["detail"]
    assert graph_iri(settings, "ontology") + "/<module>" in problem["detail"]
    assert "1.0.0, 1.1.0" in problem["detail"]


def test_a_release_graph_that_does_not_exist_is_refused_naming_the_versions(web):
    client, settings = web
    missing = frozen(settings, "9.9")
    resp = sparql(client, f"SELECT * {{ GRAPH <{missing}> {{ ?s ?p ?o }} }}")
    assert resp.status_code == 400
    problem = resp.get_json()
    assert problem["rule"] == "release-graph-unknown"
    assert f"<{missing}>" in problem["detail"] and "1.0.0, 1.1.0" in problem["detail"]


def test_an_ordinary_query_sees_the_live_labels_and_no_frozen_triple(web):
    client, settings = web
    count = f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?l {{ ?s <{PREF_LABEL}> ?l }} }}"
    live = set().union(*(turtle(p) for p in live_files(settings)))
    in_live = {(t.subject, t.object) for t in live if t.predicate.value == PREF_LABEL}
    assert int(rows(sparql(client, count))[0]["n"]) == len(in_live)
    old = labels(turtle(release_file(settings, "1.0.0")), "sv")[RELABELLED]
    ask = f'ASK {{ <{RELABELLED}> <{PREF_LABEL}> "{old}"@sv }}'
    assert sparql(client, ask).get_json()["boolean"] is False
    graphs = rows(sparql(client, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"))
    assert graphs and not [g for g in graphs if "/graph/release/" in g["g"]]


def test_the_service_description_lists_every_frozen_graph(web):
    client, settings = web
    described = client.get("/sparql", headers={"Accept": "application/n-triples"})
    text = described.get_data(as_text=True)
    for version in ("1.0.0", "1.1.0"):
        for path in (settings.project_dir / "releases" / version).glob("*.ttl"):
            if path.name != "release.ttl":
                assert f"<{frozen(settings, version, path.stem)}>" in text


# -- /graphs ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_gsp_get_of_a_release_graph_is_the_frozen_file(web, media, rdflib_format):
    client, settings = web
    resp = client.get(
        "/graphs", query_string={"graph": frozen(settings, "1.0.0")}, headers={"Accept": media}
    )
    assert resp.status_code == 200 and resp.mimetype == media
    served = rdflib.Graph().parse(data=resp.get_data(as_text=True), format=rdflib_format)
    released = rdflib.Graph().parse(release_file(settings, "1.0.0"), format="turtle")
    assert len(released) and isomorphic(served, released)
    again = client.get(
        "/graphs",
        query_string={"graph": frozen(settings, "1.0.0")},
        headers={"Accept": media, "If-None-Match": resp.headers["ETag"]},
    )
    assert again.status_code == 304


def test_gsp_head_of_a_release_graph_gives_its_etag_without_a_body(web):
    client, settings = web
    graph = {"graph": frozen(settings, "1.0.0")}
    head = client.head("/graphs", query_string=graph)
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == client.get("/graphs", query_string=graph).headers["ETag"]


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_gsp_writes_to_a_release_graph_are_refused_as_frozen(web, method):
    client, settings = web
    resp = client.open(
        "/graphs",
        method=method,
        query_string={"graph": frozen(settings, "1.0.0")},
        data=b"<urn:a> <urn:b> <urn:c> .",
        headers={"Content-Type": "application/n-triples"},
    )
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "GET, HEAD"
    problem = resp.get_json()
    assert problem["rule"] == "release-frozen" and "kgservice release" in problem["detail"]


def test_gsp_get_of_a_release_that_was_never_made_is_404(web):
    client, settings = web
    resp = client.get("/graphs", query_string={"graph": frozen(settings, "9.9")})
    assert resp.status_code == 404 and resp.get_json()["rule"] == "graph-missing"


# -- a remote store ---------------------------------------------------------------------------
@pytest.fixture(scope="module", params=ENGINES)
def remote_web(request, round_trip, app_factory, tmp_path_factory) -> Iterator[tuple]:
    """The round trip's store pushed into a real remote engine (``oxigraph serve``, Virtuoso),
    and an app over it that reads the repository's ``releases/`` (no build directory)."""
    settings, expected = round_trip
    location = tmp_path_factory.mktemp("engine")
    with engine_server(request, request.param, location) as server:
        built = EmbeddedStore(settings.store_path.resolve(), read_only=True)
        with server.remote_store() as remote:
            for graph in built.graphs():
                data = built.dump(ox.RdfFormat.N_TRIPLES, graph)
                remote.replace_graph(graph, data, ox.RdfFormat.N_TRIPLES)
        built.close()
        var = tmp_path_factory.mktemp("remote-var")
        app = app_factory(settings, var_dir=var, **server.settings())
        yield app.test_client(), settings, expected
        pool = app.extensions.get("kg.sparqlpool")
        if pool is not None:
            pool.close()


def test_with_a_remote_store_the_release_pages_list_the_releases(remote_web):
    client, _, expected = remote_web
    html = client.get("/releases/?lang=en").get_data(as_text=True)
    assert 'data-version="1.0.0"' in html and 'data-version="1.1.0"' in html
    history = client.get(f"/page?uri={RELABELLED}&lang=en").get_data(as_text=True)
    assert '<li data-version="1.1.0" data-kind="changed">' in history
    as_was = client.get(f"/page?uri={RELABELLED}&release=1.0.0&lang=en")
    assert as_was.status_code == 200 and 'data-release="1.0.0"' in as_was.get_data(as_text=True)


def test_with_a_remote_store_rest_changes_are_those_kgservice_diff_reports(remote_web):
    client, _, expected = remote_web
    body = client.get("/rest/v1/phenomenon/changes?from=1.0.0&to=1.1.0").get_json()
    scheme = next(s for s in expected["schemes"] if s["scheme"] == body["uri"])
    assert {(c["type"], c["uri"]) for c in body["changeList"]} == {
        (c["kind"], c["concept"]) for c in scheme["concepts"]
    }


def test_with_a_remote_store_sparql_answers_a_release_graph(remote_web):
    client, settings, _ = remote_web
    query = f"SELECT ?s ?l {{ GRAPH <{frozen(settings, '1.0.0')}> {{ ?s <{PREF_LABEL}> ?l }} }}"
    got = {(r["s"], r["l"]) for r in rows(sparql(client, query))}
    triples = turtle(release_file(settings, "1.0.0"))
    expected = {
        (t.subject.value, t.object.value) for t in triples if t.predicate.value == PREF_LABEL
    }
    assert expected and got == expected
    ordinary = f'ASK {{ ?s <{PREF_LABEL}> "{labels(triples, "sv")[RELABELLED]}"@sv }}'
    assert sparql(client, ordinary).get_json()["boolean"] is False
