"""The Data Cube integrity constraints hold on the graph built from the bundled data."""

from __future__ import annotations

from kgservice.store.embedded import EmbeddedStore
from kgservice.validation.datacube import check_integrity

ASK_OBSERVATION = (
    "PREFIX qb: <http://purl.org/linked-data/cube#> ASK { ?obs a qb:Observation ; qb:dataSet ?ds }"
)


def test_built_graph_holds_statistics_and_violates_no_integrity_constraint(built_settings):
    store = EmbeddedStore(built_settings.store_path, read_only=True)
    try:
        assert store.ask(ASK_OBSERVATION), "the build holds no qb:Observation yet"
        violations = check_integrity(store, built_settings)
    finally:
        store.close()
    assert [v.describe() for v in violations] == []
