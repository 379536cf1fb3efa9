"""The languages of the vocabularies, Finnish collation, and labels of standard terms.

Vocabularies are labelled in Finnish, Swedish and English; a label missing in one language falls
back to Finnish. Sorting uses the Finnish alphabet (as CLDR's Finnish collation): a–z with ü
sorted as y, then å, ä, ö at the end; other accented Latin letters sort with their base letter.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
FALLBACK_LANG = "fi"

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: Labels of standard terms that vocabularies use but do not label themselves.
TERM_LABELS: dict[str, dict[str, str]] = {
    _SKOS + "Concept": {"fi": "käsite", "sv": "begrepp", "en": "concept"},
    _SKOS + "ConceptScheme": {"fi": "sanasto", "sv": "vokabulär", "en": "concept scheme"},
    _SKOS + "exactMatch": {
        "fi": "täsmällinen vastaavuus",
        "sv": "exakt matchning",
        "en": "exact match",
    },
    _SKOS + "closeMatch": {
        "fi": "läheinen vastaavuus",
        "sv": "nära matchning",
        "en": "close match",
    },
    _SKOS + "broadMatch": {
        "fi": "laajempi vastaavuus",
        "sv": "bredare matchning",
        "en": "broad match",
    },
    _SKOS + "narrowMatch": {
        "fi": "suppeampi vastaavuus",
        "sv": "snävare matchning",
        "en": "narrow match",
    },
    _SKOS + "relatedMatch": {
        "fi": "assosiatiivinen vastaavuus",
        "sv": "relaterad matchning",
        "en": "related match",
    },
    _SKOS + "note": {"fi": "huomautus", "sv": "anmärkning", "en": "note"},
    _SKOS + "scopeNote": {
        "fi": "käyttöhuomautus",
        "sv": "användningsanvisning",
        "en": "scope note",
    },
    _SKOS + "example": {"fi": "esimerkki", "sv": "exempel", "en": "example"},
    _SKOS + "changeNote": {
        "fi": "muutoshuomautus",
        "sv": "ändringsanmärkning",
        "en": "change note",
    },
    _SKOS + "historyNote": {"fi": "historiatieto", "sv": "historik", "en": "history note"},
    _SKOS + "editorialNote": {
        "fi": "toimituksellinen huomautus",
        "sv": "redaktionell anmärkning",
        "en": "editorial note",
    },
    _DCT + "source": {"fi": "lähde", "sv": "källa", "en": "source"},
    _DCT + "references": {"fi": "viittaa", "sv": "hänvisar till", "en": "references"},
    _DCT + "created": {"fi": "luotu", "sv": "skapad", "en": "created"},
    _DCT + "modified": {"fi": "muokattu", "sv": "ändrad", "en": "modified"},
    _DCT + "license": {"fi": "lisenssi", "sv": "licens", "en": "licence"},
    _OWL + "Class": {"fi": "luokka", "sv": "klass", "en": "class"},
    _OWL + "ObjectProperty": {
        "fi": "objektiominaisuus",
        "sv": "objektegenskap",
        "en": "object property",
    },
    _OWL + "DatatypeProperty": {
        "fi": "tietotyyppiominaisuus",
        "sv": "datatypsegenskap",
        "en": "datatype property",
    },
    _OWL + "versionInfo": {"fi": "versio", "sv": "version", "en": "version"},
    _RDFS + "seeAlso": {"fi": "katso myös", "sv": "se även", "en": "see also"},
    _RDFS + "comment": {"fi": "kommentti", "sv": "kommentar", "en": "comment"},
    _RDFS + "subClassOf": {"fi": "yläluokka", "sv": "överklass", "en": "subclass of"},
    _RDFS + "domain": {"fi": "kohdeluokka", "sv": "domän", "en": "domain"},
    _RDFS + "range": {"fi": "arvoalue", "sv": "värdemängd", "en": "range"},
}


# -- Finnish collation --------------------------------------------------------------------------
# Order of the Finnish alphabet: a b c d e f g h i j k l m n o p q r s t u v w x y z å ä ö
# (ü sorts as y; æ with ä and ø with ö as in CLDR's Finnish tailoring; other accented letters as
# their base letter). The three last letters map to the code points right after "z".
_FINNISH_TAIL = {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"}
_EQUIV = {"ü": "y"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _FINNISH_TAIL:
        return _FINNISH_TAIL[ch]
    if ch in _EQUIV:
        return _EQUIV[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return _EQUIV.get(base, base)


@lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[str, str]:
    """A sort key putting å, ä, ö after z; ties broken by the case-folded original.

    Cached: every page sorts the labels of the same vocabulary again and again.
    """
    folded = text.casefold()
    primary = "".join(_fold_char(c) for c in unicodedata.normalize("NFC", folded))
    return primary, folded


def index_letter(text: str) -> str:
    """The letter a label is listed under in the alphabetical index (Å, Ä, Ö kept)."""
    for ch in unicodedata.normalize("NFC", text):
        if ch.isalnum():
            up = ch.upper()
            if up in "ÅÄÖ":
                return up
            base = unicodedata.normalize("NFD", up)[0]
            return base if base.isalpha() else "0–9"
    return "#"
