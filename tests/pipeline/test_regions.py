"""The region code list: hierarchy per classification year, Helsinki, Åland, mergers, crosswalk."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from pyoxigraph import Literal, NamedNode

from kgservice.config import CANONICAL_BASE_IRI, PROJECT_ROOT

XSD_GYEAR = NamedNode("http://www.w3.org/2001/XMLSchema#gYear")
REGION = CANONICAL_BASE_IRI + "region/"


def values(rows, name: str) -> list[str]:
    return [r[name].value for r in rows if name in r]


def data_file(name: str):
    return PROJECT_ROOT / "data" / name


def year(y: int) -> Literal:
    return Literal(str(y), datatype=XSD_GYEAR)


@pytest.mark.parametrize("y", [2024, 2025])
def test_every_municipality_has_exactly_one_county_in_each_year(region_rows, y):
    rows = region_rows("regions/municipalities-in-year", year=year(y))
    key = pd.read_csv(data_file(f"regions/kunta_hyvinvointialue_yhteistyoalue_{y}.csv"), dtype=str)
    assert sorted(values(rows, "notation")) == sorted(key["kuntanumero"])
    assert {r["counties"].value for r in rows} == {"1"}
    expected = dict(zip(key["kuntanumero"], key["hyvinvointialue_code"], strict=True))
    got = {r["notation"].value: r["county"].value.rsplit("/", 1)[-1] for r in rows}
    assert got == expected


def test_helsinki_is_both_municipality_091_and_the_area_90(region_rows):
    rows = region_rows("regions/municipalities-in-year", year=year(2025))
    in_90 = [r["notation"].value for r in rows if r["county"].value.endswith("/90")]
    assert in_90 == ["091"]
    rows = region_rows(
        "regions/county-in-year", area=NamedNode(REGION + "kunta/091"), year=year(2025)
    )
    assert values(rows, "countyNotation") == ["90"]


def test_pertunmaa_2022_figure_rolls_up_to_the_county_of_the_year_shown(
    region_rows, built_settings
):
    pertunmaa = NamedNode(REGION + "kunta/588")
    in_2024 = region_rows("regions/county-in-year", area=pertunmaa, year=year(2024))
    assert values(in_2024, "countyNotation") == ["12"] and "via" not in in_2024[0]
    in_2025 = region_rows("regions/county-in-year", area=pertunmaa, year=year(2025))
    assert values(in_2025, "countyNotation") == ["12"]
    assert values(in_2025, "via") == [REGION + "kunta/507"]
    # the 2022 population figure of Pertunmaa is in the graph, on the municipality's own IRI
    cells = region_rows(
        "statistics/cells-per-area-period",
        dataset=NamedNode(CANONICAL_BASE_IRI + "data/dataset/sotkanet-127-2000-2022"),
    )
    assert any(r["notation"].value == "588" and r["period"].value == "2022" for r in cells)


def test_a_municipality_unknown_in_both_years_rolls_up_nowhere(region_rows):
    # Suomenniemi 775 (merged into Mikkeli in 2013): no classification year, no merger row
    rows = region_rows(
        "regions/county-in-year", area=NamedNode(REGION + "kunta/775"), year=year(2025)
    )
    assert rows == []


def test_a_2015_municipality_merged_since_rolls_up_through_its_successor(region_rows):
    # Valtimo 911, merged into Nurmes 541 in 2020 (a merger row of mappings/sources/regions.toml)
    rows = region_rows(
        "regions/county-in-year", area=NamedNode(REGION + "kunta/911"), year=year(2025)
    )
    assert values(rows, "via") == [REGION + "kunta/541"]
    nurmes = region_rows(
        "regions/county-in-year", area=NamedNode(REGION + "kunta/541"), year=year(2025)
    )
    assert values(rows, "countyNotation") == values(nurmes, "countyNotation") != []


@pytest.mark.parametrize(
    ("sotkanet_id", "notation", "name"),
    [("974", "13", "Pohjois-Savon hyvinvointialue"), ("956", "91", "Ahvenanmaa")],
)
def test_sotkanet_region_ids_cross_to_official_codes_by_category(
    region_rows, sotkanet_id, notation, name
):
    rows = region_rows(
        "regions/by-sotkanet-id",
        sotkanetId=Literal(sotkanet_id),
        category=Literal("HYVINVOINTIALUE"),
    )
    assert values(rows, "notation") == [notation]
    assert values(rows, "label")[0].startswith(name)
    none = region_rows(
        "regions/by-sotkanet-id", sotkanetId=Literal(sotkanet_id), category=Literal("KUNTA")
    )
    assert none == []


def test_every_crosswalk_row_lands_on_a_county_of_the_code_list(region_rows):
    crosswalk = pd.read_csv(data_file("regions/sotkanet_hyvinvointialueet_region_ids_ropengov.csv"))
    for _, row in crosswalk.iterrows():
        rows = region_rows(
            "regions/by-sotkanet-id",
            sotkanetId=Literal(str(row["uusi_id"])),
            category=Literal("HYVINVOINTIALUE"),
        )
        assert values(rows, "notation") == [f"{int(row['uusi_code']):02d}"], row["nimi"]


def test_the_bundled_crosswalk_covers_counties_municipalities_and_the_country(region_rows):
    # the real Sotkanet /regions answer of October 2015 is bundled (KUNTA, MAA); the counties come
    # from the rOpenGov crosswalk (tests/indicators/test_sotkanet_catalogue.py checks every id)
    assert data_file("regions/sotkanet_rest11_regions.json").exists()
    rows = region_rows("regions/sotkanet-crosswalk")
    categories = Counter(r["category"].value for r in rows)
    assert categories == {"HYVINVOINTIALUE": 23, "KUNTA": 309, "MAA": 1}


def test_kuopio_keeps_its_official_code_297_as_the_municipality_notation(region_rows):
    rows = region_rows(
        "regions/county-in-year", area=NamedNode(REGION + "kunta/297"), year=year(2025)
    )
    assert values(rows, "countyNotation") == ["13"]
