"""``/graphs`` over a real server: the Graph Store Protocol with tokens (issue 17).

Every status the protocol answers with, the change log, concurrent writes and the guarantee that a
refused write leaves the served store as it was. The graphs are compared with the raw sources
(``ontology/*.ttl``) or with what the test itself read and sent, never with figures typed in.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime

import requests
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from kgservice.iris import graph_iri
from kgservice.queries import select
from kgservice.releases.record import list_releases
from kgservice.sources.rdf import read_quads
from kgservice.store.served import served_dir, served_store
from kgservice.tokens import CLIENT_DATA_READER, STATISTICS_LOADER, VOCABULARY_EDITOR

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
QB = "http://purl.org/linked-data/cube#"
NT = "application/n-triples"


def url(server) -> str:
    return server.base + "/graphs"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def triples_of(body: bytes, fmt: RdfFormat = RdfFormat.N_TRIPLES) -> set[Triple]:
    return {q.triple for q in parse(body, format=fmt)}


def ntriples(triples) -> bytes:
    return serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""


def get(server, graph: str, token: str | None = None, accept: str = NT) -> requests.Response:
    headers = {"Accept": accept, **(auth(token) if token else {})}
    return requests.get(url(server), params={"graph": graph}, headers=headers, timeout=60)


def write(server, method, graph, token, body=b"", ctype=NT, **headers) -> requests.Response:
    headers = {"Content-Type": ctype, **auth(token), **headers}
    return requests.request(
        method, url(server), params={"graph": graph}, data=body, headers=headers, timeout=300
    )


def methods_graph(settings) -> str:
    return graph_iri(settings, "ontology", "methods")


def test_public_graph_is_read_without_token_as_its_source_file_with_an_etag(
    gsp_settings, gsp_server
):
    source = {q.triple for q in read_quads(gsp_settings.ontology_dir / "methods.ttl")}
    resp = get(gsp_server, methods_graph(gsp_settings))
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith(NT)
    assert triples_of(resp.content) == source
    etag = resp.headers["ETag"]
    again = requests.get(
        url(gsp_server),
        params={"graph": methods_graph(gsp_settings)},
        headers={"If-None-Match": etag, "Accept": "text/turtle"},
        timeout=60,
    )
    assert again.status_code == 304
    turtle = get(gsp_server, methods_graph(gsp_settings), accept="text/turtle")
    assert triples_of(turtle.content, RdfFormat.TURTLE) == source


def test_unknown_graph_is_404_and_missing_graph_parameter_is_400(gsp_settings, gsp_server):
    missing = get(gsp_server, graph_iri(gsp_settings, "ontology", "no-such-module"))
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"
    assert missing.json()["rule"] == "graph-missing"
    bare = requests.get(url(gsp_server), timeout=60)
    assert bare.status_code == 400 and bare.json()["parameter"] == "graph"


def test_write_without_token_is_401_with_a_bearer_challenge(gsp_settings, gsp_server):
    graph = methods_graph(gsp_settings)
    resp = requests.put(
        url(gsp_server), params={"graph": graph}, data=b"", headers={"Content-Type": NT}
    )
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith('Bearer realm="')
    assert resp.json()["rule"] == "token"
    wrong = write(gsp_server, "PUT", graph, "kgt_00000000_" + "x" * 43)
    assert wrong.status_code == 401
    assert 'error="invalid_token"' in wrong.headers["WWW-Authenticate"]


def test_wrong_role_is_403_naming_the_role_the_graph_needs(gsp_settings, gsp_server, tokens):
    graph = methods_graph(gsp_settings)
    loader = write(gsp_server, "POST", graph, tokens[STATISTICS_LOADER])
    assert loader.status_code == 403
    assert loader.json()["valid"] == [VOCABULARY_EDITOR]
    derived = write(
        gsp_server, "PUT", graph_iri(gsp_settings, "indicator-values"), tokens[VOCABULARY_EDITOR]
    )
    assert derived.status_code == 403 and derived.json()["rule"] == "graph-read-only"
    log = write(gsp_server, "POST", graph_iri(gsp_settings, "changelog"), tokens[VOCABULARY_EDITOR])
    assert log.status_code == 403


def test_client_graphs_are_read_only_with_the_client_data_role(gsp_settings, gsp_server, tokens):
    client = graph_iri(gsp_settings, "client", "aggregate")
    assert get(gsp_server, client).status_code == 401
    assert get(gsp_server, client, tokens[VOCABULARY_EDITOR]).status_code == 403
    # the bundled build lifts no client documents (no KG_PSEUDONYM_KEY): the reader passes the
    # role check and finds no such graph
    assert get(gsp_server, client, tokens[CLIENT_DATA_READER]).status_code == 404
    written = write(gsp_server, "PUT", client, tokens[CLIENT_DATA_READER])
    assert written.status_code == 403 and written.json()["rule"] == "graph-read-only"


def test_body_in_an_unsupported_format_is_415_listing_the_formats(gsp_settings, gsp_server, tokens):
    resp = write(
        gsp_server,
        "POST",
        methods_graph(gsp_settings),
        tokens[VOCABULARY_EDITOR],
        b"<rdf:RDF/>",
        "application/xml",
    )
    assert resp.status_code == 415
    assert resp.json()["valid"] == ["text/turtle", NT, "application/ld+json"]


def test_turtle_syntax_error_is_400_naming_the_line(gsp_settings, gsp_server, tokens):
    body = b"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skos:prefLabel .\n"
    resp = write(
        gsp_server,
        "POST",
        methods_graph(gsp_settings),
        tokens[VOCABULARY_EDITOR],
        body,
        "text/turtle",
    )
    assert resp.status_code == 400
    assert resp.json()["rule"] == "rdf-syntax" and "line 2" in resp.json()["detail"]


def test_post_makes_a_new_graph_201_and_delete_drops_it_204(gsp_settings, gsp_server, tokens):
    graph = graph_iri(gsp_settings, "ontology", "gsp-notes")
    scheme = NamedNode(gsp_settings.base_iri + "scheme/method")
    note = {Triple(scheme, NamedNode(RDFS + "comment"), Literal("a note", language="en"))}
    token = tokens[VOCABULARY_EDITOR]
    jsonld = serialize(list(note), format=RdfFormat.JSON_LD) or b""
    made = write(gsp_server, "POST", graph, token, jsonld, "application/ld+json")
    assert made.status_code == 201
    assert made.headers["ETag"] and "graph=" in made.headers["Location"]
    read = get(gsp_server, graph, accept="application/ld+json")
    assert triples_of(read.content, RdfFormat.JSON_LD) == note
    assert write(gsp_server, "DELETE", graph, token).status_code == 204
    assert get(gsp_server, graph).status_code == 404
    assert write(gsp_server, "DELETE", graph, token).status_code == 404


def _second_finnish_label(settings) -> tuple[bytes, NamedNode]:
    """methods.ttl with a second skos:prefLabel@fi on its first concept."""
    source = [q.triple for q in read_quads(settings.ontology_dir / "methods.ttl")]
    concept = next(
        t.subject
        for t in source
        if t.predicate.value == SKOS + "inScheme" and isinstance(t.subject, NamedNode)
    )
    extra = Triple(concept, NamedNode(SKOS + "prefLabel"), Literal("Toinen nimi", language="fi"))
    return ntriples([*source, extra]), concept


def test_invalid_write_is_400_with_the_shacl_report_and_changes_nothing(
    gsp_settings, gsp_server, tokens
):
    graph = methods_graph(gsp_settings)
    before = get(gsp_server, graph)
    served_before = served_dir(gsp_settings)
    builds_before = sorted(os.listdir(gsp_settings.var_dir / "stores"))
    body, concept = _second_finnish_label(gsp_settings)
    resp = write(gsp_server, "PUT", graph, tokens[VOCABULARY_EDITOR], body)
    assert resp.status_code == 400
    problem = resp.json()
    assert problem["rule"] == "graph-validation" and problem["conforms"] is False
    assert any(
        r["focus"] == concept.value and r["path"] == SKOS + "prefLabel" for r in problem["results"]
    )
    after = get(gsp_server, graph)
    assert after.headers["ETag"] == before.headers["ETag"]
    assert triples_of(after.content) == triples_of(before.content)
    assert served_dir(gsp_settings) == served_before
    assert sorted(os.listdir(gsp_settings.var_dir / "stores")) == builds_before


def test_valid_write_is_recorded_in_the_change_log_with_who_when_and_what(
    gsp_settings, gsp_server, tokens
):
    graph = methods_graph(gsp_settings)
    before = get(gsp_server, graph)
    old = triples_of(before.content)
    concept = next(t.subject for t in old if t.predicate.value == SKOS + "inScheme")
    label = next(t for t in old if t.subject == concept and t.predicate.value == SKOS + "prefLabel")
    new = Triple(concept, NamedNode(SKOS + "altLabel"), Literal("GSP-testi", language="fi"))
    sent = (old - {label}) | {new, label}  # one triple added, none removed
    started = datetime.now(UTC)
    resp = write(
        gsp_server,
        "PUT",
        graph,
        tokens[VOCABULARY_EDITOR],
        ntriples(sent),
        **{"If-Match": before.headers["ETag"], "Change-Comment": "altLabel for the test"},
    )
    assert resp.status_code == 204, resp.text
    assert resp.headers["ETag"] != before.headers["ETag"]
    assert triples_of(get(gsp_server, graph).content) == sent
    with served_store(gsp_settings) as store:
        rows = select(
            store, gsp_settings.queries_dir, "changes/graph-changes", graph=NamedNode(graph)
        )
        history = select(
            store, gsp_settings.queries_dir, "changes/resource-changes", resource=concept
        )
    latest = rows[0]
    assert latest["who"].value == VOCABULARY_EDITOR  # the token's name
    assert latest["method"].value == "PUT"
    assert int(latest["added"].value) == len(sent - old) == 1
    assert int(latest["removed"].value) == len(old - sent) == 0
    assert latest["comment"].value == "altLabel for the test"
    when = datetime.fromisoformat(latest["created"].value)
    assert started <= when <= datetime.now(UTC)
    mine = [r for r in history if r["change"] == latest["change"]]
    assert [(r["kind"].value, r["predicate"], r["object"]) for r in mine] == [
        ("added", new.predicate, new.object)
    ]


def test_a_vocabulary_write_reaches_the_release_stores_copy_and_leaves_the_releases(
    gsp_settings, gsp_server, tokens
):
    """A query comparing a release with today's vocabulary sees the write at once."""
    graph = methods_graph(gsp_settings)
    releases = list_releases(gsp_settings.project_dir / "releases")
    released = graph_iri(gsp_settings, "release", releases[-1].version, "methods")
    before = get(gsp_server, released)
    assert before.status_code == 200
    concept = next(t.subject for t in triples_of(get(gsp_server, graph).content))
    label = Literal("GSP-julkaisuvertailu", language="fi")
    added = Triple(concept, NamedNode(SKOS + "altLabel"), label)
    resp = write(gsp_server, "POST", graph, tokens[VOCABULARY_EDITOR], ntriples([added]))
    assert resp.status_code == 204, resp.text
    query = f"""SELECT ?l WHERE {{
      GRAPH <{graph}> {{ <{concept.value}> <{SKOS}altLabel> ?l }}
      FILTER EXISTS {{ GRAPH <{released}> {{ ?s ?p ?o }} }}
    }}"""
    answer = requests.post(
        gsp_server.base + "/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert label.value in {b["l"]["value"] for b in answer.json()["results"]["bindings"]}
    after = get(gsp_server, released)
    assert after.headers["ETag"] == before.headers["ETag"]  # the release itself is untouched
    assert triples_of(after.content) == triples_of(before.content)


def test_concurrent_writes_to_one_graph_one_wins_the_other_409_and_a_retry_keeps_both(
    gsp_settings, gsp_server, tokens
):
    graph = graph_iri(gsp_settings, "ontology", "gsp-concurrent")
    token = tokens[VOCABULARY_EDITOR]
    scheme = NamedNode(gsp_settings.base_iri + "scheme/method")
    first = Triple(scheme, NamedNode(RDFS + "comment"), Literal("first"))
    assert write(gsp_server, "PUT", graph, token, ntriples([first])).status_code == 201
    etag = get(gsp_server, graph).headers["ETag"]
    notes = [Literal(f"writer {i}") for i in range(2)]
    answers: dict[int, requests.Response] = {}
    start = threading.Barrier(2)

    def post(i: int) -> None:
        body = ntriples([Triple(scheme, NamedNode(RDFS + "comment"), notes[i])])
        start.wait()
        answers[i] = write(gsp_server, "POST", graph, token, body, **{"If-Match": etag})

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.status_code for r in answers.values())
    assert statuses == [204, 409]
    loser = next(i for i, r in answers.items() if r.status_code == 409)
    assert answers[loser].json()["rule"] in ("graph-version", "graph-write-in-progress")
    fresh = get(gsp_server, graph).headers["ETag"]
    body = ntriples([Triple(scheme, NamedNode(RDFS + "comment"), notes[loser])])
    retry = write(gsp_server, "POST", graph, token, body, **{"If-Match": fresh})
    assert retry.status_code == 204
    comments = {t.object for t in triples_of(get(gsp_server, graph).content)}
    assert comments == {first.object, *notes}


def _statistics_graph(gsp_settings, gsp_server) -> tuple[str, set[Triple]]:
    """The smallest statistics source graph of the build and its triples."""
    with served_store(gsp_settings) as store:
        prefix = graph_iri(gsp_settings, "source") + "/"
        counts = {g: n for g, n in store.stats().items() if g.startswith(prefix)}
    graph = min(
        (g for g in counts if get(gsp_server, g).content.count(QB.encode() + b"Observation")),
        key=lambda g: counts[g],
    )
    return graph, triples_of(get(gsp_server, graph).content)


def test_statistics_write_is_checked_by_the_statistics_shapes(gsp_settings, gsp_server, tokens):
    graph, triples = _statistics_graph(gsp_settings, gsp_server)
    token = tokens[STATISTICS_LOADER]
    dataset = next(t.object for t in triples if t.predicate.value == QB + "dataSet")
    note = Triple(dataset, NamedNode(RDFS + "comment"), Literal("checked", language="en"))
    assert write(gsp_server, "POST", graph, token, ntriples([note])).status_code == 204
    bare = NamedNode(gsp_settings.base_iri + "data/gsp-test/observation-without-figure")
    broken = [
        Triple(
            bare,
            NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            NamedNode(QB + "Observation"),
        ),
        Triple(bare, NamedNode(QB + "dataSet"), dataset),
    ]
    before = get(gsp_server, graph).headers["ETag"]
    resp = write(gsp_server, "POST", graph, token, ntriples(broken))
    assert resp.status_code == 400
    results = resp.json()["results"]
    assert {r["focus"] for r in results if r["source"] == "shacl"} == {bare.value}
    assert get(gsp_server, graph).headers["ETag"] == before


def test_a_rebuild_replays_the_journal_of_accepted_writes(gsp_settings, gsp_server):
    """The build's files plus the journal (var/graph-edits/) give the graphs served now, and the
    change log again; the written-then-deleted graph stays deleted."""
    from kgservice.pipeline.build import load_ontology
    from kgservice.pipeline.edits import entries, replay_edits
    from kgservice.pipeline.steps import StepReport
    from kgservice.store.embedded import EmbeddedStore

    journal = entries(gsp_settings)
    with served_store(gsp_settings) as served:
        logged = select(
            served,
            gsp_settings.queries_dir,
            "changes/graph-changes",
            graph=NamedNode(methods_graph(gsp_settings)),
        )
        served_log = served.dump(RdfFormat.N_TRIPLES, graph_iri(gsp_settings, "changelog"))
    rebuilt = EmbeddedStore(base_iri=gsp_settings.base_iri)
    load_ontology(gsp_settings, rebuilt, StepReport("ontology"))
    replay_edits(gsp_settings, rebuilt, StepReport("reviewed-edits"))
    for name in ("methods", "gsp-concurrent"):
        graph = graph_iri(gsp_settings, "ontology", name)
        again = triples_of(rebuilt.dump(RdfFormat.N_TRIPLES, graph))
        assert again == triples_of(get(gsp_server, graph).content), name
    assert graph_iri(gsp_settings, "ontology", "gsp-notes") not in rebuilt.graphs()
    change_sets = select(
        rebuilt,
        gsp_settings.queries_dir,
        "changes/graph-changes",
        graph=NamedNode(methods_graph(gsp_settings)),
    )
    assert [r["change"] for r in change_sets] == [r["change"] for r in logged]
    assert len(
        triples_of(rebuilt.dump(RdfFormat.N_TRIPLES, graph_iri(gsp_settings, "changelog")))
    ) == len(triples_of(served_log))
    assert journal and all(p.suffix == ".nt" for p in journal)


def test_no_token_reaches_the_server_log(gsp_server, tokens):
    log = gsp_server.log.read_text(errors="replace")
    assert log  # the server wrote its start line
    for token in tokens.values():
        assert token not in log
        # the secret after "kgt_<key>_" (it may itself hold "_": url-safe base64)
        assert token.split("_", 2)[2] not in log


def test_no_token_reaches_the_application_log(gsp_settings, tokens, caplog):
    from kgservice.pipeline.graphwrite import GraphWriter
    from kgservice.web import create_app

    app = create_app(gsp_settings, graph_writer=GraphWriter(gsp_settings))
    app.config["TESTING"] = False  # production error handling, as under the server
    client = app.test_client()
    caplog.set_level("DEBUG")
    graph = graph_iri(gsp_settings, "ontology", "methods")
    sent = [
        client.put(
            f"/graphs?graph={graph}",
            data=b"<a> <b>",
            headers=auth(token) | {"Content-Type": "text/turtle"},
        )
        for token in tokens.values()
    ]
    assert [r.status_code for r in sent] == [400, 403, 403]  # syntax, then two wrong roles
    bad = client.put(f"/graphs?graph={graph}", headers=auth(tokens[VOCABULARY_EDITOR] + "x"))
    assert bad.status_code == 401
    for token in tokens.values():
        assert token not in caplog.text
        assert all(token not in r.get_data(as_text=True) for r in [*sent, bad])


def test_an_app_without_the_write_path_answers_writes_405_not_a_server_error(gsp_settings, tokens):
    """The read-only case (an app made without ``graph_writer``, e.g. over a remote store):
    a valid write is refused as a method this process does not allow, never as a 5xx."""
    from kgservice.web import create_app

    client = create_app(gsp_settings).test_client()
    graph = graph_iri(gsp_settings, "ontology", "methods")
    resp = client.put(
        f"/graphs?graph={graph}",
        data=b"<https://rake-kg.example/a> <https://rake-kg.example/b> 'c' .",
        headers=auth(tokens[VOCABULARY_EDITOR]) | {"Content-Type": "text/turtle"},
    )
    assert resp.status_code == 405
    assert resp.get_json()["rule"] == "graph-writes-off"
    assert client.get(f"/graphs?graph={graph}").status_code == 200
