"""How the web app reaches the store.

The web process never writes. With the embedded backend it opens the *finished* build directory
that ``var/store`` points to read-only, and reopens when ``kgservice build`` swaps a new one in
(checked at most once a second). With a remote backend it talks HTTP.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from flask import current_app

from kgservice.config import Settings
from kgservice.errors import StoreError, StoreUnavailable
from kgservice.pipeline.swap import current_store_dir
from kgservice.store import Store
from kgservice.store.embedded import EmbeddedStore


class StoreHolder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._dir: Path | None = None
        self._checked = 0.0

    @property
    def store_dir(self) -> Path | None:
        return self._dir

    def get(self) -> Store:
        if self.settings.remote:
            if self._store is None:
                from kgservice.store import open_store

                self._store = open_store(self.settings)
            return self._store
        now = time.monotonic()
        if self._store is not None and now - self._checked < 1.0:
            return self._store
        with self._lock:
            self._checked = now
            target = current_store_dir(self.settings)
            if self._store is None or target != self._dir:
                self._store = self._open(target)
                self._dir = target
            return self._store

    def _open(self, target: Path | None) -> Store:
        """The finished build at ``target``, or :class:`StoreUnavailable` (503) naming the path
        for the operator's log only."""
        link = str(self.settings.store_path)
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
            return EmbeddedStore(target, read_only=True, base_iri=self.settings.base_iri)
        except (StoreError, RuntimeError) as exc:  # RuntimeError: pyoxigraph on a corrupt store
            raise StoreUnavailable(
                f"cannot open the store: {exc}; rebuild it with `kgservice build`",
                file=str(target),
                rule="store-unreadable",
            ) from exc


def get_store() -> Store:
    """The store for the current request."""
    return current_app.extensions["kg.store"].get()


def get_settings() -> Settings:
    return current_app.config["KG_SETTINGS"]
