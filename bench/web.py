"""Benchmark of the term browser: HTTP overhead against direct calls, and search at 50,000 concepts.

All figures are measured in this run, on this machine:

1. **Synthetic vocabulary** of N concepts (default 50,000) in a three-level hierarchy, each with a
   Finnish, Swedish and English preferred label and a Finnish alternative label made of
   Finnish-looking syllables (with å, ä, ö), built into a fresh store with the real build and
   served by the real app on waitress (loopback).
2. **Search**: ``/search/suggest`` through HTTP against ``SearchIndex.search`` called directly on
   the same in-memory index (ratio), for 1- to 6-letter prefixes drawn from the labels, including
   accent-folded ones; median and 95th percentile, and the issue's bound (HTTP p95 < 50 ms).
3. **Concept page**: ``/page?uri=`` through HTTP against the store work it needs (the
   ``web/describe`` query; its incoming links come from the label index) run directly on the
   store (ratio); same for the Turtle description ``/data``.
4. **Concurrency**: requests per second of the concept page with 8 concurrent clients against one
   client.

    .venv/bin/python bench/web.py               # 50,000 concepts
    .venv/bin/python bench/web.py --concepts 5000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import requests
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgservice.config import Settings  # noqa: E402
from kgservice.pipeline.build import build  # noqa: E402
from kgservice.pipeline.steps import Step, StepReport  # noqa: E402
from kgservice.terms import describe  # noqa: E402
from kgservice.web import create_app  # noqa: E402
from kgservice.web.terms import current_index  # noqa: E402

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SYLLABLES = [
    "ka", "ko", "ku", "ki", "la", "lä", "lö", "ma", "mä", "mi", "na", "nä", "no", "pa", "pä",
    "pi", "ra", "rö", "sa", "sä", "si", "so", "ta", "tä", "ti", "tu", "va", "vä", "vi", "yö",
    "hy", "hä", "jo", "jä", "å", "ar", "el", "in", "os", "us",
]  # fmt: skip


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5)))


def synthetic_quads(n: int, base: str, seed: int = 7) -> list[Quad]:
    rng = random.Random(seed)
    graph = NamedNode(base + "graph/bench/vocabulary")
    scheme = NamedNode(base + "scheme/bench")
    concept_cls = NamedNode(SKOS + "Concept")
    quads = [
        Quad(scheme, RDF_TYPE, NamedNode(SKOS + "ConceptScheme"), graph),
        Quad(scheme, NamedNode(SKOS + "prefLabel"), Literal("Testisanasto", language="fi"), graph),
    ]
    pref, alt = NamedNode(SKOS + "prefLabel"), NamedNode(SKOS + "altLabel")
    in_scheme, broader = NamedNode(SKOS + "inScheme"), NamedNode(SKOS + "broader")
    top_of = NamedNode(SKOS + "topConceptOf")
    for i in range(n):
        c = NamedNode(f"{base}concept/bench/c{i}")
        quads += [
            Quad(c, RDF_TYPE, concept_cls, graph),
            Quad(c, in_scheme, scheme, graph),
            Quad(c, pref, Literal(f"{word(rng)} {word(rng)}", language="fi"), graph),
            Quad(c, pref, Literal(word(rng), language="sv"), graph),
            Quad(c, pref, Literal(word(rng), language="en"), graph),
            Quad(c, alt, Literal(word(rng), language="fi"), graph),
        ]
        if i < 50:
            quads.append(Quad(c, top_of, scheme, graph))
        else:
            parent = i // 20 if i >= 1000 else i % 50
            quads.append(Quad(c, broader, NamedNode(f"{base}concept/bench/c{parent}"), graph))
    return quads


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--concepts", type=int, default=50_000)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        var = Path(tmp)
        settings = Settings(var_dir=var, store_path=var / "store")
        quads = synthetic_quads(args.concepts, settings.base_iri)

        def load(s: Settings, store, report: StepReport) -> None:
            store.bulk_load(serialize(quads, format=RdfFormat.N_QUADS) or b"", RdfFormat.N_QUADS)
            report.rows_loaded = len(quads)

        t0 = time.perf_counter()
        build(settings, [Step("bench-vocabulary", load)])
        print(
            f"synthetic vocabulary: {args.concepts} concepts, {len(quads)} quads, "
            f"built in {time.perf_counter() - t0:.1f} s"
        )

        app = create_app(settings)
        from waitress.server import create_server

        server = create_server(app, host="127.0.0.1", port=0, threads=8)
        url = f"http://127.0.0.1:{server.effective_port}"
        closing = threading.Event()

        def serve() -> None:
            try:
                server.run()
            except OSError:  # select() on the sockets close() shut
                if not closing.is_set():
                    raise

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        http = requests.Session()
        try:
            t0 = time.perf_counter()
            assert http.get(url + "/search/suggest?q=a", timeout=120).status_code == 200
            print(f"label index built at first request in {time.perf_counter() - t0:.1f} s")
            with app.test_request_context():
                idx = current_index()
                store = app.extensions["kg.store"].current().store
            print(f"search index: {len(idx.search)} label entries")

            rng = random.Random(11)
            labels = [
                idx.labels[c].pref["fi"]
                for c in rng.sample(sorted(idx.concepts), min(200, len(idx.concepts)))
            ]
            queries = []
            for i in range(args.queries):
                text = rng.choice(labels)
                q = text[: 1 + i % 6]
                queries.append(fold(q) if i % 2 else q)

            direct = []
            for q in queries:
                direct += timed(lambda q=q: idx.search.search(q, limit=10), 1)
            over_http = []
            for q in queries:
                over_http += timed(
                    lambda q=q: http.get(
                        url + "/search/suggest", params={"q": q, "limit": 10}, timeout=10
                    ).raise_for_status(),
                    1,
                )
            one_letter = [t for t, q in zip(over_http, queries, strict=True) if len(q) == 1]
            print("\nsearch (ms)            median     p95")
            print(f"  direct               {statistics.median(direct):7.2f} {p95(direct):7.2f}")
            print(
                f"  HTTP /search/suggest {statistics.median(over_http):7.2f} {p95(over_http):7.2f}"
            )
            print(
                f"  HTTP, 1-letter query {statistics.median(one_letter):7.2f} "
                f"{p95(one_letter):7.2f}"
            )
            print(
                f"  overhead ratio (median HTTP / direct): "
                f"{statistics.median(over_http) / statistics.median(direct):.1f}x"
            )
            ok = p95(over_http) < 50
            print(
                f"  bound: HTTP p95 < 50 ms on {args.concepts} concepts: "
                f"{'met' if ok else 'NOT MET'}"
            )

            concept = f"{settings.base_iri}concept/bench/c{args.concepts // 2}"
            page = f"{url}/page?uri={quote(concept, safe='')}"
            data = f"{url}/data?uri={quote(concept, safe='')}&format=ttl"

            def store_work() -> None:
                describe.description(store, settings, concept)

            base_ms = timed(store_work, 50)
            page_ms = timed(lambda: http.get(page, timeout=10).raise_for_status(), 50)
            data_ms = timed(lambda: http.get(data, timeout=10).raise_for_status(), 50)
            print("\nconcept page (ms)      median     p95   ratio to direct store calls")
            print(f"  direct store calls   {statistics.median(base_ms):7.2f} {p95(base_ms):7.2f}")
            for name, xs in (("HTTP /page", page_ms), ("HTTP /data (ttl)", data_ms)):
                print(
                    f"  {name:20} {statistics.median(xs):7.2f} {p95(xs):7.2f}   "
                    f"{statistics.median(xs) / statistics.median(base_ms):.1f}x"
                )

            def burst(clients: int, total: int = 200) -> float:
                sessions = [requests.Session() for _ in range(clients)]

                def work(i: int) -> None:
                    sessions[i % clients].get(page, timeout=30).raise_for_status()

                t0 = time.perf_counter()
                with ThreadPoolExecutor(clients) as pool:
                    list(pool.map(work, range(total)))
                return total / (time.perf_counter() - t0)

            one, eight = burst(1), burst(8)
            print(
                f"\nconcept page throughput: 1 client {one:.0f} req/s, "
                f"8 clients {eight:.0f} req/s ({eight / one:.2f}x)"
            )
        finally:
            closing.set()
            server.close()
            thread.join(timeout=5)
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
