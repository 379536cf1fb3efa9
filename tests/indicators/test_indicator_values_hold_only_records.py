"""``graph/indicator-values`` holds nothing but records: every subject is an indicator value or a
slice. The concept index relies on it (issue 18): it does not read that graph for the "where it is
used" links, whose scan grew with every indicator and year of a national build."""

from __future__ import annotations

from collections import defaultdict

from indicator_fixture import load_fixture_graphs

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.namespaces import ontology_ns
from kgservice.store.embedded import EmbeddedStore

SUBJECTS_AND_TYPES = "SELECT DISTINCT ?s ?t WHERE { GRAPH <%s> { ?s ?p ?o OPTIONAL { ?s a ?t } } }"


def test_every_subject_of_the_indicator_values_graph_is_a_value_or_a_slice():
    settings = Settings()
    store = EmbeddedStore(None)
    load_fixture_graphs(store, settings)
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.select(SUBJECTS_AND_TYPES % graph_iri(settings, "indicator-values")):
        types[row["s"].value].add(row["t"].value if row.get("t") else "")
    assert len(types) > 100  # the fixture's values and slices
    records = {ontology_ns(settings) + "IndicatorValue", ontology_ns(settings) + "IndicatorSlice"}
    assert [s for s, ts in types.items() if not ts & records] == []
