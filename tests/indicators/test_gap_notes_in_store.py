"""Why a computed figure is missing is stored coded (the record's ``gap``) and as one
language-tagged note per UI language (``rake:valueNote``), never as English text only: each note
is the reader's text for the coded gap (:func:`kgservice.indicators.compute.gap_note`)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

import pytest

from kgservice.indicators.compute import gap_note
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir
from kgservice.texts import LANGUAGES

QUERY = """PREFIX rake: <https://rake-kg.example/ontology/>
SELECT ?v ?note ?record WHERE { ?v rake:valueNote ?note ; rake:valueRecord ?record }"""


@pytest.fixture(scope="module")
def store(built_settings) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield s
    s.close()


@pytest.fixture(scope="module")
def notes(store) -> dict[str, tuple[dict, dict[str, str]]]:
    out: dict[str, tuple[dict, dict[str, str]]] = {}
    by_value: dict[str, dict[str, str]] = defaultdict(dict)
    for row in store.query(QUERY):
        by_value[row["v"].value][row["note"].language or ""] = row["note"].value
        out[row["v"].value] = (json.loads(row["record"].value), by_value[row["v"].value])
    return out


def test_some_computed_figures_are_missing_with_a_note(notes):
    assert len(notes) > 10


def test_every_note_is_in_finnish_swedish_and_english_and_none_is_untagged(notes):
    for value, (_, by_lang) in notes.items():
        assert set(by_lang) == set(LANGUAGES), value


def test_every_note_says_the_records_coded_gap_in_its_language(notes):
    kinds = set()
    for value, (record, by_lang) in notes.items():
        assert "note" not in record and record["gap"]["kind"], value
        kinds.add(record["gap"]["kind"])
        assert by_lang == {lang: gap_note(record["gap"], lang) for lang in LANGUAGES}, value
    assert all(by_lang["fi"] != by_lang["en"] for _, by_lang in notes.values())
    assert kinds
