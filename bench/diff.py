"""Benchmark of ``kgservice diff``: two releases of a synthetic 10,000-concept vocabulary.

Writes two Turtle files to a temporary directory (nothing in the repository): version A with
``--concepts`` concepts (labels fi/sv/en, a definition, a broader link, a mapping, a notation and
a status each) and version B with ``--changes`` (default 5 %) of them changed, spread evenly over
the change kinds: added, deprecated with a replacement, removed, relabelled in sv, moved in the
hierarchy, remapped. Measured in this run, best of ``--repeat``:

* baseline: parsing both files with pyoxigraph and nothing else;
* diff: the whole ``kgservice diff A B`` path (read both, compare) and each output format.

Prints the seconds, the ratio to the baseline, and whether the goal (diff under 2 s) is met;
checks that the diff found every scripted change.

    .venv/bin/python bench/diff.py                 # 10,000 concepts, 5 % changed
    .venv/bin/python bench/diff.py --concepts 50000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from kgservice.releases.diff import diff  # noqa: E402
from kgservice.releases.render import FORMATS, render  # noqa: E402
from kgservice.releases.snapshot import read_files  # noqa: E402

KINDS = ("added", "deprecated", "removed", "relabelled", "moved", "remapped")
HEAD = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix rake: <https://rake-kg.example/ontology/> .
@prefix c: <https://rake-kg.example/concept/bench/> .
@prefix st: <https://rake-kg.example/concept/status/> .
<https://rake-kg.example/scheme/bench> a skos:ConceptScheme ; skos:prefLabel "Testi"@fi .
"""


def concept(i: int, kind: str | None = None) -> str:
    sv = f"begrepp {i}" + (" (ny)" if kind == "relabelled" else "")
    parent = (i // 10) + (1 if kind == "moved" else 0)
    match = "closeMatch" if kind == "remapped" else "exactMatch"
    text = (
        f"c:k{i} a skos:Concept ; skos:inScheme <https://rake-kg.example/scheme/bench> ;\n"
        f'  skos:prefLabel "käsite {i}"@fi , "{sv}"@sv , "concept {i}"@en ;\n'
        f'  skos:altLabel "termi {i}"@fi ; skos:definition "Käsitteen {i} määritelmä."@fi ;\n'
        f'  skos:{match} <http://www.yso.fi/onto/yso/p{i}> ; skos:notation "{i}" ;\n'
    )
    if i >= 10:
        text += f"  skos:broader c:k{parent} ;\n"
    if kind == "deprecated":
        return (
            text
            + f"  owl:deprecated true ; dct:isReplacedBy c:k{i + 1} ; rake:status st:RETIRED .\n"
        )
    return text + "  rake:status st:VALID .\n"


def write_versions(folder: Path, concepts: int, share: float) -> tuple[Path, Path, int]:
    """Version A and B; returns the paths and the number of scripted changes."""
    step = max(1, round(1 / share))
    changed = {i: KINDS[(i // step) % len(KINDS)] for i in range(10, concepts, step)}
    a = HEAD + "".join(concept(i) for i in range(concepts))
    b = [HEAD]
    for i in range(concepts):
        kind = changed.get(i)
        if kind == "removed":
            continue
        if kind == "added":
            b.append(concept(concepts + i))
        b.append(concept(i, kind))
    (folder / "a.ttl").write_text(a, encoding="utf-8")
    (folder / "b.ttl").write_text("".join(b), encoding="utf-8")
    return folder / "a.ttl", folder / "b.ttl", len(changed)


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--changes", type=float, default=0.05, help="share of concepts changed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        a, b, scripted = write_versions(Path(tmp), args.concepts, args.changes)

        def parse_only() -> None:
            for path in (a, b):
                list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))

        def run_diff() -> object:
            return diff(read_files("A", a), read_files("B", b))

        baseline = best(parse_only, args.repeat)
        seconds = best(run_diff, args.repeat)
        result = diff(read_files("A", a), read_files("B", b))
        found = sum(result.counts().values())
        print(
            f"vocabulary: {args.concepts} concepts, {scripted} scripted changes "
            f"({args.changes:.0%}); the diff reports {found} concepts: {result.counts()}"
        )
        print(f"  parse both files (baseline)  {baseline:6.3f} s")
        print(f"  diff A B                     {seconds:6.3f} s  {seconds / baseline:5.1f}x")
        for fmt in FORMATS:
            t = best(lambda fmt=fmt: render(result, fmt), args.repeat)
            print(f"  diff A B + {fmt:<17} {seconds + t:6.3f} s  {(seconds + t) / baseline:5.1f}x")
        worst = seconds + max(best(lambda f=f: render(result, f), 1) for f in FORMATS)
        print(
            f"goal (diff with any output under 2 s): {'met' if worst < 2 else 'NOT MET'} "
            f"({worst:.3f} s)"
        )
        # only skos:broader is written, so each scripted change is one reported concept
        return 0 if found == scripted else 1


if __name__ == "__main__":
    sys.exit(main())
