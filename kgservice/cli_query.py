"""The ``kgservice query`` command: free or named SPARQL against the configured store."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, QueryResultsFormat, RdfFormat, serialize

from kgservice.config import Settings
from kgservice.errors import QueryError
from kgservice.queries import load_query
from kgservice.store.base import Term
from kgservice.store.served import served_store

_FORMATS = {
    "json": QueryResultsFormat.JSON,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "xml": QueryResultsFormat.XML,
}


def parse_param(text: str) -> tuple[str, Term]:
    """``VAR=<iri>`` binds an IRI, ``VAR=value`` a plain literal. Bad IRIs are refused."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise QueryError(f"parameter {text!r} is not VAR=VALUE", rule="query-parameter")
    name = name.lstrip("?")
    if value.startswith("<") and value.endswith(">"):
        try:
            return name, NamedNode(value[1:-1])
        except ValueError as exc:
            raise QueryError(f"invalid IRI {value}: {exc}", rule="query-parameter") from exc
    return name, Literal(value)


def run_query_command(
    settings: Settings,
    query: str | None,
    file_: Path | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
) -> str:
    bindings = dict(parse_param(p) for p in params)
    if name:
        nq = load_query(name, settings.queries_dir)
        nq.check_bindings(bindings)
        text = nq.text
    elif file_:
        text = file_.read_text(encoding="utf-8")
    elif query:
        text = query
    else:
        raise QueryError("give a query, --file or --name", rule="query-missing")
    with served_store(settings) as store:
        if name:
            text = store.rebase_query(text)
        try:
            if fmt != "table":
                return store.query_serialized(text, _FORMATS[fmt], bindings).decode("utf-8")
            result = store.query(text, bindings)
        except QueryError as exc:
            if exc.rule != "query-form":
                raise
            # CONSTRUCT / DESCRIBE: a graph, printed as Turtle whatever the table format.
            triples = store.construct(text, bindings)
            return (serialize(triples, format=RdfFormat.TURTLE) or b"").decode("utf-8")
    if isinstance(result, bool):
        return ("true" if result else "false") + "\n"
    return _table(result)


def _table(rows) -> str:
    names = sorted({k for r in rows for k in r})
    if not names:
        return "(no rows)\n"
    cells = [[_show(r.get(n)) for n in names] for r in rows]
    widths = [max(len(n), *(len(c[i]) for c in cells)) for i, n in enumerate(names)]
    line = " | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "-+-".join("-" * w for w in widths)]
    out += [" | ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    out.append(f"({len(rows)} rows)")
    return "\n".join(out) + "\n"


def _show(term) -> str:
    if term is None:
        return ""
    return str(term.value)
