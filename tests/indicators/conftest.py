"""Fixtures for the indicator tests: a small store of REAL figures (fixtures/cube.ttl, made by
fixtures/make_fixture.py from ../shared/data-raw) plus the ontology modules indicators need,
and independent pandas reads of the raw source files to check the service against."""

from __future__ import annotations

import pandas as pd
import pytest
from indicator_fixture import FIXTURES, MODULES, load_fixture_graphs
from indicator_raw import RAW

from kgservice.config import Settings
from kgservice.indicators.service import IndicatorService
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import BuildVersion


@pytest.fixture(scope="session")
def fixture_svc() -> IndicatorService:
    settings = Settings()
    store = EmbeddedStore(None)
    load_fixture_graphs(store, settings)
    return IndicatorService(store, settings, BuildVersion("fixture", 0.0))


@pytest.fixture(scope="session")
def fixture_built_settings(settings_factory) -> Settings:
    """A real built store (build + atomic swap) holding only the fixture graphs."""
    from kgservice.pipeline.build import build
    from kgservice.pipeline.steps import Step

    settings = settings_factory()
    build(settings, [Step("fixture", lambda s, st, _r: load_fixture_graphs(st, s))])
    return settings


@pytest.fixture(scope="session")
def fixture_app(app_factory, fixture_built_settings):
    return app_factory(fixture_built_settings)


@pytest.fixture()
def fixture_client(fixture_app):
    return fixture_app.test_client()


@pytest.fixture(scope="session")
def no_homelessness_data_client(app_factory, settings_factory):
    """The fixture store with homelessness reduced to one indicator without a data definition
    (fixtures/awaiting-definition.ttl): the case of a phenomenon with no figures at all."""
    from kgservice.pipeline.build import build
    from kgservice.pipeline.steps import Step

    modules = [m for m in MODULES if m != "indicators-homelessness"]
    extra = (FIXTURES / "awaiting-definition.ttl",)
    settings = settings_factory()
    build(settings, [Step("fixture", lambda s, st, _r: load_fixture_graphs(st, s, modules, extra))])
    return app_factory(settings).test_client()


@pytest.fixture(scope="session")
def raw_14ww() -> pd.DataFrame:
    """Statistics Finland 14ww as published (strings; '...' kept), indexed by area code."""
    path = (
        RAW / "indicators" / "statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.csv"
    )
    return pd.read_csv(path, dtype=str).set_index("area_code")


@pytest.fixture(scope="session")
def raw_regions() -> pd.DataFrame:
    path = RAW / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2025.csv"
    return pd.read_csv(path, dtype=str)
