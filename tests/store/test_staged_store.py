"""A build is staged in memory and written to its directory once, with one bulk load.

:meth:`EmbeddedStore.persist` must copy every quad as it is: every named graph and the default
graph, blank nodes with their labels, literals with their language tags and datatypes.
"""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat

from kgservice.errors import StoreError
from kgservice.store.embedded import EmbeddedStore

TRIG = b"""\
@prefix : <https://rake-kg.example/> .
@prefix g: <https://rake-kg.example/graph/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
g:one { :a :p "kaksi"@fi , "2"^^xsd:decimal . }
g:two { :a :q _:b17 . _:b17 :p "[{\\"area\\":\\"x\\"}]"^^rdf:JSON . }
:a :p :b .
"""


def lines(data: bytes) -> set[bytes]:
    return {line for line in data.splitlines() if line}


def test_a_persisted_store_holds_exactly_the_staged_quads_blank_node_labels_included(tmp_path):
    staged = EmbeddedStore(tmp_path / "build", staged=True)
    staged.load(TRIG, RdfFormat.TRIG)  # the parser gives the blank node a fresh label
    assert not (tmp_path / "build").exists()  # nothing on disk while staging
    quads = lines(staged.dump(RdfFormat.N_QUADS))
    assert len(quads) == 5
    staged.persist()
    staged.close()
    on_disk = EmbeddedStore(tmp_path / "build", read_only=True)
    try:
        assert lines(on_disk.dump(RdfFormat.N_QUADS)) == quads
    finally:
        on_disk.close()


def test_the_staged_store_stays_readable_after_it_is_persisted(tmp_path):
    staged = EmbeddedStore(tmp_path / "build", staged=True)
    staged.load(TRIG, RdfFormat.TRIG)
    staged.persist()
    assert staged.graphs() == [
        "https://rake-kg.example/graph/one",
        "https://rake-kg.example/graph/two",
    ]
    staged.close()


def test_only_a_staged_store_with_a_directory_can_be_persisted(tmp_path):
    with pytest.raises(StoreError, match="staged"):
        EmbeddedStore(tmp_path / "disk").persist()
    with pytest.raises(StoreError, match="staged"):
        EmbeddedStore(None, staged=True).persist()
