"""Label search: prefix, case- and accent-insensitive, ranked, over an in-memory sorted key list.

Every preferred, alternative and hidden label (and rdfs:label of OWL terms) of every
non-deprecated concept is normalised (NFKD, combining marks removed, case-folded: "Päihde" →
"paihde") and stored twice: as a whole-label key and as one key per later word start, so
"riippu" finds "päihteet ja riippuvuudet". A query is a binary search for the key range sharing
its prefix. Ranking: exact preferred label, exact other label, preferred-label prefix,
other-label prefix, then word-start matches; ties in Finnish alphabetical order.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from kgservice.web.i18n import collation_key
from kgservice.web.labels import ConceptIndex

_WORD_START = re.compile(r"(?<=[\s\-–/(,;:])\w")
#: How many candidate keys one query inspects at most per key list (keeps short queries fast).
SCAN_LIMIT = 20_000


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class LabelEntry:
    concept: str
    kind: str  # pref | alt | hidden | rdfs
    lang: str
    text: str
    vocabs: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    concept: str
    label: LabelEntry
    rank: int


class SearchIndex:
    def __init__(self, index: ConceptIndex) -> None:
        self.entries: list[LabelEntry] = []
        full: list[tuple[str, int]] = []
        words: list[tuple[str, int]] = []
        for iri, concept in index.concepts.items():
            if concept.deprecated:
                continue
            labels = index.labels.get(iri)
            if labels is None:
                continue
            vocabs = tuple(concept.vocabs)
            items: list[tuple[str, str, str]] = [("pref", lg, t) for lg, t in labels.pref.items()]
            items += [("alt", lg, t) for lg, ts in labels.alt.items() for t in ts]
            items += [("hidden", lg, t) for lg, ts in labels.hidden.items() for t in ts]
            if not labels.pref:
                items += [("pref", lg, t) for lg, t in labels.rdfs.items()]
            if concept.notation:
                items.append(("notation", "", concept.notation))
            for kind, lang, text in items:
                n = len(self.entries)
                self.entries.append(LabelEntry(iri, kind, lang, text, vocabs))
                key = normalise(text)
                full.append((key, n))
                for m in _WORD_START.finditer(key):
                    words.append((key[m.start() :], n))
        full.sort()
        words.sort()
        self._full_keys = [k for k, _ in full]
        self._full_ids = [i for _, i in full]
        self._word_keys = [k for k, _ in words]
        self._word_ids = [i for _, i in words]

    def __len__(self) -> int:
        return len(self.entries)

    def _scan(self, keys: list[str], ids: list[int], q: str):
        start = bisect_left(keys, q)
        end = min(len(keys), start + SCAN_LIMIT)
        for pos in range(start, end):
            key = keys[pos]
            if not key.startswith(q):
                break
            yield key, self.entries[ids[pos]]

    def search(
        self,
        query: str,
        *,
        vocabs: list[str] | None = None,
        lang: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[Hit]:
        """Concepts whose labels match ``query`` (``*`` at the end is accepted and ignored)."""
        q = normalise(query.strip().rstrip("*"))
        if not q:
            return []
        best: dict[str, Hit] = {}

        def consider(entry: LabelEntry, rank: int) -> None:
            if vocabs and not any(v in entry.vocabs for v in vocabs):
                return
            if lang and entry.lang not in (lang, ""):
                return
            old = best.get(entry.concept)
            if old is None or rank < old.rank:
                best[entry.concept] = Hit(entry.concept, entry, rank)

        for key, entry in self._scan(self._full_keys, self._full_ids, q):
            exact = key == q
            if entry.kind == "pref":
                consider(entry, 0 if exact else 2)
            else:
                consider(entry, 1 if exact else 3)
        for _key, entry in self._scan(self._word_keys, self._word_ids, q):
            consider(entry, 4 if entry.kind == "pref" else 5)
        hits = sorted(best.values(), key=lambda h: (h.rank, collation_key(h.label.text)))
        return hits[offset : offset + limit]
