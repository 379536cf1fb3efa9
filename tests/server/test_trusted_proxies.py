"""KG_TRUSTED_PROXIES: behind that many proxies, request.remote_addr is the real client."""

from __future__ import annotations

import pytest
import requests
from fixtures.kgservice_server import in_process_server
from flask import request
from werkzeug.middleware.proxy_fix import ProxyFix


def _echo_app(app_factory, settings, trusted_proxies: int):
    app = app_factory(settings, testing=False, trusted_proxies=trusted_proxies)

    @app.get("/_test/client")
    def client():  # what per-client limits see
        return {"remote_addr": request.remote_addr, "scheme": request.scheme}

    return app.test_client()


def _seen(client, headers: dict[str, str]) -> dict:
    r = client.get("/_test/client", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.5"})
    assert r.status_code == 200
    return r.get_json()


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app_factory, built_settings):
    client = _echo_app(app_factory, built_settings, 0)
    seen = _seen(client, {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == {"remote_addr": "10.0.0.5", "scheme": "http"}


def test_behind_one_trusted_proxy_its_forwarded_for_is_the_client(app_factory, built_settings):
    client = _echo_app(app_factory, built_settings, 1)
    seen = _seen(client, {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert seen == {"remote_addr": "203.0.113.7", "scheme": "https"}


@pytest.mark.parametrize(("trusted", "client_addr"), [(1, "203.0.113.7"), (2, "198.51.100.1")])
def test_only_as_many_forwarded_addresses_as_trusted_proxies_are_believed(
    app_factory, built_settings, trusted, client_addr
):
    # a client forged 198.51.100.1; the (last) proxy appended the address it saw
    client = _echo_app(app_factory, built_settings, trusted)
    seen = _seen(client, {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert seen["remote_addr"] == client_addr


def test_without_trusted_proxies_the_server_drops_forwarded_headers_before_the_app(
    app_factory, built_settings
):
    # second layer: even an app that believes X-Forwarded-For never sees one
    settings = built_settings.with_(trusted_proxies=0)
    app = app_factory(settings, testing=False)
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    @app.get("/_test/client")
    def client():
        return {"remote_addr": request.remote_addr, "scheme": request.scheme}

    forged = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}
    with in_process_server(app, settings) as base:
        seen = requests.get(base + "/_test/client", headers=forged, timeout=30).json()
    assert seen == {"remote_addr": "127.0.0.1", "scheme": "http"}
