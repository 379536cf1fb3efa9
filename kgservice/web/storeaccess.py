"""How a request reaches the store: the served build, read once per request.

The web process never writes. :class:`~kgservice.store.served.ServedStore` (in
``app.extensions["kg.store"]``) opens the finished build the store link points to read-only and
follows each new one. A request takes the build once, on first use, and every surface it touches
— store, label index, indicator service, SPARQL worker, ``ETag`` — answers from that same build.
"""

from __future__ import annotations

from flask import current_app, g

from kgservice.config import Settings
from kgservice.store import Store
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import ServedBuild


def served_build() -> ServedBuild:
    """The build serving the current request (the same one for the whole request)."""
    found: ServedBuild | None = g.get("kg_served")
    if found is None:
        found = g.kg_served = current_app.extensions["kg.store"].current()
    return found


def get_store() -> Store:
    """The store for the current request."""
    return served_build().store


def get_settings() -> Settings:
    return current_app.config["KG_SETTINGS"]


def release_store() -> EmbeddedStore | None:
    """The release store of the build serving the current request (:mod:`kgservice.store.releases`;
    ``None`` for a build made before there was one)."""
    return current_app.extensions["kg.releases"].get(served_build())
