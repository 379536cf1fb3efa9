"""``kgservice publish`` and the replica's :func:`sync`: a published build is loaded elsewhere
exactly (every public graph, its counts checked against the manifest), and a dump that does not
match its manifest is refused with nothing served."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, parse

from kgservice.cli import main
from kgservice.errors import BuildError
from kgservice.iris import graph_iri
from kgservice.pipeline import replica, swap
from kgservice.pipeline.dump import dump_graph
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import frozen_graphs, release_store_path
from kgservice.store.served import DUMP_FILE, ServedStore, served_dir


@pytest.fixture(scope="module")
def published(built_settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    return out, replica.publish(built_settings, out)


def _quads_per_graph(path) -> Counter:
    with gzip.open(path, "rb") as stream:
        return Counter(q.graph_name.value for q in parse(stream, format=RdfFormat.N_QUADS))


def test_publish_copies_the_builds_dump_and_names_its_sha256_and_counts(built_settings, published):
    out, manifest = published
    build_dir = served_dir(built_settings)
    data = (out / manifest.file).read_bytes()
    assert data == (build_dir / DUMP_FILE).read_bytes()
    on_disk = json.loads((out / replica.MANIFEST).read_text())
    assert on_disk["build_id"] == build_dir.name
    assert on_disk["dump"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert on_disk["dump"]["bytes"] == len(data)
    counted = _quads_per_graph(out / manifest.file)
    assert on_disk["graphs"] == dict(counted)
    assert on_disk["quads"] == sum(counted.values())
    assert not any(g.startswith(graph_iri(built_settings, "client") + "/") for g in counted)


def test_a_replica_serves_the_published_build_with_the_origins_graphs_and_version(
    built_settings, published, settings_factory
):
    out, manifest = published
    origin = EmbeddedStore(served_dir(built_settings), read_only=True)
    try:
        expected = {
            g: n
            for g, n in origin.stats().items()
            if g in manifest.graphs or g == dump_graph(built_settings)
        }
        expected_description = origin.dump(RdfFormat.N_TRIPLES, dump_graph(built_settings))
    finally:
        origin.close()
    settings = settings_factory()
    done = replica.sync(settings, str(out))
    assert done.loaded and done.build_id == manifest.build_id
    served = ServedStore(settings).current()
    assert served.version.id == manifest.build_id
    assert served.version.built_at == pytest.approx(served_dir(built_settings).stat().st_mtime)
    counts = served.store.stats()
    counts.pop("total")
    assert counts == expected
    assert sorted(served.store.dump(RdfFormat.N_TRIPLES, dump_graph(settings)).splitlines()) == (
        sorted(expected_description.splitlines())
    )
    assert replica.sync(settings, str(out)).loaded is False  # already served: nothing to do


def test_a_dump_that_does_not_match_its_manifest_is_refused_and_nothing_is_served(
    published, settings_factory, tmp_path
):
    out, manifest = published
    data = bytearray((out / manifest.file).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / manifest.file).write_bytes(bytes(data))
    (tmp_path / replica.MANIFEST).write_text((out / replica.MANIFEST).read_text())
    settings = settings_factory()
    with pytest.raises(BuildError) as caught:
        replica.sync(settings, str(tmp_path))
    assert caught.value.rule == "replica-checksum"
    assert manifest.sha256 in str(caught.value)
    assert served_dir(settings) is None
    assert list(swap.stores_dir(settings).iterdir()) == []


def test_a_manifest_naming_a_path_outside_the_stores_is_refused(published, tmp_path):
    out, _ = published
    data = json.loads((out / replica.MANIFEST).read_text())
    data["build_id"] = "../../etc"
    with pytest.raises(BuildError) as caught:
        replica.Manifest.from_json(data, "manifest.json")
    assert caught.value.rule == "replica-manifest"


def test_serve_from_a_corrupt_dump_exits_with_the_checksum_error_before_serving(
    published, settings_factory, tmp_path, monkeypatch
):
    out, manifest = published
    (tmp_path / manifest.file).write_bytes(b"\x1f\x8b not the dump")
    (tmp_path / replica.MANIFEST).write_text((out / replica.MANIFEST).read_text())
    settings = settings_factory()
    monkeypatch.setenv("KG_VAR_DIR", str(settings.var_dir))
    monkeypatch.setenv("KG_STORE", str(settings.store_path))
    result = CliRunner().invoke(main, ["serve", "--from-dump", str(tmp_path), "--port", "1"])
    assert result.exit_code == 1
    assert "[replica-checksum]" in result.output
    assert served_dir(settings) is None


def test_a_replica_keeps_the_frozen_releases_in_its_release_store_not_in_its_store(
    built_settings, published, settings_factory
):
    out, _ = published
    settings = settings_factory()
    replica.sync(settings, str(out))
    origin = EmbeddedStore(release_store_path(served_dir(built_settings)), read_only=True)
    copied = EmbeddedStore(release_store_path(served_dir(settings)), read_only=True)
    served = EmbeddedStore(served_dir(settings), read_only=True)
    try:
        frozen = frozen_graphs(built_settings, origin)
        assert frozen and frozen_graphs(settings, copied) == frozen
        counts, origin_counts = copied.stats(), origin.stats()
        assert {g: counts[g] for g in frozen} == {g: origin_counts[g] for g in frozen}
        # beside them the replica's vocabulary graphs, as in the origin's release store
        assert copied.graphs() == origin.graphs()
        assert not frozen_graphs(settings, served)
    finally:
        for store in (origin, copied, served):
            store.close()
