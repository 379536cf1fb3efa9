"""Web fixtures: a store built from the small fixture ``fixtures/vocab.trig`` and an app on it."""

from __future__ import annotations

import pytest
from fixtures.vocab import build_fixture_store

from kgservice.config import Settings


@pytest.fixture(scope="session")
def web_settings(settings_factory) -> Settings:
    return build_fixture_store(settings_factory())


@pytest.fixture(scope="session")
def web_app(app_factory, web_settings):
    return app_factory(web_settings)


@pytest.fixture()
def web_client(web_app):
    return web_app.test_client()


@pytest.fixture(scope="session")
def base(web_settings) -> str:
    return web_settings.base_iri
