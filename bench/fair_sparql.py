"""One client floods /sparql with heavy queries; how does another client's cheap ASK fare?

Issue 11, defect 4: six concurrent heavy queries from one client held the three workers and the
waiting room, and every other client's ASK got 503 until the heavy ones timed out. This runs the
same scene twice in one run, on the app with its real worker pool (3 workers, as `kgservice serve`):
once with the per-client shares switched off (the old behaviour, the baseline), once with the
default shares (kgservice/web/sparqlquota.py). Clients are told apart by REMOTE_ADDR through
Flask's test client, so no network is involved.

    .venv/bin/python bench/fair_sparql.py              # 40-triple store, 4 s limit
    .venv/bin/python bench/fair_sparql.py --timeout 10 --heavy 6
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from pyoxigraph import RdfFormat

from kgservice.config import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web import create_app
from kgservice.web.sparql import get_pool
from kgservice.web.sparqlquota import QueryQuota

#: 40 triples; the eight-way cross product (40**8 solutions) never finishes by itself.
DATA = "".join(f'<http://example.org/s{i}> <http://example.org/p> "v{i}" .\n' for i in range(40))
HEAVY = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
    "?m ?n0 ?o . ?p ?q ?r . ?s ?t ?u . ?v ?w ?x }"
)
CHEAP = "ASK { ?s ?p ?o }"
FLOODER, OTHER = "192.0.2.10", "198.51.100.7"


def get(app, addr: str, query: str) -> tuple[int, str, float]:
    started = time.perf_counter()
    r = app.test_client().get(
        "/sparql", query_string={"query": query}, environ_base={"REMOTE_ADDR": addr}
    )
    rule = (r.get_json() or {}).get("rule", "") if r.status_code != 200 else ""
    return r.status_code, rule, time.perf_counter() - started


def scene(settings: Settings, heavy: int, shares: bool) -> None:
    app = create_app(settings)
    app.config["TESTING"] = True
    if not shares:
        app.extensions["kg.sparqlquota"] = QueryQuota(
            running=100, waiting=100, budget_s=0, query_timeout_s=settings.query_timeout_s
        )
    pool = get_pool(app)
    assert pool.wait_ready(60), "query workers did not start"
    flood: list[tuple[int, str, float]] = []
    threads = [
        threading.Thread(target=lambda: flood.append(get(app, FLOODER, HEAVY)))
        for _ in range(heavy)
    ]
    for t in threads:
        t.start()
    time.sleep(0.3)  # the heavy queries now hold (or wait for) workers
    cheap: list[tuple[int, str, float]] = []
    until = time.monotonic() + settings.query_timeout_s
    while time.monotonic() < until and len(cheap) < 200:
        cheap.append(get(app, OTHER, CHEAP))
        time.sleep(0.05)
    for t in threads:
        t.join()
    pool.close()
    answered = [s for code, _, s in cheap if code == 200]
    refused = Counter(f"{code} {rule}" for code, rule, _ in cheap if code != 200)
    title = "per-client shares on (default)" if shares else "per-client shares off (baseline)"
    print(f"{title}:")
    print(f"  flooder, {heavy} heavy queries : {dict(Counter(f'{c} {r}' for c, r, _ in flood))}")
    print(f"  other client, cheap ASKs    : {len(answered)} of {len(cheap)} answered", end="")
    if answered:
        print(
            f", median {statistics.median(answered) * 1000:.1f} ms,"
            f" max {max(answered) * 1000:.1f} ms"
        )
    else:
        print()
    if refused:
        print(f"  other client refused        : {dict(refused)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--timeout", type=float, default=4.0, help="query time limit, s")
    parser.add_argument("--heavy", type=int, default=6, help="concurrent heavy queries")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-fair-") as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        store.load(DATA.encode(), RdfFormat.N_TRIPLES, "https://rake-kg.example/graph/bench")
        store.close()
        settings = Settings(store_path=Path(tmp) / "store", var_dir=Path(tmp)).with_(
            query_timeout_s=args.timeout
        )
        print(f"3 workers, {args.timeout:g} s limit, load average {_load()}", file=sys.stderr)
        scene(settings, args.heavy, shares=False)
        scene(settings, args.heavy, shares=True)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
