"""Shared fixtures: settings → built store → app → client, built once per test session.

Tests that need their own store build one from ``settings_factory`` into a temporary directory;
tests that need their own app make it with ``app_factory``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

# A real `oxigraph serve` per session, for remote-backend tests (tests/ is on sys.path).
from fixtures.oxigraph_server import oxigraph_endpoint  # noqa: F401, E402

# A real Virtuoso per session: the remote suites run on a second engine (fixtures/engines.py).
from fixtures.virtuoso_server import virtuoso_endpoint  # noqa: F401, E402
from flask import Flask

from kgservice.config import PROJECT_ROOT, Settings

SHARED = PROJECT_ROOT.parent / "shared"


def make_settings(var_dir: Path, **changes: object) -> Settings:
    """Settings for a test: the repository's sources, a private var/ directory."""
    return Settings(var_dir=var_dir, store_path=var_dir / "store").with_(**changes)


@pytest.fixture(scope="session")
def settings_factory(tmp_path_factory) -> Callable[..., Settings]:
    def factory(**changes: object) -> Settings:
        return make_settings(tmp_path_factory.mktemp("var"), **changes)

    return factory


@pytest.fixture(scope="session")
def built_settings(settings_factory) -> Settings:
    """Settings whose store holds a full build of the bundled sources (built once)."""
    from kgservice.pipeline.build import build

    settings = settings_factory()
    build(settings)
    return settings


@pytest.fixture(scope="session")
def app_factory() -> Callable[..., Flask]:
    """``app_factory(settings, **changes)``: a new app on ``settings.with_(**changes)``.

    The one place tests make apps. ``TESTING`` is on (an unhandled error reaches the test);
    ``testing=False`` keeps Flask's production handling (a 500 answered, as under a server).
    """

    def factory(settings: Settings, *, testing: bool = True, **changes: object) -> Flask:
        from kgservice.web import create_app

        application = create_app(settings.with_(**changes) if changes else settings)
        application.config["TESTING"] = testing
        return application

    return factory


@pytest.fixture(scope="session")
def app(app_factory, built_settings) -> Flask:
    return app_factory(built_settings)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repository (full raw data sets, conformance suites)."""
    if not SHARED.is_dir():
        raise RuntimeError(f"{SHARED} is missing: tests need the shared/ folder beside the repo")
    return SHARED
