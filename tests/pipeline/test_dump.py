"""The build's dump: the whole public dataset as gzip-compressed N-Quads, described in VoID/DCAT."""

from __future__ import annotations

import gzip
from collections import Counter

import pyoxigraph
from pyoxigraph import RdfFormat

from kgservice.iris import graph_iri
from kgservice.pipeline.dump import dump_graph, write_dump
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import release_prefix, release_store_path
from kgservice.store.served import DUMP_FILE, served_dir

DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"


def dumped_quads(path) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(gzip.decompress(path.read_bytes()), format=RdfFormat.N_QUADS))


def store_quads_per_graph(directory) -> Counter:
    """Every quad of the finished store, counted per named graph with pyoxigraph directly."""
    ox = pyoxigraph.Store.read_only(str(directory))
    return Counter(q.graph_name.value for q in ox.quads_for_pattern(None, None, None, None))


def test_the_dump_parses_and_has_as_many_quads_as_the_public_graphs(built_settings):
    directory = served_dir(built_settings)
    quads = dumped_quads(directory / DUMP_FILE)
    in_store = store_quads_per_graph(directory)
    private = graph_iri(built_settings, "client") + "/"
    public = {
        g: n
        for g, n in in_store.items()
        if not g.startswith(private) and g != dump_graph(built_settings)
    }
    # and the frozen releases of the release store, not its copy of the vocabulary graphs
    releases = store_quads_per_graph(release_store_path(directory))
    frozen = {g: n for g, n in releases.items() if g.startswith(release_prefix(built_settings))}
    assert frozen and not set(frozen) & set(public)
    public |= frozen
    assert Counter(q.graph_name.value for q in quads) == public
    assert len(quads) == sum(public.values())


def test_the_dump_is_described_with_void_data_dump_and_a_dcat_distribution(built_settings):
    directory = served_dir(built_settings)
    size = (directory / DUMP_FILE).stat().st_size
    ox = pyoxigraph.Store.read_only(str(directory))
    graph = pyoxigraph.NamedNode(dump_graph(built_settings))
    dataset = pyoxigraph.NamedNode(built_settings.base_iri + "data/knowledge-graph")

    def objects(s, p):
        return [q.object for q in ox.quads_for_pattern(s, pyoxigraph.NamedNode(p), None, graph)]

    (url,) = objects(dataset, VOID + "dataDump")
    (dist,) = objects(dataset, DCAT + "distribution")
    assert objects(dist, DCAT + "downloadURL") == [url]
    assert [int(o.value) for o in objects(dist, DCAT + "byteSize")] == [size]
    assert [o.value for o in objects(dist, DCAT + "mediaType")][0].endswith("application/n-quads")


def test_the_dump_is_served_at_its_stable_url_as_written(client, built_settings):
    r = client.get("/dump/rake-kg.nq.gz")
    assert r.status_code == 200
    assert r.data == (served_dir(built_settings) / DUMP_FILE).read_bytes()
    assert 'filename="rake-kg.nq.gz"' in r.headers["Content-Disposition"]


def test_client_data_graphs_never_reach_the_dump(settings_factory, tmp_path):
    settings = settings_factory()
    store = EmbeddedStore(tmp_path / "store", base_iri=settings.base_iri)
    triple = b'<https://rake-kg.example/x> <https://rake-kg.example/p> "v" .\n'
    public = graph_iri(settings, "ontology", "core")
    private = graph_iri(settings, "client", "batch-1")
    store.replace_graph(public, triple, RdfFormat.N_TRIPLES)
    store.replace_graph(private, triple, RdfFormat.N_TRIPLES)
    target = tmp_path / DUMP_FILE
    assert write_dump(settings, store, target) == 1
    store.close()
    assert [q.graph_name.value for q in dumped_quads(target)] == [public]
