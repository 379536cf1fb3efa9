"""Small stores for the SPARQL endpoint tests, each served by its own app and worker pool."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from fixtures.engines import ENGINES
from flask import Flask
from pyoxigraph import RdfFormat
from remote_apps import remote_app_factory
from sparql_testdata import SMALL_DATA

from kgservice.config import Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.web.sparqlworker import QueryPool

AppFactory = Callable[..., Flask]


def write_store(path: Path, graphs: dict[str, bytes | Path]) -> None:
    store = EmbeddedStore(path)
    for graph, data in graphs.items():
        if isinstance(data, Path):
            fmt = RdfFormat.TURTLE if data.suffix == ".ttl" else RdfFormat.N_TRIPLES
            store.load(data, fmt, graph)
        else:
            store.load(data, RdfFormat.N_TRIPLES, graph)
    store.close()


@pytest.fixture(scope="module")
def make_app(app_factory, tmp_path_factory) -> Iterator[AppFactory]:
    """``make_app(graphs, workers=1, **settings)`` → a Flask app over a fresh store."""
    pools: list[QueryPool] = []

    def factory(graphs: dict[str, bytes | Path], workers: int = 1, **changes: object) -> Flask:
        var = tmp_path_factory.mktemp("sparql")
        write_store(var / "store", graphs)
        settings = Settings(store_path=var / "store", var_dir=var).with_(**changes)
        app = app_factory(settings)
        pool = QueryPool(workers, settings.query_timeout_s)
        app.extensions["kg.sparqlpool"] = pool
        pools.append(pool)
        return app

    yield factory
    for pool in pools:
        pool.close()


@pytest.fixture(scope="module", params=ENGINES)
def make_remote_app(request, app_factory, tmp_path_factory) -> Iterator[AppFactory]:
    """``make_remote_app(**settings)`` → a Flask app whose store is a real remote engine
    (``oxigraph serve``, then Virtuoso; query timeout 5 s) holding :data:`SMALL_DATA`; the
    servers stop with the module (the session's Virtuoso is emptied instead)."""
    with ExitStack() as servers:
        yield remote_app_factory(request, request.param, servers, app_factory, tmp_path_factory)


@pytest.fixture(scope="module")
def small_app(make_app) -> Flask:
    return make_app(SMALL_DATA)


@pytest.fixture()
def small_client(small_app):
    return small_app.test_client()


class Served:
    """An app on waitress in a daemon thread on a free loopback port (a real HTTP server)."""

    def __init__(self, app: Flask, threads: int = 8) -> None:
        import threading

        from waitress.server import create_server

        self.app = app
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self._closing = False
        self.thread = threading.Thread(target=self._run, daemon=True, name="sparql-test")
        self.thread.start()

    def _run(self) -> None:
        try:
            self.server.run()
        except OSError:
            # waitress has no stop(): closing its sockets ends the loop's select() with EBADF
            if not self._closing:
                raise

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"

    def close(self) -> None:
        self._closing = True
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[[Flask], Served]]:
    servers: list[Served] = []

    def start(app: Flask) -> Served:
        servers.append(Served(app))
        return servers[-1]

    yield start
    for s in servers:
        s.close()
