"""Change history between two versions of a structure (issue 6: versions coexist and diff)."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from kgservice.queries import select
from kgservice.sosmeta.diff import diff_versions
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

B = "https://rake-kg.example/"
STRUCTURE = B + "sosmeta/structure/1.2.246.537.6.1506.11052"
OLD = B + "sosmeta/1.2.246.537.6.1506.11052.2022.6.28"
NEW = B + "sosmeta/1.2.246.537.6.1506.11052.2023.9.8"


@pytest.fixture(scope="module")
def structures(built_settings):
    """The session's full build of the bundled data (the change history is part of it)."""
    settings = built_settings
    store = EmbeddedStore(served_dir(settings), read_only=True)
    yield settings, store
    store.close()


def test_both_versions_coexist_as_versions_of_one_structure(structures):
    settings, store = structures
    rows = select(
        store, settings.queries_dir, "sosmeta/structure-versions", structure=NamedNode(STRUCTURE)
    )
    assert [r["version"].value for r in rows] == [OLD, NEW]
    assert [r["partial"].value for r in rows] == ["true", "false"]


def test_diff_of_seed_version_and_2023_is_honest_about_the_partial_listing(structures):
    settings, store = structures
    d = diff_versions(store, settings, STRUCTURE, OLD, NEW)
    assert d.old_partial
    # the seed lists rows 1–6, 84, 85 only: nothing can be called "added"
    assert d.of_kind("added") == []
    assert d.of_kind("removed") == []
    assert len(d.unknown) > 100
    assert "tyoikaisten_palvelupaatos/asiakas/henkilotunnus" not in d.unknown
    assert "tyoikaisten_palvelupaatos/paatos/paatostunnus" in d.unknown
    assert "partially described" in d.summary()


def test_diff_reports_added_removed_and_changed_between_complete_versions(structures):
    settings, store = structures
    # reversed roles: the complete 2023 version as "old", the partial seed as "new"
    d = diff_versions(store, settings, STRUCTURE, NEW, OLD)
    assert not d.old_partial
    removed = {c.path for c in d.of_kind("removed")}
    assert "tyoikaisten_palvelupaatos/paatos/paatostunnus" in removed
    changed = {c.path: c for c in d.of_kind("changed")}
    assert "tyoikaisten_palvelupaatos/paatos" in changed
    assert "labelFi" in changed["tyoikaisten_palvelupaatos/paatos"].fields


def test_the_build_stores_the_change_history_of_the_newer_version(structures):
    settings, store = structures
    rows = select(store, settings.queries_dir, "sosmeta/version-changes", version=NamedNode(NEW))
    assert rows and all(r["previous"].value == OLD for r in rows)
    assert {r["changeType"].value for r in rows} <= {"added", "removed", "changed"}
    comments = " ".join(r["comment"].value for r in rows)
    assert "Muutettu tietosisältö tyoikaisten_palvelupaatos/paatos" in comments
