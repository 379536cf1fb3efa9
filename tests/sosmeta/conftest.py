"""Fixtures of the Sosmeta tests: the real schemas of ../shared, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgservice.sosmeta.schema import Structure, load_schema

TYOIKAISTEN = "1.2.246.537.6.1506.11052.2023.9.8"


@pytest.fixture(scope="session")
def schema_dir(shared_dir) -> Path:
    return shared_dir / "data-raw" / "sosmeta" / "schemas"


@pytest.fixture(scope="session")
def tyoikaisten(schema_dir) -> Structure:
    return load_schema(schema_dir / f"{TYOIKAISTEN}.json")
