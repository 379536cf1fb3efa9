"""Label search: lemmatised, prefix, case- and accent-insensitive, ranked, in memory.

Every preferred, alternative and hidden label (and rdfs:label of OWL terms) of every
non-deprecated concept is normalised (NFKD, combining marks removed, case-folded: "Päihde" →
"paihde") and found two ways:

* **by prefix**, in sorted key lists: a whole-label key and one key per later word start, so
  "riippu" finds "päihteet ja riippuvuudet". A query is a binary search for the key range sharing
  its prefix; because the keys are sorted, a scan stops as soon as it holds ``offset + limit``
  concepts of its rank, so a one-letter query costs about as much as a long one;
* **by base form**, in posting lists per label language: each word of a label is reduced to its
  base forms and the base forms of its parts (:mod:`kgservice.terms.lemmas`: Voikko for Finnish,
  Snowball for Swedish and English), and so is each word of the query, so "päihde" finds
  "päihteet ja riippuvuudet" and "asunto" finds "asunnottomuus". Every query word must match a
  word of the label.

Ranks, best first (preferred label before alternative or hidden ones at each step): the exact
label; a label of the same words in base form ("päihteet" for "päihde"); a label with every query
word among its words in base form that starts with one of them; the label's prefix; a label with
every query word among its later words; a later word's prefix; a compound member or derivation
stem ("asunto" in "asunnottomuus"); a Finnish typo corrected by Voikko's speller
("asunnottomyys"). Within a rank, the concept model comes before the bulk (the Sosmeta document
structures, the catalogue indicators without figures, then dated structure versions: see
:func:`prominence`), then labels whose words the query covers most, then in the order of the
normalised labels.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from itertools import product

from kgservice.terms.lemmas import Lemmatiser, WordForms, content_word_count, fold, words

_WORD_START = re.compile(r"(?<=[\s\-–/(,;:])\w")
#: How many candidate keys one query inspects at most per key list (keeps short queries fast).
SCAN_LIMIT = 20_000
#: Query words looked up by base form at most (the rest of a long query goes by prefix only).
MAX_QUERY_WORDS = 8
#: Query words Voikko's speller is asked about at most (it takes milliseconds a word).
MAX_SPELLED_WORDS = 3

# The ranks; each pair is (preferred label, other label).
EXACT = (0, 1)
SAME_LEMMAS = (2, 3)
LEMMAS_FIRST = (4, 5)
PREFIX = (6, 7)
LEMMAS_LATER = (8, 9)
WORD_PREFIX = (10, 11)
PARTS = (12, 13)
TYPO = (14, 15)


@cache
def shared_lemmatiser() -> Lemmatiser:
    """One lemmatiser for every index of the process (Voikko is opened once)."""
    return Lemmatiser()


def normalise(text: str) -> str:
    """``text`` folded (:func:`~kgservice.terms.lemmas.fold`), its white space collapsed."""
    return " ".join(fold(text).split())


@dataclass(frozen=True)
class LabelEntry:
    concept: str
    kind: str  # pref | alt | hidden | rdfs
    lang: str
    text: str
    vocabs: tuple[str, ...]
    tier: int = 0  # see :func:`prominence`
    #: Links to the concept from other resources: at an otherwise equal match the concept more
    #: of the graph points at (the phenomenon before a theme sharing its words) comes first.
    links: int = 0


@dataclass(frozen=True)
class Hit:
    concept: str
    label: LabelEntry
    rank: int
    key: str  # the normalised key that matched (orders hits of equal rank)
    #: Share of the label's words the query matched (base-form ranks; orders before ``key``).
    coverage: float = 1.0


#: Vocabularies that rank after the others at an equal match: the 202 Sosmeta document
#: structures and their 85 classifications would otherwise crowd the concept model out of the
#: first hits ("päih" → the phenomenon and the substance indicators before the structures), and
#: so would the ontology's classes and properties, which are for maintainers ("palvelut" → the
#: service tasks before the property "palvelun aineistossa").
BULK_VOCABS = frozenset({"sosmeta-structures", "sosmeta-classifications", "ontology"})


def prominence(entry: LabelEntry) -> int:
    """0 for the concept model; 1 for the bulk vocabularies (:data:`BULK_VOCABS`) and the
    catalogue indicators without figures; 2 for dated versions of a document structure (the
    structure is found too). At an equal match the lower one ranks first."""
    return max(entry.tier, 0 if BULK_VOCABS.isdisjoint(entry.vocabs) else 1)


def band(rank: int) -> int:
    """The kind of match a rank belongs to: 0 the whole label (exact or the same words in base
    form), 1 every query word among the label's words or word starts, 2 a compound part or a
    typo correction. Within a band the concept model ranks before the bulk."""
    return 0 if rank < LEMMAS_FIRST[0] else 1 if rank < PARTS[0] else 2


def _order(h: Hit) -> tuple:
    """The order of hits: the band of the match, the concept model before the bulk
    (:func:`prominence`), the match rank, coverage, links to the concept, the matched key, the
    concept."""
    return (
        band(h.rank),
        prominence(h.label),
        h.rank,
        -h.coverage,
        -h.label.links,
        h.key,
        h.concept,
    )


class _Keys:
    """One sorted list of normalised keys with the label entries they come from."""

    def __init__(self, pairs: list[tuple[str, int]]) -> None:
        pairs.sort()
        self.keys = [k for k, _ in pairs]
        self.ids = [i for _, i in pairs]


class SearchIndex:
    """Eight sorted key lists: whole labels and later-word suffixes, of preferred and of other
    labels, of the concept model and of the bulk. Each list yields one rank, so every scan can
    stop after ``offset + limit`` hits."""

    def __init__(
        self,
        labels: Iterable[LabelEntry],
        lemmatiser: Lemmatiser | None = None,
        *,
        base_forms: bool = True,
    ) -> None:
        """``labels``: every label to find (the concept index gives its own:
        :meth:`~kgservice.terms.index.ConceptIndex.label_entries`); ``lemmatiser``: the
        process's shared one unless given (a test passes one without Voikko);
        ``base_forms=False``: prefix search only, as before base forms came (the benchmark's
        baseline)."""
        self.lemmatiser = lemmatiser or shared_lemmatiser()
        self.base_forms = base_forms
        self.entries: list[LabelEntry] = []
        self._keys: list[str] = []
        self._other = bytearray()  # 1 where the label is not a preferred one
        self._word_counts: list[int] = []
        #: label language → base form → entries with a word of that base form (and of parts;
        #: and whose first word has it).
        self._lemmas: dict[str, dict[str, list[int]]] = {}
        self._parts: dict[str, dict[str, list[int]]] = {}
        self._firsts: dict[str, dict[str, list[int]]] = {}
        #: label language → a label word without diacritics → its forms ("paihteiden" → päihde).
        self._surface: dict[str, dict[str, WordForms]] = {}
        #: (whole label or later word, preferred?, bulk?): the bulk (:func:`prominence` > 0)
        #: has lists of its own, so a prefix shared by thousands of structures cannot use up a
        #: scan before the concept model's keys further on are reached.
        pairs: dict[tuple[str, bool, bool], list[tuple[str, int]]] = {
            (part, pref, bulk): []
            for part in ("full", "word")
            for pref in (True, False)
            for bulk in (False, True)
        }
        for entry in labels:
            n = len(self.entries)
            self.entries.append(entry)
            key = normalise(entry.text)
            self._keys.append(key)
            is_pref = entry.kind == "pref"
            bulk = prominence(entry) > 0
            self._other.append(not is_pref)
            pairs["full", is_pref, bulk].append((key, n))
            for m in _WORD_START.finditer(key):
                pairs["word", is_pref, bulk].append((key[m.start() :], n))
            if base_forms:
                self._add_forms(entry, n)
        self._lists = {k: _Keys(v) for k, v in pairs.items()}

    def _add_forms(self, entry: LabelEntry, n: int) -> None:
        self._word_counts.append(content_word_count(entry.text))
        lang = entry.lang
        lemmas = self._lemmas.setdefault(lang, {})
        parts = self._parts.setdefault(lang, {})
        surface = self._surface.setdefault(lang, {})
        for i, word in enumerate(words(entry.text)):
            forms = self.lemmatiser.word_forms(word, lang)
            if forms.known:
                surface.setdefault(fold(word), forms)
            for postings, tokens in (
                (lemmas, forms.lemmas),
                (parts, forms.parts),
                (self._firsts.setdefault(lang, {}) if i == 0 else None, forms.lemmas),
            ):
                if postings is None:
                    continue
                for token in tokens:
                    posting = postings.setdefault(token, [])
                    if not posting or posting[-1] != n:
                        posting.append(n)

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
        if self.base_forms:
            self._collect_forms(self._forms_by_lang(query, lang), query, accept, best, 0, need)
        bound = q[:-1] + chr(ord(q[-1]) + 1)  # the first key no longer starting with q
        for pref, bulk in product((True, False), (False, True)):
            keys = self._lists["full", pref, bulk]
            lo = bisect_left(keys.keys, q)
            mid = bisect_right(keys.keys, q, lo=lo)
            hi = bisect_left(keys.keys, bound, lo=mid)
            self._collect(keys, lo, mid, EXACT[not pref], accept, best, need)
            self._collect(keys, mid, hi, PREFIX[not pref], accept, best, need)
        for pref, bulk in product((True, False), (False, True)):
            keys = self._lists["word", pref, bulk]
            lo = bisect_left(keys.keys, q)
            hi = bisect_left(keys.keys, bound, lo=lo)
            self._collect(keys, lo, hi, WORD_PREFIX[not pref], accept, best, need)
        # Compound parts rank below every match above, typo corrections below them too: each is
        # looked at only while the hits so far leave room (a common part can match thousands).
        if self.base_forms and len(best) < need:
            self._collect_forms(self._forms_by_lang(query, lang), query, accept, best, 1, need)
        if self.base_forms and len(best) < need:  # still room: ask Voikko's speller
            self._collect_forms(self._spelling_by_lang(query, lang), query, accept, best, 2, need)
        hits = sorted(best.values(), key=_order)
        return hits[offset : offset + limit]

    def query_forms(self, query: str, lang: str) -> list[WordForms]:
        """The base forms of each word of ``query`` read as ``lang`` (for highlighting too); a
        Finnish word Voikko does not know but a label has without its diacritics takes that
        word's forms ("paihteiden" → päihde)."""
        out = []
        for word in words(query)[:MAX_QUERY_WORDS]:
            forms = self.lemmatiser.word_forms(word, lang)
            if not forms.known:
                forms = self._surface.get(lang, {}).get(fold(word), forms)
            out.append(forms)
        return out

    def _forms_by_lang(self, query: str, lang: str | None) -> dict[str, list[WordForms]]:
        langs = [lang, ""] if lang else list(self._lemmas)
        return {label_lang: self.query_forms(query, label_lang) for label_lang in langs}

    def _spelling_by_lang(self, query: str, lang: str | None) -> dict[str, list[WordForms]]:
        """The query's Finnish words with Voikko's spelling suggestions for the unknown ones
        (empty when there is none to try)."""
        if lang not in (None, "fi") or "fi" not in self._lemmas:
            return {}
        forms = self.query_forms(query, "fi")
        query_words = words(query)[:MAX_QUERY_WORDS]
        spelled = [
            self.lemmatiser.spelling_forms(w, "fi") if i < MAX_SPELLED_WORDS else None
            for i, w in enumerate(query_words)
        ]
        if not any(spelled):
            return {}
        return {"fi": [s or f for s, f in zip(spelled, forms, strict=True)]}

    def _matches(self, lang: str, forms: list[WordForms], most: int) -> dict[int, int]:
        """Entries of ``lang`` that every query word matches → the worst match quality
        (0 a word's base form, 1 a part of a word, 2 a typo correction; ``most`` at most)."""
        lemmas, parts = self._lemmas.get(lang, {}), self._parts.get(lang, {})
        found: dict[int, int] | None = None
        for form in forms:
            this: dict[int, int] = {}
            for quality, postings, tokens in (
                (2, parts, form.fuzzy),
                (2, lemmas, form.fuzzy),
                (1, lemmas, form.parts),  # "työttömyys" (työtön + -yys): "Työttömien osuus"
                (1, parts, form.lemmas),  # "asunto": "asunnottomuus" (asunto + -ton + -uus)
                (0, lemmas, form.lemmas),
            ):
                if quality > most:
                    continue
                for token in tokens:
                    for n in postings.get(token, ()):
                        this[n] = quality
            if found is None:
                found = this
            else:
                found = {n: max(q, this[n]) for n, q in found.items() if n in this}
            if not found:
                return {}
        return found or {}

    def _collect_forms(
        self,
        forms_by_lang: dict[str, list[WordForms]],
        query: str,
        accept: Callable[[LabelEntry], bool],
        best: dict[str, Hit],
        most: int,
        need: int,
    ) -> None:
        """Hits by base form, in each label language of ``forms_by_lang``, of match quality
        ``most`` at most (see :meth:`_matches`): the ``need`` best new or better concepts (a
        common word can match thousands of labels: they are ranked as plain tuples, and only
        the ones taken become hits)."""
        query_words = max(1, content_word_count(query))
        counts, keys, other = self._word_counts, self._keys, self._other
        ranked: list[tuple[int, int, int, float, int, str, int]] = []
        for label_lang, forms in forms_by_lang.items():
            if not forms:
                continue
            firsts = self._firsts.get(label_lang, {})
            first: set[int] = set()
            for form in forms:
                for token in form.lemmas:
                    first.update(firsts.get(token, ()))
            for n, quality in self._matches(label_lang, forms, most).items():
                if quality:
                    pair = TYPO if quality == 2 else PARTS
                elif counts[n] == query_words:
                    pair = SAME_LEMMAS
                else:
                    pair = LEMMAS_FIRST if n in first else LEMMAS_LATER
                coverage = min(1.0, query_words / (counts[n] or 1))
                entry = self.entries[n]
                rank, tier = pair[other[n]], prominence(entry)
                ranked.append((band(rank), tier, rank, -coverage, -entry.links, keys[n], n))
        ranked.sort()
        taken = 0
        for _band, _tier, rank, neg_coverage, _links, key, n in ranked:
            entry = self.entries[n]
            old = best.get(entry.concept)
            if old is not None and (rank, neg_coverage) >= (old.rank, -old.coverage):
                continue
            if accept(entry):
                best[entry.concept] = Hit(entry.concept, entry, rank, key, -neg_coverage)
                taken += 1
                if taken >= need:
                    return

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
