"""Apps over a real remote engine holding the SPARQL tests' small data (importable by name, as
``sparql_testdata``; conftest is not)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack

from fixtures.engines import engine_server
from flask import Flask
from pyoxigraph import RdfFormat
from sparql_testdata import SMALL_DATA

from kgservice.config import Settings

AppFactory = Callable[..., Flask]


def remote_app_factory(
    request, engine: str, servers: ExitStack, app_factory, tmp_path_factory
) -> AppFactory:
    """A factory of apps over a real remote ``engine`` holding :data:`SMALL_DATA` (query
    timeout 5 s); the servers started join ``servers``."""

    def factory(**changes: object) -> Flask:
        location = tmp_path_factory.mktemp("remote")
        server = servers.enter_context(engine_server(request, engine, location, timeout_s=5))
        with server.remote_store() as store:
            for graph, data in SMALL_DATA.items():
                store.load(data, RdfFormat.N_TRIPLES, graph)
        settings = Settings(
            var_dir=tmp_path_factory.mktemp("var"),
            query_timeout_s=5,
            **server.settings(),
            **changes,
        )
        return app_factory(settings)

    return factory
