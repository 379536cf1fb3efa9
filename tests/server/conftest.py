"""A real ``kgservice serve`` with its production defaults, shared by the server tests.

It runs as behind the example nginx (``KG_TRUSTED_PROXIES=1``) and starts with a soft open-files
limit of 1024 (a common default), so the tests also see that the server raises it for its
connection limit.
"""

from __future__ import annotations

import resource
from collections.abc import Iterator

import pytest
from fixtures.idle_sockets import START_SOFT_NOFILE
from fixtures.kgservice_server import Served, kgservice_serve


@pytest.fixture(scope="session")
def production_server(built_settings) -> Iterator[Served]:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    env = {"KG_TRUSTED_PROXIES": "1"}
    with kgservice_serve(built_settings, env=env, nofile=(START_SOFT_NOFILE, hard)) as server:
        yield server
