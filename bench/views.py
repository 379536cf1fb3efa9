"""Benchmark of the indicator views: the service against the same figures computed in pandas.

One run, both measured in this process on the bundled data:

* **service**: the situation picture for every wellbeing services county (and Helsinki, Åland)
  and every statistics year of its indicators, through the Flask app
  (``/api/views/situation-picture?area=&year=``, JSON): first *cold* (a fresh indicator service:
  every indicator query runs in SPARQL, then aggregation, suppression and ranks), then *warm*
  (the same requests again, answered from the per-build cache). The slowest single warm view is
  compared with the 100 ms goal.
* **pandas**: the same county figures straight from the raw files in ``data/`` (PxWeb JSON of
  14ww and 12r5, the Diak CSV, the region key): published rates, the ratio of summed municipal
  counts for the monthly unemployment rate, the published index.

The store is the current build (``var/store``) or, with ``--build``, a fresh one in a temporary
directory (build time reported separately).

    .venv/bin/python bench/views.py [--build]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from kgservice.config import Settings  # noqa: E402
from kgservice.pipeline.swap import current_store_dir  # noqa: E402


def pxweb(path: Path) -> pd.DataFrame:
    data = json.loads(path.read_text("utf-8"))
    cols = [c["code"] for c in data["columns"] if c["type"] == "c"]
    return pd.DataFrame.from_dict(
        {e["key"][0]: e["values"] for e in data["data"]}, orient="index", columns=cols
    )


def num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(~s.isin(["...", ".."])), errors="coerce")


def pandas_situation_pictures(data: Path) -> tuple[float, int]:
    """The county figures of the situation picture from the raw files; (seconds, figures)."""
    t0 = time.perf_counter()
    t14 = pxweb(next(data.rglob("statfin_14ww_*_2024.json")))
    t12 = pxweb(next(data.rglob("statfin_12r5_*_2026M06.json")))
    diak = pd.read_csv(next(data.rglob("diak_huono_osaisuus_indeksit_2019_2021_*.csv")))
    key = pd.read_csv(next(data.rglob("kunta_hyvinvointialue_yhteistyoalue_2025.csv")), dtype=str)
    figures = 0
    hva = t14[t14.index.str.startswith("HVA")]
    low_income = num(hva["rpt_aste"])
    basic_share = 100 * num(hva["pt1_henkiloita"]) / num(hva["tjt-henkiloita"])
    figures += low_income.notna().sum() + basic_share.notna().sum()
    ku = t12[t12.index.str.startswith("KU")].copy()
    ku["county"] = ku.index.str[2:].map(key.set_index("kuntanumero").hyvinvointialue_code)
    ku["n"], ku["d"] = num(ku["TYOTTOMATLOPUSSA"]), num(ku["TYOVOIMATK"])
    complete = ku.groupby("county")["n"].apply(lambda s: s.notna().all())
    sums = ku.groupby("county")[["n", "d"]].sum()
    unemployment = (100 * sums.n / sums.d)[complete]
    figures += unemployment.notna().sum()
    wanted = {
        "Aikuisten mielenterveyden avohoitokäynnit",
        "Päihteiden vuoksi sairaaloiden ja terveyskeskusten vuodeosastoilla hoidetut potilaat",
    }
    idx = diak[(diak.regio_level == "Hyvinvointialueet") & diak.variable.isin(wanted)]
    figures += len(idx)
    return time.perf_counter() - t0, int(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build a fresh store first")
    args = parser.parse_args()
    settings = Settings.from_env()
    if args.build or current_store_dir(settings) is None:
        from kgservice.pipeline.build import build

        tmp = Path(tempfile.mkdtemp(prefix="bench-views-"))
        settings = settings.with_(var_dir=tmp, store_path=tmp / "store")
        t0 = time.perf_counter()
        build(settings)
        print(f"build (not part of the comparison): {time.perf_counter() - t0:.2f} s")

    from kgservice.indicators import service as service_mod
    from kgservice.web import create_app

    app = create_app(settings)
    client = app.test_client()
    with app.app_context():
        from kgservice.indicators.service import service_for
        from kgservice.web.storeaccess import get_store

        svc = service_for(get_store(), settings)
        counties = [r.code for r in svc.regions.at_level("wellbeing-county")]
        years = sorted({y for i in svc.registry.indicators.values() for y in svc.years(i)})
    service_mod._services.clear()  # the cold run starts without any computed indicator

    urls = [f"/api/views/situation-picture?area={c}&year={y}" for c in counties for y in years]
    t0 = time.perf_counter()
    for url in urls:
        assert client.get(url).status_code == 200, url
    cold = time.perf_counter() - t0
    warm_each = []
    for url in urls:
        t1 = time.perf_counter()
        assert client.get(url).status_code == 200
        warm_each.append(time.perf_counter() - t1)
    warm = sum(warm_each)
    pandas_s, figures = pandas_situation_pictures(settings.data_dir)

    print(f"situation picture: {len(counties)} counties × {len(years)} years = {len(urls)} views")
    print(f"service, cold (SPARQL + aggregation + suppression): {cold:.3f} s")
    print(f"service, warm (cached per build):                  {warm:.3f} s")
    print(f"pandas on the raw files ({figures} county figures):  {pandas_s:.3f} s")
    print(f"ratio cold/pandas: {cold / pandas_s:.1f}×   warm/pandas: {warm / pandas_s:.1f}×")
    print(
        f"single warm view: median {1000 * statistics.median(warm_each):.1f} ms, "
        f"max {1000 * max(warm_each):.1f} ms (goal < 100 ms: "
        f"{'met' if max(warm_each) < 0.1 else 'NOT met'})"
    )
    print(f"first (cold) view including all indicator queries: see cold total; per view "
          f"{1000 * cold / len(urls):.1f} ms on average")  # fmt: skip


if __name__ == "__main__":
    main()
