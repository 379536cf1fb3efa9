"""Mapping engine: one CONSTRUCT per batch of rows (the row graph) vs one query per row.

Runs the observation template of mappings/cube/ over the rows of one bundled source both ways
and prints rows/s and the ratio, measured in the same run.

    python bench/mapping.py [--source statfin-14ww-2024] [--per-row-sample 1000]
"""

from __future__ import annotations

import argparse
import time

from pyoxigraph import Literal, NamedNode

from kgservice.config import Settings
from kgservice.mappings.cube import normalise
from kgservice.mappings.engine import load_template, run_template
from kgservice.mappings.regions import load_region_index
from kgservice.sources.readers import read_rows
from kgservice.sources.spec import load_specs

NL = b"\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", default="statfin-14ww-2024")
    parser.add_argument("--per-row-sample", type=int, default=1000)
    args = parser.parse_args()
    settings = Settings()
    spec = next(s for s in load_specs(settings, "cube") if s.slug == args.source)
    raw = read_rows(spec.data_path(settings), spec.read["format"], **spec.reader_options())
    rows = normalise(spec, raw, load_region_index(settings), spec.file).rows
    template = load_template(settings.mappings_dir / "cube" / "observations.rq")
    bindings = {
        "dataset": NamedNode("https://rake-kg.example/data/dataset/" + spec.slug),
        "source": Literal(spec.slug),
    }

    t0 = time.perf_counter()
    batched = run_template(template, rows, bindings)
    t_batch = time.perf_counter() - t0

    sample = rows[: args.per_row_sample]
    t0 = time.perf_counter()
    per_row = b"".join(run_template(template, [r], bindings) for r in sample)
    t_row = time.perf_counter() - t0

    batch_rate = len(rows) / t_batch
    row_rate = len(sample) / t_row
    print(f"source {spec.slug}: {len(rows)} rows, {batched.count(NL)} triples")
    print(f"  one CONSTRUCT per batch : {t_batch:7.2f} s  {batch_rate:9.0f} rows/s")
    print(
        f"  one query per row       : {t_row:7.2f} s  {row_rate:9.0f} rows/s "
        f"({len(sample)} rows, {per_row.count(NL)} triples)"
    )
    print(f"  ratio batch / per-row   : {batch_rate / row_rate:7.1f}x")


if __name__ == "__main__":
    main()
