"""Benchmark of ``kgservice validate``: the compiled shapes vs pyshacl vs jsonschema.

Synthetic client documents (Faker fi_FI, fictional identity codes; nothing is written to the
repository) for the bundled Sosmeta structures: 90 % valid, 10 % broken in one of the ways the
JSON Schema forbids. All measured in this process, on the same documents:

* this project's validator (generated SHACL compiled to a per-document checker), one process and
  a process pool of ``--workers``;
* plain ``pyshacl.validate`` with the same generated shapes, on a sample it can finish
  (``--sample``), each document as its own data graph (the way documents arrive) and the whole
  sample as one data graph (pyshacl's best case);
* the ``jsonschema`` library (Draft 7, validators built once) against the original schemas.

It checks that all three agree on which documents conform (on the sample for pyshacl, on every
document for jsonschema) and prints documents/s and the ratios.

    .venv/bin/python bench/validate.py            # 10,000 documents
    .venv/bin/python bench/validate.py --full     # 10,000 and 100,000 documents
    .venv/bin/python bench/validate.py --agreement-all   # JSON Schema agreement, all 202 structures
    .venv/bin/python bench/validate.py --gate    # kgservice check's SHACL step with each engine
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCHEMAS = ROOT.parent / "shared" / "data-raw" / "sosmeta" / "schemas"

from kgservice.sosmeta.checker import load_checker  # noqa: E402
from kgservice.sosmeta.importer import bundled_oids  # noqa: E402
from kgservice.sosmeta.schema import load_schema  # noqa: E402
from kgservice.sosmeta.synth import BREAKAGES, Synth  # noqa: E402

GENERATED = ROOT / "shapes" / "generated"
SCHEMA_BREAKS = [k for k, (breaks_schema, _) in BREAKAGES.items() if breaks_schema]


def make_documents(count: int, seed: int) -> list[tuple[str, object]]:
    """(OID, document) pairs, spread over the bundled structures."""
    oids = sorted(bundled_oids(ROOT / "data" / "sosmeta") or [])
    synths = {oid: Synth(load_schema(SCHEMAS / f"{oid}.json"), seed) for oid in oids}
    rng = random.Random(seed)
    docs = []
    for i in range(count):
        oid = oids[i % len(oids)]
        doc = None
        if rng.random() < 0.1:
            doc = synths[oid].broken(rng.choice(SCHEMA_BREAKS), attempts=3)
        docs.append((oid, doc if doc is not None else synths[oid].valid()))
    return docs


_CHECKERS: dict = {}


def _checker(oid: str):
    if oid not in _CHECKERS:
        _CHECKERS[oid] = load_checker(GENERATED / f"{oid}.ttl", oid)
    return _CHECKERS[oid]


def ours(docs: list[tuple[str, object]]) -> list[bool]:
    return [not _checker(oid).check(doc) for oid, doc in docs]


def _warm(oids: list[str]) -> None:
    for oid in oids:
        _checker(oid)


def ours_parallel(pool: ProcessPoolExecutor, docs: list[tuple[str, object]], workers: int):
    size = max(1, len(docs) // (workers * 8))
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)]
    return [ok for part in pool.map(ours, chunks) for ok in part]


def with_jsonschema(docs: list[tuple[str, object]], validators: dict) -> list[bool]:
    return [validators[oid].is_valid(doc) for oid, doc in docs]


def with_pyshacl_each(docs, shapes: dict) -> list[bool]:
    import pyshacl
    import rdflib
    from pyoxigraph import RdfFormat, serialize

    from kgservice.sosmeta.docgraph import to_triples

    out = []
    for i, (oid, doc) in enumerate(docs):
        nt = serialize(to_triples(doc, oid, f"d{i}"), format=RdfFormat.N_TRIPLES) or b""
        data = rdflib.Graph().parse(data=nt.decode(), format="nt")
        out.append(pyshacl.validate(data, shacl_graph=shapes[oid])[0])
    return out


def _document_nt(i: int, oid: str, doc: object) -> str:
    """One document as the N-Triples data graph every SHACL engine gets (as pyshacl gets it)."""
    from pyoxigraph import RdfFormat, serialize

    from kgservice.sosmeta.docgraph import to_triples

    return (serialize(to_triples(doc, oid, f"d{i}"), format=RdfFormat.N_TRIPLES) or b"").decode()


def with_shacl_rs_each(docs, compiled: dict) -> list[bool]:
    """PyPI ``shacl`` (Rust): shapes compiled once per structure, each document on its own."""
    return [
        compiled[oid].validate_text(_document_nt(i, oid, doc), format="ntriples").conforms
        for i, (oid, doc) in enumerate(docs)
    ]


def with_turbo_each(docs, compiled: dict) -> list[bool]:
    """PyPI ``pyshacl-turbo`` (Rust behind pySHACL's API): ``compile_shapes`` once per
    structure, each document on its own."""
    return [
        compiled[oid].validate(_document_nt(i, oid, doc), data_graph_format="nt")[0]
        for i, (oid, doc) in enumerate(docs)
    ]


def rust_engines(docs, oids: list[str], mine: list[bool]) -> dict:
    """Both Rust engines on every document; verdicts compared with ours document by document
    (each disagreement printed)."""
    import pyshacl_turbo
    import rdflib
    import shacl as shacl_rs

    texts = {oid: (GENERATED / f"{oid}.ttl").read_text(encoding="utf-8") for oid in oids}
    rs = {oid: shacl_rs.Shapes.from_turtle(t) for oid, t in texts.items()}
    turbo = {
        oid: pyshacl_turbo.compile_shapes(rdflib.Graph().parse(data=t, format="turtle"))
        for oid, t in texts.items()
    }
    n = len(docs)
    out: dict = {}
    for name, fn, compiled in (
        ("shacl_rs", with_shacl_rs_each, rs),
        ("pyshacl_turbo", with_turbo_each, turbo),
    ):
        verdicts, seconds = timed(fn, docs, compiled)
        differ = [i for i in range(n) if verdicts[i] != mine[i]]
        for i in differ[:20]:
            print(f"  {name} disagrees on document {i} ({docs[i][0]}): ours={mine[i]}")
        out[f"{name}_docs_per_s"] = round(n / seconds)
        out[f"{name}_disagreements"] = len(differ)
    return out


def with_pyshacl_whole(docs, shapes: dict) -> float:
    """Seconds for one pyshacl call per structure over all sample documents of that structure."""
    import pyshacl
    import rdflib
    from pyoxigraph import RdfFormat, serialize

    from kgservice.sosmeta.docgraph import to_triples

    by_oid: dict[str, list] = {}
    for i, (oid, doc) in enumerate(docs):
        by_oid.setdefault(oid, []).extend(to_triples(doc, oid, f"d{i}"))
    graphs = {
        oid: rdflib.Graph().parse(
            data=(serialize(t, format=RdfFormat.N_TRIPLES) or b"").decode(), format="nt"
        )
        for oid, t in by_oid.items()
    }
    t0 = time.perf_counter()
    for oid, g in graphs.items():
        pyshacl.validate(g, shacl_graph=shapes[oid])
    return time.perf_counter() - t0


def timed(fn, *args):
    t0 = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t0


def run(count: int, sample: int, workers: int, seed: int) -> dict:
    import jsonschema
    import rdflib

    t0 = time.perf_counter()
    docs = make_documents(count, seed)
    gen_s = time.perf_counter() - t0
    oids = sorted({oid for oid, _ in docs})
    validators = {
        oid: jsonschema.Draft7Validator(json.loads((SCHEMAS / f"{oid}.json").read_text()))
        for oid in oids
    }
    for oid in oids:  # compile outside the timed region, as a server would at start-up
        _checker(oid)

    mine, t_mine = timed(ours, docs)
    # the pool starts and compiles the shapes before timing, as a long-running server would
    with ProcessPoolExecutor(workers, initializer=_warm, initargs=(oids,)) as pool:
        list(pool.map(_warm, [oids] * workers))
        par, t_par = timed(ours_parallel, pool, docs, workers)
    js, t_js = timed(with_jsonschema, docs, validators)
    assert par == mine, "parallel and single-process results differ"
    disagree = sum(a != b for a, b in zip(mine, js, strict=True))
    rust = rust_engines(docs, oids, mine)

    shapes = {
        oid: rdflib.Graph().parse(str(GENERATED / f"{oid}.ttl"), format="turtle") for oid in oids
    }
    picked = random.Random(seed).sample(range(count), min(sample, count))
    sample_docs = [docs[i] for i in picked]
    shacl, t_shacl = timed(with_pyshacl_each, sample_docs, shapes)
    t_whole = with_pyshacl_whole(sample_docs, shapes)
    sample_mine = [mine[i] for i in picked]
    sample_js = [js[i] for i in picked]

    n, k = len(docs), len(sample_docs)
    result = {
        "documents": n,
        "valid_share": round(sum(mine) / n, 3),
        "structures": len(oids),
        "generation_s": round(gen_s, 2),
        "ours_docs_per_s": round(n / t_mine),
        "ours_parallel_docs_per_s": round(n / t_par),
        "workers": workers,
        "jsonschema_docs_per_s": round(n / t_js),
        "pyshacl_sample": k,
        "pyshacl_per_document_docs_per_s": round(k / t_shacl, 1),
        "pyshacl_whole_sample_docs_per_s": round(k / t_whole, 1),
        "ratio_ours_vs_pyshacl": round((n / t_mine) / (k / t_shacl), 1),
        "ratio_ours_parallel_vs_pyshacl": round((n / t_par) / (k / t_shacl), 1),
        "ratio_ours_vs_pyshacl_whole_sample": round((n / t_mine) / (k / t_whole), 1),
        "ratio_ours_vs_jsonschema": round((n / t_mine) / (n / t_js), 2),
        "agree_ours_jsonschema_all": disagree == 0,
        "disagreements_ours_jsonschema": disagree,
        "agree_on_sample_ours_pyshacl_jsonschema": sample_mine == shacl == sample_js,
        **rust,
        "ratio_ours_vs_shacl_rs": round((n / t_mine) / rust["shacl_rs_docs_per_s"], 2),
        "ratio_ours_vs_pyshacl_turbo": round((n / t_mine) / rust["pyshacl_turbo_docs_per_s"], 2),
        "load_average": os.getloadavg()[0],
    }
    return result


def agreement_all(seed: int) -> dict:
    """Every schema of the snapshot: 3 jsf documents (identity codes made valid), 3 synthetic
    ones and one per schema-breaking kind; the compiled shapes must agree with jsonschema."""
    import jsonschema
    from jsf import JSF
    from pyoxigraph import RdfFormat, parse

    from kgservice.sosmeta.checker import compile_shapes
    from kgservice.sosmeta.importer import shapes_for
    from kgservice.sosmeta.synth import with_valid_identities

    counts = {"structures": 0, "valid_both": 0, "invalid_both": 0, "disagree": 0}
    for path in sorted(SCHEMAS.glob("*.json")):
        structure = load_schema(path)
        schema = json.loads(path.read_text(encoding="utf-8"))
        validator = jsonschema.Draft7Validator(schema)
        checker = compile_shapes(
            parse(shapes_for(structure), format=RdfFormat.TURTLE), structure.oid
        )
        docs = [
            with_valid_identities(d, structure, i) for i, d in enumerate(JSF(schema).generate(3))
        ]
        synth = Synth(structure, seed)
        docs += [synth.valid() for _ in range(3)]
        docs += [synth.broken(kind) for kind in SCHEMA_BREAKS]
        counts["structures"] += 1
        for doc in docs:
            if doc is None:
                continue
            by_schema, by_shapes = validator.is_valid(doc), not checker.check(doc)
            if by_schema != by_shapes:
                counts["disagree"] += 1
            else:
                counts["valid_both" if by_schema else "invalid_both"] += 1
    return counts


def _shacl_rs_keys(data, shapes) -> list[tuple[str, str, str, str]]:
    """The gate's findings by PyPI ``shacl``: (focus, path, value, rule) as the gate reports them.

    Its results name the node shape (``root_shape``) but give messages without language tags and
    shapes as its own blank-node labels, so it is compared on these four fields only."""
    import shacl as shacl_rs
    from rdflib import URIRef

    from kgservice.validation.shacl import RKS

    compiled = shacl_rs.Shapes.from_text(shapes.serialize(format="nt"), format="ntriples")
    report = compiled.validate_text(
        data.graph.serialize(format="nt"), format="ntriples", allow_warnings=True
    )

    def plain(term: str | None) -> str:
        if not term:
            return ""
        if term.startswith("_:"):
            return "_:"
        return term[1:-1] if term.startswith("<") else term

    def rule(root: str) -> str:
        return str(shapes.value(URIRef(plain(root)), RKS.ruleId) or "shacl")

    return sorted(
        (plain(r.focus_node), plain(r.path), plain(r.value), rule(r.root_shape))
        for r in report.results
    )


def gate_engines(repeat: int) -> dict:
    """``kgservice check``'s SHACL step with each engine on the bundled ontology and on all the
    broken fixtures of tests/validation; findings compared with pySHACL's."""
    from kgservice.validation.check import turtle_files
    from kgservice.validation.shacl import quality_shape_files, run_shapes
    from kgservice.validation.sources import load_sources

    shapes = load_sources(quality_shape_files(ROOT / "shapes")).graph
    inputs = {
        "bundled_ontology": turtle_files(ROOT / "ontology"),
        "broken_fixtures": sorted((ROOT / "tests" / "validation" / "fixtures").glob("*.ttl")),
    }
    out: dict = {}
    for label, files in inputs.items():
        data = load_sources(files, display_root=ROOT)

        def keys(found) -> list[tuple[str, str, str, str]]:
            blank = lambda t: "_:" if t.startswith("_:") else t  # noqa: E731
            return sorted((v.focus, blank(v.path), v.value, v.rule) for v in found)

        runs = {
            "pyshacl": lambda: keys(run_shapes(data, shapes, "pyshacl")),  # noqa: B023
            "pyshacl_turbo": lambda: keys(run_shapes(data, shapes, "pyshacl-turbo")),  # noqa: B023
            "shacl_rs": lambda: _shacl_rs_keys(data, shapes),  # noqa: B023
        }
        found: dict[str, list] = {}
        for engine, fn in runs.items():
            best = float("inf")
            for _ in range(1 if engine == "pyshacl" else repeat):
                found[engine], seconds = timed(fn)
                best = min(best, seconds)
            out[f"{label}_{engine}_s"] = round(best, 3)
        out[f"{label}_triples"] = len(data.graph)
        out[f"{label}_findings"] = len(found["pyshacl"])
        # what is flagged: the focus node and the value (paths and rules are named differently
        # by shacl_rs, see _shacl_rs_keys); then everything the gate reports
        flagged = {e: sorted((f, v) for f, _p, v, _r in found[e]) for e in found}
        for engine in ("pyshacl_turbo", "shacl_rs"):
            out[f"{label}_{engine}_flags_same_nodes"] = flagged[engine] == flagged["pyshacl"]
            out[f"{label}_{engine}_same_as_pyshacl"] = found[engine] == found["pyshacl"]
            out[f"{label}_ratio_{engine}_vs_pyshacl"] = round(
                out[f"{label}_pyshacl_s"] / out[f"{label}_{engine}_s"], 1
            )
            for key in sorted(set(found[engine]) ^ set(found["pyshacl"]))[:10]:
                print(f"  {label}: only {'pyshacl' if key in found['pyshacl'] else engine}: {key}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also run 100,000 documents")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200, help="documents given to pyshacl")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--agreement-all", action="store_true", help="only the agreement run")
    parser.add_argument("--gate", action="store_true", help="only the gate's SHACL engines")
    args = parser.parse_args()
    if args.gate:
        gate = gate_engines(repeat=3)
        for key, value in gate.items():
            print(f"  {key:52} {value}")
        return 0 if all(v for k, v in gate.items() if k.endswith("_same_nodes")) else 1
    if not SCHEMAS.is_dir():
        print(f"needs the original JSON Schemas in {SCHEMAS}", file=sys.stderr)
        return 2
    if args.agreement_all:
        counts = agreement_all(args.seed)
        print(json.dumps(counts))
        return 0 if counts["disagree"] == 0 else 1
    sizes = [args.count] + ([100_000] if args.full else [])
    results = []
    for size in sizes:
        r = run(size, args.sample, args.workers, args.seed)
        results.append(r)
        print(f"\n== {size:,} documents over {r['structures']} structures ==")
        for key, value in r.items():
            print(f"  {key:42} {value}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "validate.json").write_text(json.dumps(results, indent=2))
    ok = all(
        r["agree_ours_jsonschema_all"]
        and r["agree_on_sample_ours_pyshacl_jsonschema"]
        and r["shacl_rs_disagreements"] == r["pyshacl_turbo_disagreements"] == 0
        for r in results
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
