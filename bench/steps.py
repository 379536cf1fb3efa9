"""Where the time goes inside the slow build steps (issue 18): a benchmark, not a test.

Makes the national rehearsal's inputs (``bench/national.py``: synthetic Sotkanet-style sources of
every municipality × ``--indicators`` × ``--years``, and a ``--concepts`` vocabulary; no client
documents), then runs the build's steps in order on a staged store up to ``indicator-values``,
timing each (wall clock, and CPU seconds of this process and its forked workers) and profiling
the steps named in ``--profile`` with cProfile (the top functions by cumulative time printed,
the full profile written to ``bench/results/steps-<step>.prof``; a profile sees this process
only). Nothing is persisted or swapped in.

    nice -n 19 .venv/bin/python bench/steps.py --indicators 25 --concepts 50000
    .venv/bin/python bench/steps.py --indicators 5 --concepts 5000 --profile indicator-values
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import national  # noqa: E402  (the rehearsal's vocabulary; its _module loads the other benches)
from national import _module  # noqa: E402

SLOW_STEPS = ("statistics", "release-store", "indicator-values")


def cpu_s() -> float:
    """CPU seconds of this process and of its finished children (the forked workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def run(args: argparse.Namespace, work: Path) -> None:
    from kgservice.pipeline.build import default_steps
    from kgservice.pipeline.steps import StepReport
    from kgservice.store.embedded import EmbeddedStore

    settings, rows = _module("build").make_synthetic(work, args.indicators, args.years)
    onto = _module("views").synthetic_ontology(work, args.indicators)
    national.write_vocabulary(onto, args.concepts, 2026)
    settings = settings.with_(ontology_dir=onto, pseudonym_key="steps-benchmark-key")
    store = EmbeddedStore(work / "build", base_iri=settings.base_iri, staged=True)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'step':<24}{'wall s':>8}{'cpu s':>8}")
    for step in default_steps():
        if step.name in ("dump", "datacube-integrity"):
            break
        profile = cProfile.Profile() if step.name in args.profile else None
        t0, c0 = time.perf_counter(), cpu_s()
        if profile:
            profile.enable()
        step.run(settings, store, StepReport(step.name))
        if profile:
            profile.disable()
        wall, cpu = time.perf_counter() - t0, cpu_s() - c0
        print(f"{step.name:<24}{wall:>8.2f}{cpu:>8.2f}", flush=True)
        if profile:
            profile.dump_stats(out / f"steps-{step.name}.prof")
            text = io.StringIO()
            pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(args.top)
            print(text.getvalue())
    print(f"{rows:,} source rows; {sum(store.stats().values()) // 2:,} triples (about)")
    store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=25)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--concepts", type=int, default=50_000)
    parser.add_argument("--profile", nargs="*", default=list(SLOW_STEPS), help="steps to profile")
    parser.add_argument("--top", type=int, default=25, help="functions printed per profile")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-steps-") as tmp:
        run(args, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
