"""Web fixtures: a store built from the small fixture ``fixtures/vocab.trig`` and an app on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Quad

from kgservice.config import Settings
from kgservice.iris import rebase
from kgservice.pipeline.build import Step, StepReport, build
from kgservice.pipeline.rdfsource import read_quads
from kgservice.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "vocab.trig"


def load_fixture(settings: Settings, store: EmbeddedStore, report: StepReport) -> None:
    quads: list[Quad] = list(rebase(read_quads(FIXTURE), settings))
    for q in quads:
        store.pyoxigraph.add(q)
    report.rows_loaded = len(quads)


def build_fixture_store(settings: Settings) -> Settings:
    build(settings, [Step("web-fixture", load_fixture)])
    return settings


@pytest.fixture(scope="session")
def web_settings(settings_factory) -> Settings:
    return build_fixture_store(settings_factory())


@pytest.fixture(scope="session")
def web_app(web_settings):
    from kgservice.web import create_app

    application = create_app(web_settings)
    application.config["TESTING"] = True
    return application


@pytest.fixture()
def web_client(web_app):
    return web_app.test_client()


@pytest.fixture(scope="session")
def base(web_settings) -> str:
    return web_settings.base_iri
