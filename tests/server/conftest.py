"""A real ``kgservice serve`` with its production defaults, shared by the server tests.

It runs as behind the example nginx (``KG_TRUSTED_PROXIES=1``) and starts with a soft open-files
limit of 1024 (a common default), so the tests also see that the server raises it for its
connection limit.
"""

from __future__ import annotations

import resource
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fixtures.kgservice_server import Served, kgservice_serve

#: A real view of the bundled data (README "Indicators and views": Kainuu, 2024).
VIEW = "/api/views/situation-picture?area=20&year=2024"
#: The first lines of a request whose header never ends.
HALF_HEADER = b"GET /api/views/situation-picture HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: sl"
START_SOFT_NOFILE = 1024


@pytest.fixture(scope="session")
def production_server(built_settings) -> Iterator[Served]:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    env = {"KG_TRUSTED_PROXIES": "1"}
    with kgservice_serve(built_settings, env=env, nofile=(START_SOFT_NOFILE, hard)) as server:
        yield server


def _room_for(n: int) -> None:
    """Let this (test) process open ``n`` more sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = n + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


@contextmanager
def idle_connections(port: int, silent: int, half: int = 0) -> Iterator[list[socket.socket]]:
    """``silent`` connections that send nothing and ``half`` that send half a request header."""
    _room_for(silent + half)
    socks: list[socket.socket] = []
    try:
        for i in range(silent + half):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if i >= silent:
                s.sendall(HALF_HEADER)
            socks.append(s)
        yield socks
    finally:
        for s in socks:
            s.close()


def is_open(s: socket.socket) -> bool:
    """True while the peer has neither closed nor reset the connection (nothing is read)."""
    s.setblocking(False)
    try:
        return s.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    except ConnectionError:
        return False
    finally:
        s.setblocking(True)
