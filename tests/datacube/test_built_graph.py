"""The Data Cube integrity constraints hold on the graph built from the bundled data."""

from __future__ import annotations

import pytest

from kgservice.store.embedded import EmbeddedStore
from kgservice.validation.datacube import check_integrity, observation_count


@pytest.mark.slow
def test_built_graph_holds_statistics_and_violates_no_integrity_constraint(built_settings):
    store = EmbeddedStore(built_settings.store_path, read_only=True)
    try:
        assert observation_count(store, built_settings) > 0, "the build holds no observations"
        violations = check_integrity(store, built_settings)
    finally:
        store.close()
    assert [v.describe() for v in violations] == []
