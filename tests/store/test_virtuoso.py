"""Virtuoso as the remote engine: how the test server is confined, how it is configured, and the
differences from the SPARQL standards that the remote backend's dialect absorbs."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import requests
from fixtures.virtuoso_server import VirtuosoServer, empty
from pyoxigraph import RdfFormat

from kgservice.config import Settings
from kgservice.errors import ConfigError, QueryTimeout
from kgservice.store import open_store
from kgservice.store.dialects import VIRTUOSO
from kgservice.store.remote import RemoteStore

pytestmark = [pytest.mark.remote, pytest.mark.virtuoso]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of the listening TCP sockets on ``port`` (``/proc/net/tcp`` and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_virtuoso_listens_on_loopback_only(virtuoso_endpoint: VirtuosoServer):
    ini = (Path(virtuoso_endpoint.process.args[2])).read_text()
    ports = [int(line.rsplit(":", 1)[1]) for line in ini.splitlines() if "ServerPort" in line]
    assert len(ports) == 2  # SQL and HTTP
    for port in ports:
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else


def test_the_default_dba_password_no_longer_opens_the_graph_store(
    virtuoso_endpoint: VirtuosoServer,
):
    url = virtuoso_endpoint.store
    default = requests.get(url, params={"graph": "urn:x:none"}, auth=_digest("dba", "dba"))
    own = requests.get(
        url, params={"graph": "urn:x:none"}, auth=_digest("dba", virtuoso_endpoint.password)
    )
    assert default.status_code == 401
    assert own.status_code == 404  # let in; the graph is not there


def _digest(user: str, password: str) -> requests.auth.HTTPDigestAuth:
    return requests.auth.HTTPDigestAuth(user, password)


def test_anonymous_updates_are_refused_by_the_query_endpoint(virtuoso_endpoint: VirtuosoServer):
    r = requests.post(
        virtuoso_endpoint.query,
        data={"query": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 1 } }"},
    )
    assert r.status_code >= 400
    with virtuoso_endpoint.remote_store() as store:
        assert "urn:x:g" not in store.graphs()


def test_a_result_cut_short_by_the_time_limit_is_a_timeout_not_fewer_rows(
    virtuoso_endpoint: VirtuosoServer,
):
    """Virtuoso answers 200 with the rows found so far and ``X-SQL-State: S1TAT``."""
    empty(virtuoso_endpoint)
    store = RemoteStore(
        virtuoso_endpoint.query,
        virtuoso_endpoint.update,
        virtuoso_endpoint.store,
        dialect=VIRTUOSO,
        timeout_s=1,
    )
    # Virtuoso's own graphs hold a few thousand triples: a four-way cross product is 10^13 rows.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryTimeout) as err:
        store.select(slow)
    assert err.value.rule == "query-timeout"
    assert "partial result" in err.value.message


def test_virtuoso_itself_runs_bif_http_get_which_is_why_slash_sparql_refuses_it(
    virtuoso_endpoint: VirtuosoServer, make_listener
):
    """The reason for the ``function-refused`` rule: sent straight to Virtuoso's /sparql, the
    query makes Virtuoso fetch a URL; sent through rake-kg's /sparql, it never leaves."""
    hits, url = make_listener
    r = requests.post(
        virtuoso_endpoint.query,
        data={"query": f"SELECT (<bif:http_get>('{url}') AS ?x) WHERE {{}}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert hits == ["/"]


@pytest.fixture()
def make_listener():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hits, f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_settings_derive_virtuosos_update_and_graph_store_endpoints():
    s = Settings(sparql_endpoint="http://127.0.0.1:8890/sparql", sparql_engine="virtuoso")
    assert s.update_endpoint == "http://127.0.0.1:8890/sparql-auth"
    assert s.store_endpoint == "http://127.0.0.1:8890/sparql-graph-crud-auth"


def test_an_unknown_engine_is_refused_naming_the_choices():
    with pytest.raises(ConfigError) as err:
        Settings.from_env({"KG_SPARQL_ENGINE": "blazegraph"})
    assert err.value.rule == "config-sparql-engine"
    assert "oxigraph, virtuoso, generic" in err.value.message


def test_open_store_talks_to_virtuoso_with_the_configured_user(
    virtuoso_endpoint: VirtuosoServer, tmp_path: Path
):
    empty(virtuoso_endpoint)
    settings = Settings(var_dir=tmp_path, **virtuoso_endpoint.settings())
    with open_store(settings) as store:
        store.load(b"<urn:x:a> <urn:x:b> <urn:x:c> .\n", RdfFormat.N_TRIPLES, "urn:x:graph")
        assert store.graphs() == ["urn:x:graph"]  # Virtuoso's own graphs are not listed
        store.drop_graph("urn:x:graph")
        assert store.graphs() == []
