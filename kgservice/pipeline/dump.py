"""The build step ``dump``: the whole public dataset as one gzip-compressed N-Quads file.

Written last, into the build directory beside the store files (``dump.nq.gz``; a temporary name
first, renamed when complete), so the dump always belongs to the build that is served and goes
when that build is pruned. Only public graphs are dumped: never a graph under
``graph/client/`` (the private client data). The frozen release graphs of the release store
(``graph/release/<version>/<module>``, :mod:`kgservice.store.releases`) are in it too, so a
replica loading the dump has the releases (:mod:`kgservice.pipeline.replica`). The web serves
the file at ``/dump/rake-kg.nq.gz``.

Then the dump is described in the graph ``graph/dump``: ``void:dataDump`` on the knowledge-graph
dataset and a ``dcat:distribution`` with its download URL, media type, compression and byte
size. That graph is the one public graph the dump cannot hold (its byte size would be inside
itself); every other public quad is in the dump.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from kgservice.config import Settings
from kgservice.errors import BuildError
from kgservice.iris import graph_iri
from kgservice.namespaces import DCAT, DCT, RDF, VOID, XSD
from kgservice.pipeline.steps import StepReport
from kgservice.store.base import BinaryOutput, Store, as_quads
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import frozen_graphs, release_store_path
from kgservice.store.served import DUMP_FILE

#: Where the web serves the dump (relative to the site root) and its media type.
DUMP_PATH = "dump/rake-kg.nq.gz"
MEDIA_TYPE = "application/n-quads"
GZIP_TYPE = "application/gzip"


def dump_graph(settings: Settings) -> str:
    """The graph that describes the dump (and is left out of it)."""
    return graph_iri(settings, "dump")


def public_graphs(settings: Settings, store: Store) -> list[str]:
    """The named graphs of the store that go into the dump, in order."""
    private = graph_iri(settings, "client") + "/"
    skip = dump_graph(settings)
    return [g for g in store.graphs() if not g.startswith(private) and g != skip]


class GraphQuads:
    """A binary stream for a store's N-Triples dump of ``graph``: the chunks it receives go on
    to ``out`` as N-Quads lines (:func:`as_quads`, line by whole line: a chunk's unfinished last
    line waits for the next chunk), so no graph is ever held whole in memory. ``quads`` counts
    the lines written."""

    def __init__(self, out: BinaryOutput, graph: str) -> None:
        self.out, self.graph = out, graph
        self.quads = 0
        self._tail = b""

    def write(self, chunk: bytes) -> int:
        data = self._tail + bytes(chunk)
        end = data.rfind(b"\n") + 1
        self._tail = data[end:]
        if end:
            lines = as_quads(data[:end], self.graph)
            self.quads += lines.count(b"\n")
            self.out.write(lines)
        return len(chunk)

    def flush(self) -> None:
        """Nothing to do: only whole lines were passed on."""

    def finish(self) -> None:
        """After the dump: a line still unfinished is an error."""
        if self._tail:
            raise BuildError(f"unfinished N-Triples line in <{self.graph}>", rule="dump")


#: gzip level of the dump: 6 (the gzip default) keeps the file about a quarter smaller than level
#: 1 for about half a CPU second more per million quads, spent beside ``persist``
#: (docs/benchmarks.md, "Third round").
COMPRESS_LEVEL = 6


def write_dump(
    settings: Settings, store: Store, target: Path, releases: Store | None = None
) -> int:
    """The public graphs, then the frozen release graphs of the release store ``releases``, as
    gzip-compressed N-Quads at ``target`` (atomically); the quads written. Each graph is
    streamed from the store's serialiser into the gzip stream (:class:`GraphQuads`)."""
    tmp = target.with_name(target.name + ".tmp")
    quads = 0
    sources: list[tuple[Store | None, str]] = [(store, g) for g in public_graphs(settings, store)]
    sources += [(releases, g) for g in frozen_graphs(settings, releases)]
    with gzip.open(tmp, "wb", compresslevel=COMPRESS_LEVEL) as out:
        for source, graph in sources:
            assert source is not None
            stream = GraphQuads(out, graph)
            source.dump_to(stream, RdfFormat.N_TRIPLES, graph)
            stream.finish()
            quads += stream.quads
    os.replace(tmp, target)
    return quads


def description(settings: Settings, size: int) -> list[Triple]:
    """The VoID/DCAT statements about the dump of ``size`` bytes, in :func:`dump_graph`."""
    dataset = NamedNode(settings.base_iri + "data/knowledge-graph")
    url = NamedNode(settings.base_iri + DUMP_PATH)
    dist = NamedNode(settings.base_iri + "data/knowledge-graph/dump")

    def p(iri: str) -> NamedNode:
        return NamedNode(iri)

    triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
        (dataset, p(VOID + "dataDump"), url),
        (dataset, p(DCAT + "distribution"), dist),
        (dist, p(RDF + "type"), p(DCAT + "Distribution")),
        (dist, p(DCAT + "downloadURL"), url),
        (
            dist,
            p(DCAT + "mediaType"),
            p(f"https://www.iana.org/assignments/media-types/{MEDIA_TYPE}"),
        ),
        (
            dist,
            p(DCAT + "compressFormat"),
            p(f"https://www.iana.org/assignments/media-types/{GZIP_TYPE}"),
        ),
        (dist, p(DCAT + "byteSize"), Literal(str(size), datatype=p(XSD + "nonNegativeInteger"))),
        (dist, p(DCT + "format"), Literal(MEDIA_TYPE)),
        (
            dist,
            p(DCT + "title"),
            Literal("Koko julkinen aineisto N-Quads-muodossa (gzip)", language="fi"),
        ),
        (
            dist,
            p(DCT + "title"),
            Literal("Hela det offentliga datamaterialet som N-Quads (gzip)", language="sv"),
        ),
        (
            dist,
            p(DCT + "title"),
            Literal("The whole public dataset as N-Quads (gzip)", language="en"),
        ),
    ]
    return [Triple(s, pr, o) for s, pr, o in triples]


def dump_step(settings: Settings, store: Store, report: StepReport) -> None:
    """Build step: write the dump into the build directory, then describe it in the store."""
    if store.path is None:  # a remote store: no build directory to write into
        report.notes.append("no dump: the staging store has no directory")
        return
    target = store.path / DUMP_FILE
    frozen = release_store_path(store.path)  # step release-store: the frozen releases go too
    releases = EmbeddedStore(frozen, read_only=True) if frozen.is_dir() else None
    try:
        quads = write_dump(settings, store, target, releases)
    finally:
        if releases is not None:
            releases.close()
    size = target.stat().st_size
    data = serialize(description(settings, size), format=RdfFormat.N_TRIPLES) or b""
    store.replace_graph(dump_graph(settings), data, RdfFormat.N_TRIPLES)
    report.rows_in += quads
    report.rows_loaded += quads
    report.notes.append(f"dump: {quads} quads, {size} bytes gzip-compressed ({DUMP_FILE})")
