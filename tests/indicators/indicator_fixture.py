"""The indicator tests' store: ontology modules + fixtures/cube.ttl, then the two build steps
of the indicators (the regional closure, the materialised indicator values)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from kgservice.config import Settings
from kgservice.indicators.closure import materialise_area_closure
from kgservice.indicators.materialise import materialise_values
from kgservice.iris import graph_iri
from kgservice.store.base import Store

FIXTURES = Path(__file__).with_name("fixtures")
MODULES = ["core", "indicators", "indicators-homelessness", "phenomena", "views", "levels"]


def load_fixture_graphs(
    store: Store, settings: Settings, modules: list[str] | None = None, extra: tuple[Path, ...] = ()
) -> None:
    """Load ``modules`` of the ontology, the fixture cube and ``extra`` Turtle files of
    ``fixtures/`` (test cases), then materialise as a build does."""
    for name in modules if modules is not None else MODULES:
        path = settings.ontology_dir / f"{name}.ttl"
        if path.is_file():
            store.load(path, RdfFormat.TURTLE, graph_iri(settings, "ontology", name))
    store.load(FIXTURES / "cube.ttl", RdfFormat.TURTLE, graph_iri(settings, "source", "fixture"))
    for path in extra:
        store.load(path, RdfFormat.TURTLE, graph_iri(settings, "source", path.stem))
    materialise_area_closure(settings, store)
    materialise_values(settings, store)
