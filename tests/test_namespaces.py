"""One module of namespace constants: the standard ones spelt once, the project's own derived from
the configured base."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import kgservice
from kgservice import namespaces
from kgservice.config import CANONICAL_BASE_IRI

PACKAGE = Path(kgservice.__file__).parent

STANDARD = {
    name: value
    for name, value in vars(namespaces).items()
    if name.isupper()
    and isinstance(value, str)
    and value.startswith("http")
    and value != CANONICAL_BASE_IRI
}


def test_project_namespaces_hang_under_the_configured_base(settings_factory):
    settings = settings_factory(base_iri="https://kg.example.org/rake/")
    ns = namespaces.project(settings)
    assert ns.ontology == "https://kg.example.org/rake/ontology/"
    assert namespaces.ontology_ns(settings) == ns.ontology
    assert ns.concept == "https://kg.example.org/rake/concept/"
    assert ns.graph == "https://kg.example.org/rake/graph/"
    assert namespaces.CANONICAL.ontology == CANONICAL_BASE_IRI + "ontology/"


def test_standard_namespaces_are_spelt_only_in_the_namespaces_module():
    assert {"SKOS", "DCT", "QB", "RDF", "RDFS", "OWL", "XSD", "SH"} <= set(STANDARD)
    spelt = re.compile("|".join(re.escape(v) for v in STANDARD.values()))
    offenders = [
        f"{path.relative_to(PACKAGE)}: {match.group(0)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "namespaces.py"
        for match in spelt.finditer(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_the_ontology_namespace_is_never_spelt_from_a_base_by_hand():
    by_hand = re.compile(r"""\+\s*["']/?ontology/["']|rake-kg\.example/ontology/""")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "namespaces.py" and by_hand.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_the_examples_in_the_namespaces_module_run():
    result = doctest.testmod(namespaces)
    assert result.attempted >= 2 and result.failed == 0
