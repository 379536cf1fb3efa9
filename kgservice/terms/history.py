"""The releases a build holds: each one's concept schemes as released, its changelog against the
release before, and a concept's history across them (issue 17).

The build loads every ``release.ttl`` into ``graph/releases`` of the store and the frozen modules
as graphs ``graph/release/<version>/<module>`` into the release store
(:mod:`kgservice.store.releases`; not into the main store, whose union default graph would mix
them into the live data). Here each release's graphs become a
:class:`~kgservice.releases.snapshot.Snapshot` (what the diffs compare, exactly as ``kgservice
diff`` does on the files) and a small in-memory store of its own, each module as
``graph/ontology/<module>`` again, so that a concept "as it was" is rendered by the same page
builder and concept index as the live one, from that release's triples only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.queries import select
from kgservice.releases.diff import DEPRECATED, REMOVED, ConceptChange, Diff, diff
from kgservice.releases.snapshot import CONCEPT, Snapshot
from kgservice.store import Store
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import frozen_graphs
from kgservice.terms.index import ConceptIndex

#: A concept present in a release and unchanged since the one before.
UNCHANGED = "unchanged"


@dataclass
class Release:
    """One release as the build loaded it: version, issue date, its graphs and their triples."""

    version: str
    issued: str
    store: EmbeddedStore
    snapshot: Snapshot
    _index: ConceptIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def index(self, settings: Settings) -> ConceptIndex:
        """The concept index of this release's schemes (built on first use)."""
        with self._lock:
            if self._index is None:
                built_id = f"release-{self.version}"
                self._index = ConceptIndex.load(self.store, settings, built_id, 0.0)
            return self._index

    def has_concept(self, iri: str) -> bool:
        return self.snapshot.has_type(f"<{iri}>".encode(), CONCEPT)


@dataclass(frozen=True)
class HistoryEntry:
    """What one release did to one concept: ``kind`` is added, changed, deprecated, removed or
    unchanged; ``change`` carries the property changes (none when unchanged)."""

    release: Release
    kind: str
    change: ConceptChange | None


@dataclass
class History:
    """The releases of one build, oldest first, and the changelog of each against the previous."""

    releases: list[Release] = field(default_factory=list)
    changelogs: dict[str, Diff] = field(default_factory=dict)
    #: version → concept IRI → its change in that release (a page looks one concept up).
    by_concept: dict[str, dict[str, ConceptChange]] = field(default_factory=dict)

    @property
    def versions(self) -> list[str]:
        return [r.version for r in self.releases]

    def get(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def previous(self, version: str) -> Release | None:
        at = self.versions.index(version)
        return self.releases[at - 1] if at > 0 else None

    def between(self, old: str, new: str) -> Diff:
        """The changes from release ``old`` to release ``new`` (both known)."""
        before, after = self.get(old), self.get(new)
        assert before is not None and after is not None
        return diff(before.snapshot, after.snapshot)

    def of_concept(self, iri: str) -> list[HistoryEntry]:
        """The releases ``iri`` appears in (and the one removing it), each with its change."""
        entries: list[HistoryEntry] = []
        for release in self.releases:
            change = self.by_concept[release.version].get(iri)
            if change is not None:
                entries.append(HistoryEntry(release, change.kind, change))
            elif release.has_concept(iri):
                entries.append(HistoryEntry(release, UNCHANGED, None))
        return entries

    def deprecated_in(self, iri: str) -> HistoryEntry | None:
        """The release that deprecated (or removed) ``iri``, if one did."""
        found = [e for e in self.of_concept(iri) if e.kind in (DEPRECATED, REMOVED)]
        return found[-1] if found else None


def _frozen(settings: Settings, releases: Store | None) -> dict[str, bytes]:
    """The frozen graphs of a release store: graph IRI → its N-Triples (none without a store)."""
    return {
        g: releases.dump(ox.RdfFormat.N_TRIPLES, g)  # type: ignore[union-attr]
        for g in frozen_graphs(settings, releases)
    }


def _release(settings: Settings, version: str, issued: str, frozen: dict[str, bytes]) -> Release:
    prefix = graph_iri(settings, "release", version) + "/"
    own = EmbeddedStore(None, base_iri=settings.base_iri)
    lines: list[bytes] = []
    for graph in sorted(g for g in frozen if g.startswith(prefix)):
        data = frozen[graph]
        # as the ontology was then: graph/ontology/<module>, which the page queries read
        module = graph_iri(settings, "ontology", graph[len(prefix) :])
        own.load(data, ox.RdfFormat.N_TRIPLES, graph=module)
        lines += data.split(b"\n")
    return Release(version, issued, own, Snapshot(version, frozenset(lines) - {b""}, tuple(lines)))


def load_history(store: Store, settings: Settings, releases: Store | None) -> History:
    """Every release listed in ``store`` whose frozen graphs the release store ``releases``
    holds (see the module docstring)."""
    rows = select(
        store,
        settings.queries_dir,
        "web/releases",
        graph=ox.NamedNode(graph_iri(settings, "releases")),
    )
    frozen = _frozen(settings, releases)
    history = History()
    previous = Snapshot("(none)")
    for row in rows:
        version = row["version"].value
        held = any(g.startswith(graph_iri(settings, "release", version) + "/") for g in frozen)
        if history.get(version) is not None or not held:
            continue  # twice listed, or not in the release store (a build made before it)
        release = _release(settings, version, row["issued"].value, frozen)
        history.releases.append(release)
        history.changelogs[version] = diff(previous, release.snapshot)
        history.by_concept[version] = {c.iri: c for c in history.changelogs[version].all()}
        previous = release.snapshot
    return history


class HistoryHolder:
    """The :class:`History` of the build served (keyed on its build id; the last two kept)."""

    KEEP = 2

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._held: dict[str, History] = {}

    def get(self, store: Store, build_id: str, releases: Store | None) -> History:
        with self._lock:
            found = self._held.get(build_id)
            if found is None:
                found = self._held[build_id] = load_history(store, self.settings, releases)
                while len(self._held) > self.KEEP:
                    del self._held[next(iter(self._held))]
            return found
