"""No outbound connection from /sparql, by any spelling, with any one layer switched off.

A real listener on a free loopback port records every connection. Each spelling of ``SERVICE``
is sent through the real route (Flask test client, real worker pool, real pyoxigraph store):

1. as shipped: answered 4xx, the listener sees nothing;
2. with layer 1 (the token scan, ``sparqlguard.analyse``) letting everything through: layer 2
   (the parsed query, rdflib) refuses it — still 4xx, still nothing on the listener;
3. with layers 1 and 2 both off: the query reaches Oxigraph in a confined worker; it may fail
   or come back empty, but the listener sees nothing (layer 3, ``sparqlsandbox``).

A control runs every spelling in this (unconfined) test process straight on pyoxigraph and
shows that each one does connect to the listener when nothing stops it — so the checks above
prove something. Client-data graphs get the same three-configuration treatment for ``FROM``,
``FROM NAMED`` and the protocol's ``default-graph-uri`` / ``named-graph-uri``.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store
from sparql_testdata import CLIENT, SMALL_DATA

from kgservice.web import sparql as sparql_route
from kgservice.web import sparqlworker
from kgservice.web.sparqlguard import QueryInfo
from kgservice.web.sparqlsandbox import status_of

#: (name, query, whether pyoxigraph connects when nothing stops it). ``{U}`` is the listener's
#: SPARQL URL, ``{B}`` its base, ``{PORT}`` its port.
SPELLINGS: list[tuple[str, str, bool]] = [
    ("comment-ends-at-cr", "SELECT * WHERE { # note\rSERVICE <{U}> { ?s ?p ?o } }", True),
    ("comment-ends-at-crlf", "SELECT * WHERE { # note\r\nSERVICE <{U}> { ?s ?p ?o } }", True),
    ("mixed-case", "select * where { sErViCe <{U}> { ?s ?p ?o } }", True),
    ("tabs-and-line-ends", "SELECT\t*\tWHERE\t{\tSERVICE\t<{U}>\r{\n?s\t?p\t?o\t}\r\n}", True),
    ("glued-to-a-variable", "SELECT * WHERE { ?a ?b ?c.SERVICE<{U}>{?s ?p ?o} }", True),
    ("prefixed-name", "PREFIX x: <{B}> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }", True),
    ("empty-prefix-glued", "PREFIX : <{B}> SELECT * WHERE { SERVICE:sparql { ?s ?p ?o } }", True),
    ("base-relative", "BASE <{B}> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }", True),
    ("escape-in-the-iri", "SELECT * WHERE { SERVICE <{B}\\u0073parql> { ?s ?p ?o } }", True),
    ("silent", "SELECT * WHERE { SERVICE SILENT <{U}> { ?s ?p ?o } }", True),
    (
        "sub-select",
        "SELECT * WHERE { { SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } } } }",
        True,
    ),
    (
        "filter-exists",
        "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE <{U}> { ?s ?p ?o } } }",
        True,
    ),
    ("optional", "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE <{U}> { ?s ?p ?o } } }", True),
    ("minus", "SELECT * WHERE { ?a ?b ?c MINUS { SERVICE <{U}> { ?s ?p ?o } } }", True),
    ("union", "SELECT * WHERE { { ?a ?b ?c } UNION { SERVICE <{U}> { ?s ?p ?o } } }", True),
    ("graph", "SELECT * WHERE { GRAPH ?g { SERVICE <{U}> { ?s ?p ?o } } }", True),
    ("construct", "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{U}> { ?s ?p ?o } }", True),
    (
        "less-than-read-as-an-iri",
        "SELECT * WHERE { BIND(1 AS ?a) BIND(2 AS ?b) FILTER(?a<?b#x> '''\n) "
        "SERVICE <{U}> { ?s ?p ?o }\n#'''\n}",
        True,
    ),
    # Oxigraph evaluates a variable SERVICE only when the variable is bound before it, which
    # this query does not do: refused all the same, but no connection in the control either.
    ("variable", "SELECT * WHERE { BIND(<{U}> AS ?x) SERVICE ?x { ?s ?p ?o } }", False),
]
IDS = [s[0] for s in SPELLINGS]


@dataclass
class Listener:
    """A TCP socket on 127.0.0.1 that accepts and records every connection."""

    sock: socket.socket
    seen: list[tuple[str, int]] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def fill(self, text: str) -> str:
        base = f"http://127.0.0.1:{self.port}/"
        return text.replace("{U}", base + "sparql").replace("{B}", base)

    def count_after(self, settle_s: float = 0.3) -> int:
        time.sleep(settle_s)  # a connection attempt in flight has time to arrive
        return len(self.seen)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.1)
    lst = Listener(sock)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, addr = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            lst.seen.append(addr)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True, name="outbound-listener")
    thread.start()
    yield lst
    stop.set()
    thread.join(timeout=2)
    sock.close()


def _form_only(text: str, **_limits: object) -> QueryInfo:
    """Layer 1 switched off: every text passes; only the form is read (for negotiation)."""
    return QueryInfo(form="CONSTRUCT" if "CONSTRUCT" in text.upper() else "SELECT")


@pytest.fixture(scope="module")
def client(make_app):
    return make_app(SMALL_DATA).test_client()


@pytest.fixture(scope="module")
def unchecked_client(make_app):
    """An app whose one worker runs without layer 2 (its sandbox is still applied)."""
    import outbound_helpers

    app = make_app(SMALL_DATA)
    with pytest.MonkeyPatch.context() as mp_:
        mp_.setattr(sparqlworker, "_worker_main", outbound_helpers.unchecked_worker_main)
        assert app.extensions["kg.sparqlpool"].wait_ready(timeout_s=120)
    return app.test_client()


def _problem(r) -> dict:
    assert r.mimetype == "application/problem+json", r.data[:300]
    return r.get_json()


def _refused_without_the_token_scan(client, listener, monkeypatch, text: str) -> None:
    """With layer 1 off, layer 2 refuses the SERVICE (400) and nothing reaches the listener."""
    monkeypatch.setattr(sparql_route, "analyse", _form_only)
    before = len(listener.seen)
    r = client.get("/sparql", query_string={"query": listener.fill(text)})
    assert r.status_code == 400
    assert _problem(r)["rule"] == "service-refused"
    assert listener.count_after() == before


# -- control: every spelling is a live one -----------------------------------------------------
def test_every_spelling_connects_when_nothing_stops_it(listener):
    store = Store()
    g = NamedNode("https://rake-kg.example/graph/test/control")
    store.add(
        Quad(NamedNode("http://example.org/a"), NamedNode("http://example.org/p"), Literal("x"), g)
    )
    connected = []
    for name, text, _live in SPELLINGS:
        before = len(listener.seen)
        try:
            result = store.query(listener.fill(text), use_default_graph_as_union=True)
            list(result)
        except (OSError, RuntimeError):
            pass  # the listener hangs up without an answer
        if listener.count_after() > before:
            connected.append(name)
    assert connected == [name for name, _, live in SPELLINGS if live]


# -- 1: as shipped ------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "text", "live"), SPELLINGS, ids=IDS)
def test_service_is_refused_and_nothing_connects(client, listener, name, text, live):
    before = len(listener.seen)
    r = client.get("/sparql", query_string={"query": listener.fill(text)})
    assert r.status_code == 400
    assert _problem(r)["rule"] in {"service-refused", "sparql-escape"}
    assert listener.count_after(0.1) == before


# -- 2: layer 1 off -----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "text", "live"), SPELLINGS, ids=IDS)
def test_without_the_token_scan_the_parsed_query_refuses_service(
    client, listener, monkeypatch, name, text, live
):
    _refused_without_the_token_scan(client, listener, monkeypatch, text)


# -- 3: layers 1 and 2 off ----------------------------------------------------------------------
@pytest.mark.parametrize(("name", "text", "live"), SPELLINGS, ids=IDS)
def test_without_both_checks_the_confined_worker_cannot_connect(
    unchecked_client, listener, monkeypatch, name, text, live
):
    monkeypatch.setattr(sparql_route, "analyse", _form_only)
    before = len(listener.seen)
    r = unchecked_client.get("/sparql", query_string={"query": listener.fill(text)})
    assert r.status_code < 500, r.data[:300]
    if r.status_code >= 400:  # Oxigraph tried, and failed: the checks really were off
        assert _problem(r)["rule"] == "sparql-evaluation"
    assert listener.count_after() == before


def test_the_unchecked_worker_really_runs_without_layer_2(unchecked_client, listener, monkeypatch):
    """The third configuration is not vacuous: Oxigraph itself reports the blocked call."""
    monkeypatch.setattr(sparql_route, "analyse", _form_only)
    text = "SELECT * WHERE { SERVICE <{U}> { ?s ?p ?o } }"
    r = unchecked_client.get("/sparql", query_string={"query": listener.fill(text)})
    assert r.status_code == 400
    problem = _problem(r)
    assert problem["rule"] == "sparql-evaluation", problem
    # EACCES from the seccomp filter (socket refused), or ENETUNREACH in the namespace
    assert "os error 13" in problem["detail"] or "os error 101" in problem["detail"], problem


# -- client graphs: FROM, FROM NAMED, protocol dataset, whatever the checks see ----------------
DATASETS: list[tuple[str, str, dict[str, str]]] = [
    ("from", f"SELECT ?o FROM <{CLIENT}> WHERE {{ ?s ?p ?o }}", {}),
    ("from-named", f"SELECT ?o FROM NAMED <{CLIENT}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
    ("from-after-cr-comment", f"SELECT ?o # x\rFROM <{CLIENT}> WHERE {{ ?s ?p ?o }}", {}),
    (
        "from-named-lowercase-after-crlf",
        f"select ?o #\r\nfrom named <{CLIENT}> where {{ graph ?g {{ ?s ?p ?o }} }}",
        {},
    ),
    (
        "from-prefixed",
        "PREFIX c: <https://rake-kg.example/graph/client/>\n"
        "SELECT ?o FROM c:batch-1 FROM NAMED c:batch-1 WHERE { { ?s ?p ?o } UNION "
        "{ GRAPH ?g { ?s ?p ?o } } }",
        {},
    ),
    (
        "from-base-relative",
        "BASE <https://rake-kg.example/graph/client/>\nSELECT ?o FROM <batch-1> WHERE { ?s ?p ?o }",
        {},
    ),
    ("graph-iri", f"SELECT ?o WHERE {{ GRAPH <{CLIENT}> {{ ?s ?p ?o }} }}", {}),
    ("protocol-default", "SELECT ?o WHERE { ?s ?p ?o }", {"default-graph-uri": CLIENT}),
    (
        "protocol-named",
        "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
        {"named-graph-uri": CLIENT},
    ),
]
DATASET_IDS = [d[0] for d in DATASETS]


def _objects(r) -> set[str]:
    return {b["o"]["value"] for b in json.loads(r.data)["results"]["bindings"]}


@pytest.mark.parametrize("checks", ["shipped", "no-token-scan", "no-token-scan-no-parse"])
@pytest.mark.parametrize(("name", "text", "params"), DATASETS, ids=DATASET_IDS)
def test_client_graphs_stay_unreachable_whatever_the_checks_see(
    client, unchecked_client, monkeypatch, checks, name, text, params
):
    if checks != "shipped":
        monkeypatch.setattr(sparql_route, "analyse", _form_only)
    chosen = unchecked_client if checks == "no-token-scan-no-parse" else client
    r = chosen.get("/sparql", query_string={"query": text, **params})
    assert r.status_code == 200, r.data[:300]
    assert "client-secret-value" not in _objects(r)


def test_from_still_selects_public_graphs():
    """The parsed FROM clause is honoured (the check does not simply drop datasets)."""
    from kgservice.web.sparqlalgebra import check_parsed

    parsed = check_parsed(
        "BASE <http://example.org/>\nPREFIX g: <http://example.org/graph/>\n"
        "SELECT * FROM <one> FROM g:two # x\rFROM NAMED g:three WHERE { ?s ?p ?o }"
    )
    assert parsed.from_graphs == ["http://example.org/one", "http://example.org/graph/two"]
    assert parsed.from_named_graphs == ["http://example.org/graph/three"]


# -- layer 3 itself ----------------------------------------------------------------------------
def test_a_query_worker_runs_in_its_own_network_namespace_under_seccomp():
    worker = sparqlworker._Worker(mp.get_context("spawn"))
    try:
        inside = status_of(worker.process.pid)
        outside = status_of(os.getpid())
        assert "namespace" in worker.confinement
        assert "seccomp" in worker.confinement
        assert inside["netns"] != outside["netns"]
        assert inside["seccomp"] == "2"  # filter mode
    finally:
        worker.kill()


def _confined_child(port: int, mechanisms: tuple[str, ...], drop_root: bool) -> dict:
    import outbound_helpers

    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(
        target=outbound_helpers.confine_and_connect, args=(child, port, mechanisms, drop_root)
    )
    proc.start()
    child.close()
    try:
        assert parent.poll(60), "the confined child did not answer"
        report = parent.recv()
    finally:
        parent.close()
        proc.join(timeout=10)
    return report


def test_seccomp_alone_refuses_internet_sockets(listener):
    before = len(listener.seen)
    report = _confined_child(listener.port, ("seccomp",), drop_root=False)
    assert report["applied"] == ("seccomp",)
    assert report["connect"] == "EACCES"
    assert listener.count_after() == before


def test_the_network_namespace_alone_leaves_no_route(listener):
    before = len(listener.seen)
    report = _confined_child(listener.port, ("netns",), drop_root=False)
    assert report["applied"] and "namespace" in report["applied"][0]
    assert report["connect"] == "ENETUNREACH"
    assert listener.count_after() == before


def test_without_root_the_worker_is_still_confined(listener):
    """Plain CLONE_NEWNET needs root; an unprivileged worker falls back (user ns or seccomp)."""
    before = len(listener.seen)
    report = _confined_child(listener.port, ("netns", "seccomp"), drop_root=True)
    assert report["uid"] != 0
    assert "network namespace" not in report["applied"]  # plain CLONE_NEWNET needs root
    assert "seccomp" in report["applied"]
    assert report["connect"] in {"EACCES", "ENETUNREACH"}
    assert listener.count_after() == before


# -- the remote backend: layer 2 runs in the web process before the protocol request -----------
@pytest.fixture(scope="module")
def remote_client(make_remote_app):
    return make_remote_app().test_client()


@pytest.mark.remote
@pytest.mark.parametrize(("name", "text", "live"), SPELLINGS, ids=IDS)
def test_remote_backend_without_the_token_scan_still_sends_no_service(
    remote_client, listener, monkeypatch, name, text, live
):
    _refused_without_the_token_scan(remote_client, listener, monkeypatch, text)


@pytest.mark.remote
@pytest.mark.parametrize(("name", "text", "params"), DATASETS, ids=DATASET_IDS)
def test_remote_backend_client_graphs_stay_unreachable_without_the_token_scan(
    remote_client, monkeypatch, name, text, params
):
    monkeypatch.setattr(sparql_route, "analyse", _form_only)
    r = remote_client.get("/sparql", query_string={"query": text, **params})
    if remote_client.application.config["KG_SETTINGS"].sparql_engine == "virtuoso" and (
        name.startswith("from")
    ):  # Virtuoso reads a query's FROM before the request's dataset: refused before sending
        assert r.status_code == 400, r.data[:300]
        assert _problem(r)["rule"] == "dataset-refused"
        return
    assert r.status_code == 200, r.data[:300]
    assert "client-secret-value" not in _objects(r)


# -- layer 2's rule for texts rdflib cannot read -------------------------------------------------
def test_a_query_only_oxigraph_can_read_is_refused_as_not_sparql_11(client, monkeypatch):
    """SPARQL-star runs in Oxigraph, but the parsed check cannot vouch for it: refused (400)."""
    text = "SELECT * WHERE { << ?s ?p ?o >> ?q ?r }"
    assert Store().query(text) is not None  # Oxigraph itself accepts the text
    r = client.get("/sparql", query_string={"query": text})
    assert r.status_code == 400
    problem = _problem(r)
    assert problem["rule"] == "sparql-syntax"
    assert "SPARQL 1.1" in problem["detail"]


def _named_queries():
    from kgservice.config import Settings
    from kgservice.queries import all_queries

    return all_queries(Settings().queries_dir)


@pytest.mark.parametrize("named", _named_queries(), ids=lambda q: q.name)
def test_every_named_query_passes_both_checks_with_the_same_form(named):
    """The examples on the query page (queries/*.rq) pass layer 1 and layer 2 alike."""
    from kgservice.web.sparqlalgebra import check_parsed
    from kgservice.web.sparqlguard import analyse

    assert check_parsed(named.text, "http://127.0.0.1/sparql").form == analyse(named.text).form


def test_the_confinement_in_force_is_logged_when_a_worker_starts(caplog, monkeypatch):
    import logging

    monkeypatch.setattr(sparqlworker, "_LOGGED", set())
    with caplog.at_level(logging.INFO, logger="kgservice.web.sparqlworker"):
        worker = sparqlworker._Worker(mp.get_context("spawn"))
        worker.kill()
    lines = [r.getMessage() for r in caplog.records if r.name == "kgservice.web.sparqlworker"]
    assert lines == [
        "SPARQL query workers: outbound network blocked by network namespace + seccomp"
    ]
