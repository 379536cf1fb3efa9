"""Issue 11, defect 3: idle and half-open connections must not stall the server.

Seen before: with 101 idle TCP connections, ``GET /api/views/…`` waited more than 25 s (waitress's
default connection limit is 100, and it kept a silent connection for 120 s).
"""

from __future__ import annotations

import http.client
import socket
import time

import pytest
import requests
from fixtures.idle_sockets import START_SOFT_NOFILE, VIEW, idle_connections, is_open
from fixtures.kgservice_server import in_process_server, kgservice_serve

from kgservice.web.server import FD_RESERVE

pytestmark = pytest.mark.slow


def fastest_answer_s(url: str, attempts: int = 3) -> float:
    """The quickest of ``attempts`` fresh-connection GETs of ``url``; each must be a 200."""
    times = []
    for _ in range(attempts):
        start = time.perf_counter()
        r = requests.get(url, timeout=30)
        times.append(time.perf_counter() - start)
        assert r.status_code == 200, r.text[:300]
    return min(times)


def test_a_view_answers_within_a_second_while_500_connections_idle(production_server):
    with idle_connections(production_server.port, silent=250, half=250) as socks:
        # the server really holds them: accepted (its own sockets), not waiting in the backlog
        assert production_server.wait_for_sockets(500) >= 500
        assert fastest_answer_s(production_server.base + VIEW) < 1.0
        assert all(is_open(s) for s in socks)


def test_more_connections_than_select_can_watch_still_leave_the_server_answering(
    production_server,
):
    # select() cannot watch a descriptor numbered 1024 or above; 1100 sockets need poll()
    with idle_connections(production_server.port, silent=1100):
        assert production_server.wait_for_sockets(1100) >= 1100
        assert fastest_answer_s(production_server.base + VIEW) < 1.0
    assert requests.get(production_server.base + VIEW, timeout=30).status_code == 200


def test_the_server_raises_its_open_files_limit_for_its_connection_limit(production_server):
    soft, _ = production_server.nofile_limit()
    assert soft > START_SOFT_NOFILE
    assert soft >= 2000 + FD_RESERVE  # the default KG_CONNECTION_LIMIT and the reserve


def test_silent_and_half_sent_connections_are_closed_after_the_idle_timeout(built_settings):
    with kgservice_serve(built_settings, env={"KG_IDLE_TIMEOUT": "2"}) as server:
        before = server.open_sockets()  # the listener, the query workers' pipes
        with idle_connections(server.port, silent=5, half=5) as socks:
            keep_alive = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            keep_alive.request("GET", "/api/indicators")
            assert keep_alive.getresponse().read()
            assert keep_alive.sock is not None
            socks = [*socks, keep_alive.sock]
            assert all(is_open(s) for s in socks)
            deadline = time.monotonic() + 30
            while any(is_open(s) for s in socks) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not any(is_open(s) for s in socks)
            # closed by the server: it holds none of them while the clients still do
            assert server.open_sockets() <= before


def test_with_waitress_defaults_idle_connections_do_stall_a_request(built_settings):
    """The defect itself, with the old limits: proof that the tests above measure something."""
    env = {"KG_CONNECTION_LIMIT": "100", "KG_IDLE_TIMEOUT": "120"}
    with kgservice_serve(built_settings, env=env) as server:
        with idle_connections(server.port, silent=101):
            with pytest.raises(requests.Timeout):
                requests.get(server.base + VIEW, timeout=3)


def _trickle_until_closed(port: int, head: bytes, drip: bytes, limit_s: float) -> float | None:
    """Send ``head``, then ``drip`` every 0.2 s; the seconds until the server closed, or None."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(head)
        while time.monotonic() - start < limit_s:
            time.sleep(0.2)
            try:
                s.sendall(drip)
            except OSError:  # broken pipe, reset: closed
                return time.monotonic() - start
            if not is_open(s):
                return time.monotonic() - start
    return None


@pytest.mark.parametrize(
    ("head", "drip"),
    [
        pytest.param(b"GET /api/indicators HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X", id="header"),
        pytest.param(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n"
            b"Content-Type: application/sparql-query\r\n\r\n",
            b" ",
            id="body",
        ),
    ],
)
def test_a_request_trickled_byte_by_byte_is_cut_at_the_read_deadline(
    app_factory, built_settings, head, drip
):
    # every byte restarts the idle timeout (30 s here); only the read deadline (2 s) can cut it
    settings = built_settings.with_(idle_timeout_s=30, request_read_timeout_s=2)
    with in_process_server(app_factory(settings, testing=False), settings) as base:
        port = int(base.rsplit(":", 1)[1])
        closed_after = _trickle_until_closed(port, head, drip, limit_s=20)
        assert closed_after is not None
        assert closed_after >= 2
        # requests that arrive whole are not affected
        assert requests.get(base + "/api/indicators", timeout=30).status_code == 200
