"""The indicator tests' store: ontology modules + fixtures/cube.ttl + the regional closure."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from kgservice.config import Settings
from kgservice.indicators.buildstep import materialise_area_closure
from kgservice.iris import graph_iri
from kgservice.store.base import Store

FIXTURES = Path(__file__).with_name("fixtures")
MODULES = ["core", "indicators", "phenomena", "views", "levels"]


def load_fixture_graphs(store: Store, settings: Settings) -> None:
    for name in MODULES:
        path = settings.ontology_dir / f"{name}.ttl"
        if path.is_file():
            store.load(path, RdfFormat.TURTLE, graph_iri(settings, "ontology", name))
    store.load(FIXTURES / "cube.ttl", RdfFormat.TURTLE, graph_iri(settings, "source", "fixture"))
    materialise_area_closure(settings, store)
