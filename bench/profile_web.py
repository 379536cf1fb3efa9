"""Where the time of a term-browser request goes: pyinstrument over the Flask test client.

Against a build of the bundled data (``--keep DIR`` as in ``bench/load.py``, built when
missing), after one warm-up request each, profiles N requests of each kind of the load mix:
concept pages (``/page?uri=…`` of concepts of every vocabulary, regions included), searches
(``/search?q=``), and prints each profile (slowest call paths first) with the mean time per
request, so a change can be measured before/after in the same way.

    .venv/bin/python bench/profile_web.py --keep /tmp/loadbench
    .venv/bin/python bench/profile_web.py --keep /tmp/loadbench --kind page --html /tmp/page.html
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from pyinstrument import Profiler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgservice.config import Settings  # noqa: E402
from kgservice.store.served import served_dir  # noqa: E402
from kgservice.web import create_app  # noqa: E402

SKOS = "http://www.w3.org/2004/02/skos/core#"
QUERY = (
    f"PREFIX skos: <{SKOS}> SELECT ?scheme ?concept ?label WHERE {{ ?concept skos:inScheme "
    '?scheme ; skos:prefLabel ?label FILTER(LANG(?label) = "fi") } ORDER BY ?scheme ?concept'
)


def paths(client, rng: random.Random) -> dict[str, list[str]]:
    rows = client.get("/sparql", query_string={"query": QUERY}).get_json()["results"]["bindings"]
    by_scheme: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        by_scheme.setdefault(r["scheme"]["value"], []).append(
            (r["concept"]["value"], r["label"]["value"])
        )
    concepts = [
        c for members in by_scheme.values() for c in rng.sample(members, min(12, len(members)))
    ]
    return {
        "page": ["/page?" + urlencode({"uri": c, "lang": "fi"}) for c, _ in concepts],
        "search": [
            "/search?" + urlencode({"q": label.split()[0].lower()[:5]})
            for _, label in rng.sample(concepts, min(40, len(concepts)))
        ],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", type=Path, required=True, help="the build's var directory")
    ap.add_argument("--kind", choices=("page", "search"), action="append")
    ap.add_argument("--rounds", type=int, default=3, help="passes over the sampled paths")
    ap.add_argument("--html", type=Path, help="also write the (last) profile as HTML here")
    args = ap.parse_args()
    var_dir = args.keep.resolve()
    settings = Settings(var_dir=var_dir, store_path=var_dir / "store")
    if served_dir(settings) is None:
        subprocess.run(
            [sys.executable, "-m", "kgservice.cli", "build"],
            env={"KG_VAR_DIR": str(var_dir), "PATH": ""},
            check=True,
        )
    app = create_app(settings)
    client = app.test_client()
    mix = paths(client, random.Random(11))
    for kind in args.kind or ("page", "search"):
        for p in mix[kind]:  # warm-up: label index, query cache, templates
            assert client.get(p).status_code == 200, p
        profiler = Profiler(interval=0.0005)
        n = 0
        t0, cpu0 = time.perf_counter(), time.process_time()
        profiler.start()
        for _ in range(args.rounds):
            for p in mix[kind]:
                client.get(p)
                n += 1
        profiler.stop()
        mean = (time.perf_counter() - t0) / n * 1000
        cpu = (time.process_time() - cpu0) / n * 1000
        print(
            f"\n=== {kind}: {n} requests, {mean:.2f} ms wall and {cpu:.2f} ms CPU a request "
            f"(profiled; load average {os.getloadavg()[0]:.1f}) ==="
        )
        print(profiler.output_text(unicode=True, color=False, show_all=False, short_mode=False))
        if args.html:
            args.html.write_text(profiler.output_html())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
