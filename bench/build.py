"""Benchmark of ``kgservice build``: the whole build against a bare pyoxigraph bulk load.

Two runs, each measured in this process:

1. the bundled data (``data/`` with the repository's mappings);
2. a synthetic scale-up: every municipality of the 2024 classification × N indicators × M years
   (default 200 × 20), written as Sotkanet-style CSV sources (the format of the bundled
   ``sotkanet/…ind127….csv``: ``municipality_code,primary_value,year``), one mapping spec per
   indicator made from the bundled indicator-127 spec. The values are random: they live only in
   a temporary directory, never in ``data/``.

For each run the real :func:`kgservice.pipeline.build.build` builds a fresh store twice: the
way builds ran before 2026-12-07 (``in_memory=False``: every step writes the on-disk store) and
as ``kgservice build`` runs now (staged in memory, then one bulk load); the two stores must hold
the same quads (checked here: blank nodes aside, and the records of a ``rake:sliceRecords``
array as a set, since their order was never fixed). Then the store's quads are dumped to N-Quads
(not timed) and bulk-loaded into an empty on-disk pyoxigraph store (timed). The figure is the
ratio build / bare bulk load, and the time of each step before and after.

``--before-rev REV`` makes the first build that of another git revision instead (its tree is
exported with ``git archive`` into the temporary folder and built in a subprocess on the same
inputs): the before/after table of a change to the build, with the quads compared the same way.

    .venv/bin/python bench/build.py            # full scale-up (slow: minutes)
    .venv/bin/python bench/build.py --quick    # 20 indicators × 5 years
    .venv/bin/python bench/build.py --quick --skip-before   # only the current build
    .venv/bin/python bench/build.py --quick --before-rev 04f384b   # against that commit
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgservice.config import Settings  # noqa: E402
from kgservice.pipeline.build import build  # noqa: E402
from kgservice.pipeline.steps import BuildReport, StepReport  # noqa: E402
from kgservice.sources.snapshot import derive_file  # noqa: E402
from kgservice.store.embedded import EmbeddedStore  # noqa: E402
from kgservice.store.served import served_dir  # noqa: E402
from kgservice.validation.datacube import observation_count  # noqa: E402

RAW = ROOT.parent / "shared" / "data-raw"
TEMPLATE_SPEC = "sotkanet-127-2000-2022.toml"
#: Specs the synthetic build keeps: the region code list the observations' areas refer to.
KEEP_SPECS = ("regions.toml",)
MUNICIPALITIES_FILE = "regions/kunta_hyvinvointialue_yhteistyoalue_2024.csv"
LAST_YEAR = 2024


@dataclass
class Run:
    label: str
    build_s: float
    triples: int
    observations: int
    bulk_s: float
    report: BuildReport
    before: BuildReport | None = None
    #: CPU seconds (every thread) of the build, the before build and the bulk load: on a shared
    #: machine a steadier figure than the wall clock
    build_cpu: float = 0.0
    before_cpu: float = 0.0
    bulk_cpu: float = 0.0

    @property
    def build_rate(self) -> float:
        return self.triples / self.build_s

    @property
    def bulk_rate(self) -> float:
        return self.triples / self.bulk_s


def timed_build(
    label: str, settings: Settings, *, in_memory: bool
) -> tuple[BuildReport, float, float]:
    """The build, its wall-clock and its CPU seconds."""
    how = "staged in memory" if in_memory else "on disk (before)"
    print(f"[{label}] building, {how} …", flush=True)
    t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
    report = build(settings, in_memory=in_memory)
    # the forked process of the steps beside persist is a child: its CPU time counts too
    cpu = time.process_time() - c0 + children_cpu() - k0
    return report, time.perf_counter() - t0, cpu


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def canonical_quads(store_dir: Path) -> set[tuple[str, ...]]:
    """The store's quads as text, blank nodes left out and each ``rdf:JSON`` array of records
    as the sorted list of its records (the build never fixed their order). The graph
    ``graph/dump`` is left out: it holds the dump file's byte size, which depends on the order
    the quads were written in (and the fresh blank node labels)."""
    store = pyoxigraph.Store.read_only(str(store_dir))
    out: set[tuple[str, ...]] = set()
    for q in store:
        if (
            isinstance(q.subject, pyoxigraph.BlankNode)
            or isinstance(q.object, pyoxigraph.BlankNode)
            or str(q.graph_name).endswith("/graph/dump>")
        ):
            continue
        obj = str(q.object)
        if isinstance(q.object, pyoxigraph.Literal) and q.object.value.startswith("[{"):
            records = json.loads(q.object.value)
            obj = json.dumps(sorted(json.dumps(r, sort_keys=True) for r in records))
        out.add((str(q.subject), str(q.predicate), obj, str(q.graph_name)))
    del store
    return out


def same_store(before: Path, after: Path) -> None:
    a, b = canonical_quads(before), canonical_quads(after)
    if a != b:
        print(
            f"  THE TWO BUILDS DIFFER: {len(a - b)} quads only before, {len(b - a)} only after, "
            f"e.g. {sorted(a - b)[:1]} / {sorted(b - a)[:1]}"
        )
        return
    print(f"  same quads before and after: {len(a):,} (blank nodes aside)")


#: Run in a subprocess inside another revision's tree: one build, its report as JSON.
BEFORE_SCRIPT = """
import json, sys
from pathlib import Path
from kgservice.config import Settings
from kgservice.pipeline.build import build
report = build(Settings(**{k: Path(v) for k, v in json.loads(sys.argv[1]).items()}))
print(json.dumps({"seconds": report.seconds, "steps": [[s.name, s.seconds] for s in report.steps]}))
"""
#: The settings a revision's build gets from this run (its own queries and code stay its own).
PASSED = ("var_dir", "store_path", "data_dir", "mappings_dir", "ontology_dir")


def build_at_revision(
    label: str, rev: str, settings: Settings, work: Path
) -> tuple[BuildReport, float]:
    """The build of git revision ``rev`` on the same inputs, in a subprocess in its own tree;
    its report and CPU seconds. Only the settings that differ from the defaults are passed (the
    bundled inputs are the revision's own files, so its provenance names them the same way)."""
    tree = work / f"rev-{rev}"
    if not tree.is_dir():
        tree.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    print(f"[{label}] building, revision {rev} (before) …", flush=True)
    defaults = Settings()
    passed = {
        name: str(getattr(settings, name))
        for name in PASSED
        if getattr(settings, name) != getattr(defaults, name)
    }
    c0 = children_cpu()
    done = subprocess.run(
        [sys.executable, "-c", BEFORE_SCRIPT, json.dumps(passed)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    report = BuildReport(store_dir=served_dir(settings), seconds=result["seconds"])
    report.steps = [StepReport(name, seconds=seconds) for name, seconds in result["steps"]]
    return report, children_cpu() - c0


def measure(
    label: str,
    settings: Settings,
    work: Path,
    expect_observations: int = 1,
    before: bool = True,
    before_rev: str | None = None,
) -> Run:
    old: BuildReport | None = None
    old_cpu = 0.0
    if before and before_rev:
        old, old_cpu = build_at_revision(label, before_rev, settings, work)
        old_dir = served_dir(settings)
    elif before:
        old, _, old_cpu = timed_build(label, settings, in_memory=False)
        old_dir = served_dir(settings)
    report, build_s, build_cpu = timed_build(label, settings, in_memory=True)
    if before and old_dir is not None:
        same_store(old_dir, served_dir(settings))
    triples = report.graphs.get("total", 0)
    built_store = EmbeddedStore(served_dir(settings), read_only=True)
    observations = observation_count(built_store, settings)
    built_store.close()
    print(
        f"[{label}] built {triples:,} triples ({observations:,} observations) in {build_s:.1f} s;"
        " bulk-load baseline …"
    )
    if observations < expect_observations:
        print(f"[{label}] WARNING: expected at least {expect_observations:,} observations")

    slug = "".join(ch if ch.isalnum() else "-" for ch in label)
    dump = work / f"{slug}.nq"
    built = pyoxigraph.Store.read_only(str(served_dir(settings)))
    built.dump(str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    del built
    bare_dir = work / f"{slug}-bare"
    t0, c0 = time.perf_counter(), time.process_time()
    bare = pyoxigraph.Store(str(bare_dir))
    bare.bulk_load(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    bare.flush()
    bulk_s, bulk_cpu = time.perf_counter() - t0, time.process_time() - c0
    loaded = len(bare)
    del bare
    if loaded < triples:
        raise SystemExit(f"baseline loaded {loaded} quads, the build has {triples}")
    dump.unlink()
    shutil.rmtree(bare_dir, ignore_errors=True)
    return Run(
        label, build_s, triples, observations, bulk_s, report, old, build_cpu, old_cpu, bulk_cpu
    )


# -- synthetic sources ------------------------------------------------------------------------
def municipalities(data_dir: Path) -> list[int]:
    with (data_dir / MUNICIPALITIES_FILE).open(encoding="utf-8") as fh:
        return sorted({int(row["kuntanumero"]) for row in csv.DictReader(fh)})


def spec_text(template: str, n: int, code: str, csv_name: str) -> str:
    """The bundled indicator-127 spec with its slug, file, variable and labels replaced."""
    replacements = {
        'slug = "sotkanet-127-2000-2022"': f'slug = "synthetic-{n:03d}"',
        "sotkanet/geofi_sotkanet_ind127_population_municipality_2000_2022.csv": csv_name,
        'variable = "127"': f'variable = "{code}"',
        '[variables.fixed."127"]': f'[variables.fixed."{code}"]',
    }
    text = template
    for old, new in replacements.items():
        if old not in text:
            raise SystemExit(f"{TEMPLATE_SPEC} no longer contains {old!r}: update bench/build.py")
        text = text.replace(old, new)
    return text


def make_synthetic(
    work: Path, indicators: int, years: int, seed: int = 20261123
) -> tuple[Settings, int]:
    """A data + mappings folder: the region code list and ``indicators`` synthetic sources."""
    data, mappings = work / "data", work / "mappings"
    shutil.copytree(ROOT / "mappings", mappings)
    template = (mappings / "sources" / TEMPLATE_SPEC).read_text(encoding="utf-8")
    for spec in (mappings / "sources").glob("*.toml"):
        if spec.name not in KEEP_SPECS:
            spec.unlink()
    regions = tomllib.loads((mappings / "sources" / "regions.toml").read_text(encoding="utf-8"))
    for entry in regions["snapshot"]["files"]:
        derive_file(RAW, data, entry)

    rng = random.Random(seed)
    codes = municipalities(data)
    period = range(LAST_YEAR - years + 1, LAST_YEAR + 1)
    rows = 0
    for n in range(indicators):
        code = f"syn{n:03d}"
        csv_name = f"synthetic/synthetic_{code}.csv"
        path = data / csv_name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["municipality_code", "primary_value", "year"])
            for m in codes:
                for y in period:
                    w.writerow([m, rng.randint(0, 100_000), y])
                    rows += 1
        (mappings / "sources" / f"synthetic-{n:03d}.toml").write_text(
            spec_text(template, n, code, csv_name), encoding="utf-8"
        )
    print(
        f"[synthetic] {len(codes)} municipalities × {indicators} indicators × {years} years "
        f"= {rows:,} rows"
    )
    var = work / "var"
    settings = Settings(var_dir=var, store_path=var / "store", data_dir=data, mappings_dir=mappings)
    return settings, rows


def print_table(runs: list[Run], before_rev: str | None = None) -> None:
    print()
    print(
        f"{'run':<22}{'observations':>13}{'triples':>12}{'before s':>10}{'build s':>9}"
        f"{'bulk s':>8}{'before/bulk':>12}{'build/bulk':>11}"
    )
    for r in runs:
        old = f"{r.before.seconds:>10.1f}" if r.before else f"{'–':>10}"
        old_ratio = f"{r.before.seconds / r.bulk_s:>11.1f}×" if r.before else f"{'–':>12}"
        print(
            f"{r.label:<22}{r.observations:>13,}{r.triples:>12,}{old}{r.build_s:>9.1f}"
            f"{r.bulk_s:>8.1f}{old_ratio}{r.build_s / r.bulk_s:>10.1f}×"
        )
    print(
        f"\n{'CPU seconds':<22}{'before':>10}{'build':>9}{'bulk':>8}"
        f"{'before/bulk':>12}{'build/bulk':>11}"
    )
    for r in runs:
        old = f"{r.before_cpu:>10.1f}" if r.before else f"{'–':>10}"
        old_ratio = f"{r.before_cpu / r.bulk_cpu:>11.1f}×" if r.before else f"{'–':>12}"
        print(
            f"{r.label:<22}{old}{r.build_cpu:>9.1f}{r.bulk_cpu:>8.1f}{old_ratio}"
            f"{r.build_cpu / r.bulk_cpu:>10.1f}×"
        )
    for r in runs:
        print(f"\n{r.label}: seconds per step{'':<8}{'before':>9}{'after':>9}")
        before = {s.name: s.seconds for s in r.before.steps} if r.before else {}
        names = [*before, *(s.name for s in r.report.steps if s.name not in before)]
        after = {s.name: s.seconds for s in r.report.steps}
        for name in names:
            old = f"{before[name]:>9.1f}" if name in before else f"{'–':>9}"
            new = f"{after[name]:>9.1f}" if name in after else f"{'–':>9}"
            beside = "  (beside persist)" if name in r.report.overlapped else ""
            print(f"  {name:<34}{old}{new}{beside}")
        if r.report.overlapped:
            hidden = sum(after[name] for name in r.report.overlapped)
            print(
                f"  overlapped: {' + '.join(r.report.overlapped)} ran beside persist in a forked "
                f"process ({hidden:.1f} s of steps, wall clock of the build less by up to that)"
            )
        else:
            print("  overlapped: none (every step ran in order)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average at the end (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    before = (
        f"the build of revision {before_rev}"
        if before_rev
        else "every step writing the on-disk store"
    )
    print(
        "\nbuild/bulk = how many times longer the whole build (read, map, validate, load, swap) "
        f"takes than a bare pyoxigraph bulk load of the same quads; before = {before}, after = "
        "this checkout (staged in memory, one bulk load: step persist)."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="20 indicators × 5 years")
    parser.add_argument("--indicators", type=int, help="synthetic indicators (default 200)")
    parser.add_argument("--years", type=int, help="synthetic years (default 20)")
    parser.add_argument("--skip-bundled", action="store_true", help="only the synthetic run")
    parser.add_argument(
        "--skip-before", action="store_true", help="no on-disk build to compare with"
    )
    parser.add_argument(
        "--before-rev", help="compare with the build of this git revision (not the on-disk one)"
    )
    args = parser.parse_args(argv)
    indicators = args.indicators or (20 if args.quick else 200)
    years = args.years or (5 if args.quick else 20)

    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = Path(tmp)
        if not args.skip_bundled:
            var = work / "bundled-var"
            bundled = Settings(var_dir=var, store_path=var / "store")
            runs.append(
                measure(
                    "bundled",
                    bundled,
                    work,
                    before=not args.skip_before,
                    before_rev=args.before_rev,
                )
            )
        synthetic, rows = make_synthetic(work / "synthetic", indicators, years)
        label = f"synthetic {indicators}×{years}"
        runs.append(
            measure(
                label,
                synthetic,
                work,
                rows,
                before=not args.skip_before,
                before_rev=args.before_rev,
            )
        )
    print_table(runs, args.before_rev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
