"""The served build: the finished store the service answers from, opened read-only, and its version.

``kgservice build`` writes (:mod:`kgservice.pipeline.swap`): each build gets a directory
``var/stores/build-<id>/`` and, once finished, the store link ``var/store`` is pointed at it.
This module only reads: the link, the finished directory it points to, and the build id (the
directory's name). The build id is *the* version of the data: the label index, the indicator
service, the SPARQL workers' open store and every ``ETag`` key on it, so a new build is picked up
by every surface at the same moment.

A remote endpoint has no build directory to look at: its version is a hash of its per-graph
triple counts, re-read at most every :data:`REMOTE_VERSION_TTL_S` seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kgservice.config import Settings
from kgservice.errors import StoreError, StoreUnavailable
from kgservice.store.base import Store

#: How often a remote endpoint's version (its triple counts) is read again, at most.
REMOTE_VERSION_TTL_S = 10.0


#: The whole public dataset as gzip-compressed N-Quads, in a build directory beside the store
#: files (written by the build step ``dump``, :mod:`kgservice.pipeline.dump`; issue 16).
DUMP_FILE = "dump.nq.gz"


@dataclass(frozen=True)
class BuildVersion:
    """Which build the data comes from: ``id`` names it, ``built_at`` (Unix time) dates it."""

    id: str
    built_at: float

    @property
    def tag(self) -> str:
        """A short opaque token of the build id (for ``ETag`` values and exports)."""
        return hashlib.sha256(self.id.encode()).hexdigest()[:16]

    @property
    def modified(self) -> datetime:
        """``built_at`` in whole seconds, as HTTP's ``Last-Modified`` has it."""
        return datetime.fromtimestamp(self.built_at, tz=UTC).replace(microsecond=0)


def build_id(build_dir: Path) -> str:
    """The id of the build written to ``build_dir`` (the name the swap gave its directory)."""
    return build_dir.name


def build_version(build_dir: Path) -> BuildVersion:
    return BuildVersion(build_id(build_dir), build_dir.stat().st_mtime)


def served_dir(settings: Settings) -> Path | None:
    """The finished build the store link points to, or ``None`` before the first build."""
    link = settings.store_path
    if link.is_symlink():
        return link.resolve()
    if link.is_dir():
        return link  # a plain directory (e.g. made by hand); served as is
    return None


@dataclass(frozen=True)
class ServedBuild:
    """One build as served: its store, its version and (embedded backend) its directory."""

    store: Store
    version: BuildVersion
    directory: Path | None = None


def open_build(settings: Settings, target: Path | None) -> Store:
    """The finished build at ``target`` read-only, or :class:`StoreUnavailable` (503) naming the
    path for the operator only."""
    from kgservice.store.embedded import EmbeddedStore

    link = str(settings.store_path)
    if target is None:
        raise StoreUnavailable(
            "no store has been built yet: run `make serve` or `kgservice build`",
            file=link,
            rule="store-missing",
        )
    if not target.is_dir():
        raise StoreUnavailable(
            f"the store link points at {target}, which does not exist: run `kgservice build`",
            file=link,
            rule="store-missing",
        )
    try:
        return EmbeddedStore(target, read_only=True, base_iri=settings.base_iri)
    except (StoreError, RuntimeError) as exc:  # RuntimeError: pyoxigraph on a corrupt store
        raise StoreUnavailable(
            f"cannot open the store: {exc}; rebuild it with `kgservice build`",
            file=str(target),
            rule="store-unreadable",
        ) from exc


class ServedStore:
    """The build a process serves, followed to each new one.

    :meth:`current` reads the store link on every call (one ``readlink``) and opens a newly
    swapped-in build at once, so the very next caller after a swap gets the new build. A build
    once handed out is never closed here: callers still holding the previous one finish with it
    and it is released when the last reference goes.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._remote: ServedBuild | None = None  # a remote endpoint: opened once
        #: (the link's text when it was read, the build opened for it), replaced as one.
        self._opened: tuple[str | None, ServedBuild] | None = None
        self._remote_checked = 0.0

    def current(self) -> ServedBuild:
        if self.settings.remote:
            return self._current_remote()
        opened = self._opened
        if opened is not None and opened[0] == self._read_link():
            return opened[1]
        with self._lock:
            link = self._read_link()
            if self._opened is None or self._opened[0] != link:
                target = served_dir(self.settings)
                store = self._open(target)
                assert target is not None  # _open refuses a missing build
                self._opened = (link, ServedBuild(store, build_version(target), target))
            return self._opened[1]

    def _read_link(self) -> str | None:
        try:
            return os.readlink(self.settings.store_path)
        except OSError:  # no link yet, or a plain directory: served_dir decides
            return None

    def _open(self, target: Path | None) -> Store:
        return open_build(self.settings, target)

    def _current_remote(self) -> ServedBuild:
        served = self._remote
        if served is not None and time.monotonic() - self._remote_checked < REMOTE_VERSION_TTL_S:
            return served
        with self._lock:
            served = self._remote
            if (
                served is not None
                and time.monotonic() - self._remote_checked < REMOTE_VERSION_TTL_S
            ):
                return served  # another thread has just read it
            if served is None:
                from kgservice.store import open_store

                store = open_store(self.settings)
            else:
                store = served.store
            version = remote_version(store, served.version if served else None)
            if served is None or version is not served.version:
                served = self._remote = ServedBuild(store, version)
            self._remote_checked = time.monotonic()
            return served


def remote_version(store: Store, previous: BuildVersion | None = None) -> BuildVersion:
    """A remote endpoint's version: a hash of its per-graph triple counts. Unchanged data keeps
    ``previous`` (and so its date); changed data is dated now."""
    counts = json.dumps(store.stats(), sort_keys=True).encode()
    version_id = "remote-" + hashlib.sha256(counts).hexdigest()[:16]
    if previous is not None and previous.id == version_id:
        return previous
    return BuildVersion(version_id, time.time())


def open_served(settings: Settings) -> ServedBuild:
    """The build served now and its version, for a command that reads it once (``export``)."""
    return ServedStore(settings).current()


def served_store(settings: Settings) -> Store:
    """The store of the build served now, read-only (``kgservice query``); no version is read."""
    if settings.remote:
        from kgservice.store import open_store

        return open_store(settings)
    return open_build(settings, served_dir(settings))
