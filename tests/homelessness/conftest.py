"""Fixtures for the homelessness tests: the raw ARA/Varke files, the population files, the
classification, and a read-only view of the full build's store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from ara_raw import DATA, MUNICIPAL, NATIONAL, key, read_rows

from kgservice.indicators.service import IndicatorService
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import build_version, served_dir


@pytest.fixture(scope="session")
def ara_rows() -> list[dict[str, str]]:
    """Every row of both bundled files (national first)."""
    return read_rows(DATA / "ara" / NATIONAL) + read_rows(DATA / "ara" / MUNICIPAL)


@pytest.fixture(scope="session")
def preferred(ara_rows) -> dict[tuple[str, str, str], dict[str, str]]:
    """The preferred row of each (measure, area, year) the code list has."""
    return {k: r for r in ara_rows if r["preferred_row"] == "1" and (k := key(r))}


@pytest.fixture(scope="session")
def population() -> dict[tuple[str, str], Decimal]:
    """Population at the end of each year by (kuntanumero, year): Sotkanet 127 (2000–2022) and
    Statistics Finland 11s5 (December 2024), read from the bundled files."""
    pop: dict[tuple[str, str], Decimal] = {}
    for r in read_rows(
        DATA / "sotkanet" / "geofi_sotkanet_ind127_population_municipality_2000_2022.csv"
    ):
        pop[(r["municipality_code"].zfill(3), r["year"])] = Decimal(r["primary_value"])
    doc = json.loads(
        (
            DATA / "statfin" / "statfin_11s5_population_municipality_2024M12.jsonstat.json"
        ).read_text()
    )
    areas = doc["dimension"]["alue"]["category"]["index"]
    for area, value in zip(areas, doc["value"], strict=True):
        if area.startswith("KU") and value is not None:
            pop.setdefault((area[2:], "2024"), Decimal(str(value)))
    return pop


@pytest.fixture(scope="session")
def country_population() -> dict[str, dict[str, str]]:
    """The whole country's population of the years the municipal files lack (2023 end of year,
    2025 end of November, preliminary), by year: the row of the compiled file with its source."""
    path = DATA / "statfin" / "statfin_vaesto_koko_maa_2023_2025.csv"
    return {r["year"]: r for r in read_rows(path) if r["area_code"] == "SSS"}


@pytest.fixture(scope="session")
def classification() -> dict[str, dict[str, str]]:
    """kuntanumero → wellbeing services county code, per classification year (2024, 2025)."""
    out: dict[str, dict[str, str]] = {}
    for year in ("2024", "2025"):
        path = DATA / "regions" / f"kunta_hyvinvointialue_yhteistyoalue_{year}.csv"
        out[year] = {r["kuntanumero"]: r["hyvinvointialue_code"] for r in read_rows(path)}
    return out


@pytest.fixture(scope="module")
def store(built_settings) -> Iterator[EmbeddedStore]:
    st = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield st
    st.close()


@pytest.fixture(scope="module")
def svc(store, built_settings) -> IndicatorService:
    return IndicatorService(store, built_settings, build_version(served_dir(built_settings)))
