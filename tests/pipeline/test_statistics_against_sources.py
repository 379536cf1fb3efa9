"""Every bundled source row is loaded or quarantined, and the graph matches the files.

The expected counts come from an independent pandas read of each bundled file; the graph side
comes from named queries over the full build.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest
from pyoxigraph import NamedNode

from kgservice.config import CANONICAL_BASE_IRI, PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
BASE = CANONICAL_BASE_IRI


def region_names() -> dict[str, str]:
    names: dict[str, str] = {"KOKO MAA": "SSS"}
    for y in (2024, 2025):
        key = pd.read_csv(DATA / f"regions/kunta_hyvinvointialue_yhteistyoalue_{y}.csv", dtype=str)
        for _, r in key.iterrows():
            names[r["kunta_fi"]] = r["kuntanumero"]
            names[f"{r['kunta_fi']} - {r['kunta_sv']}"] = r["kuntanumero"]
    return names


def statfin_code(code: str) -> str:
    return code if code == "SSS" else code.removeprefix("KU").removeprefix("HVA")


def pxweb_cells(path: str, period=lambda p: p) -> pd.DataFrame:
    doc = json.loads((DATA / path).read_text())
    keys = [c["code"] for c in doc["columns"] if c["type"] in "dt"]
    vals = [c["code"] for c in doc["columns"] if c["type"] == "c"]
    df = pd.DataFrame(
        [dict(zip(keys + vals, e["key"] + e["values"], strict=True)) for e in doc["data"]]
    )
    long = df.melt(id_vars=keys, value_vars=vals)
    return pd.DataFrame(
        {"area": long[keys[0]].map(statfin_code), "period": long[keys[1]].map(period)}
    )


def month(p: str) -> str:
    return p.replace("M", "-")


def expected_cells(slug: str) -> pd.DataFrame:
    """area notation + period of every cell of the bundled file (pandas, not the project code)."""
    if slug == "statfin-14ww-2024":
        return pxweb_cells(
            "statfin/statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.json"
        )
    if slug == "statfin-12r5-2026m06":
        return pxweb_cells("statfin/statfin_12r5_tyonvalitys_tyottomat_kunta_2026M06.json", month)
    if slug == "statfin-11s5-2024m12":
        doc = json.loads(
            (
                DATA / "statfin/statfin_11s5_population_municipality_2024M12.jsonstat.json"
            ).read_text()
        )
        areas = doc["dimension"]["alue"]["category"]["index"]
        return pd.DataFrame({"area": [statfin_code(a) for a in areas], "period": "2024-12"})
    if slug == "sotkanet-127-2000-2022":
        df = pd.read_csv(
            DATA / "sotkanet/geofi_sotkanet_ind127_population_municipality_2000_2022.csv"
        )
        return pd.DataFrame(
            {
                "area": df["municipality_code"].map(lambda c: f"{c:03d}"),
                "period": df["year"].astype(str),
            }
        )
    if slug == "statfin-avainluvut-tyottomyys-2000-2017":
        df = pd.read_csv(
            DATA / "statfin/statfin_kuntien_avainluvut_2000_2017_tyottomyys_kunta.csv",
            sep=";",
            encoding="utf-8-sig",
            dtype=str,
        )
        long = df.melt(id_vars=["Alue 2017", "Tiedot"], var_name="year")
        names = region_names()
        return pd.DataFrame(
            {"area": long["Alue 2017"].map(lambda n: names.get(n, "?" + n)), "period": long["year"]}
        )
    if slug.startswith("statfin-tyokay-"):
        part = slug.split("-")[2]
        df = pd.read_csv(
            DATA / f"statfin/statfin_tyokay_{part}_kunta_sukupuoli_2016.csv",
            sep=";",
            encoding="utf-8-sig",
        )
        names = region_names()
        areas = df["Alue"].map(lambda n: names.get(n, "?" + n))
        return pd.DataFrame({"area": pd.concat([areas, areas]), "period": "2016"})
    if slug.startswith("diak-"):
        path = (
            "diak/diak_huono_osaisuus_indeksit_2019_2021_v20230224.csv"
            if slug == "diak-huono-osaisuus-2019-2021"
            else "diak/diak_huono_osaisuus_indeksit_aikasarja_2011_2020_v20230224_ilmiot.csv"
        )
        df = pd.read_csv(DATA / path)
        width = df["regio_level"].map({"Kunnat": 3, "Hyvinvointialueet": 2})
        area = [f"{c:0{w}d}" for c, w in zip(df["aluekoodi"], width, strict=True)]
        period = df["aika"].astype(str) if "aika" in df else "2020"
        return pd.DataFrame({"area": area, "period": period})
    if slug.startswith("sotkanet-2015-40-kuntaa-"):
        part = slug.removeprefix("sotkanet-2015-40-kuntaa-").replace("-", "_")
        df = pd.read_csv(
            DATA / f"sotkanet/sotkanet_2015_40kuntaa_{part}_iods-final.csv",
            sep=";",
            header=None,
            dtype=str,
        )
        has_absolute = ~df[1].isin(["180", "761"])
        areas = pd.concat([df[3], df[3][has_absolute]])
        return pd.DataFrame({"area": areas, "period": "2015"})
    if slug.startswith("ara-varke-asunnottomat-"):
        return ara_cells(slug)[0]
    if slug == "statfin-vaesto-koko-maa-2023-2025":
        df = pd.read_csv(DATA / "statfin/statfin_vaesto_koko_maa_2023_2025.csv", dtype=str)
        return pd.DataFrame({"area": df["area_code"], "period": df["period"].map(month)})
    raise AssertionError(f"no independent reader for {slug}")


ARA_FILES = {
    "ara-varke-asunnottomat-koko-maa": "ara/ara_varke_asunnottomat_koko_maa_1987_2025.csv",
    "ara-varke-asunnottomat-kunnat": "ara/ara_varke_asunnottomat_kunnat_alueet_2007_2025.csv",
}


def ara_cells(slug: str) -> tuple[pd.DataFrame, int]:
    """The cells of an ARA/Varke file (one per measure, area and year: its preferred row, or a
    gap where only second sources give the key) and how many rows are second sources beside a
    cell. Areas the code list lacks (a region, the capital region) are marked ``?``."""
    df = pd.read_csv(DATA / ARA_FILES[slug], dtype=str, keep_default_na=False)
    known_level = df["area_level"].isin(["koko maa", "kunta", "hyvinvointialue"])
    df["area"] = df["area_code"].where(known_level, "?" + df["area_level"])
    keys = df.drop_duplicates(["measure", "area_level", "area_code", "year"])
    cells = pd.DataFrame({"area": keys["area"], "period": keys["year"]})
    return cells, len(df) - len(keys)


def cube_slugs() -> list[str]:
    manifest = json.loads((DATA / "sources.json").read_text())
    # a cube source without a bundled file (figures only `kgservice fetch` writes) is not loaded
    return [s["slug"] for s in manifest["sources"] if s["kind"] == "cube" and s["files"]]


@pytest.fixture(scope="module")
def quarantined(built_settings) -> list[dict[str, str]]:
    reports = sorted((built_settings.var_dir / "quarantine").glob("*.csv"))
    assert reports, "the build quarantines the known bad rows, so it writes a report"
    with reports[-1].open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("slug", cube_slugs())
def test_counts_per_area_and_period_equal_the_source_file(
    built_settings, region_rows, quarantined, slug
):
    expected = expected_cells(slug)
    mine = [r for r in quarantined if r["source"] == slug]
    unknown_rows = sum(1 for r in mine if r["rule"] == "unknown-area")
    other_rules = len(mine) - unknown_rows
    # unknown areas (merged-away municipalities, non-municipal codes) are rows the graph lacks,
    # each of them in the quarantine report; any other quarantined row is a single cell
    unknown = {a for a in expected["area"] if a.startswith("?") or a in {"JOU", "199", "911"}}
    known = expected[~expected["area"].isin(unknown)]
    assert unknown_rows == len(expected) - len(known)
    want = Counter(zip(known["area"], known["period"], strict=True))
    rows = region_rows(
        "statistics/cells-per-area-period", dataset=NamedNode(BASE + "data/dataset/" + slug)
    )
    got = Counter({(r["notation"].value, r["period"].value): int(r["cells"].value) for r in rows})
    assert sum(want.values()) - sum(got.values()) == other_rules
    assert set(got) <= set(want)
    if not other_rules:
        assert got == want


def test_rows_in_equal_rows_loaded_plus_quarantined_for_every_source(region_rows, quarantined):
    rows = region_rows("statistics/source-row-counts")
    by_source = {r["source"].value: r for r in rows}
    assert set(cube_slugs()) <= set(by_source)
    per_source = Counter(r["source"] for r in quarantined)
    for slug in cube_slugs():
        r = by_source[slug]
        rows_in, loaded, q = (int(r[k].value) for k in ("rowsIn", "rowsLoaded", "rowsQuarantined"))
        assert rows_in == loaded + q
        second_sources = ara_cells(slug)[1] if slug in ARA_FILES else 0
        assert rows_in == len(expected_cells(slug)) + second_sources, slug
        assert per_source[slug] == q


def test_every_quarantined_row_names_file_line_and_rule(quarantined):
    assert quarantined
    rules = {"unknown-area", "bad-period", "non-numeric", "negative-value", "duplicate-key"}
    for r in quarantined:
        assert (DATA.parent / r["file"]).is_file()
        assert int(r["line"]) >= 1 and r["rule"] in rules and r["message"]
    assert {r["value"] for r in quarantined if r["rule"] == "unknown-area"} >= {
        "Honkajoki",
        "Valtimo",
        "KUJOU",
        "KU199",
        "911",
    }


def test_municipal_populations_of_14ww_add_up_to_the_whole_country(region_rows):
    rows = region_rows(
        "statistics/observations-of-variable",
        variable=NamedNode(BASE + "data/variable/statfin-14ww-2024/tjt-henkiloita"),
    )
    kunnat = [
        Decimal(r["value"].value)
        for r in rows
        if r["notation"].value.isdigit() and len(r["notation"].value) == 3
    ]
    country = [Decimal(r["value"].value) for r in rows if r["notation"].value == "SSS"]
    assert len(kunnat) == 308 and country == [Decimal(5505446)] == [sum(kunnat)]


def test_suppressed_cells_are_gaps_without_a_value(region_rows):
    rows = region_rows(
        "statistics/observations-of-variable",
        variable=NamedNode(BASE + "data/variable/statfin-14ww-2024/pt1_henkiloita"),
    )
    doc = json.loads(
        (
            DATA / "statfin/statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.json"
        ).read_text()
    )
    col = [c["code"] for c in doc["columns"] if c["type"] == "c"].index("pt1_henkiloita")
    suppressed = {statfin_code(e["key"][0]) for e in doc["data"] if e["values"][col] == "..."}
    assert suppressed
    gaps = {r["notation"].value for r in rows if r["status"].value.endswith("/suppressed")}
    assert gaps == suppressed
    assert all("value" not in r for r in rows if r["notation"].value in suppressed)
    helsinki = next(r for r in rows if r["notation"].value == "091")
    assert helsinki["value"].value == "38964" and helsinki["status"].value.endswith("/ok")


def test_diak_variables_are_marked_as_indices(region_rows):
    rows = region_rows(
        "statistics/observations-of-variable",
        variable=NamedNode(
            BASE + "data/variable/diak-huono-osaisuus-2019-2021/itsemurhakuolleisuus"
        ),
    )
    assert len(rows) == 22  # counties only, as SOURCES.md says
    assert {r["unit"].value for r in rows} == {"indeksi"}
