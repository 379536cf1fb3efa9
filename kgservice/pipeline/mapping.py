"""The mapping engine: rows → a tiny RDF "row graph" → one SPARQL CONSTRUCT per batch (Oxigraph).

A mapping template (``mappings/**/*.rq``) is a CONSTRUCT whose WHERE clause reads rows::

    PREFIX col: <urn:x-rake:col:>
    CONSTRUCT { ?region skos:notation ?kuntanumero . }
    WHERE { ?row col:kuntanumero ?kuntanumero . BIND(IRI(CONCAT(...)) AS ?region) }

Each row is a node ``?row``; each non-empty cell is a triple ``?row col:<column> "cell"`` (string
literals, or typed terms when the caller normalised them); ``col:_line`` is the row's line number.
Empty cells are simply absent, so ``OPTIONAL`` handles them. Template parameters declared in the
header (``# @param ?dataset iri ...``) are bound as terms by the store layer's ``VALUES`` block of
validated terms (:func:`kgservice.store.remote.bind_values`) — never spliced as text.

Why a row graph and not one query per row with ``substitutions``: one CONSTRUCT per batch of
rows lets Oxigraph do the work in one pass (measured in ``bench/mapping.py``: the per-row variant
is an order of magnitude slower on the bundled data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat

from kgservice.errors import BuildError, QueryError
from kgservice.namespaces import XSD
from kgservice.queries import NamedQuery, parse_header
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.remote import bind_values

COL = "urn:x-rake:col:"
ROW = "urn:x-rake:row:"
_COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
XSD_INTEGER = NamedNode(XSD + "integer")

BATCH_ROWS = 20_000


def load_template(path: Path) -> NamedQuery:
    if not path.is_file():
        raise BuildError("mapping template is missing", file=str(path), rule="mapping-template")
    query = parse_header(str(path.stem), path, path.read_text(encoding="utf-8"))
    if not query.purpose:
        raise BuildError(
            "mapping template needs a '# Purpose:' header",
            file=str(path),
            line=1,
            rule="mapping-header",
        )
    return query


def column_predicate(name: str) -> NamedNode:
    if not _COLUMN_NAME.match(name):
        raise BuildError(
            f"column name {name!r} cannot be a template variable: rename it in the spec",
            rule="mapping-column-name",
        )
    return NamedNode(COL + name)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _term(cell: str | Literal | NamedNode) -> str:
    if isinstance(cell, str):
        return '"' + cell.translate(_ESCAPES) + '"'
    return str(cell)  # pyoxigraph terms print as N-Triples


def row_graph(rows: Iterable[tuple[int, Mapping[str, Any]]], *, with_line: bool = True) -> bytes:
    """The row graph as N-Triples: ``<urn:x-rake:row:N> col:<column> cell`` per non-empty cell."""
    predicates: dict[str, str] = {}
    lines: list[str] = []
    for n, (line, cells) in enumerate(rows):
        node = f"<{ROW}{n}>"
        if with_line:
            lines.append(f'{node} <{COL}_line> "{line}"^^<{XSD_INTEGER.value}> .')
        for name, cell in cells.items():
            if cell is None or cell == "":
                continue
            p = predicates.get(name)
            if p is None:
                p = predicates[name] = str(column_predicate(name))
            lines.append(f"{node} {p} {_term(cell)} .")
    lines.append("")
    return "\n".join(lines).encode("utf-8")


def run_template(
    template: NamedQuery,
    rows: Sequence[tuple[int, Mapping[str, Any]]],
    bindings: Mapping[str, NamedNode | Literal] | None = None,
    *,
    batch: int = BATCH_ROWS,
) -> bytes:
    """Run ``template`` over ``rows`` in batches; the constructed triples as N-Triples bytes."""
    bindings = dict(bindings or {})
    template.check_bindings(bindings)
    # Always a VALUES block of the validated terms: pyoxigraph's substitutions do not reach
    # variables that a CONSTRUCT uses inside BIND expressions.
    text = bind_values(template.text, bindings)
    out: list[bytes] = []
    for start in range(0, max(len(rows), 1), batch):
        store = EmbeddedStore()  # in memory
        graph = row_graph(rows[start : start + batch], with_line="col:_line" in template.text)
        store.load(graph, RdfFormat.N_TRIPLES)
        try:
            out.append(store.query_serialized(text, RdfFormat.N_TRIPLES))
        except QueryError as exc:
            raise BuildError(
                f"mapping template failed: {exc.message}",
                file=str(template.path),
                rule=exc.rule or "mapping-template",
            ) from exc
        finally:
            store.close()
    return b"".join(out)
