"""The build writes a fresh store and swaps it in only when every step has passed.

Build *mechanics* (staging directory, atomic swap, a failing step leaves the old store): they do
not depend on which steps run, so these tests use the ontology step alone and stay fast. What a
user gets from ``kgservice build`` is tested with the full default steps elsewhere
(``built_settings``, ``tests/pipeline/test_open_data_build.py``, the client flow).
"""

from __future__ import annotations

import pytest

from kgservice.errors import BuildError, KgError
from kgservice.pipeline.build import build, load_ontology
from kgservice.pipeline.steps import Step
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

ONTOLOGY = [Step("ontology", load_ontology)]


def _fail(settings, store, report):
    raise BuildError("step exploded on purpose", file="fixture.csv", line=7, rule="test-rule")


def test_a_successful_build_points_the_store_link_at_a_new_directory(settings_factory):
    settings = settings_factory()
    first = build(settings, steps=ONTOLOGY)
    assert served_dir(settings) == first.store_dir.resolve()
    second = build(settings, steps=ONTOLOGY)
    assert second.store_dir != first.store_dir
    assert served_dir(settings) == second.store_dir.resolve()
    assert second.graphs["total"] > 0


def test_a_failed_build_leaves_the_previous_store_serving_untouched(settings_factory):
    settings = settings_factory()
    good = build(settings, steps=ONTOLOGY)
    before = EmbeddedStore(served_dir(settings), read_only=True)
    triples_before = before.stats()["total"]
    before.close()

    with pytest.raises(KgError) as info:
        build(settings, steps=[*ONTOLOGY, Step("broken", _fail)])
    assert "fixture.csv:7" in info.value.describe()
    assert served_dir(settings) == good.store_dir.resolve()
    after = EmbeddedStore(served_dir(settings), read_only=True)
    assert after.stats()["total"] == triples_before
    # the half-built directory was removed
    assert len(list(good.store_dir.parent.glob("build-*"))) == 1


def test_a_syntax_error_in_an_ontology_module_names_the_file_and_line(settings_factory, tmp_path):
    onto = tmp_path / "ontology"
    onto.mkdir()
    (onto / "broken.ttl").write_text('@prefix ex: <http://e/> .\nex:a ex:b "open .\n')
    settings = settings_factory(ontology_dir=onto)
    with pytest.raises(KgError) as info:
        build(settings)
    assert info.value.file.endswith("broken.ttl")
    assert info.value.line == 2
    assert info.value.rule == "rdf-syntax"
    assert served_dir(settings) is None
