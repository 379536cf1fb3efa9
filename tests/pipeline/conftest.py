"""Fixtures for open-data pipeline tests: private copies of data/ and mappings/ to break or trim."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest

from kgservice.config import PROJECT_ROOT, Settings
from kgservice.queries import select
from kgservice.sources.spec import load_specs
from kgservice.store.base import Row
from kgservice.store.embedded import EmbeddedStore

#: Small sources that keep a private build fast (regions are always kept).
SMALL = ("regions", "sotkanet-region-ids", "statfin-14ww-2024", "statfin-tyokay-tyottomat-2016")


@pytest.fixture()
def private_sources(tmp_path, settings_factory) -> Callable[..., Settings]:
    """Settings over copies of data/ and mappings/, optionally keeping only some sources."""

    def make(keep: tuple[str, ...] | None = SMALL) -> Settings:
        data = tmp_path / "data"
        mappings = tmp_path / "mappings"
        if not data.exists():
            shutil.copytree(PROJECT_ROOT / "data", data)
            shutil.copytree(PROJECT_ROOT / "mappings", mappings)
        settings = settings_factory(data_dir=data, mappings_dir=mappings)
        if keep is not None:
            for spec in load_specs(settings):
                if spec.slug not in keep:
                    spec.path.unlink()
        return settings

    return make


def run(settings: Settings, name: str, **bindings) -> list[Row]:
    """A named query against the settings' current store (read-only)."""
    from kgservice.store.served import served_dir

    store = EmbeddedStore(served_dir(settings), read_only=True)
    try:
        return select(store, settings.queries_dir, name, **bindings)
    finally:
        store.close()


@pytest.fixture(scope="session")
def region_rows(built_settings) -> Callable[..., list[Row]]:
    def q(name: str, **bindings) -> list[Row]:
        return run(built_settings, name, **bindings)

    return q
