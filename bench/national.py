"""National-scale rehearsal (issue 18): a benchmark, not a test.

One real ``kgservice build`` over, together:

* **observations**: the scale-up of ``bench/build.py`` (every municipality of the 2024
  classification × N indicators × M years, Sotkanet-style CSV sources, one synthetic count
  indicator per source from ``bench/views.py``). About 8 triples per source row, so the default
  309 × 202 × 20 = 1.25 M rows gives about 10 M triples in the observation graphs (counted after
  the build and reported);
* **a vocabulary of 50,000 concepts** (``--concepts``): one SKOS scheme, a tree ten wide, each
  concept with a preferred label in fi, sv and en and a Finnish alternative label made of
  Finnish-looking words, written into the ontology folder the build reads;
* **client documents**: ``--documents`` (default 1,000,000, all of them really made and
  lifted, nothing extrapolated) synthetic Sosmeta documents, 10 % broken, by
  ``bench/documents.py``: generated as a stream into one JSON Lines batch per wellbeing
  services county, each batch validated, pseudonymised and lifted by ``lift_files`` (what
  ``kgservice lift --county`` runs) on a pool of ``os.cpu_count()`` processes, the lifted output
  checked for identity codes in clear; then aggregated with suppression by this build's
  ``sosmeta-clients`` step.

Reported (and written to ``bench/results/national.json``): build time with every step, triples,
store size on disk, the process's peak resident memory, every situation-picture view (each county
× the last year) and every phenomenon in brief / phenomenon view at every level (median, p95,
max against the 100 ms goal), search suggestions over the concept index (median, p95 against
50 ms) and documents/s against 1 M in 30 min. Everything lives in a temporary folder (``--keep``
keeps it); nothing is written to ``data/`` or ``ontology/``.

    nice -n 19 .venv/bin/python bench/national.py --indicators 25 --concepts 5000 --documents 2000
    nice -n 19 .venv/bin/python bench/national.py            # the full rehearsal (long)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from kgservice.config import Settings  # noqa: E402

B = "https://rake-kg.example/"
SYLLABLES = (
    "ko ti pal ve lu asu mis ter vey den hoi to tu ki per he las ten nuo ri so aa ra ha toi "
    "meen tu lo pai hde riip pu vuu kun ta a lu e yh teis työ si jais huol lon"
).split()
SEARCH_QUERIES = 300


def _module(name: str):
    """A sibling benchmark as a module (``bench/build.py``, ``bench/views.py``)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[f"bench_{name}"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def peak_rss_mb() -> float:
    """Peak resident memory of this process (the build, the lift and the app all run here)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


# -- the vocabulary ---------------------------------------------------------------------------
def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def write_vocabulary(onto: Path, concepts: int, seed: int) -> list[str]:
    """``concepts`` SKOS concepts in one scheme (a tree ten wide); returns their fi labels."""
    rng = random.Random(seed)
    scheme = f"<{B}concept/national-vocabulary>"
    lines = [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        f"{scheme} a skos:ConceptScheme ;",
        '    skos:prefLabel "Kansallinen koesanasto"@fi , "Nationell testvokabulär"@sv , '
        '"National test vocabulary"@en .',
    ]
    labels = []
    for n in range(concepts):
        iri = f"<{B}concept/national-vocabulary/c{n}>"
        fi = f"{word(rng)} {word(rng)}"
        labels.append(fi)
        broader = (
            f"    skos:broader <{B}concept/national-vocabulary/c{(n - 1) // 10}> ;\n"
            if n
            else f"    skos:topConceptOf {scheme} ;\n"
        )
        lines.append(
            f"{iri} a skos:Concept ; skos:inScheme {scheme} ;\n{broader}"
            f'    skos:prefLabel "{fi}"@fi , "{fi} sv{n}"@sv , "{fi} en{n}"@en ;\n'
            f'    skos:altLabel "{word(rng)}"@fi ; skos:notation "N{n}" .'
        )
    (onto / "national-vocabulary.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return labels


# -- client documents -------------------------------------------------------------------------
def lift_documents(settings: Settings, args: argparse.Namespace) -> dict:
    """``args.documents`` documents generated and lifted by ``bench/documents.py`` (the
    aggregate is this rehearsal's build step ``sosmeta-clients``)."""
    documents = _module("documents")
    options = argparse.Namespace(
        documents=args.documents,
        batch_size=args.batch_size,
        population=max(1, args.documents * 3 // 5),
        broken=0.1,
        pool=200,
        seed=args.seed,
    )
    return documents.documents_phase(settings, options, aggregate_too=False)


# -- the service ------------------------------------------------------------------------------
def latencies(client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        t0 = time.perf_counter()
        resp = client.get(url)
        out.append(1000 * (time.perf_counter() - t0))
        if resp.status_code != 200:
            raise SystemExit(f"{url}: {resp.status_code} {resp.get_data(as_text=True)[:200]}")
    return out


def summary(ms: list[float]) -> dict:
    ordered = sorted(ms)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "max_ms": round(ordered[-1], 1),
    }


def measure_service(settings: Settings, labels: list[str], seed: int) -> dict:
    from kgservice.web import api, create_app, terms

    views = _module("views")
    app = create_app(settings)
    t0 = time.perf_counter()
    api.warm_up(app).join()
    api_warm_s = time.perf_counter() - t0  # the views' start-up (registry, regions, years)
    terms.warm_up(app).join()
    warm_s = time.perf_counter() - t0  # and the concept index with its search (every label)
    client = app.test_client()
    urls, counties, years = views.county_urls(settings)
    situation = [u for u in urls if u.endswith(f"year={years[-1]}")]
    latencies(client, situation[:2] + views.other_view_urls()[:2])  # first requests: caches
    rng = random.Random(seed)
    queries = [rng.choice(labels)[: rng.randint(3, 8)] for _ in range(SEARCH_QUERIES)]
    return {
        "warm_up_s": round(warm_s, 1),
        "warm_up_views_s": round(api_warm_s, 1),
        "warm_up_concept_index_s": round(warm_s - api_warm_s, 1),
        "situation_picture": summary(latencies(client, situation)),
        "other_views": summary(latencies(client, views.other_view_urls())),
        "search_suggest": summary(
            latencies(client, [f"/search/suggest?q={q}&lang=fi" for q in queries])
        ),
        "counties": len(counties),
        "years": len(years),
    }


def observation_triples(settings: Settings) -> int:
    """Triples in the graphs of the synthetic sources (the observations and their datasets)."""
    from kgservice.store.embedded import EmbeddedStore
    from kgservice.store.served import served_dir

    store = EmbeddedStore(served_dir(settings), read_only=True)
    try:
        return sum(n for g, n in store.stats().items() if "/synthetic-" in g)
    finally:
        store.close()


def run(args: argparse.Namespace, work: Path) -> dict:
    from kgservice.pipeline.build import build
    from kgservice.store.served import served_dir

    bench_build, views = _module("build"), _module("views")
    settings, rows = bench_build.make_synthetic(work, args.indicators, args.years)
    onto = views.synthetic_ontology(work, args.indicators)
    labels = write_vocabulary(onto, args.concepts, args.seed)
    settings = settings.with_(ontology_dir=onto, pseudonym_key="national-rehearsal-key")
    docs = lift_documents(settings, args)
    print(f"[national] {rows:,} source rows; lifted {docs}", flush=True)
    t0, c0 = time.perf_counter(), time.process_time()
    # --in-order: dump and Data Cube ICs after persist, not beside it (the overlap's child holds
    # the ICs' copy while persist's bulk loader holds its own: a third more memory at the peak)
    overlap = False if args.in_order else None
    report = build(settings, echo=lambda m: print(m, flush=True), overlap=overlap)
    build_s, build_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    steps = {s.name: round(s.seconds, 1) for s in report.steps}
    documents_s = docs["generate"]["wall_s"] + docs["lift"]["wall_s"]
    documents_s += steps.get("sosmeta-clients", 0.0)
    service = measure_service(settings, labels, args.seed)
    return {
        "source_rows": rows,
        "indicators": args.indicators,
        "years": args.years,
        "observation_triples": observation_triples(settings),
        "concepts": args.concepts,
        "triples": report.graphs.get("total", 0),
        "build_s": round(build_s, 1),
        "steps_beside_persist": report.overlapped,
        "build_cpu_s": round(build_cpu_s, 1),
        "steps_s": steps,
        "store_mb": round(dir_mb(served_dir(settings)), 1),
        "documents": docs,
        "documents_per_s": round(docs["documents"] / max(documents_s, 0.1), 1),
        "documents_per_s_note": "generate + lift (pool) + the sosmeta-clients step, wall time",
        "documents_minutes": round(documents_s / 60, 1),
        "service": service,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_average": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=202)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--concepts", type=int, default=50_000)
    parser.add_argument("--documents", type=int, default=1_000_000, help="all really lifted")
    parser.add_argument("--batch-size", type=int, default=50_000, help="documents per batch")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", type=Path, help="work here and keep it")
    parser.add_argument(
        "--in-order", action="store_true", help="no steps beside persist (less memory at the peak)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "national.json")
    args = parser.parse_args(argv)
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        result = run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="kg-national-") as tmp:
            result = run(args, Path(tmp))
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    svc = result["service"]
    print(
        f"\nbuild {result['build_s']:.0f} s (goal < 600) · slowest view "
        f"{max(svc['situation_picture']['max_ms'], svc['other_views']['max_ms']):.0f} ms "
        f"(goal < 100) · search p95 {svc['search_suggest']['p95_ms']:.0f} ms (goal < 50) · "
        f"{args.documents:,} documents {result['documents_minutes']:.0f} min (goal < 30)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
