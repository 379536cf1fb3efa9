"""Indicator values for every level, computed once per data version and kept in memory.

The data version is the identity of the store build (the build directory the store link points
to, or for a remote endpoint a hash of its per-graph triple counts). It gives the ``ETag`` and
``Last-Modified`` of every view response and changes when ``kgservice build`` swaps in a new
store.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kgservice.config import Settings
from kgservice.indicators.areas import LEVEL_ORDER, Regions, load_regions
from kgservice.indicators.compute import Value, compute
from kgservice.indicators.enrich import enrich
from kgservice.indicators.registry import Indicator, Registry, load_registry
from kgservice.indicators.suppression import apply_complementary, apply_small_counts
from kgservice.store.base import Store

ByLevel = dict[str, dict[tuple[str, str], Value]]


@dataclass(frozen=True)
class DataVersion:
    tag: str  # opaque, used as the ETag
    modified: datetime  # Last-Modified


_REMOTE_VERSIONS: dict[int, tuple[float, DataVersion]] = {}
REMOTE_VERSION_TTL_S = 10.0


def data_version(store: Store) -> DataVersion:
    """The build directory for an embedded store; for a remote one a hash of its per-graph
    triple counts, re-read at most every :data:`REMOTE_VERSION_TTL_S` seconds."""
    path: Path | None = getattr(store, "path", None)
    if path is not None and path.exists():
        stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(microsecond=0)
        return DataVersion(hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16], stamp)
    cached = _REMOTE_VERSIONS.get(id(store))
    now = time.monotonic()
    if cached and now - cached[0] < REMOTE_VERSION_TTL_S:
        return cached[1]
    tag = hashlib.sha256(json.dumps(store.stats(), sort_keys=True).encode()).hexdigest()[:16]
    if cached and cached[1].tag == tag:
        version = cached[1]  # unchanged data keeps its Last-Modified
    else:
        version = DataVersion(tag, datetime.now(tz=UTC).replace(microsecond=0))
    _REMOTE_VERSIONS[id(store)] = (now, version)
    return version


class IndicatorService:
    """Registry, regions and (lazily) every indicator's values at every level."""

    def __init__(self, store: Store, settings: Settings, version: DataVersion | None = None):
        self.store = store
        self.settings = settings
        self.version = version or data_version(store)
        self.registry: Registry = load_registry(store, settings)
        self.regions: Regions = load_regions(store, settings)
        self._values: dict[str, ByLevel] = {}
        self._lock = threading.Lock()
        self.warm_thread: threading.Thread | None = None

    def values(self, ind: Indicator) -> ByLevel:
        """Values of ``ind`` at every level: computed, suppressed and enriched."""
        cached = self._values.get(ind.iri)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._values.get(ind.iri)
            if cached is None:
                cached = self._compute(ind)
                self._values[ind.iri] = cached
        return cached

    def _compute(self, ind: Indicator) -> ByLevel:
        by_level: ByLevel = {}
        published: dict[str, list] = {}
        for level in LEVEL_ORDER:
            values = compute(self.store, self.settings, self.regions, ind, level, published)
            apply_small_counts(ind, values)
            by_level[level] = values
        apply_complementary(ind, by_level, self.regions)
        enrich(by_level)
        return by_level

    def warm(self) -> None:
        """Compute every indicator now (the web app does this in the background after a
        build is swapped in, so the first visitor of a view does not wait for the queries)."""
        for ind in list(self.registry.indicators.values()):
            try:
                self.values(ind)
            except Exception:  # noqa: BLE001 - a store closed under us; requests recompute
                return

    def periods(self, ind: Indicator) -> list[str]:
        return sorted({p for values in self.values(ind).values() for (_a, p) in values})


_services: dict[tuple[int, str], IndicatorService] = {}
_services_lock = threading.Lock()


def service_for(store: Store, settings: Settings, *, warm: bool = False) -> IndicatorService:
    """The cached service for this store and data version (a new build gets a new one).

    ``warm`` starts computing every indicator in a background thread.
    """
    version = data_version(store)
    key = (id(store), version.tag)
    svc = _services.get(key)
    if svc is None:
        with _services_lock:
            svc = _services.get(key)
            if svc is None:
                for old in [k for k in _services if k[0] == id(store)]:
                    del _services[old]
                svc = _services[key] = IndicatorService(store, settings, version)
                if warm:
                    svc.warm_thread = threading.Thread(
                        target=svc.warm, name="indicators-warm", daemon=True
                    )
                    svc.warm_thread.start()
    return svc
