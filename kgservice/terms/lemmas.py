"""Words of labels and queries reduced to their base forms, per language, for the search.

Finnish goes through Voikko (``libvoikko``, the morphological analyser of the Finnish open-source
language tools, with the Debian dictionary ``voikko-fi``): every analysis of a word gives its base
form (``päihteiden`` → ``päihde``) and, from its word structure, the base forms of its parts: the
members of a compound (``mielenterveyspalvelut`` → ``mieli``, ``terveys``, ``palvelu``) and the
stem a derivation is made from (``asunnottomuus`` → ``asunto``). A word Voikko does not know is
looked up among Voikko's spelling suggestions: one that differs from it only by diacritics
(``paihteet`` → ``päihteet``) counts as the word itself, other suggestions (``asunnottomyys`` →
``asunnottomuus``) as a typo correction. Swedish and English words, and Finnish ones when Voikko
is not installed, go through the Snowball stemmers (PyStemmer): ``palvelujen`` → ``palvelu``,
``beroenden`` → ``beroend``, ``addictions`` → ``addict``.

Every form is folded like the search keys (:func:`kgservice.terms.search.normalise`: no accents,
case-folded), so "paihde" and "päihde" meet.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

log = logging.getLogger(__name__)

#: Snowball algorithm per label language.
SNOWBALL = {"fi": "finnish", "sv": "swedish", "en": "english"}
_WORD = re.compile(r"\w+(?:-\w+)*")
#: A base form inside Voikko's WORDBASES: ``+asunno(asunto)`` → ``asunto`` (suffixes start with +).
_WORDBASE = re.compile(r"\(([^()+][^()]*)\)")
#: Voikko spelling suggestions looked at for an unknown word.
MAX_SUGGESTIONS = 3
#: Longer words are not spelt (Voikko's speller takes tens of ms on a 60-letter string).
MAX_SPELLED_LENGTH = 30
#: Folded parts shorter than this are not worth matching on (``ys``, ``us``).
MIN_PART = 3


class _CombiningMarks(dict):
    """A ``str.translate`` table deleting the combining marks (``unicodedata.combining``),
    filled one character at a time as texts meet them."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_NO_MARKS = _CombiningMarks()


def fold(text: str) -> str:
    """Accents removed and case-folded, like the search keys (one ``str.translate`` in C instead
    of a Python test per character: most of building a national vocabulary's search index)."""
    if text.isascii():  # nothing to decompose (most Swedish and English words, every notation)
        return text.casefold()
    return unicodedata.normalize("NFKD", text).translate(_NO_MARKS).casefold()


#: Function words that do not count as words of a label when the search weighs how much of a
#: label a query covers ("päihteet ja riippuvuudet" has two words).
FUNCTION_WORDS = frozenset(
    "ja tai sekä eli och eller samt av i på för till med om and or of the in on for to a an with by"
    " at as from among".split()
)


def words(text: str) -> list[str]:
    """The words of a label or query (a hyphenated word is one word: ``huono-osaisuus``)."""
    return _WORD.findall(text)


def content_word_count(text: str) -> int:
    """How many words of ``text`` carry meaning: not function words, not bare numbers or dates
    ("Päihde- ja riippuvuustyön … arvio (2023-11-30)" counts the words but not "ja" or the
    date)."""
    return sum(
        1
        for w in words(text)
        if w.casefold() not in FUNCTION_WORDS and not w.replace("-", "").isdigit()
    )


@dataclass(frozen=True)
class WordForms:
    """What one word of a label or query can match, all folded."""

    lemmas: frozenset[str]
    #: Base forms of compound members and derivation stems (Finnish, Voikko only).
    parts: frozenset[str] = frozenset()
    #: Typo corrections: base forms of Voikko's spelling suggestions (queries only).
    fuzzy: frozenset[str] = frozenset()
    #: Whether Voikko knew the word (else the forms are Snowball's or the word itself).
    known: bool = False


@dataclass
class Lemmatiser:
    """Base forms of words by language; Voikko for Finnish when available, Snowball otherwise.

    ``use_voikko=False`` forces the Snowball fallback for Finnish (as on a machine without the
    Voikko library or dictionary). Safe to share between threads: Voikko calls hold a lock.
    """

    use_voikko: bool = True
    voikko: object | None = field(init=False, default=None)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _stemmers: dict[str, Callable[[str], str]] = field(init=False, default_factory=dict)
    #: The base forms of a word of a label in a language (cached: labels repeat their words).
    word_forms: Callable[[str, str], WordForms] = field(init=False, repr=False)
    #: The forms of a query word Voikko does not know, from its spelling suggestions (cached).
    spelling_forms: Callable[[str, str], WordForms | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.use_voikko:
            self.voikko = open_voikko()
        for lang, algorithm in SNOWBALL.items():
            self._stemmers[lang] = Stemmer.Stemmer(algorithm).stemWord
        self.word_forms = lru_cache(maxsize=65_536)(self._word_forms)
        self.spelling_forms = lru_cache(maxsize=4096)(self._spelling_forms)

    @property
    def backend(self) -> str:
        """``voikko`` or ``snowball``: what Finnish words go through."""
        return "voikko" if self.voikko is not None else "snowball"

    def _analyse(self, word: str) -> list[dict[str, str]]:
        with self._lock:
            return self.voikko.analyze(word)  # type: ignore[attr-defined]

    def _suggest(self, word: str) -> list[str]:
        with self._lock:
            return self.voikko.suggest(word)[:MAX_SUGGESTIONS]  # type: ignore[attr-defined]

    def _voikko_forms(self, word: str) -> WordForms | None:
        analyses = self._analyse(word)
        if not analyses:
            return None
        lemmas = {fold(a["BASEFORM"]) for a in analyses if a.get("BASEFORM")}
        parts: set[str] = set()
        for a in analyses:
            for base in _WORDBASE.findall(a.get("WORDBASES", "")):
                pieces = base.split("=")
                parts.update(fold(p) for p in pieces)
                parts.add(fold("".join(pieces)))
            parts.update(self._compound_members(word, a.get("STRUCTURE", "")))
        parts = {p for p in parts - lemmas if len(p) >= MIN_PART}
        return WordForms(frozenset(lemmas), frozenset(parts), known=True)

    def _compound_members(self, word: str, structure: str) -> set[str]:
        """Base forms of the members of a compound, cut where Voikko's STRUCTURE has ``=``:
        ``mielenterveys`` (``=pppppp=ppppppp``) → ``mieli``, ``terveys``."""
        marks = structure.lstrip("=")
        if "=" not in marks:
            return set()
        members, current, i = [], "", 0
        for mark in marks:
            if mark == "=":
                members.append(current)
                current = ""
            elif i < len(word):
                current += word[i]
                i += 1
        members.append(current)
        members = [m.strip("-") for m in members if m.strip("-")]
        # two neighbours together too: "itsemurhakuolleisuus" has "itsemurha" as well
        pairs = (
            [a + b for a, b in zip(members, members[1:], strict=False)] if len(members) > 2 else []
        )
        out: set[str] = set()
        for member in members + pairs:
            found = self._analyse(member)
            out.update(fold(a["BASEFORM"]) for a in found if a.get("BASEFORM"))
            if not found and member in members:
                out.add(fold(member))
        return out

    def _word_forms(self, word: str, lang: str) -> WordForms:
        """The base forms of one word of a label in ``lang`` (cached: labels repeat words)."""
        if lang == "fi" and self.voikko is not None:
            found = self._voikko_forms(word)
            if found is not None:
                return found
        stem = self._stemmers.get(lang)
        if stem is None:  # untagged or another language: the folded word itself
            return WordForms(frozenset({fold(word)}))
        lower, folded = word.casefold(), fold(word)
        lemmas = {fold(stem(lower))}
        if folded != lower:  # the stem of the word without its accents too (one stem if none)
            lemmas.add(fold(stem(folded)))
        pieces = word.split("-") if "-" in word else []  # "low-income": "low", "income"
        parts = {fold(stem(p.casefold())) for p in pieces if len(p) >= MIN_PART} - lemmas
        return WordForms(frozenset(lemmas), frozenset(parts))

    def _spelling_forms(self, word: str, lang: str) -> WordForms | None:
        """For a Finnish query word Voikko does not know, the base forms of its spelling
        suggestions: as the word itself where only diacritics differ (``paihteet``), else as
        typo corrections (``fuzzy``). ``None`` for a word Voikko knows, a short one (a prefix
        being typed) or another language. Voikko's speller takes milliseconds: the search asks
        only when the other matches leave room."""
        if lang != "fi" or self.voikko is None or not 4 <= len(word) <= MAX_SPELLED_LENGTH:
            return None
        if self._analyse(word):
            return None
        same: set[str] = set()
        parts: set[str] = set()
        fuzzy: set[str] = set()
        for suggestion in self._suggest(word):
            found = self._voikko_forms(suggestion)
            if found is None:
                continue
            if fold(suggestion) == fold(word):
                same |= found.lemmas
                parts |= found.parts
            else:
                fuzzy |= found.lemmas
        if not (same or fuzzy):
            return None
        return WordForms(frozenset(same), frozenset(parts), frozenset(fuzzy - same), known=True)


def open_voikko() -> object | None:
    """A Voikko handle for Finnish, or ``None`` (logged) when the library or dictionary is
    missing."""
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception as exc:  # OSError (no libvoikko.so), VoikkoException (no dictionary)
        log.warning("Voikko unavailable (%s): Finnish search falls back to Snowball", exc)
        return None
