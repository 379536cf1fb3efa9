"""A private copy of the built store served by a real ``kgservice serve``, and one token per role.

The copy is pyoxigraph's ``backup`` of the session's build and its release store (hard links,
under a second) with a hard link to its dump, so the
writes of these tests never reach the store the other tests read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fixtures.kgservice_server import Served, kgservice_serve
from pyoxigraph import Store as OxStore

from kgservice.config import Settings
from kgservice.store.releases import release_store_path
from kgservice.store.served import DUMP_FILE, served_dir
from kgservice.tokens import ROLES, add_token, tokens_path


@pytest.fixture(scope="module")
def gsp_settings(built_settings: Settings, tmp_path_factory) -> Settings:
    var = tmp_path_factory.mktemp("gsp-var")
    settings = built_settings.with_(var_dir=var, store_path=var / "store")
    build = var / "stores" / "build-copy"
    build.parent.mkdir()
    source = served_dir(built_settings)
    assert source is not None
    OxStore.read_only(str(source)).backup(str(build))
    frozen = release_store_path(source)  # the release store goes with its build
    OxStore.read_only(str(frozen)).backup(str(release_store_path(build)))
    os.link(source / DUMP_FILE, build / DUMP_FILE)  # and so does the dump
    os.symlink(os.path.relpath(build, var), var / "store")
    return settings


@pytest.fixture(scope="module")
def tokens(gsp_settings: Settings) -> dict[str, str]:
    """role → a token with that role (named after the role)."""
    return {role: add_token(tokens_path(gsp_settings), role, role) for role in ROLES}


@pytest.fixture(scope="module")
def gsp_server(gsp_settings: Settings, tokens) -> Iterator[Served]:
    with kgservice_serve(gsp_settings) as server:
        yield server
