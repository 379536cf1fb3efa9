"""Every concept of the phenomena, views, levels and population-groups schemes has a Swedish and
an English definition; a translation made by the project says so in each language
(skos:editorialNote) and that it is a draft until reviewed."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import SKOS

from kgservice.config import PROJECT_ROOT
from kgservice.texts import LANGUAGES

MODULES = {
    "phenomena": "phenomenon",
    "views": "view",
    "levels": "level",
    "population-groups": "population-group",
}


@pytest.mark.parametrize(("module", "scheme"), MODULES.items())
def test_every_concept_has_definitions_in_all_languages_and_a_translation_note(module, scheme):
    g = rdflib.Graph().parse(PROJECT_ROOT / "ontology" / f"{module}.ttl")
    concepts = set(
        g.subjects(SKOS.inScheme, rdflib.URIRef(f"https://rake-kg.example/scheme/{scheme}"))
    )
    assert concepts
    for c in concepts:
        languages = {d.language for d in g.objects(c, SKOS.definition)}
        assert set(LANGUAGES) <= languages, c
        notes = {n.language: str(n) for n in g.objects(c, SKOS.editorialNote)}
        assert set(LANGUAGES) <= set(notes), c
        assert all("DRAFT" in text for text in notes.values()), c
