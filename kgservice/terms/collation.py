"""Finnish collation of vocabulary labels: sort keys and the letters of the alphabetical index.

Sorting uses the Finnish alphabet (as CLDR's Finnish collation): a–z with ü sorted as y, then å,
ä, ö at the end; other accented Latin letters sort with their base letter. The languages
themselves and their UI texts are :mod:`kgservice.texts`.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

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
