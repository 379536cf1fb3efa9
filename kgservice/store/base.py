"""The store interface. Both backends return the same plain rows of pyoxigraph terms."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, QueryResultsFormat, RdfFormat, Triple

from kgservice.config import CANONICAL_BASE_IRI
from kgservice.errors import BuildError, QueryError

Term = NamedNode | Literal | BlankNode
#: Query parameters: variable name (without ``?``) → term.
Bindings = Mapping[str, Term]
#: One solution of a SELECT query: variable name → term (unbound variables are absent).
Row = dict[str, Term]


class BinaryOutput(Protocol):
    """Where :meth:`Store.dump_to` writes: a binary file, a gzip stream, a filter."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_binding_names(bindings: Bindings | None) -> None:
    """Refuse parameter names that are not plain SPARQL variable names (both backends)."""
    for name in bindings or {}:
        if not _VAR.match(name):
            raise QueryError(f"invalid variable name {name!r}", rule="query-parameter")


class Store(ABC):
    """A quad store that answers SPARQL. Data lives in named graphs; queries see their union."""

    #: The namespace the data in this store was built under (``Settings.base_iri``).
    base_iri: str = CANONICAL_BASE_IRI
    #: The directory holding the data (embedded backend on disk); ``None`` for a store in memory
    #: or a remote endpoint.
    path: Path | None = None

    def rebase_query(self, text: str) -> str:
        """Move the canonical namespace in a project query (``queries/*.rq``) to this store's.

        The ``.rq`` files are written in the canonical namespace, like the sources; a deployment
        with another ``KG_BASE_IRI`` has its data rebased at build time, so its project queries
        must be too. Only trusted project text passes through here — never user input.
        """
        if self.base_iri == CANONICAL_BASE_IRI:
            return text
        return text.replace("<" + CANONICAL_BASE_IRI, "<" + self.base_iri)

    @abstractmethod
    def query(self, query: str, bindings: Bindings | None = None) -> list[Row] | bool:
        """Run a SELECT (→ rows) or ASK (→ bool) query; ``bindings`` are substituted safely."""

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        result = self.query(query, bindings)
        if isinstance(result, bool):
            raise QueryError("expected a SELECT query, got ASK", rule="query-form")
        return result

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        result = self.query(query, bindings)
        if not isinstance(result, bool):
            raise QueryError("expected an ASK query, got SELECT", rule="query-form")
        return result

    @abstractmethod
    def construct(self, query: str, bindings: Bindings | None = None) -> list[Triple]:
        """Run a CONSTRUCT or DESCRIBE query."""

    @abstractmethod
    def query_serialized(
        self,
        query: str,
        result_format: QueryResultsFormat | RdfFormat,
        bindings: Bindings | None = None,
    ) -> bytes:
        """Run any read query and return its result serialised (for the SPARQL endpoint)."""

    @abstractmethod
    def update(self, update: str) -> None:
        """Run a SPARQL 1.1 Update."""

    @abstractmethod
    def load(self, data: bytes | Path, fmt: RdfFormat, graph: str | None = None) -> None:
        """Add RDF (bytes or a file) to ``graph`` (the default graph when ``None``)."""

    @abstractmethod
    def bulk_load(
        self, data: bytes | Path, fmt: RdfFormat, graph: str | None = None, *, lenient: bool = False
    ) -> None:
        """Add RDF as fast as the backend can, without a transaction: for a store nobody reads
        yet (a build stages in a fresh one). ``lenient``: the data were written by pyoxigraph
        itself (a CONSTRUCT result, a store's dump), so the embedded backend does not check its
        IRIs and language tags again."""

    @abstractmethod
    def replace_graph(self, graph: str, data: bytes | Path, fmt: RdfFormat) -> None:
        """Replace the whole content of the named graph ``graph``."""

    @abstractmethod
    def drop_graph(self, graph: str) -> None:
        """Remove the named graph ``graph`` if it exists."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """IRIs of the named graphs, sorted."""

    @abstractmethod
    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        """Serialise one graph, or the whole dataset when ``graph`` is ``None`` (quad format)."""

    def dump_to(self, output: BinaryOutput, fmt: RdfFormat, graph: str | None = None) -> None:
        """:meth:`dump` written into the binary stream ``output`` (the embedded backend streams
        it there without holding the whole serialisation in memory)."""
        output.write(self.dump(fmt, graph))

    def stats(self) -> dict[str, int]:
        """Triples per named graph (keyed by graph IRI), plus ``"total"``."""
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        counts = {str(r["g"].value): int(r["n"].value) for r in rows}
        counts["total"] = sum(counts.values())
        return counts

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (file locks, sessions)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def to_bytes(data: bytes | Path) -> bytes:
    return data.read_bytes() if isinstance(data, Path) else data


def as_quads(ntriples: bytes, graph: str) -> bytes:
    """One graph's N-Triples (as the store writes them: one ``<s> <p> <o> .`` a line) as N-Quads
    lines in ``graph``. N-Triples escapes a line break inside a literal, so every ``" .\\n"`` ends
    a statement: one replace, without splitting a million lines in Python."""
    if not ntriples:
        return b""
    if not ntriples.endswith(b" .\n") or ntriples.startswith(b"#"):
        raise BuildError(f"unexpected N-Triples output for <{graph}>", rule="dump")
    out = ntriples.replace(b" .\n", f" <{graph}> .\n".encode())
    if out.count(b"\n") != ntriples.count(b" .\n"):
        raise BuildError(f"unexpected N-Triples line in <{graph}>", rule="dump")
    return out
