"""The remote backend: any SPARQL 1.1 endpoint (Query, Update, Graph Store Protocol) over HTTP.

Parameters are never spliced in as text: they are sent as a ``VALUES`` block of the validated
terms (:func:`kgservice.store.binding.bind_values`).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import requests
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
)

from kgservice.errors import QueryError, StoreError
from kgservice.store.base import Bindings, Row, Store, to_bytes
from kgservice.store.binding import bind_values


class RemoteStore(Store):
    """A SPARQL 1.1 endpoint, e.g. ``oxigraph serve`` (``/query``, ``/update``, ``/store``)."""

    def __init__(
        self,
        query_endpoint: str,
        update_endpoint: str,
        graph_store_endpoint: str,
        *,
        timeout_s: float = 120.0,
        session: requests.Session | None = None,
        base_iri: str | None = None,
    ) -> None:
        if base_iri:
            self.base_iri = base_iri
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint
        self.graph_store_endpoint = graph_store_endpoint
        self.timeout_s = timeout_s
        self._http = session or requests.Session()

    # -- reading -------------------------------------------------------------------------------
    def _post_query(self, query: str, accept: str) -> requests.Response:
        try:
            resp = self._http.post(
                self.query_endpoint,
                params={"union-default-graph": ""},
                data=query.encode("utf-8"),
                headers={"Content-Type": "application/sparql-query", "Accept": accept},
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise StoreError(
                f"SPARQL endpoint unreachable: {exc}", file=self.query_endpoint
            ) from exc
        if resp.status_code == 406:
            raise QueryError(
                f"the endpoint cannot write this query's result as {accept}", rule="query-form"
            )
        if resp.status_code == 400:
            raise QueryError(
                f"endpoint rejected the query: {resp.text[:500]}", rule="sparql-syntax"
            )
        if resp.status_code >= 300:
            raise StoreError(
                f"SPARQL endpoint answered {resp.status_code}: {resp.text[:500]}",
                file=self.query_endpoint,
            )
        return resp

    def query(self, query: str, bindings: Bindings | None = None) -> list[Row] | bool:
        resp = self._post_query(bind_values(query, bindings), "application/sparql-results+json")
        result = parse_query_results(resp.content, format=QueryResultsFormat.JSON)
        if isinstance(result, QueryBoolean):
            return bool(result)
        assert isinstance(result, QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in result]  # type: ignore[misc]

    def construct(self, query: str, bindings: Bindings | None = None) -> list[Triple]:
        resp = self._post_query(bind_values(query, bindings), "application/n-triples")
        return [q.triple for q in parse(resp.content, format=RdfFormat.N_TRIPLES)]

    def query_serialized(
        self,
        query: str,
        result_format: QueryResultsFormat | RdfFormat,
        bindings: Bindings | None = None,
    ) -> bytes:
        return self._post_query(bind_values(query, bindings), result_format.media_type).content

    # -- writing -------------------------------------------------------------------------------
    def update(self, update: str) -> None:
        try:
            resp = self._http.post(
                self.update_endpoint,
                data=update.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise StoreError(
                f"update endpoint unreachable: {exc}", file=self.update_endpoint
            ) from exc
        if resp.status_code >= 300:
            raise StoreError(f"update failed ({resp.status_code}): {resp.text[:500]}")

    def _gsp(
        self, method: str, graph: str | None, data: bytes | BinaryIO | None, fmt: RdfFormat | None
    ):
        params = {"graph": graph} if graph else {"default": ""}
        headers = {"Content-Type": fmt.media_type} if fmt else {}
        try:
            resp = self._http.request(
                method,
                self.graph_store_endpoint,
                params=params,
                data=data,
                headers=headers,
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise StoreError(
                f"graph store unreachable: {exc}", file=self.graph_store_endpoint
            ) from exc
        return resp

    def load(self, data: bytes | Path, fmt: RdfFormat, graph: str | None = None) -> None:
        """The Graph Store Protocol's POST: the triples are merged into ``graph``."""
        if isinstance(data, Path):
            with data.open("rb") as body:  # streamed, not read into memory
                resp = self._gsp("POST", graph, body, fmt)
        else:
            resp = self._gsp("POST", graph, data, fmt)
        if resp.status_code >= 300:
            name = str(data) if isinstance(data, Path) else None
            raise StoreError(f"load failed ({resp.status_code}): {resp.text[:500]}", file=name)

    def bulk_load(self, data: bytes | Path, fmt: RdfFormat, graph: str | None = None) -> None:
        """The same POST as :meth:`load`: the protocol has no faster way, and the endpoint
        applies each request as one transaction."""
        self.load(data, fmt, graph)

    def replace_graph(self, graph: str, data: bytes | Path, fmt: RdfFormat) -> None:
        resp = self._gsp("PUT", graph, to_bytes(data), fmt)
        if resp.status_code >= 300:
            raise StoreError(f"replace of <{graph}> failed ({resp.status_code}): {resp.text[:500]}")

    def drop_graph(self, graph: str) -> None:
        resp = self._gsp("DELETE", graph, None, None)
        if resp.status_code >= 300 and resp.status_code != 404:
            raise StoreError(f"drop of <{graph}> failed ({resp.status_code}): {resp.text[:500]}")

    def graphs(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"].value) for r in rows)

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        try:
            resp = self._http.get(
                self.graph_store_endpoint,
                params={"graph": graph} if graph else {},
                headers={"Accept": fmt.media_type},
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise StoreError(
                f"graph store unreachable: {exc}", file=self.graph_store_endpoint
            ) from exc
        if resp.status_code >= 300:
            raise StoreError(f"dump failed ({resp.status_code}): {resp.text[:500]}")
        return resp.content

    def close(self) -> None:
        self._http.close()
