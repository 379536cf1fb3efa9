"""The reverse-proxy example ``deploy/nginx/rake-kg.conf`` with Debian's real nginx.

nginx runs with the shipped site file (rendered for loopback ports, see fixtures/nginx.py) in front
of a real ``kgservice serve`` with ``KG_TRUSTED_PROXIES=1``.
"""

from __future__ import annotations

import gzip
import http.client
import json
import time

import pytest
import requests
from fixtures.idle_sockets import VIEW, idle_connections
from fixtures.kgservice_server import in_process_server
from fixtures.nginx import STATIC, nginx_proxy
from fixtures.processes import free_port
from flask import request

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def proxied(production_server, tmp_path_factory):
    with nginx_proxy(tmp_path_factory.mktemp("nginx"), production_server.port) as nginx:
        yield nginx


@pytest.mark.parametrize(
    "path",
    ["/", VIEW, "/api/views/phenomenon-in-brief?phenomenon=asunnottomuus&year=2024&format=csv"],
)
def test_a_page_and_an_api_view_through_nginx_are_the_same_as_direct(
    production_server, proxied, path
):
    direct = requests.get(production_server.base + path, timeout=30)
    through = requests.get(proxied.base + path, timeout=30)
    assert direct.status_code == through.status_code == 200
    assert through.content == direct.content
    assert through.headers["Content-Type"] == direct.headers["Content-Type"]


def test_text_answers_are_compressed_by_nginx(proxied):
    r = requests.get(proxied.base + VIEW, headers={"Accept-Encoding": "gzip"}, stream=True)
    assert r.headers["Content-Encoding"] == "gzip"
    raw = r.raw.read(decode_content=False)
    assert json.loads(gzip.decompress(raw))  # the view's JSON, compressed


def test_static_files_are_served_by_nginx_itself(proxied):
    r = requests.get(proxied.base + "/static/site.css", timeout=30)
    assert r.status_code == 200
    assert r.content == (STATIC / "site.css").read_bytes()
    assert r.headers["Server"] == "nginx"  # the service sends no Server header; no version
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Expires" in r.headers


def test_static_files_are_served_while_the_service_is_down(tmp_path):
    dead_port = free_port()  # nothing listens there
    with nginx_proxy(tmp_path / "nginx", dead_port) as nginx:
        assert requests.get(nginx.base + "/static/autocomplete.js", timeout=30).status_code == 200
        assert requests.get(nginx.base + "/", timeout=30).status_code == 502


def test_the_optional_per_client_limits_answer_429_to_a_flooding_client(tmp_path):
    # 20 requests a second with a burst of 40: 300 back-to-back requests must overrun it
    with nginx_proxy(tmp_path / "nginx", free_port(), limits=True) as nginx:
        with requests.Session() as session:
            codes = [
                session.get(nginx.base + "/static/site.css", timeout=30).status_code
                for _ in range(300)
            ]
    assert codes[0] == 200
    assert 429 in codes
    assert set(codes) == {200, 429}


def test_a_body_just_over_the_limit_gets_the_service_413_problem_json(proxied):
    r = requests.post(
        proxied.base + "/sparql",
        data=b"ASK {}" + b" " * (3 * 512 * 1024),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert r.status_code == 413
    assert r.headers["Content-Type"].startswith("application/problem+json")


def test_a_view_answers_within_a_second_while_500_connections_idle_at_nginx(proxied):
    with idle_connections(proxied.port, silent=250, half=250):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            assert requests.get(proxied.base + VIEW, timeout=30).status_code == 200
            times.append(time.perf_counter() - start)
        assert min(times) < 1.0


@pytest.fixture(scope="module")
def echo_behind_nginx(app_factory, built_settings, tmp_path_factory):
    """The app (KG_TRUSTED_PROXIES=1) with a route that shows who it thinks the client is."""
    settings = built_settings.with_(trusted_proxies=1)
    app = app_factory(settings, testing=False)

    @app.get("/_test/client")
    def client():
        return {"remote_addr": request.remote_addr, "scheme": request.scheme}

    with in_process_server(app, settings) as base:
        upstream_port = int(base.rsplit(":", 1)[1])
        with nginx_proxy(tmp_path_factory.mktemp("nginx-echo"), upstream_port) as nginx:
            yield nginx


def _seen_from(nginx, source: str, headers: dict[str, str]) -> dict:
    conn = http.client.HTTPConnection(
        "127.0.0.1", nginx.port, timeout=30, source_address=(source, 0)
    )
    try:
        conn.request("GET", "/_test/client", headers=headers)
        r = conn.getresponse()
        assert r.status == 200
        return json.loads(r.read())
    finally:
        conn.close()


def test_the_client_address_reaches_the_app_as_remote_addr(echo_behind_nginx):
    # the client connects from 127.0.0.2; nginx itself reaches the app from 127.0.0.1
    seen = _seen_from(echo_behind_nginx, "127.0.0.2", {})
    assert seen == {"remote_addr": "127.0.0.2", "scheme": "http"}


def test_a_forged_forwarded_header_does_not_pass_nginx(echo_behind_nginx):
    forged = {"X-Forwarded-For": "198.51.100.1", "X-Forwarded-Proto": "https"}
    seen = _seen_from(echo_behind_nginx, "127.0.0.3", forged)
    assert seen == {"remote_addr": "127.0.0.3", "scheme": "http"}
