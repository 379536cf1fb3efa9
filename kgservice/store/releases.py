"""The release store: the frozen releases as named graphs of a second, small Oxigraph store.

Every recorded release (``releases/<version>/``, :mod:`kgservice.releases.record`) is kept as
one graph per module, ``graph/release/<version>/<module>``, beside a copy of the live vocabulary
graphs ``graph/ontology/<module>``, so that one query can compare a release with today's
vocabulary. The main store never holds a release copy: its default graph is Oxigraph's union of
all named graphs, which keeps the app's queries fast, and old labels, broader links or mappings
of a frozen copy would show on the live pages (:mod:`kgservice.pipeline.build`).

Where the release store is:

* **embedded backend**: the build writes it into the build directory, ``<build>/releases/``
  (build step ``release-store``), so it is swapped in, copied by a write over ``/graphs`` and
  pruned with its build; the web process and the SPARQL workers open it read-only;
* **remote backend** (``KG_SPARQL_ENDPOINT``): there is no build directory; the web process makes
  it from the repository's ``releases/`` and the endpoint's vocabulary graphs into
  ``<KG_VAR_DIR>/release-stores/<version>/`` (written under a temporary name, then renamed), once
  per version of the endpoint's data (:class:`ReleaseStores`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

from kgservice.config import Settings
from kgservice.iris import graph_iri, rebase
from kgservice.sources.rdf import read_quads
from kgservice.store.base import Store, as_quads
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import ServedBuild

#: The release store's directory inside a build directory.
RELEASE_STORE_DIR = "releases"
#: Where a web process over a remote endpoint keeps the release stores it made (under var/).
REMOTE_RELEASE_STORES = "release-stores"


def release_prefix(settings: Settings) -> str:
    """Every frozen graph's IRI starts with this: ``<base>graph/release/``."""
    return graph_iri(settings, "release") + "/"


def vocabulary_prefix(settings: Settings) -> str:
    """The live vocabulary graphs the release store copies: ``<base>graph/ontology/``."""
    return graph_iri(settings, "ontology") + "/"


def is_release_graph(settings: Settings, iri: str) -> bool:
    return iri.startswith(release_prefix(settings))


def frozen_graph(settings: Settings, version: str, module: str) -> str:
    return graph_iri(settings, "release", version, module)


def frozen_quads(settings: Settings) -> list[Quad]:
    """Each recorded release's modules as quads in ``graph/release/<version>/<module>``."""
    from kgservice.releases.record import METADATA, list_releases, releases_dir

    quads: list[Quad] = []
    for release in list_releases(releases_dir(settings)):
        for path in sorted(release.dir.glob("*.ttl")):
            if path.name == METADATA:
                continue
            graph = NamedNode(frozen_graph(settings, release.version, path.stem))
            quads += [
                Quad(q.subject, q.predicate, q.object, graph)
                for q in rebase(read_quads(path), settings)
            ]
    return quads


def write_release_store(
    settings: Settings, target: Path | None, frozen: list[Quad] | bytes, live: Store
) -> EmbeddedStore:
    """A new release store at ``target`` (in memory when ``None``): the ``frozen`` quads (or
    N-Quads) and a copy of every vocabulary graph of ``live``. The caller closes it."""
    store = EmbeddedStore(target, base_iri=settings.base_iri)
    data = frozen if isinstance(frozen, bytes) else serialize(frozen, format=RdfFormat.N_QUADS)
    data = data or b""
    # bulk loads: a transactional load per vocabulary graph cost ~35 µs a triple on disk (14 s
    # for a 50,000-concept vocabulary), one bulk load about a third of that
    embedded = isinstance(live, EmbeddedStore)
    if embedded:  # pyoxigraph serialised all of it (the frozen quads and the live store's dumps)
        data += vocabulary_nquads(settings, live)
    if data:
        store.bulk_load(data, RdfFormat.N_QUADS, lenient=True)
    for graph in [] if embedded else vocabulary_graphs(settings, live):
        # another engine's N-Triples: checked, one graph at a time
        store.bulk_load(live.dump(RdfFormat.N_TRIPLES, graph), RdfFormat.N_TRIPLES, graph)
    return store


def vocabulary_graphs(settings: Settings, live: Store) -> list[str]:
    prefix = vocabulary_prefix(settings)
    return [g for g in live.graphs() if g.startswith(prefix)]


def vocabulary_nquads(settings: Settings, live: Store) -> bytes:
    """Every vocabulary graph of an embedded ``live`` store as N-Quads (each graph's N-Triples
    dump put in its graph: :func:`~kgservice.store.base.as_quads`, as the public dump does)."""
    return b"".join(
        as_quads(live.dump(RdfFormat.N_TRIPLES, graph), graph)
        for graph in vocabulary_graphs(settings, live)
    )


def move_frozen_graphs(settings: Settings, store: Store, build_dir: Path) -> dict[str, int]:
    """Move the frozen graphs a replica loaded from a dump out of ``store`` into the release
    store of ``build_dir`` (with the vocabulary copy); their triple counts."""
    frozen = frozen_graphs(settings, store)
    quads = [
        Quad(t.subject, t.predicate, t.object, NamedNode(g))
        for g in frozen
        for t in parse(store.dump(RdfFormat.N_TRIPLES, g), format=RdfFormat.N_TRIPLES)
    ]
    for graph in frozen:
        store.drop_graph(graph)
    releases = write_release_store(settings, release_store_path(build_dir), quads, store)
    try:
        counts = releases.stats()
        return {g: counts[g] for g in frozen}
    finally:
        releases.close()


def copy_vocabulary(settings: Settings, live: Store, releases: Store) -> None:
    """Make the vocabulary graphs of ``releases`` those of ``live`` (added, replaced, dropped)."""
    prefix = vocabulary_prefix(settings)
    wanted = vocabulary_graphs(settings, live)
    for graph in wanted:
        releases.replace_graph(graph, live.dump(RdfFormat.N_TRIPLES, graph), RdfFormat.N_TRIPLES)
    for stale in set(releases.graphs()) - set(wanted):
        if stale.startswith(prefix):
            releases.drop_graph(stale)


def release_store_path(build_dir: Path) -> Path:
    return build_dir / RELEASE_STORE_DIR


def frozen_graphs(settings: Settings, releases: Store | None) -> list[str]:
    """The frozen graphs a release store holds (none without one), sorted."""
    if releases is None:
        return []
    return [g for g in releases.graphs() if is_release_graph(settings, g)]


class ReleaseStores:
    """The release store of the build a process serves, opened once per build (the last two
    kept). ``get`` answers ``None`` for an embedded build without one (built before it existed)."""

    KEEP = 2

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._held: dict[str, tuple[Path, EmbeddedStore] | None] = {}

    def get(self, served: ServedBuild) -> EmbeddedStore | None:
        found = self.get_with_path(served)
        return found[1] if found else None

    def get_with_path(self, served: ServedBuild) -> tuple[Path, EmbeddedStore] | None:
        """The release store and its directory (which the SPARQL workers open)."""
        key = served.version.id
        with self._lock:
            if key not in self._held:
                self._held[key] = self._open(served)
                while len(self._held) > self.KEEP:
                    del self._held[next(iter(self._held))]
            return self._held[key]

    def _open(self, served: ServedBuild) -> tuple[Path, EmbeddedStore] | None:
        if served.directory is not None:
            path = release_store_path(served.directory)
        else:
            path = self._made_for_remote(served)
        if not path.is_dir():
            return None
        return path, EmbeddedStore(path, read_only=True, base_iri=self.settings.base_iri)

    def _made_for_remote(self, served: ServedBuild) -> Path:
        """``<var>/release-stores/<version>/``, made from ``releases/`` and the endpoint's
        vocabulary graphs unless it exists (a process made it before); older ones removed."""
        root = self.settings.var_dir / REMOTE_RELEASE_STORES
        path = root / served.version.id
        if path.is_dir():
            return path
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".new-", dir=root))
        try:
            write_release_store(
                self.settings, staging / "store", frozen_quads(self.settings), served.store
            ).close()
            os.rename(staging / "store", path)
        except OSError:
            if not path.is_dir():  # another process renamed its copy first: use that
                raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for old in root.iterdir():
            if old.name != path.name and old.name not in self._held and old.name[0] != ".":
                shutil.rmtree(old, ignore_errors=True)
        return path
