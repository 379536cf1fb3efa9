"""``fold`` (the search's accent-free, case-folded form) is NFKD without the combining marks,
case-folded, for every letter a label may hold; its table of marks and its ASCII shortcut
(issue 18: the search index of a national vocabulary) change nothing."""

from __future__ import annotations

import unicodedata

from kgservice.terms.lemmas import fold
from kgservice.terms.search import normalise

#: Latin-1, Latin Extended-A/B, Greek, Cyrillic, combining marks, ligatures, full-width forms
RANGES = [(0x20, 0x250), (0x300, 0x370), (0x370, 0x530), (0x1E00, 0x1F00), (0xFB00, 0xFB07),
          (0xFF01, 0xFF5F)]  # fmt: skip


def reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_fold_of_every_letter_equals_nfkd_without_combining_marks():
    letters = [chr(c) for lo, hi in RANGES for c in range(lo, hi)]
    assert [fold(c) for c in letters] == [reference(c) for c in letters]


def test_fold_of_finnish_and_swedish_words():
    for word in ("Päihteiden", "ÅLANDS", "mielenterveyspalvelut", "Straße", "x\u0301y", "ﬁnal"):
        assert fold(word) == reference(word)
    assert fold("Päihde") == "paihde"


def test_normalise_collapses_white_space_of_the_folded_text():
    assert normalise("  Päihde-  ja\triippuvuus ") == "paihde- ja riippuvuus"
