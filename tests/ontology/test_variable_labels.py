"""Every statistical variable of the built graph is named in Finnish, Swedish and English.

The Finnish label is the publisher's (graph/source/<slug>); the Swedish and English labels are
added by ``ontology/statistical-variables.ttl`` (graph/ontology/statistical-variables), marked
there as the project's translation or as a publisher's term, and made from the Finnish label that
``rake:translationOf`` keeps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest

from kgservice.iris import graph_iri
from kgservice.queries import select
from kgservice.store.base import Row
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

LANGS = ("fi", "sv", "en")
#: The one variable whose English label the publisher gives (the 11s5 JSON-stat export).
PUBLISHER_ENGLISH = "https://rake-kg.example/data/variable/statfin-11s5-2024m12/vaesto_kuukausi"


@pytest.fixture(scope="module")
def label_rows(built_settings) -> Iterator[list[Row]]:
    store = EmbeddedStore(served_dir(built_settings), read_only=True)
    try:
        yield select(store, built_settings.queries_dir, "statistics/variable-labels")
    finally:
        store.close()


@pytest.fixture(scope="module")
def labels(label_rows) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """variable → language → [(label, graph)]."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for r in label_rows:
        if "label" in r:
            out[r["variable"].value][r["label"].language].append(
                (r["label"].value, r["graph"].value)
            )
    return out


def test_every_variable_has_one_label_in_finnish_swedish_and_english(labels):
    assert len(labels) >= 100  # the bundled snapshot's variables
    for variable, by_lang in labels.items():
        assert sorted(by_lang) == ["en", "fi", "sv"], variable
        # one label text each; two sources sharing a variable (the ARA/Varke files) both state it
        assert all(len({text for text, _ in by_lang[lang]}) == 1 for lang in by_lang), (
            variable,
            dict(by_lang),
        )


def test_the_finnish_label_is_the_publishers_and_the_others_are_added_by_the_ontology(
    built_settings, labels
):
    added = graph_iri(built_settings, "ontology", "statistical-variables")
    for variable, by_lang in labels.items():
        (_, fi_graph), (_, sv_graph), (_, en_graph) = (by_lang[lang][0] for lang in LANGS)
        assert "/graph/source/" in fi_graph, variable
        assert sv_graph == added, variable
        assert en_graph == (fi_graph if variable == PUBLISHER_ENGLISH else added), variable


def test_translations_were_made_from_the_current_finnish_label(label_rows, labels):
    # a changed source label makes this fail until the Swedish and English labels are reviewed
    translated_from = {r["variable"].value: r["translationOf"] for r in label_rows}
    for variable, by_lang in labels.items():
        source = translated_from.get(variable)
        assert source is not None and source.language == "fi", variable
        assert source.value == by_lang["fi"][0][0], variable


def test_every_translated_variable_is_in_the_built_graph(label_rows):
    orphans = sorted({r["variable"].value for r in label_rows if r["built"].value != "true"})
    assert orphans == []
