"""1 M client documents really validated, lifted and aggregated (issue 18, national rehearsal).

Not a sample extrapolated: every document is generated, written, validated, pseudonymised,
lifted (or quarantined) and aggregated.

1. **generate** — a stream, never a million objects in memory. For each bundled Sosmeta
   structure a pool of documents is made once with :class:`kgservice.sosmeta.synth.Synth`
   (Faker fi_FI; ``--pool`` valid and broken ones per structure); each pool document is checked
   with the validator (valid ones must conform, broken ones must not) and turned into a JSON
   text with slots for the identity codes and names. Every written document is a pool text
   with fresh values: an identity code of one of ``--population`` fictional persons (birth date
   1950–1999, a correct check character) and names from Faker's pools. 10 % (``--broken``) are
   broken documents, written as made. One JSON Lines file per wellbeing services county (the
   region code list's counties; at most ``--batch-size`` documents per file, else the county
   gets several batches), the files ``kgservice lift`` reads, written by a process pool.
2. **lift** — each batch by ``lift_files`` (what ``kgservice lift --county XX`` runs:
   validation, identity-code checks, pseudonymisation, lifting, quarantine), one process per
   batch, a pool of ``os.cpu_count()``. Asserts that exactly the broken documents were
   quarantined, and that no identity code is in clear in the lifted output: ``grep -F`` of a
   sample of the generated codes and ``grep -E`` of the identity-code shape over
   ``var/client/`` and ``var/quarantine/``.
3. **aggregate** — the build's steps up to and including ``sosmeta-clients`` over the bundled
   data and all lifted batches (the private batches are loaded into the staging store and the
   suppressed aggregates computed there), then ``persist``; in a child process, so its peak
   memory is its own.

Measured separately: wall and CPU seconds of each phase (CPU of the pool's processes
included), peak resident memory (the largest process), disk (input, lifted batches,
quarantine, the built store). Written to ``bench/results/documents.json``.

    nice -n 10 .venv/bin/python bench/documents.py --documents 20000     # a quick run
    nice -n 10 .venv/bin/python bench/documents.py                       # 1,000,000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCHEMAS = ROOT.parent / "shared" / "data-raw" / "sosmeta" / "schemas"

from kgservice.config import Settings  # noqa: E402

CHECKS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
HETU_SHAPE = r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]"
SLOT = re.compile(r"@@(HETU|LAST|FIRST)@@")
NAME_POOL = 2_000
BORN_FROM, BORN_DAYS = date(1950, 1, 1), 18_262  # 1950–1999
SAMPLE_CODES = 2_000


# -- fictional people -------------------------------------------------------------------------
def hetu(person: int) -> str:
    """The identity code of fictional person ``person``: a birth date in 1950–1999, an
    individual number 002–899 and the correct check character (python-stdnum accepts it)."""
    born = BORN_FROM + timedelta(days=person % BORN_DAYS)
    individual = 2 + (person // BORN_DAYS) % 898
    digits = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}{individual:03d}"
    return f"{digits[:6]}-{digits[6:]}{CHECKS[int(digits) % 31]}"


# -- the pool of documents --------------------------------------------------------------------
@dataclass
class Pool:
    """Per structure: valid documents as texts split at their slots, broken ones as texts."""

    valid: list[list[str]] = field(default_factory=list)  # literal, slot, literal, slot, …
    broken: list[str] = field(default_factory=list)
    broken_codes: set[str] = field(default_factory=set)  # identity codes inside broken ones
    last_names: list[str] = field(default_factory=list)
    first_names: list[str] = field(default_factory=list)


def _slotted(value: Any, key: str = "") -> Any:
    """``value`` with identity codes and names replaced by slot markers."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k == "henkilotunnus" and isinstance(v, dict) and isinstance(v.get("value"), str):
                out[k] = {**_slotted(v), "value": "@@HETU@@"}
            elif k == "henkilotunnus" and isinstance(v, str):
                out[k] = "@@HETU@@"
            elif k in ("sukunimi", "etunimet") and isinstance(v, str):
                out[k] = "@@LAST@@" if k == "sukunimi" else "@@FIRST@@"
            else:
                out[k] = _slotted(v, k)
        return out
    if isinstance(value, list):
        return [_slotted(v, key) for v in value]
    return value


def _codes_in(value: Any) -> Iterator[str]:
    text = json.dumps(value, ensure_ascii=False)
    yield from re.findall(HETU_SHAPE, text)


def make_pool(per_structure: int, seed: int) -> dict[str, Pool]:
    """Pool documents of every bundled structure, each checked by the validator first."""
    from faker import Faker

    from kgservice.sosmeta.documents import Document, StructureResolver
    from kgservice.sosmeta.importer import bundled_oids
    from kgservice.sosmeta.schema import load_schema
    from kgservice.sosmeta.synth import BREAKAGES, Synth
    from kgservice.sosmeta.validate import validate_document

    resolver = StructureResolver(ROOT / "shapes" / "generated")
    fake = Faker("fi_FI")
    fake.seed_instance(seed)
    last = [fake.last_name() for _ in range(NAME_POOL)]
    first = [fake.first_name() for _ in range(NAME_POOL)]
    rng = random.Random(seed)
    pools: dict[str, Pool] = {}
    for oid in sorted(bundled_oids(ROOT / "data" / "sosmeta") or []):
        synth = Synth(load_schema(SCHEMAS / f"{oid}.json"), seed)
        pool = Pool(last_names=last, first_names=first)
        for _ in range(per_structure):
            text = json.dumps(_slotted(synth.valid()), ensure_ascii=False)
            parts = SLOT.split(text)
            doc = json.loads(render(parts, rng, pool, 10**6))
            if validate_document(Document("pool", doc), resolver, oid)[0].conforms:
                pool.valid.append(parts)
        for _ in range(max(1, per_structure // 5)):
            broken = synth.broken(rng.choice(list(BREAKAGES)), attempts=3)
            if broken is None:
                continue
            if not validate_document(Document("pool", broken), resolver, oid)[0].conforms:
                pool.broken.append(json.dumps(broken, ensure_ascii=False))
                pool.broken_codes.update(_codes_in(broken))
        if pool.valid and pool.broken:
            pools[oid] = pool
    return pools


def render(parts: list[str], rng: random.Random, pool: Pool, population: int) -> str:
    """A pool text with fresh identity codes and names in its slots."""
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(part)
        elif part == "HETU":
            out.append(hetu(rng.randrange(population)))
        elif part == "LAST":
            out.append(rng.choice(pool.last_names))
        else:
            out.append(rng.choice(pool.first_names))
    return "".join(out)


# -- phase 1: generate ------------------------------------------------------------------------
@dataclass(frozen=True)
class Batch:
    name: str
    county: str
    documents: int
    seed: int


_POOLS: dict[str, Pool] = {}


def _write_batch(args: tuple[Batch, Path, int, float]) -> dict:
    """One JSON Lines file of ``batch.documents`` documents (runs in a pool process)."""
    batch, folder, population, broken_share = args
    rng = random.Random(batch.seed)
    oids = sorted(_POOLS)
    broken = 0
    codes: list[str] = []
    path = folder / f"{batch.name}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(batch.documents):
            pool = _POOLS[oids[n % len(oids)]]
            if rng.random() < broken_share:
                broken += 1
                fh.write(rng.choice(pool.broken) + "\n")
                continue
            text = render(rng.choice(pool.valid), rng, pool, population)
            if len(codes) < SAMPLE_CODES // 20 and rng.random() < 0.01:
                codes.extend(re.findall(HETU_SHAPE, text))
            fh.write(text + "\n")
    return {"batch": batch.name, "broken": broken, "codes": codes, "bytes": path.stat().st_size}


def plan_batches(counties: list[str], documents: int, batch_size: int, seed: int) -> list[Batch]:
    """An even share of the documents per county, cut into batches of at most ``batch_size``."""
    out = []
    for i, county in enumerate(counties):
        share = documents // len(counties) + (1 if i < documents % len(counties) else 0)
        parts = max(1, -(-share // batch_size))
        for p in range(parts):
            n = share // parts + (1 if p < share % parts else 0)
            name = f"county-{county}" + (f"-part-{p + 1}" if parts > 1 else "")
            out.append(Batch(name, county, n, seed * 1000 + len(out)))
    return out


def generate(batches: list[Batch], folder: Path, args: argparse.Namespace) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    pools = make_pool(args.pool, args.seed)
    _POOLS.update(pools)  # inherited by the forked pool processes
    pool_s = time.perf_counter() - t0
    folder.mkdir(parents=True, exist_ok=True)
    child0 = _children_cpu()
    jobs = [(b, folder, args.population, args.broken) for b in batches]
    with ProcessPoolExecutor(os.cpu_count()) as ex:
        written = list(ex.map(_write_batch, jobs))
    wall = time.perf_counter() - t0
    codes = [c for w in written for c in w["codes"]]
    for pool in pools.values():
        codes.extend(sorted(pool.broken_codes)[:5])
    return {
        "structures": len(pools),
        "pool_s": round(pool_s, 1),
        "wall_s": round(wall, 1),
        "cpu_s": round(time.process_time() - c0 + _children_cpu() - child0, 1),
        "broken": sum(w["broken"] for w in written),
        "input_mb": round(sum(w["bytes"] for w in written) / 2**20, 1),
        "sample_codes": codes,
    }


# -- phase 2: lift ----------------------------------------------------------------------------
def _lift_batch(args: tuple[Settings, Batch, Path]) -> dict:
    """``kgservice lift --county C --batch B FILE`` in a pool process."""
    from kgservice.sosmeta.lift import lift_files

    settings, batch, folder = args
    report = lift_files(
        settings, [folder / f"{batch.name}.jsonl"], county=batch.county, batch=batch.name
    )
    return {
        "lifted": report.lifted,
        "quarantined": len(report.quarantined),
        "quads": report.quads,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def lift(settings: Settings, batches: list[Batch], folder: Path) -> dict:
    t0, c0, child0 = time.perf_counter(), time.process_time(), _children_cpu()
    with ProcessPoolExecutor(os.cpu_count()) as ex:  # forked: they inherit the imports
        done = list(ex.map(_lift_batch, [(settings, b, folder) for b in batches]))
    wall = time.perf_counter() - t0
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(time.process_time() - c0 + _children_cpu() - child0, 1),
        "lifted": sum(d["lifted"] for d in done),
        "quarantined": sum(d["quarantined"] for d in done),
        "quads": sum(d["quads"] for d in done),
        "peak_rss_mb_per_process": round(max(d["peak_rss_mb"] for d in done), 1),
        "lifted_mb": round(dir_mb(settings.var_dir / "client"), 1),
        "quarantine_mb": round(dir_mb(settings.var_dir / "quarantine"), 1),
    }


def identity_codes_in_clear(settings: Settings, codes: list[str]) -> dict:
    """``grep`` of the sample codes (fixed strings) and of the identity-code shape over the
    lifted batches and the quarantine lists: both must find nothing."""
    sample = settings.var_dir / "sample-codes.txt"
    sample.write_text("\n".join(codes) + "\n", encoding="utf-8")
    places = [str(settings.var_dir / "client"), str(settings.var_dir / "quarantine")]
    t0 = time.perf_counter()
    exact = subprocess.run(["grep", "-rlF", "-f", str(sample), *places], capture_output=True)
    shaped = subprocess.run(["grep", "-rlE", HETU_SHAPE, *places], capture_output=True)
    sample.unlink()
    for proc in (exact, shaped):
        if proc.returncode not in (0, 1):
            raise SystemExit(f"grep failed: {proc.stderr.decode()}")
    return {
        "sample_codes": len(codes),
        "files_with_a_sample_code": exact.stdout.decode().split(),
        "files_with_an_identity_code_shape": shaped.stdout.decode().split(),
        "grep_s": round(time.perf_counter() - t0, 1),
    }


# -- phase 3: aggregate -----------------------------------------------------------------------
def _aggregate_in_child(settings: Settings) -> dict:
    """The build's steps up to ``sosmeta-clients`` (then ``persist``), in this process."""
    from kgservice.pipeline.build import build, default_steps
    from kgservice.store.served import served_dir

    steps = default_steps()
    names = [s.name for s in steps]
    steps = steps[: names.index("sosmeta-clients") + 1]
    c0 = time.process_time()
    report = build(settings, steps, echo=lambda m: print(f"[documents] {m}", flush=True))
    by_name = {s.name: s for s in report.steps}
    clients = by_name["sosmeta-clients"]
    return {
        "steps_s": {s.name: round(s.seconds, 1) for s in report.steps},
        "build_s": round(report.seconds, 1),
        "build_cpu_s": round(time.process_time() - c0, 1),
        "client_quads_loaded": clients.rows_loaded,
        "notes": clients.notes,
        "store_triples": report.graphs.get("total", 0),
        "store_mb": round(dir_mb(served_dir(settings)), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def aggregate(settings: Settings) -> dict:
    with ProcessPoolExecutor(1) as ex:
        return ex.submit(_aggregate_in_child, settings).result()


# -- the run ----------------------------------------------------------------------------------
def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _shown(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "sample_codes"}


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def counties(settings: Settings) -> list[str]:
    """The wellbeing services counties of the region code list (``lift --county`` checks these)."""
    from kgservice.mappings.regions import load_region_index

    years = load_region_index(settings).years
    return sorted({p.split("/", 1)[1] for p in years if p.startswith("hyvinvointialue/")})


def documents_phase(settings: Settings, args: argparse.Namespace, *, aggregate_too: bool) -> dict:
    """Generate, lift (and check) ``args.documents`` documents; aggregate them when asked."""
    batches = plan_batches(counties(settings), args.documents, args.batch_size, args.seed)
    folder = settings.var_dir / "incoming"
    gen = generate(batches, folder, args)
    print(f"[documents] generated {len(batches)} batches: {_shown(gen)}", flush=True)
    lifted = lift(settings, batches, folder)
    print(f"[documents] lifted: {lifted}", flush=True)
    clear = identity_codes_in_clear(settings, gen.pop("sample_codes"))
    out: dict[str, Any] = {
        "documents": args.documents,
        "batches": len(batches),
        "counties": len({b.county for b in batches}),
        "generate": gen,
        "lift": lifted,
        "identity_codes_in_clear": clear,
    }
    if lifted["lifted"] + lifted["quarantined"] != args.documents:
        raise SystemExit(f"documents lost: {out}")
    if lifted["quarantined"] != gen["broken"]:
        raise SystemExit(f"quarantined {lifted['quarantined']} ≠ broken {gen['broken']}")
    if clear["files_with_a_sample_code"] or clear["files_with_an_identity_code_shape"]:
        raise SystemExit(f"identity codes in clear in the lifted output: {clear}")
    if aggregate_too:
        out["aggregate"] = aggregate(settings)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=50_000, help="documents per batch")
    parser.add_argument("--population", type=int, default=600_000, help="fictional clients")
    parser.add_argument("--broken", type=float, default=0.1, help="share of broken documents")
    parser.add_argument("--pool", type=int, default=200, help="pool documents per structure")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", type=Path, help="work here and keep it")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "documents.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kg-documents-") as tmp:
        work = args.keep or Path(tmp)
        shutil.rmtree(work / "var", ignore_errors=True)
        settings = Settings(
            var_dir=work / "var",
            store_path=work / "var" / "store",
            pseudonym_key="documents-rehearsal-key",
        )
        t0 = time.perf_counter()
        result = documents_phase(settings, args, aggregate_too=True)
        result["total_wall_s"] = round(time.perf_counter() - t0, 1)
        result["disk_mb"] = round(dir_mb(settings.var_dir), 1)
    result["documents_per_s"] = round(args.documents / result["total_wall_s"], 1)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    result["cpus"] = os.cpu_count()
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"\n{args.documents:,} documents generated, lifted and aggregated in "
        f"{result['total_wall_s'] / 60:.1f} min ({result['documents_per_s']:,.0f} documents/s; "
        f"goal < 30 min)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
