"""Every municipal merger of mappings/sources/regions.toml and of the compiled
data/regions/kuntaliitokset_2015_2017.csv, checked against the real raw files.

Valtimo and Honkajoki (regions.toml): the successor is proven by populations: the old
municipality and its successor, as published in an older division (Statistics Finland's Kuntien
avainluvut, division of 2017), add up to the successor in a later division (Sotkanet indicator 127,
division of 2021–2024) — and no other municipality would. The year is dated by the divisions that
still list, or no longer list, the old municipality.

The nine that ended in 2015–2017 (the compiled file, one source page per row): no population file
of data-raw is in a division older than 2017, so the sum cannot be checked for them (every series
there already counts the old municipality inside its successor). What the raw files do prove: the
old municipality is in Sotkanet's 2015 region list and gone from the 2017 division, the successor
is in every division from 2017 on under the same code and name, both lie in the same region
(maakunta) in Sotkanet's 2015 list, and no merger row exists without a source document.
"""

from __future__ import annotations

import csv
import json
import tomllib

import pytest

from kgservice.config import PROJECT_ROOT

RAW = PROJECT_ROOT.parent / "shared" / "data-raw"

REGIONS_TOML = PROJECT_ROOT / "mappings" / "sources" / "regions.toml"
COMPILED = PROJECT_ROOT / "data" / "regions" / "kuntaliitokset_2015_2017.csv"
AVAINLUVUT = RAW / "indicators" / "statfin_kuntien_avainluvut_2000_2017_tyottomyys_kunta.csv"
IND127 = RAW / "population" / "geofi_sotkanet_ind127_population_municipality_2000_2022.csv"
PAAVO_2020 = RAW / "population" / "paavo2020_population_by_age_municipality_2018_synthea.csv"
SOTKANET_2015 = RAW / "indicators" / "sotkanet_rest11_regions_2015-10_oskari.json"


def inline_mergers() -> list[dict[str, str]]:
    doc = tomllib.loads(REGIONS_TOML.read_text(encoding="utf-8"))
    (table,) = [t for t in doc["tables"] if t["name"] == "mergers"]
    return table["rows"]


def compiled_mergers() -> list[dict[str, str]]:
    with COMPILED.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def mergers() -> list[dict[str, str]]:
    return inline_mergers() + compiled_mergers()


def key(year: int) -> dict[str, str]:
    """Municipality code → Finnish name in the classification of a year (geofi key)."""
    path = RAW / "regions" / f"geofi_municipality_key_{year}.csv"
    with path.open(encoding="utf-8") as fh:
        return {f"{int(r['kunta']):03d}": r["municipality_name_fi"] for r in csv.DictReader(fh)}


def sotkanet_2015() -> dict[str, str]:
    regions = json.loads(SOTKANET_2015.read_text(encoding="utf-8"))
    return {r["code"]: r["title"]["fi"] for r in regions if r["category"] == "KUNTA"}


def sotkanet_2015_maakunta() -> dict[str, str]:
    """Municipality code → the Sotkanet id of its region (maakunta) in the 2015 list."""
    regions = json.loads(SOTKANET_2015.read_text(encoding="utf-8"))
    maakunta = {r["id"] for r in regions if r["category"] == "MAAKUNTA"}
    return {
        r["code"]: next(m for m in r["memberOf"] if m in maakunta)
        for r in regions
        if r["category"] == "KUNTA"
    }


def avainluvut_population() -> tuple[list[str], dict[str, list[int]]]:
    """Years and the population series of every municipality of the 2017 division, by name."""
    with AVAINLUVUT.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    years = rows[0][2:]
    series = {
        r[0]: [int(v) for v in r[2:]] for r in rows[1:] if r[1] == "Väkiluku" and r[0] != "KOKO MAA"
    }
    return years, series


def ind127_population() -> dict[tuple[str, str], int]:
    with IND127.open(encoding="utf-8") as fh:
        return {
            (f"{int(r['municipality_code']):03d}", r["year"]): int(r["primary_value"])
            for r in csv.DictReader(fh)
        }


def paavo_2020_codes() -> set[str]:
    with PAAVO_2020.open(encoding="utf-8") as fh:
        return {r["kuntanumero_2020"] for r in csv.DictReader(fh)}


def adds_up(old: list[int], other: list[int], successor: list[int | None]) -> bool:
    """old + other equals the successor's later-division figure in every year, within 0.1 %
    (Statistics Finland revises a year's population by a person or two)."""
    return all(
        s is not None and abs(o + x - s) <= 0.001 * s
        for o, x, s in zip(old, other, successor, strict=True)
    )


SOTKANET_MERGERS = [
    m for m in inline_mergers() if m["old"] in sotkanet_2015() and m["old"] != "588"
]


def test_every_2015_municipality_gone_since_has_exactly_one_merger_row():
    gone = set(sotkanet_2015()) - set(key(2025))
    olds = [m["old"] for m in mergers()]
    assert len(olds) == len(set(olds))
    assert set(olds) & gone == gone
    assert {m["old"] for m in SOTKANET_MERGERS} == {"911", "099"}
    assert {m["old"] for m in compiled_mergers()} == gone - {"911", "099", "588"}


@pytest.mark.parametrize("merger", SOTKANET_MERGERS, ids=lambda m: m["note"])
def test_the_successor_is_the_only_municipality_whose_population_adds_up(merger):
    years, series = avainluvut_population()
    later = ind127_population()
    names = key(2024)
    old_name = sotkanet_2015()[merger["old"]]
    assert merger["note"].startswith(old_name)
    successor = [later.get((merger["new"], y)) for y in years]
    matching = [
        name
        for name, other in series.items()
        if name != old_name and adds_up(series[old_name], other, successor)
    ]
    assert matching == [names[merger["new"]]]


@pytest.mark.parametrize("merger", SOTKANET_MERGERS, ids=lambda m: m["note"])
def test_the_merger_year_lies_between_the_divisions_that_list_and_drop_the_old_municipality(
    merger,
):
    first = int(merger["first_year_merged"])
    assert int(merger["last_year"]) == first - 1
    assert f"1.1.{first}" in merger["note"]
    in_2017 = sotkanet_2015()[merger["old"]] in avainluvut_population()[1]
    in_2020 = merger["old"] in paavo_2020_codes()
    # listed in every division before the merger, in none from the merger on
    assert in_2017 == (first > 2017) and in_2020 == (first > 2020)
    assert merger["old"] not in key(2023) and merger["new"] in key(2023)


def test_pertunmaa_is_in_the_2024_classification_and_gone_in_2025_beside_its_successor():
    (pertunmaa,) = [m for m in mergers() if m["old"] == "588"]
    assert pertunmaa["first_year_merged"] == "2025" and pertunmaa["last_year"] == "2024"
    assert "588" in key(2024) and "588" not in key(2025)
    assert {"507"} <= set(key(2024)) & set(key(2025))
    assert len(key(2024)) - len(key(2025)) == 1
    # data-raw/SOURCES.md § 1 names the successor; the classification file itself does not
    sources = (RAW / "SOURCES.md").read_text(encoding="utf-8")
    assert "Pertunmaa (588) merged into Mäntyharju" in sources and key(2025)["507"] == "Mäntyharju"


@pytest.mark.parametrize("merger", compiled_mergers(), ids=lambda m: m["note"])
def test_a_compiled_merger_agrees_with_the_raw_divisions_and_regions(merger):
    old, new, first = merger["old"], merger["new"], int(merger["first_year_merged"])
    assert sotkanet_2015()[old] == merger["old_name"] and merger["note"].startswith(
        merger["old_name"]
    )
    # ended by 2017: absent from the 2017 division, which lists the successor by the same name
    _years, series = avainluvut_population()
    assert merger["old_name"] not in series and merger["new_name"] in series
    assert first <= 2017 and int(merger["last_year"]) == first - 1
    assert f"1.1.{first}" in merger["note"]
    # the successor keeps its code and name in every later classification, the old one is gone
    for year in (2023, 2024, 2025):
        assert key(year)[new] == merger["new_name"] and old not in key(year)
    assert new not in {m["old"] for m in mergers()}  # no chain: the successor still exists
    # both lay in the same region (maakunta) in Sotkanet's 2015 list
    assert sotkanet_2015_maakunta()[old] == sotkanet_2015_maakunta()[new]


@pytest.mark.parametrize("merger", compiled_mergers(), ids=lambda m: m["note"])
def test_a_compiled_merger_names_its_source_document(merger):
    assert merger["source_url"].startswith(("https://", "http://"))
    assert merger["source_title"] and merger["source_publisher"]
    assert merger["source_date"][:4] == str(merger["first_year_merged"])  # published that year
