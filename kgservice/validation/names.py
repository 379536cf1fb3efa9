"""Short names for IRIs in human-readable reports (``skos:prefLabel`` rather than the full IRI)."""

from __future__ import annotations

from kgservice.namespaces import CANONICAL, STANDARD_PREFIXES

PREFIXES: dict[str, str] = {"rake": CANONICAL.ontology, **STANDARD_PREFIXES}


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
