"""The remote backend: any SPARQL 1.1 endpoint (Query, Update, Graph Store Protocol) over HTTP.

Parameters are never spliced in as text: they are sent as a ``VALUES`` block of the validated
terms (:func:`kgservice.store.binding.bind_values`). Where engines read the protocols
differently, a :class:`~kgservice.store.dialects.Dialect` says how (``KG_SPARQL_ENGINE``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import requests
from pyoxigraph import (
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    parse,
    parse_query_results,
    serialize,
)

from kgservice.errors import QueryError, QueryTimeout, StoreError
from kgservice.store.base import Bindings, Row, Store, to_bytes
from kgservice.store.binding import bind_values, strip_comments
from kgservice.store.dialects import OXIGRAPH, Dialect

_FORM = re.compile(
    r"\s*(?:(?:PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b",
    re.IGNORECASE,
)


def _graph_form(query: str) -> bool | None:
    """Whether ``query`` gives a graph (CONSTRUCT, DESCRIBE) or solutions (SELECT, ASK);
    ``None`` when its form cannot be read (the endpoint then decides)."""
    found = _FORM.match(strip_comments(query))
    if found is None:
        return None
    return found.group(1).upper() in ("CONSTRUCT", "DESCRIBE")


#: Seconds past its time limit this side still waits for an engine that stops a query itself
#: (the dialect's ``timeout_param``): its answer says why, a dropped connection does not.
ENGINE_ANSWER_GRACE_S = 5.0

#: A query's dataset as protocol parameters: (``default-graph-uri`` | ``named-graph-uri``, IRI).
Dataset = Sequence[tuple[str, str]]


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
        dialect: Dialect = OXIGRAPH,
        user: str = "",
        password: str = "",
    ) -> None:
        if base_iri:
            self.base_iri = base_iri
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint
        self.graph_store_endpoint = graph_store_endpoint
        self.timeout_s = timeout_s
        self.dialect = dialect
        self._http = session or requests.Session()
        self._auth: requests.auth.AuthBase | None = None
        if user:
            kind = (
                requests.auth.HTTPDigestAuth if dialect.digest_auth else requests.auth.HTTPBasicAuth
            )
            self._auth = kind(user, password)

    # -- reading -------------------------------------------------------------------------------
    def _post_query(
        self, query: str, accept: str, dataset: Dataset | None = None, timeout_s: float = 0
    ) -> requests.Response:
        """POST a query; without ``dataset`` the default graph is the union of the graphs
        (the dialect's parameters), with it exactly the graphs it names (a form-encoded body:
        the list may be too long for a URL)."""
        limit = timeout_s or self.timeout_s
        params = dict(self.dialect.query_params) if dataset is None else {}
        wait = limit
        if self.dialect.timeout_param:
            params[self.dialect.timeout_param] = str(int(limit * 1000))
            wait = limit + ENGINE_ANSWER_GRACE_S  # the engine's own "partial result" answer
        if dataset is None and not self.dialect.form_post:
            body: bytes | list[tuple[str, str]] = query.encode("utf-8")
            headers = {"Content-Type": "application/sparql-query", "Accept": accept}
        else:
            body = [("query", query), *(dataset or ())]
            headers = {"Accept": accept}
        try:
            resp = self._http.post(
                self.query_endpoint, params=params, data=body, headers=headers, timeout=wait
            )
        except requests.Timeout as exc:
            raise QueryTimeout(
                f"the query ran longer than {limit:g} s", rule="query-timeout"
            ) from exc
        except requests.RequestException as exc:
            raise StoreError(
                f"SPARQL endpoint unreachable: {exc}", file=self.query_endpoint
            ) from exc
        partial = self.dialect.partial_header
        if partial and resp.headers.get(partial[0]) == partial[1]:
            raise QueryTimeout(
                f"the query ran longer than {limit:g} s (the endpoint sent a partial result)",
                rule="query-timeout",
            )
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

    def _post_bound(self, query: str, bindings: Bindings | None, accept: str) -> requests.Response:
        """POST ``query`` with ``bindings`` as a VALUES block opening its WHERE group; where the
        engine's compiler fails on that placement (the dialect's ``values_at_end_error``), once
        more with the block closing the group."""
        try:
            return self._post_query(bind_values(query, bindings), accept)
        except QueryError as exc:
            marker = self.dialect.values_at_end_error
            if not (bindings and marker and marker in exc.message):
                raise
        return self._post_query(bind_values(query, bindings, at_end=True), accept)

    def _results(self, resp: requests.Response) -> QuerySolutions | QueryBoolean:
        body = self.dialect.fix_results_json(resp.content)
        result = parse_query_results(body, format=QueryResultsFormat.JSON)
        assert not isinstance(result, QueryTriples)
        return result

    def run(
        self, query: str, dataset: Dataset, *, graph_result: bool, timeout_s: float
    ) -> QuerySolutions | QueryBoolean | Iterator[Triple]:
        """Run a user's query on exactly the graphs ``dataset`` names, within ``timeout_s``
        (the ``/sparql`` endpoint over a remote store)."""
        accept = "application/n-triples" if graph_result else "application/sparql-results+json"
        resp = self._post_query(query, accept, dataset, timeout_s)
        if graph_result:
            return (q.triple for q in parse(resp.content, format=RdfFormat.N_TRIPLES))
        return self._results(resp)

    def query(self, query: str, bindings: Bindings | None = None) -> list[Row] | bool:
        resp = self._post_bound(query, bindings, "application/sparql-results+json")
        result = self._results(resp)
        if isinstance(result, QueryBoolean):
            return bool(result)
        assert isinstance(result, QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: sol[n] for n in names if sol[n] is not None} for sol in result]  # type: ignore[misc]

    def construct(self, query: str, bindings: Bindings | None = None) -> list[Triple]:
        resp = self._post_bound(query, bindings, "application/n-triples")
        return [q.triple for q in parse(resp.content, format=RdfFormat.N_TRIPLES)]

    def query_serialized(
        self,
        query: str,
        result_format: QueryResultsFormat | RdfFormat,
        bindings: Bindings | None = None,
    ) -> bytes:
        text = bind_values(query, bindings)
        graph_form = _graph_form(text)
        if graph_form is not None and graph_form != isinstance(result_format, RdfFormat):
            # refused here: Virtuoso writes a CONSTRUCT as a table, a SELECT as RDF
            raise QueryError(
                f"a {'graph' if graph_form else 'solutions'} query's result cannot be written "
                f"as {result_format.media_type}",
                rule="query-form",
            )
        if isinstance(result_format, QueryResultsFormat) and result_format.media_type != (
            QueryResultsFormat.JSON.media_type
        ):
            # through JSON, so the dialect's fixes hold for every result format
            json_resp = self._post_bound(query, bindings, QueryResultsFormat.JSON.media_type)
            return self._results(json_resp).serialize(format=result_format) or b""
        resp = self._post_bound(query, bindings, result_format.media_type)
        if isinstance(result_format, QueryResultsFormat):
            return self.dialect.fix_results_json(resp.content)
        return resp.content

    # -- writing -------------------------------------------------------------------------------
    def update(self, update: str) -> None:
        try:
            resp = self._http.post(
                self.update_endpoint,
                data=update.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
                timeout=self.timeout_s,
                auth=self._auth,
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
                auth=self._auth,
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

    def bulk_load(
        self, data: bytes | Path, fmt: RdfFormat, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        """The same POST as :meth:`load`: the protocol has no faster way, and the endpoint
        applies each request as one transaction (and checks the data: ``lenient`` is ignored)."""
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
        """The named graphs, without the ones the engine keeps for itself."""
        if self.dialect.graphs_by_count:
            return sorted(g for g in self.stats() if g != "total")
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        names = (str(r["g"].value) for r in rows)
        return sorted(g for g in names if not self.dialect.is_system_graph(g))

    def stats(self) -> dict[str, int]:
        counts = {g: n for g, n in super().stats().items() if not self.dialect.is_system_graph(g)}
        counts["total"] = sum(n for g, n in counts.items() if g != "total")
        return counts

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        if graph is None and not self.dialect.dumps_dataset:
            return self._dump_graph_by_graph(fmt)
        try:
            resp = self._http.get(
                self.graph_store_endpoint,
                params={"graph": graph} if graph else {},
                headers={"Accept": fmt.media_type},
                timeout=self.timeout_s,
                auth=self._auth,
            )
        except requests.RequestException as exc:
            raise StoreError(
                f"graph store unreachable: {exc}", file=self.graph_store_endpoint
            ) from exc
        if resp.status_code >= 300:
            raise StoreError(f"dump failed ({resp.status_code}): {resp.text[:500]}")
        return resp.content

    def _dump_graph_by_graph(self, fmt: RdfFormat) -> bytes:
        """The dataset as quads from one Graph Store ``GET`` per graph (an engine that cannot
        send the whole dataset at once)."""
        quads: list[Quad] = []
        for name in self.graphs():
            data = self.dump(RdfFormat.N_TRIPLES, name)
            graph = NamedNode(name)
            quads += (
                Quad(t.subject, t.predicate, t.object, graph)
                for t in parse(data, format=RdfFormat.N_TRIPLES)
            )
        return serialize(quads, format=fmt) or b""

    def close(self) -> None:
        self._http.close()
