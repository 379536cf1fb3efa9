"""The search results page as data: rows with vocabulary and definition snippet, the hit count,
and facets by vocabulary, type and status whose values filter the results.

Facets count the way faceted search usually does: each facet counts the hits that pass every
*other* facet's filter, so choosing a vocabulary still shows how many hits each other vocabulary
has. No Flask here (the blueprint turns the facet values into links).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kgservice.terms.index import ConceptIndex, Picked, pick
from kgservice.terms.lemmas import WordForms, fold
from kgservice.terms.search import Hit

#: Hits counted and faceted at most; the page says "more than" beyond it.
MAX_COUNTED = 1000
#: Characters of a definition shown around its first match.
SNIPPET_WIDTH = 220
SNIPPET_LEAD = 60
FACETS = ("vocab", "type", "status")
_TOKEN = re.compile(r"\w+(?:-\w+)*")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: Picked
    count: int
    selected: bool


@dataclass
class ResultRow:
    hit: Hit
    label: Picked
    vocabs: list[tuple[str, Picked]]
    #: The definition cut around the match: ``(text, is_match)`` pieces (escaped by the template).
    snippet: list[tuple[str, bool]] = field(default_factory=list)
    snippet_lang: str = ""


@dataclass
class SearchResults:
    rows: list[ResultRow]
    total: int
    #: True when there are more than :data:`MAX_COUNTED` hits (``total`` is then that bound).
    more: bool
    facets: dict[str, list[FacetValue]]
    filters: dict[str, str | None]


def facet_values(idx: ConceptIndex, concept: str, facet: str) -> list[str]:
    """The values a concept has for ``facet`` (a concept can be in several vocabularies and of
    several types)."""
    if facet == "vocab":
        return list(idx.concepts[concept].vocabs) if concept in idx.concepts else []
    if facet == "type":
        return idx.types_of(concept)
    # its own status, and the status of the project's translations of its texts (a concept whose
    # Swedish and English definitions are drafts is found under DRAFT too)
    statuses = (idx.statuses.get(concept), idx.translation_statuses.get(concept))
    return list(dict.fromkeys(s for s in statuses if s))


def filter_choices(idx: ConceptIndex, facet: str) -> list[str]:
    """Every value a filter parameter may take (the valid choices an error names)."""
    if facet == "vocab":
        return sorted(idx.vocabularies)
    if facet == "type":
        return sorted({t for c in idx.concepts for t in idx.types_of(c)})
    return sorted({*idx.statuses.values(), *idx.translation_statuses.values()})


def search_results(
    idx: ConceptIndex,
    query: str,
    lang: str,
    *,
    search_lang: str | None = None,
    filters: dict[str, str | None] | None = None,
    limit: int = 100,
) -> SearchResults:
    """The hits of ``query`` (labels in ``search_lang`` or any language), filtered by
    ``filters`` (facet → value), shown in ``lang``."""
    chosen = {f: (filters or {}).get(f) for f in FACETS}
    hits = idx.search.search(query, lang=search_lang, limit=MAX_COUNTED + 1)
    more = len(hits) > MAX_COUNTED
    hits = hits[:MAX_COUNTED]
    values = {h.concept: {f: facet_values(idx, h.concept, f) for f in FACETS} for h in hits}

    def passes(concept: str, skip: str | None = None) -> bool:
        return all(v is None or f == skip or v in values[concept][f] for f, v in chosen.items())

    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        counts: dict[str, int] = {}
        for h in hits:
            if passes(h.concept, skip=facet):
                for v in values[h.concept][facet]:
                    counts[v] = counts.get(v, 0) + 1
        facets[facet] = sorted(
            (FacetValue(v, _facet_label(idx, facet, v, lang), n, v == chosen[facet])
             for v, n in counts.items()),
            key=lambda fv: (-fv.count, fv.label.text),
        )  # fmt: skip
    shown = [h for h in hits if passes(h.concept)]
    rows = [_row(idx, h, query, lang) for h in shown[:limit]]
    return SearchResults(rows, len(shown), more, facets, chosen)


def _facet_label(idx: ConceptIndex, facet: str, value: str, lang: str) -> Picked:
    if facet == "vocab":
        return idx.vocab_title(value, lang)
    return idx.label(value, lang)


def _row(idx: ConceptIndex, hit: Hit, query: str, lang: str) -> ResultRow:
    concept = idx.concepts.get(hit.concept)
    vocabs = concept.vocabs if concept else list(hit.label.vocabs)
    row = ResultRow(
        hit, idx.label(hit.concept, lang), [(v, idx.vocab_title(v, lang)) for v in vocabs]
    )
    definition = pick(idx.definitions.get(hit.concept, {}), lang)
    if definition is not None:
        forms = idx.search.query_forms(query, definition.lang)
        row.snippet = snippet(idx, definition.text, definition.lang, query, forms)
        row.snippet_lang = definition.lang
    return row


def snippet(
    idx: ConceptIndex, text: str, lang: str, query: str, forms: list[WordForms]
) -> list[tuple[str, bool]]:
    """``text`` cut to about :data:`SNIPPET_WIDTH` characters around its first word matching
    the query (by prefix or by base form), as ``(piece, is_match)`` pairs."""
    prefixes = [fold(w) for w in _TOKEN.findall(query) if len(w) >= 2]
    wanted: set[str] = set()
    for f in forms:
        wanted |= f.lemmas | f.fuzzy
    stems = {w[:3] for w in wanted | set(prefixes) if len(w) >= 3}
    spans = []
    for m in _TOKEN.finditer(text):
        folded = fold(m.group())
        if any(folded.startswith(p) for p in prefixes):
            spans.append(m.span())
        elif any(s in folded for s in stems):  # only then ask the lemmatiser (it costs)
            found = idx.search.lemmatiser.word_forms(m.group(), lang)
            if (found.lemmas | found.parts) & wanted:
                spans.append(m.span())
    start = 0
    if spans and len(text) > SNIPPET_WIDTH:
        start = max(0, spans[0][0] - SNIPPET_LEAD)
        start = text.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(text), start + SNIPPET_WIDTH)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + SNIPPET_LEAD)
    pieces: list[tuple[str, bool]] = [("…", False)] if start else []
    pos = start
    for a, b in spans:
        if a < start or b > end:
            continue
        pieces += [(text[pos:a], False), (text[a:b], True)]
        pos = b
    pieces.append((text[pos:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return [p for p in pieces if p[0]]
