"""The time limit really stops a runaway query, and other requests are answered meanwhile.

Process model under test: free-form queries run in killable worker processes (see
kgservice/web/sparqlworker.py); the server is waitress with several threads. Every request here
comes from 127.0.0.1, so the per-client shares (kgservice/web/sparqlquota.py, tested in
test_fairness.py) are switched off: these tests are about the pool, the layer under them.
"""

from __future__ import annotations

import threading
import time

import pytest
import requests
from pyoxigraph import QueryResultsFormat, parse_query_results

TIMEOUT_S = 2.0
SLACK_S = 3.0

#: 40 triples; eight-way cross product = 40**8 ≈ 6.5e12 solutions: never finishes on its own.
DATA = {
    "https://rake-kg.example/graph/test/many": "".join(
        f'<http://example.org/s{i}> <http://example.org/p> "v{i}" .\n' for i in range(40)
    ).encode()
}
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?n0 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
)
SMALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

pytestmark = pytest.mark.slow


def without_client_shares(app):
    """Let one address stand for many clients: no per-client limit below the pool's own."""
    from kgservice.web.sparqlquota import QueryQuota

    app.extensions["kg.sparqlquota"] = QueryQuota(
        running=100, waiting=100, budget_s=0, query_timeout_s=TIMEOUT_S
    )
    return app


@pytest.fixture(scope="module")
def server(make_app, serve):
    app = without_client_shares(make_app(DATA, workers=2, query_timeout_s=TIMEOUT_S))
    served = serve(app)
    warm = requests.get(served.endpoint, params={"query": SMALL}, timeout=30)
    assert warm.status_code == 200
    return served


def _count(body: bytes) -> int:
    return int(next(iter(parse_query_results(body, format=QueryResultsFormat.JSON)))["n"].value)


def test_runaway_query_is_stopped_within_the_limit(server):
    pool = server.app.extensions["kg.sparqlpool"]
    killed_before = pool.killed
    started = time.monotonic()
    r = requests.get(server.endpoint, params={"query": RUNAWAY}, timeout=60)
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json()["rule"] == "query-timeout"
    assert "Retry-After" not in r.headers
    assert elapsed < TIMEOUT_S + SLACK_S
    assert pool.killed == killed_before + 1


def test_the_service_keeps_answering_after_a_timeout(server):
    requests.get(server.endpoint, params={"query": RUNAWAY}, timeout=60)
    r = requests.get(server.endpoint, params={"query": SMALL}, timeout=30)
    assert r.status_code == 200
    assert _count(r.content) == 40


def test_other_requests_are_answered_while_a_runaway_query_runs(server):
    assert server.app.extensions["kg.sparqlpool"].wait_ready()
    outcome: dict[str, object] = {}

    def runaway() -> None:
        r = requests.get(server.endpoint, params={"query": RUNAWAY}, timeout=60)
        outcome["status"] = r.status_code
        outcome["finished"] = time.monotonic()

    t = threading.Thread(target=runaway)
    t.start()
    time.sleep(0.3)  # the runaway query now holds one worker
    answered = []
    for _ in range(5):
        r = requests.get(server.endpoint, params={"query": SMALL}, timeout=30)
        assert r.status_code == 200, r.text
        answered.append((r.status_code, _count(r.content), time.monotonic()))
    service_description = requests.get(server.endpoint, headers={"Accept": "text/turtle"})
    t.join()
    assert outcome["status"] == 503
    assert [(s, n) for s, n, _ in answered] == [(200, 40)] * 5
    assert all(at < outcome["finished"] for _, _, at in answered)
    assert service_description.status_code == 200


def test_concurrent_clients_get_consistent_answers(make_app, serve):
    """Eight clients at once on two workers with room for six waiting requests: all answered."""
    from kgservice.web.sparqlworker import QueryPool

    app = without_client_shares(make_app(DATA, workers=2, query_timeout_s=TIMEOUT_S))
    app.extensions["kg.sparqlpool"] = QueryPool(2, TIMEOUT_S, max_waiting=6)
    server = serve(app)
    assert app.extensions["kg.sparqlpool"].wait_ready()
    results: list[tuple[int, int]] = []
    lock = threading.Lock()

    def client() -> None:
        for _ in range(5):
            r = requests.get(server.endpoint, params={"query": SMALL}, timeout=30)
            with lock:
                results.append((r.status_code, _count(r.content)))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    app.extensions["kg.sparqlpool"].close()
    assert results == [(200, 40)] * 40


def test_the_stopped_worker_process_is_gone(server):
    import multiprocessing as mp
    import os

    pool = server.app.extensions["kg.sparqlpool"]
    assert pool.wait_ready()
    before = {p.pid for p in mp.active_children()}
    r = requests.get(server.endpoint, params={"query": RUNAWAY}, timeout=60)
    assert r.status_code == 503
    gone = before - {p.pid for p in mp.active_children()}
    assert len(gone) == 1
    with pytest.raises(ProcessLookupError):
        os.kill(gone.pop(), 0)


def test_a_flood_of_runaway_queries_is_refused_at_once_and_pages_stay_up(make_app, serve):
    """One worker, one waiting place: the third concurrent query is refused immediately, and the
    server's other routes keep answering while the pool is saturated. The pool's own limit holds
    with the per-client shares switched off (defence in depth)."""
    from kgservice.web.sparqlworker import QueryPool

    app = without_client_shares(make_app(DATA, workers=1, query_timeout_s=TIMEOUT_S))
    app.extensions["kg.sparqlpool"] = QueryPool(1, TIMEOUT_S, max_waiting=1)
    served = serve(app)
    assert app.extensions["kg.sparqlpool"].wait_ready()
    statuses: list[int] = []

    def runaway() -> None:
        r = requests.get(served.endpoint, params={"query": RUNAWAY}, timeout=60)
        statuses.append(r.status_code)

    threads = [threading.Thread(target=runaway) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    started = time.monotonic()
    third = requests.get(served.endpoint, params={"query": SMALL}, timeout=60)
    refused_after = time.monotonic() - started
    description = requests.get(served.endpoint, headers={"Accept": "text/turtle"}, timeout=10)
    for t in threads:
        t.join()
    app.extensions["kg.sparqlpool"].close()
    assert third.status_code == 503
    assert third.json()["rule"] == "query-busy"
    assert third.headers["Retry-After"] == "1"
    assert refused_after < 1.0
    assert description.status_code == 200
    assert sorted(statuses) == [503, 503]
