"""The build ends with the W3C Data Cube integrity constraints; a broken cube is never served."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat

from kgservice.errors import KgError
from kgservice.pipeline.build import build, datacube_integrity, default_steps, load_ontology
from kgservice.pipeline.steps import Step
from kgservice.store.served import served_dir


def test_the_full_build_checks_the_integrity_constraints_last():
    assert default_steps()[-1].name == "datacube-integrity"


def test_a_cube_that_breaks_an_integrity_constraint_fails_the_build(settings_factory, shared_dir):
    """Build mechanics: the integrity step fails the build and the old store keeps serving.
    A tiny step list (ontology, a broken W3C fixture cube, the IC step) is enough for that; the
    full default build passing every IC is tested by ``built_settings`` and the client flow."""
    broken = shared_dir / "conformance/datacube-ic/testdata/missing-measure-on-obs.ttl"

    def load_broken_cube(settings, store, report):
        store.load(broken, RdfFormat.TURTLE, "https://rake-kg.example/graph/source/broken")

    def tiny_steps(*extra):
        return [
            Step("ontology", load_ontology),
            *extra,
            Step("datacube-integrity", datacube_integrity),
        ]

    settings = settings_factory()
    good = build(settings, steps=tiny_steps())
    with pytest.raises(KgError) as info:
        build(settings, steps=tiny_steps(Step("broken-cube", load_broken_cube)))
    assert info.value.rule == "datacube-ic"
    assert "[IC-" in info.value.message  # names the constraints broken
    assert served_dir(settings) == good.store_dir.resolve()
