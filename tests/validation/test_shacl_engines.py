"""The quality gate's SHACL engine (``KG_SHACL_ENGINE``): pyshacl-turbo, the default, reports
exactly what pySHACL reports — rule, message in every language, file, line, focus node, path,
value and severity — on the bundled ontology and on every broken fixture at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgservice.config import DEFAULT_SHACL_ENGINE, PROJECT_ROOT, SHACL_ENGINES, Settings
from kgservice.errors import ConfigError
from kgservice.validation.check import turtle_files
from kgservice.validation.shacl import quality_shape_files, run_shapes
from kgservice.validation.sources import load_sources
from kgservice.validation.violations import sort_key

FIXTURES = Path(__file__).parent / "fixtures"


def _blank(text: str) -> str:
    """A blank node's label names it inside one report graph only: compared as ``_:``."""
    return "_:" if text.startswith("_:") else text


def _report(files: list[Path], engine: str) -> list[tuple]:
    data = load_sources(files, display_root=PROJECT_ROOT)
    shapes = load_sources(quality_shape_files(PROJECT_ROOT / "shapes"))
    found = sorted(run_shapes(data, shapes.graph, engine), key=sort_key)
    return sorted(
        (
            tuple((k, _blank(str(x))) for k, x in v.as_dict().items() if k != "messages"),
            tuple(sorted(v.messages.items())),
        )
        for v in found
    )


def test_the_default_engine_is_one_of_the_engines_and_not_pyshacl():
    assert DEFAULT_SHACL_ENGINE in SHACL_ENGINES
    assert Settings().shacl_engine == DEFAULT_SHACL_ENGINE != "pyshacl"


def test_pyshacl_turbo_reports_what_pyshacl_reports_on_every_broken_fixture():
    files = sorted(FIXTURES.glob("*.ttl"))
    reference = _report(files, "pyshacl")
    assert len(reference) > len(files)  # the fixtures break many rules
    assert _report(files, "pyshacl-turbo") == reference


def test_pyshacl_turbo_reports_what_pyshacl_reports_on_the_bundled_ontology():
    files = turtle_files(PROJECT_ROOT / "ontology")
    assert _report(files, "pyshacl-turbo") == _report(files, "pyshacl")


def test_an_unknown_engine_is_refused_naming_the_engines():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"KG_SHACL_ENGINE": "topbraid"})
    assert caught.value.rule == "config-shacl-engine"
    assert all(engine in str(caught.value) for engine in SHACL_ENGINES)
