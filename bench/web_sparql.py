"""Benchmark: a mid-size SPARQL query through HTTP (/sparql) vs. directly on the store.

Same run, same synthetic store (Data Cube-like observations in a public graph):

1. latency of one GROUP BY query (300 result rows over 50k triples) made directly with
   ``EmbeddedStore.query_serialized`` and through ``GET /sparql`` on waitress (which runs it in a
   worker process); the ratio is the endpoint's overhead;
2. requests/s of a small query with 8 concurrent clients on loopback (bounded count and time).

Run: ``.venv/bin/python bench/web_sparql.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from pyoxigraph import QueryResultsFormat, RdfFormat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgservice.config import Settings  # noqa: E402
from kgservice.store.embedded import EmbeddedStore  # noqa: E402
from kgservice.web import create_app  # noqa: E402

OBS = 10_000
AREAS = 300
REPEAT = 15
CLIENTS = 8
MAX_REQUESTS = 800
MAX_SECONDS = 20.0

MID_QUERY = """
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
SELECT ?area (COUNT(?obs) AS ?n) (SUM(?v) AS ?total) (AVG(?v) AS ?mean)
WHERE { ?obs sdmx-dimension:refArea ?area ; sdmx-measure:obsValue ?v }
GROUP BY ?area
ORDER BY ?area
"""
SMALL_QUERY = "ASK { ?s ?p ?o }"


def synthetic_ntriples() -> bytes:
    rows = []
    dim = "http://purl.org/linked-data/sdmx/2009/dimension#"
    meas = "http://purl.org/linked-data/sdmx/2009/measure#"
    dec = "http://www.w3.org/2001/XMLSchema#decimal"
    for i in range(OBS):
        o = f"<https://rake-kg.example/data/obs/bench/v/{i}>"
        area = f"<https://rake-kg.example/region/kunta/{i % AREAS:03d}>"
        year = 2000 + i % 20
        rows += [
            f"{o} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<http://purl.org/linked-data/cube#Observation> .",
            f"{o} <{dim}refArea> {area} .",
            f'{o} <{dim}refPeriod> "{year}"^^<http://www.w3.org/2001/XMLSchema#gYear> .',
            f'{o} <{meas}obsValue> "{(i * 7919) % 1000 / 10}"^^<{dec}> .',
            f"{o} <http://purl.org/linked-data/cube#dataSet> "
            "<https://rake-kg.example/data/dataset/bench> .",
        ]
    return ("\n".join(rows) + "\n").encode()


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-sparql-"))
    store = EmbeddedStore(tmp / "store")
    t0 = time.perf_counter()
    store.bulk_load(
        synthetic_ntriples(), RdfFormat.N_TRIPLES, "https://rake-kg.example/graph/bench"
    )
    triples = store.stats()["total"]
    print(f"store: {triples} triples loaded in {time.perf_counter() - t0:.2f} s")
    store.close()
    del store

    settings = Settings(store_path=tmp / "store", var_dir=tmp, query_row_limit=100_000)
    app = create_app(settings)
    from kgservice.web.sparqlquota import QueryQuota

    # One loopback address stands for CLIENTS clients here: no per-client share below the pool's.
    app.extensions["kg.sparqlquota"] = QueryQuota(
        running=CLIENTS, waiting=CLIENTS, budget_s=0, query_timeout_s=settings.query_timeout_s
    )

    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=CLIENTS)
    url = f"http://127.0.0.1:{server.effective_port}/sparql"
    threading.Thread(target=server.run, daemon=True).start()

    with app.app_context():
        from kgservice.web.sparql import get_pool

        assert get_pool().wait_ready(), "query workers did not start"

    direct_store = EmbeddedStore(tmp / "store", read_only=True)
    direct_body = direct_store.query_serialized(MID_QUERY, QueryResultsFormat.JSON)
    session = requests.Session()

    def via_http() -> bytes:
        r = session.get(url, params={"query": MID_QUERY}, timeout=60)
        r.raise_for_status()
        return r.content

    import json

    rows_direct = len(json.loads(direct_body)["results"]["bindings"])
    rows_http = len(json.loads(via_http())["results"]["bindings"])
    assert rows_direct == rows_http == AREAS, (rows_direct, rows_http)

    direct = timed(
        lambda: direct_store.query_serialized(MID_QUERY, QueryResultsFormat.JSON), REPEAT
    )
    http = timed(via_http, REPEAT)
    d_med, h_med = statistics.median(direct), statistics.median(http)
    print(f"mid-size query ({rows_direct} rows over {triples} triples), median of {REPEAT}:")
    print(f"  direct on the store : {d_med * 1000:8.1f} ms")
    print(f"  GET /sparql (HTTP)  : {h_med * 1000:8.1f} ms")
    print(f"  overhead ratio      : {h_med / d_med:8.2f}x  (+{(h_med - d_med) * 1000:.1f} ms)")

    # Throughput: 8 concurrent clients, a small query, bounded by count and time.
    deadline = time.monotonic() + MAX_SECONDS
    done = 0
    refused = 0
    lock = threading.Lock()
    latencies: list[float] = []

    def client() -> None:
        nonlocal done, refused
        s = requests.Session()
        while time.monotonic() < deadline:
            with lock:
                if done >= MAX_REQUESTS:
                    return
                done += 1
            t = time.perf_counter()
            r = s.get(url, params={"query": SMALL_QUERY}, timeout=60)
            with lock:
                if r.status_code == 503:  # over the pool's waiting room: refused at once
                    refused += 1
                    continue
                r.raise_for_status()
                latencies.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as ex:
        for f in [ex.submit(client) for _ in range(CLIENTS)]:
            f.result()
    elapsed = time.perf_counter() - t0
    direct_small = statistics.median(timed(lambda: direct_store.ask(SMALL_QUERY), 200))
    print(f"{CLIENTS} concurrent clients, small query, {elapsed:.2f} s:")
    print(f"  answered (200)      : {len(latencies):8d}")
    print(f"  refused (503 busy)  : {refused:8d}  (more than workers + waiting room at once)")
    print(f"  throughput          : {len(latencies) / elapsed:8.1f} answered requests/s")
    print(f"  median latency      : {statistics.median(latencies) * 1000:8.1f} ms")
    print(f"  same query direct   : {direct_small * 1000:8.3f} ms (baseline)")
    server.close()
    app.extensions["kg.sparqlpool"].close()


if __name__ == "__main__":
    main()
