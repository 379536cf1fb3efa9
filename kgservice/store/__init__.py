"""The only code that talks to a triple store.

:func:`open_store` returns an :class:`~kgservice.store.base.Store` for the configured backend:
the embedded pyoxigraph store on disk (default) or a remote SPARQL 1.1 endpoint.
"""

from __future__ import annotations

from kgservice.config import Settings
from kgservice.store.base import Bindings, Row, Store, Term

__all__ = ["Bindings", "Row", "Store", "Term", "open_store"]


def open_store(settings: Settings) -> Store:
    """Open the store the settings name (the embedded one for writing; to read the build being
    served, see :mod:`kgservice.store.served`)."""
    if settings.remote:
        from kgservice.store.dialects import DIALECTS
        from kgservice.store.remote import RemoteStore

        return RemoteStore(
            query_endpoint=settings.sparql_endpoint,
            update_endpoint=settings.update_endpoint,
            graph_store_endpoint=settings.store_endpoint,
            base_iri=settings.base_iri,
            dialect=DIALECTS[settings.sparql_engine],
            user=settings.sparql_user,
            password=settings.sparql_password,
        )
    from kgservice.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.store_path, base_iri=settings.base_iri)
