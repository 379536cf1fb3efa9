"""Test data of the SPARQL endpoint tests (importable by name; conftest is not)."""

from __future__ import annotations

BASE = "https://rake-kg.example/"
PUBLIC = BASE + "graph/test/public"
CLIENT = BASE + "graph/client/batch-1"

#: A public graph and a private client-data graph that must never be visible on /sparql.
SMALL_DATA: dict[str, bytes] = {
    PUBLIC: b"""
<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "alpha"@en .
<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "alfa"@fi .
<http://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "beta" .
<http://example.org/a> <http://example.org/next> <http://example.org/b> .
<http://example.org/c> <http://example.org/note> "a service desk, not a SERVICE call" .
""",
    CLIENT: b"""
<http://example.org/person-1> <http://example.org/secret> "client-secret-value" .
""",
}
