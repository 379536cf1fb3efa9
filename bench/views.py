"""Benchmark of the indicator views: the service against the same figures computed in pandas.

Two runs, each measured in this process, both sides in the same run:

Besides the views one by one, the service also answers the whole county × year table in one
``/sparql`` request (``queries/indicators/situation-pictures-of-counties.rq``), timed with the
decoding of its figures.

* **bundled** (default): the current build (``var/store``; ``--build`` makes a fresh one). The
  service answers the situation picture for every wellbeing services county (with Helsinki and
  Åland) and every statistics year through the Flask app (``/api/views/situation-picture``,
  JSON), then every phenomenon in brief and every phenomenon view at every level, and reports
  the slowest single view against the 100 ms goal. The HTML phenomenon view of each county's
  municipalities (every phenomenon, sorted by value) is timed against the 150 ms goal, with the
  same tables as JSON from ``/api/views`` as its baseline. pandas computes the published
  county figures of the situation picture from the raw files in ``data/`` (a smaller
  computation than the service's: no national figure, change or rank).
* **synthetic** (``--scale``): the scale-up of ``bench/build.py`` (every municipality of the
  2024 classification × N indicators × M years, default 200 × 20; 2 % of the cells are small
  counts 0–6) with one synthetic count indicator (rule ``AggregateBySum``) per source. The
  store is built first (time reported, with the indicator-values step on its own). Then the
  service answers every county × year situation picture, and pandas computes the same table
  from the raw CSV files: county sums where every municipality reported, small-count
  suppression, the national figure, the change from the previous year and the rank among the
  counties. A sample of the service's figures is checked against pandas before the times are
  printed, so both sides demonstrably compute the same thing.

    .venv/bin/python bench/views.py [--build]
    .venv/bin/python bench/views.py --scale [--indicators 200] [--years 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from kgservice.config import Settings  # noqa: E402
from kgservice.store.served import served_dir  # noqa: E402

B = "https://rake-kg.example/"
PHENOMENA = (
    "asunnottomuus",
    "mielenterveys",
    "paihteet-ja-riippuvuudet",
    "taloudellinen-tilanne-ja-toimeentulo",
)
SMALL = range(1, 5)


def _bench_build():
    """``bench/build.py`` as a module (its synthetic sources are the scale-up)."""
    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "bench" / "build.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["bench_build"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


# -- pandas ------------------------------------------------------------------------------------
def pxweb(path: Path) -> pd.DataFrame:
    data = json.loads(path.read_text("utf-8"))
    cols = [c["code"] for c in data["columns"] if c["type"] == "c"]
    return pd.DataFrame.from_dict(
        {e["key"][0]: e["values"] for e in data["data"]}, orient="index", columns=cols
    )


def num(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.where(~s.isin(["...", ".."])), errors="coerce")


def pandas_bundled(data: Path) -> tuple[float, int]:
    """The published county figures of the situation picture from the raw files."""
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


def pandas_synthetic(data: Path) -> tuple[float, pd.DataFrame]:
    """Every county × year figure of every synthetic indicator, as the service defines it:
    value (sum when every municipality reported; 1–4 suppressed, and complementary suppression
    among the counties of a cooperation area), national figure, change from the previous year,
    rank among the counties without Åland (1 = highest, ties share the better rank)."""
    t0 = time.perf_counter()
    key = pd.read_csv(data / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2024.csv", dtype=str)
    county_of = key.set_index(key.kuntanumero.astype(int)).hyvinvointialue_code
    expected = county_of.value_counts()
    frames = []
    for path in sorted((data / "synthetic").glob("synthetic_*.csv")):
        df = pd.read_csv(path)
        df["indicator"] = path.stem.removeprefix("synthetic_")
        frames.append(df)
    rows = pd.concat(frames, ignore_index=True)
    rows["county"] = rows.municipality_code.map(county_of)
    g = rows.groupby(["indicator", "county", "year"]).primary_value.agg(["sum", "count"])
    g = g.reset_index()
    complete = g["count"].to_numpy() == g.county.map(expected).to_numpy()
    g["value"] = g["sum"].where(complete).astype(float)
    g.loc[g.value.isin(SMALL), "value"] = float("nan")
    # complementary suppression among the counties of a cooperation area: a lone hidden county
    # takes the smallest shown one with it (ties: the lower code), until no group has a lone one
    coop_of = key.drop_duplicates("hyvinvointialue_code").set_index("hyvinvointialue_code")
    g["coop"] = g.county.map(coop_of.yhteistyoalue_code)
    group = ["indicator", "coop", "year"]
    while True:
        hidden = g.value.isna()
        lone = hidden.groupby([g[c] for c in group]).transform("sum") == 1
        candidates = g[lone & ~hidden]
        if candidates.empty:
            break
        smallest = candidates.sort_values(["value", "county"]).groupby(group).head(1).index
        g.loc[smallest, "value"] = float("nan")
    national = rows.groupby(["indicator", "year"]).primary_value.sum().astype(float)
    g["national"] = g.set_index(["indicator", "year"]).index.map(national).to_numpy()
    g = g.sort_values(["indicator", "county", "year"])
    g["change"] = g.groupby(["indicator", "county"]).value.diff().round(10)
    # ranked among the compared counties: Åland (91) is in no cooperation area, so not ranked
    ranked = g[g.county != "91"]
    g["rank"] = ranked.groupby(["indicator", "year"]).value.rank(method="min", ascending=False)
    return time.perf_counter() - t0, g.set_index(["indicator", "county", "year"])


# -- the synthetic indicators ------------------------------------------------------------------
def synthetic_ontology(work: Path, indicators: int) -> Path:
    """The project's ontology plus one count indicator per synthetic source."""
    onto = work / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    lines = [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        f"@prefix rake: <{B}ontology/> .",
        "",
    ]
    for n in range(indicators):
        phen = PHENOMENA[n % len(PHENOMENA)]
        lines += [
            f"<{B}concept/indicator/syn{n:03d}> a skos:Concept , rake:Indicator ;",
            f'    skos:prefLabel "Synteettinen indikaattori {n}"@fi ;',
            '    rake:unit "henkilöä"@fi ; rake:isIndex false ;',
            f"    rake:numerator <{B}data/variable/synthetic-{n:03d}/syn{n:03d}> ;",
            "    rake:aggregationRule rake:AggregateBySum ;",
            '    rake:computedBy "indicators/sum" ;',
            f"    rake:measures <{B}concept/phenomenon/{phen}> ;",
            f"    rake:shownIn <{B}concept/view/tilannekuva> .",
            "",
        ]
    (onto / "synthetic-indicators.ttl").write_text("\n".join(lines), encoding="utf-8")
    return onto


def with_small_counts(data: Path, share: float, seed: int = 7) -> None:
    """Replace ``share`` of the synthetic cells with counts 0–6 (exercises suppression)."""
    rng = random.Random(seed)
    for path in sorted((data / "synthetic").glob("synthetic_*.csv")):
        df = pd.read_csv(path)
        small = [rng.random() < share for _ in range(len(df))]
        df.loc[small, "primary_value"] = [rng.randint(0, 6) for _ in range(sum(small))]
        df.to_csv(path, index=False, lineterminator="\n")


# -- the service -------------------------------------------------------------------------------
def time_views(client, urls: list[str]) -> list[float]:
    each = []
    for url in urls:
        t0 = time.perf_counter()
        resp = client.get(url)
        each.append(time.perf_counter() - t0)
        if resp.status_code != 200:
            raise SystemExit(f"{url}: HTTP {resp.status_code}")
    return each


def median_times(client, urls: list[str], repeat: int = 3) -> tuple[list[float], list[float]]:
    """Per URL the median of ``repeat`` requests, wall clock and this process's CPU time (on a
    busy machine a slow request is the machine's, not the view's); the runs alternate over all
    URLs."""
    wall: list[list[float]] = []
    cpu: list[list[float]] = []
    for _ in range(repeat):
        wall.append([])
        cpu.append([])
        for url in urls:
            c0, w0 = time.process_time(), time.perf_counter()
            if client.get(url).status_code != 200:
                raise SystemExit(f"{url}: not 200")
            wall[-1].append(time.perf_counter() - w0)
            cpu[-1].append(time.process_time() - c0)
    return (
        [statistics.median(t) for t in zip(*wall, strict=True)],
        [statistics.median(t) for t in zip(*cpu, strict=True)],
    )


def source_rows(path: Path) -> int:
    """Data rows of a synthetic CSV source (its header not counted)."""
    with path.open(encoding="utf-8") as fh:
        return sum(1 for _ in fh) - 1


def median_run(runs: list, key):
    """The run whose ``key`` is the median (the lower one of an even count)."""
    return sorted(runs, key=key)[(len(runs) - 1) // 2]


def describe(label: str, each: list[float]) -> str:
    return (
        f"{label}: {len(each)} views, {sum(each):.2f} s; single view median "
        f"{1000 * statistics.median(each):.1f} ms, max {1000 * max(each):.1f} ms"
    )


def time_sparql_table(client, settings: Settings) -> tuple[float, int]:
    """Every county × year situation picture in ONE request to ``/sparql`` (the named query
    ``indicators/situation-pictures-of-counties``), decoded into figures; (seconds, figures)."""
    from kgservice.queries import load_query

    text = load_query("indicators/situation-pictures-of-counties", settings.queries_dir).text
    accept = {"Accept": "application/sparql-results+json"}
    client.post("/sparql", data={"query": "ASK {}"}, headers=accept)  # start the workers
    t0 = time.perf_counter()
    resp = client.post("/sparql", data={"query": text}, headers=accept)
    if resp.status_code != 200:
        raise SystemExit(f"/sparql: HTTP {resp.status_code}: {resp.get_data(as_text=True)[:300]}")
    bindings = json.loads(resp.get_data())["results"]["bindings"]
    figures = sum(len(json.loads(b["records"]["value"])) for b in bindings)
    return time.perf_counter() - t0, figures


def county_urls(settings: Settings) -> tuple[list[str], list[str], list[int]]:
    from kgservice.indicators.service import IndicatorService
    from kgservice.store.served import open_served

    served = open_served(settings)
    store = served.store
    try:
        svc = IndicatorService(store, settings, served.version)
        counties = [r.code for r in svc.regions.at_level("wellbeing-county")]
        years = sorted({y for i in svc.registry.indicators.values() for y in svc.years(i)})
    finally:
        store.close()
    urls = [f"/api/views/situation-picture?area={c}&year={y}" for c in counties for y in years]
    return urls, counties, years


def other_view_urls() -> list[str]:
    urls = []
    for phen in PHENOMENA:
        for level in ("country", "cooperation-area", "wellbeing-county"):
            urls.append(f"/api/views/phenomenon-in-brief?phenomenon={phen}&level={level}")
        for level in ("municipality", "wellbeing-county"):
            urls.append(f"/api/views/phenomenon-view?phenomenon={phen}&level={level}")
        urls.append(f"/api/views/phenomenon-view?phenomenon={phen}&level=municipality&area=20")
    return urls


def county_municipality_urls(counties: list[str]) -> tuple[list[str], list[str]]:
    """The phenomenon view of each county's municipalities for every phenomenon: the HTML page
    (sorted by value, as an analyst reads it) and, as its baseline, the same table as JSON."""
    html, api = [], []
    for phen in PHENOMENA:
        for county in counties:
            query = f"phenomenon={phen}&level=municipality&area={county}"
            html.append(f"/views/phenomenon-view?{query}&sort=-value")
            api.append(f"/api/views/phenomenon-view?{query}")
    return html, api


def report_county_views(
    html: tuple[list[float], list[float]], api: tuple[list[float], list[float]]
) -> None:
    """The HTML county views against their JSON baseline: wall clock and CPU time."""
    html_county, html_cpu = html
    api_county, api_cpu = api
    print(describe("HTML phenomenon view, one county's municipalities (median of 3 each)",
                   html_county))  # fmt: skip
    print(describe("baseline: the same tables from /api/views as JSON (median of 3 each)",
                   api_county))  # fmt: skip
    print(f"slowest HTML county view: {1000 * max(html_county):.1f} ms (goal < 150 ms: "
          f"{'met' if max(html_county) < 0.15 else 'NOT met'}); ratio HTML / JSON: "
          f"{sum(html_county) / sum(api_county):.1f}×")  # fmt: skip
    html_cpu_median = 1000 * statistics.median(html_cpu)
    print(f"  CPU time of this process per view: HTML median {html_cpu_median:.1f} ms, "
          f"max {1000 * max(html_cpu):.1f} ms; JSON median "
          f"{1000 * statistics.median(api_cpu):.1f} ms, max {1000 * max(api_cpu):.1f} ms; "
          f"ratio {sum(html_cpu) / sum(api_cpu):.1f}×")  # fmt: skip


def run_bundled(settings: Settings, fresh: bool) -> None:
    if fresh or served_dir(settings) is None:
        from kgservice.pipeline.build import build

        tmp = Path(tempfile.mkdtemp(prefix="bench-views-"))
        settings = settings.with_(var_dir=tmp, store_path=tmp / "store")
        t0 = time.perf_counter()
        build(settings)
        print(f"build (not part of the comparison): {time.perf_counter() - t0:.2f} s")
    from kgservice.web import api, create_app

    urls, counties, years = county_urls(settings)
    app = create_app(settings)
    api.warm_up(app).join()  # as `kgservice serve` does at start-up
    client = app.test_client()
    first = time_views(client, urls[:1])  # the first view after start-up
    situation = time_views(client, urls)
    others = time_views(client, other_view_urls())
    html_urls, api_urls = county_municipality_urls(counties)
    report_county_views(median_times(client, html_urls), median_times(client, api_urls))
    sparql_s, sparql_figures = time_sparql_table(client, settings)
    pandas_s, figures = pandas_bundled(settings.data_dir)
    print(f"first view after start-up: {1000 * first[0]:.1f} ms")
    print(describe(f"situation picture ({len(counties)} counties × {len(years)} years)", situation))
    print(describe("phenomenon in brief and phenomenon view, every phenomenon and level", others))
    slowest = max(situation + others)
    print(f"slowest single view: {1000 * slowest:.1f} ms (goal < 100 ms: "
          f"{'met' if slowest < 0.1 else 'NOT met'})")  # fmt: skip
    print(f"the same situation pictures in one /sparql request: {sparql_s:.3f} s "
          f"({sparql_figures} figures)")  # fmt: skip
    print(f"pandas, published county figures only ({figures} figures): {pandas_s:.3f} s")
    print(f"ratio situation pictures / pandas: {sum(situation) / pandas_s:.1f}×; "
          f"one /sparql request / pandas: {sparql_s / pandas_s:.1f}×")  # fmt: skip


def run_scale(indicators: int, years_n: int, keep: Path | None = None, repeat: int = 3) -> None:
    """The synthetic run; with ``keep`` the work folder stays, and a finished build found there
    (made by an earlier run with the same sizes) is measured again instead of rebuilt."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        _run_scale(keep, indicators, years_n, repeat)
        return
    with tempfile.TemporaryDirectory(prefix="bench-views-scale-") as tmp:
        _run_scale(Path(tmp), indicators, years_n, repeat)


def _run_scale(work: Path, indicators: int, years_n: int, repeat: int) -> None:
    bb = _bench_build()
    from kgservice.pipeline.build import build
    from kgservice.web import api, create_app

    var = work / "var"
    settings = Settings(
        var_dir=var,
        store_path=var / "store",
        data_dir=work / "data",
        mappings_dir=work / "mappings",
        ontology_dir=work / "ontology",
    )
    step: dict[str, float] = {}
    if served_dir(settings) is not None:
        rows = sum(source_rows(p) for p in (work / "data" / "synthetic").glob("*.csv"))
        print(f"reusing the build in {work} (build time not measured)")
    else:
        for old in ("data", "mappings", "ontology", "var"):
            shutil.rmtree(work / old, ignore_errors=True)
        made, rows = bb.make_synthetic(work, indicators, years_n)
        assert made.data_dir == settings.data_dir and made.mappings_dir == settings.mappings_dir
        with_small_counts(settings.data_dir, 0.02)
        synthetic_ontology(work, indicators)
        t0 = time.perf_counter()
        report = build(settings)
        build_s = time.perf_counter() - t0
        step = {s.name: s.seconds for s in report.steps}
        print(
            f"build: {build_s:.1f} s, {report.graphs.get('total', 0):,} triples; indicator-values "
            f"step {step.get('indicator-values', 0):.1f} s"
        )
    urls, counties, years = county_urls(settings)
    app = create_app(settings)
    api.warm_up(app).join()  # as `kgservice serve` does at start-up
    client = app.test_client()
    first = time_views(client, urls[:1])  # the first view after start-up
    # each side `repeat` times, alternating; the median run of each is reported
    runs = []
    for _ in range(repeat):
        views = time_views(client, urls)
        sparql = time_sparql_table(client, settings)
        runs.append((views, sparql, pandas_synthetic(settings.data_dir)))
    situation = median_run([r[0] for r in runs], key=sum)
    sparql_s, sparql_figures = median_run([r[1] for r in runs], key=lambda r: r[0])
    pandas_s, table = median_run([r[2] for r in runs], key=lambda r: r[0])
    print(
        f"{repeat} runs of each side; totals, views: "
        + ", ".join(f"{sum(r[0]):.2f}" for r in runs)
        + " s; /sparql: "
        + ", ".join(f"{r[1][0]:.2f}" for r in runs)
        + " s; pandas: "
        + ", ".join(f"{r[2][0]:.2f}" for r in runs)
        + " s"
    )

    checked = 0
    disagree: list[str] = []
    for url in random.Random(1).sample(urls, 10):
        body = client.get(url + "&lang=fi").get_json()
        year = int(body["parameters"]["year"])
        for row in body["rows"]:
            if not row["indicator"].startswith("syn"):
                continue
            want = table.loc[(row["indicator"], row["area_code"], year)]
            got = (row["value"], row["national_value"], row["change"], row["rank"])
            expect = tuple(
                None if pd.isna(x) else float(x)
                for x in (want.value, want.national, want.change, want["rank"])
            )
            if tuple(None if x is None else float(x) for x in got) != expect:
                disagree.append(f"{url} {row['indicator']}: service {got}, pandas {expect}")
            checked += 1
    print(
        f"cross-check: {checked - len(disagree)} of {checked} figures (value, national, "
        "change, rank) agree with pandas"
    )
    for line in disagree[:5]:
        print("  DISAGREE", line)
    print(f"synthetic: {rows:,} source rows, {indicators} indicators × {years_n} years")
    print(f"first view after start-up: {1000 * first[0]:.1f} ms")
    print(describe(f"situation picture ({len(counties)} counties × {len(years)} years)",
                   situation))  # fmt: skip
    print(f"the same table in one /sparql request: {sparql_s:.2f} s ({sparql_figures:,} figures)")
    print(f"pandas, the same table from the raw CSV files: {pandas_s:.2f} s")
    print(f"  ({len(table):,} indicator × county × year figures)")
    print(f"ratio service views / pandas: {sum(situation) / pandas_s:.1f}× (goal ≤ 3×)")
    print(f"ratio one /sparql request / pandas: {sparql_s / pandas_s:.1f}× (goal ≤ 3×)")
    if step:
        print(
            f"ratio build step indicator-values (every level) / pandas: "
            f"{step['indicator-values'] / pandas_s:.1f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="bundled: build a fresh store first")
    parser.add_argument("--scale", action="store_true", help="the synthetic scale-up")
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--years", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3, help="--scale: runs of each side")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="--scale: work in DIR and keep it; a build already there is measured again",
    )
    args = parser.parse_args()
    if args.scale:
        run_scale(args.indicators, args.years, args.keep, args.repeat)
    else:
        run_bundled(Settings.from_env(), args.build)


if __name__ == "__main__":
    main()
