"""The embedded backend: a pyoxigraph ``Store`` on disk (or in memory when no path is given)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, cast

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Triple,
    Variable,
)
from pyoxigraph import Store as OxStore

from kgservice.errors import QueryError, StoreError
from kgservice.store.base import (
    BinaryOutput,
    Bindings,
    Row,
    Store,
    check_binding_names,
    to_bytes,
)
from kgservice.store.binding import bind_values

#: Query texts remembered as needing VALUES binding, at most (project queries are a few dozen).
_MAX_REMEMBERED = 1000


class EmbeddedStore(Store):
    """pyoxigraph on disk. One process may hold a directory for writing; readers use read_only."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        read_only: bool = False,
        base_iri: str | None = None,
        staged: bool = False,
    ) -> None:
        self.path = path
        #: Held in memory until :meth:`persist` writes it to ``path`` (a build being staged).
        self.staged = staged
        self.read_only = read_only
        #: Query texts whose parameters pyoxigraph cannot substitute (bound with VALUES instead).
        self._values_queries: set[str] = set()
        if base_iri:
            self.base_iri = base_iri
        try:
            if path is None or staged:
                self._ox = OxStore()
            elif read_only:
                self._ox = OxStore.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._ox = OxStore(str(path))
        except OSError as exc:
            raise StoreError(f"cannot open store: {exc}", file=str(path)) from exc

    def _run(self, query: str, bindings: Bindings | None):
        check_binding_names(bindings)
        subs: dict[Variable, NamedNode | BlankNode | Literal | Triple] = {
            Variable(k): v for k, v in (bindings or {}).items()
        }
        try:
            if subs and query in self._values_queries:
                return self._ox.query(bind_values(query, bindings), use_default_graph_as_union=True)
            try:
                return self._ox.query(query, substitutions=subs, use_default_graph_as_union=True)
            except RuntimeError:
                # pyoxigraph's substitution (SEP-0007) only binds variables a SELECT projects.
                # Bind the others like the remote backend does: the same validated terms in a
                # VALUES block opening the WHERE group. Remembered per query text (the project's
                # .rq files), so the failing attempt is not paid again on every call.
                if not subs:
                    raise
                result = self._ox.query(
                    bind_values(query, bindings), use_default_graph_as_union=True
                )
                if len(self._values_queries) < _MAX_REMEMBERED:
                    self._values_queries.add(query)
                return result
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}", rule="sparql-syntax") from exc
        except OSError as exc:
            raise StoreError(f"query failed: {exc}") from exc
        except RuntimeError as exc:
            raise QueryError(f"query failed: {exc}", rule="sparql-evaluation") from exc

    def query(self, query: str, bindings: Bindings | None = None) -> list[Row] | bool:
        result = self._run(query, bindings)
        if isinstance(result, QueryBoolean):
            return bool(result)
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            rows: list[Row] = []
            for sol in result:
                row: Row = {}
                for n in names:
                    value = sol[n]
                    if value is not None:
                        row[n] = value  # type: ignore[assignment]
                rows.append(row)
            return rows
        raise QueryError("expected a SELECT or ASK query", rule="query-form")

    def construct(self, query: str, bindings: Bindings | None = None) -> list[Triple]:
        result = self._run(query, bindings)
        if not isinstance(result, QueryTriples):
            raise QueryError("expected a CONSTRUCT or DESCRIBE query", rule="query-form")
        return list(result)

    def query_serialized(
        self,
        query: str,
        result_format: QueryResultsFormat | RdfFormat,
        bindings: Bindings | None = None,
    ) -> bytes:
        result = self._run(query, bindings)
        graph_result = isinstance(result, QueryTriples)
        if graph_result != isinstance(result_format, RdfFormat):
            kind = "a graph (CONSTRUCT/DESCRIBE)" if graph_result else "solutions or a boolean"
            raise QueryError(
                f"the query returns {kind}, which cannot be written as {result_format.name}",
                rule="query-form",
            )
        out = result.serialize(format=result_format)  # type: ignore[union-attr, arg-type]
        return out or b""

    def update(self, update: str) -> None:
        try:
            self._ox.update(update)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL Update syntax error: {exc}", rule="sparql-syntax") from exc

    def load(self, data: bytes | Path, fmt: RdfFormat, graph: str | None = None) -> None:
        self._load(self._ox.load, data, fmt, graph)

    def bulk_load(
        self,
        data: bytes | Path | IO[bytes],
        fmt: RdfFormat,
        graph: str | None = None,
        *,
        lenient: bool = False,
    ) -> None:
        """pyoxigraph's bulk loader: fast and not transactional, for a fresh store being built.
        ``data`` may be an open binary stream (e.g. a gzip file), read without holding it all;
        ``lenient`` data (written by pyoxigraph) are not checked again."""
        self._load(self._ox.bulk_load, data, fmt, graph, lenient)

    @staticmethod
    def _load(
        load, data: bytes | Path | IO[bytes], fmt: RdfFormat, graph: str | None, lenient=False
    ) -> None:
        target = NamedNode(graph) if graph else None
        try:
            if isinstance(data, Path):
                load(path=str(data), format=fmt, to_graph=target, lenient=lenient)
            else:
                load(data, format=fmt, to_graph=target, lenient=lenient)
        except SyntaxError as exc:
            name = str(data) if isinstance(data, Path) else None
            raise StoreError(f"cannot parse RDF: {exc}", file=name, rule="rdf-syntax") from exc

    def replace_graph(self, graph: str, data: bytes | Path, fmt: RdfFormat) -> None:
        node = NamedNode(graph)
        if self._ox.contains_named_graph(node):
            self._ox.clear_graph(node)
        self.load(to_bytes(data), fmt, graph)

    def drop_graph(self, graph: str) -> None:
        node = NamedNode(graph)
        if self._ox.contains_named_graph(node):
            self._ox.remove_graph(node)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._ox.named_graphs())

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        if graph is None:
            return self._ox.dump(format=fmt) or b""
        return self._ox.dump(format=fmt, from_graph=NamedNode(graph)) or b""

    def dump_to(self, output: BinaryOutput, fmt: RdfFormat, graph: str | None = None) -> None:
        """Streamed by pyoxigraph's serialiser into ``output`` in chunks (``output`` needs
        ``write`` and ``flush``: all pyoxigraph calls)."""
        stream = cast(IO[bytes], output)
        if graph is None:
            self._ox.dump(stream, format=fmt)
        else:
            self._ox.dump(stream, format=fmt, from_graph=NamedNode(graph))

    def persist(self) -> int:
        """Write a staged (in-memory) store to its directory with one bulk load; the quads
        written.

        The directory must hold no store yet: a build's fresh directory. Every quad is copied as
        it is, blank nodes with their labels; the staged copy stays readable here.
        """
        if not self.staged or self.path is None:
            raise StoreError("only a staged store with a directory can be persisted")
        self.path.mkdir(parents=True, exist_ok=True)
        disk = OxStore(str(self.path))
        disk.bulk_extend(self._ox)
        disk.flush()
        quads = len(disk)
        del disk
        return quads

    def flush(self) -> None:
        self._ox.flush()

    def close(self) -> None:
        # pyoxigraph releases the directory when the object is collected.
        if hasattr(self, "_ox"):
            if not self.read_only:
                self._ox.flush()
            del self._ox
