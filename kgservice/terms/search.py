"""Label search: prefix, case- and accent-insensitive, ranked, over an in-memory sorted key list.

Every preferred, alternative and hidden label (and rdfs:label of OWL terms) of every
non-deprecated concept is normalised (NFKD, combining marks removed, case-folded: "Päihde" →
"paihde") and stored twice: as a whole-label key and as one key per later word start, so
"riippu" finds "päihteet ja riippuvuudet". A query is a binary search for the key range sharing
its prefix. Ranking: exact preferred label, exact other label, preferred-label prefix,
other-label prefix, then word-start matches; ties in the order of the normalised labels. Because
the keys are sorted, a query stops as soon as it holds ``offset + limit`` concepts of every rank,
so a one-letter query costs about as much as a long one.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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
    key: str  # the normalised key that matched (orders hits of equal rank)


class _Keys:
    """One sorted list of normalised keys with the label entries they come from."""

    def __init__(self, pairs: list[tuple[str, int]]) -> None:
        pairs.sort()
        self.keys = [k for k, _ in pairs]
        self.ids = [i for _, i in pairs]


class SearchIndex:
    """Four sorted key lists: whole labels and later-word suffixes, of preferred and of other
    labels. Each list yields one rank, so every scan can stop after ``offset + limit`` hits."""

    def __init__(self, labels: Iterable[LabelEntry]) -> None:
        """``labels``: every label to find (the concept index gives its own:
        :meth:`~kgservice.terms.index.ConceptIndex.label_entries`)."""
        self.entries: list[LabelEntry] = []
        pairs: dict[tuple[str, bool], list[tuple[str, int]]] = {
            (part, pref): [] for part in ("full", "word") for pref in (True, False)
        }
        for entry in labels:
            n = len(self.entries)
            self.entries.append(entry)
            key = normalise(entry.text)
            is_pref = entry.kind == "pref"
            pairs["full", is_pref].append((key, n))
            for m in _WORD_START.finditer(key):
                pairs["word", is_pref].append((key[m.start() :], n))
        self._lists = {k: _Keys(v) for k, v in pairs.items()}

    def __len__(self) -> int:
        return len(self.entries)

    def _collect(
        self,
        keys: _Keys,
        lo: int,
        hi: int,
        rank: int,
        accept: Callable[[LabelEntry], bool],
        best: dict[str, Hit],
        need: int,
    ) -> None:
        """Take the first ``need`` new concepts of ``keys[lo:hi]`` (all have the same rank, so
        later ones cannot beat them: ties go by key)."""
        taken = 0
        for pos in range(lo, min(hi, lo + SCAN_LIMIT)):
            entry = self.entries[keys.ids[pos]]
            if not accept(entry):
                continue
            old = best.get(entry.concept)
            if old is None or rank < old.rank:
                best[entry.concept] = Hit(entry.concept, entry, rank, keys.keys[pos])
                taken += 1
                if taken >= need:
                    return

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
        if not q or limit <= 0:
            return []
        vocab_set = set(vocabs) if vocabs else None

        def accept(entry: LabelEntry) -> bool:
            if vocab_set is not None and vocab_set.isdisjoint(entry.vocabs):
                return False
            return not lang or entry.lang in (lang, "")

        best: dict[str, Hit] = {}
        need = offset + limit
        bound = q[:-1] + chr(ord(q[-1]) + 1)  # the first key no longer starting with q
        # ranks: 0/1 exact preferred/other label, 2/3 label prefix, 4/5 later-word prefix
        for pref, exact_rank, prefix_rank in ((True, 0, 2), (False, 1, 3)):
            keys = self._lists["full", pref]
            lo = bisect_left(keys.keys, q)
            mid = bisect_right(keys.keys, q, lo=lo)
            hi = bisect_left(keys.keys, bound, lo=mid)
            self._collect(keys, lo, mid, exact_rank, accept, best, need)
            self._collect(keys, mid, hi, prefix_rank, accept, best, need)
        for pref, rank in ((True, 4), (False, 5)):
            keys = self._lists["word", pref]
            lo = bisect_left(keys.keys, q)
            hi = bisect_left(keys.keys, bound, lo=lo)
            self._collect(keys, lo, hi, rank, accept, best, need)
        hits = sorted(best.values(), key=lambda h: (h.rank, h.key, h.concept))
        return hits[offset : offset + limit]

    def lookup(self, label: str, *, vocab: str, lang: str | None = None) -> list[Hit]:
        """The concepts of ``vocab`` with exactly the label ``label``, as Skosmos's ``lookup``
        finds them: an exact preferred label, else one equal but for case, else an exact
        alternative label, else one equal but for case (an empty list when none matches)."""
        hits = self.search(label, vocabs=[vocab], lang=lang, limit=500)
        folded = label.lower()
        cascade: list[Callable[[Hit], bool]] = [
            lambda h: h.label.kind == "pref" and h.label.text == label,
            lambda h: h.label.kind == "pref" and h.label.text.lower() == folded,
            lambda h: h.label.kind == "alt" and h.label.text == label,
            lambda h: h.label.kind == "alt" and h.label.text.lower() == folded,
        ]
        for matches in cascade:
            chosen = [h for h in hits if matches(h)]
            if chosen:
                return chosen
        return []
