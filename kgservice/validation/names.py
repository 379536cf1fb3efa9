"""Short names for IRIs in human-readable reports (``skos:prefLabel`` rather than the full IRI)."""

from __future__ import annotations

PREFIXES: dict[str, str] = {
    "rake": "https://rake-kg.example/ontology/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dct": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def compact(text: str) -> str:
    """``prefix:local`` for IRIs in a well-known namespace, the text unchanged otherwise."""
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace):
            local = text[len(namespace) :]
            if local and "/" not in local and "#" not in local:
                return f"{prefix}:{local}"
    return text


def display_node(text: str) -> str:
    """A node for a human: ``prefix:local``, ``<iri>``, ``_:b0``, a literal as is, ``-`` if none."""
    if not text:
        return "-"
    if text.startswith(("_:", '"')) or compact(text) != text:
        return compact(text)
    return f"<{text}>"
