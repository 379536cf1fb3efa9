"""The mapping engine: rows → a tiny RDF "row graph" → one SPARQL CONSTRUCT per batch (Oxigraph).

A mapping template (``mappings/**/*.rq``) is a CONSTRUCT whose WHERE clause reads rows::

    PREFIX col: <urn:x-rake:col:>
    CONSTRUCT { ?region skos:notation ?kuntanumero . }
    WHERE { ?row col:kuntanumero ?kuntanumero . BIND(IRI(CONCAT(...)) AS ?region) }

Each row is a node ``?row``; each non-empty cell is a triple ``?row col:<column> "cell"`` (string
literals, or typed terms when the caller normalised them); ``col:_line`` is the row's line number.
Empty cells are simply absent, so ``OPTIONAL`` handles them. Template parameters declared in the
header (``# @param ?dataset iri ...``) are bound with pyoxigraph substitutions — a template is never
assembled from strings.

Why a row graph and not one query per row with ``substitutions``: one CONSTRUCT per batch of
rows lets Oxigraph do the work in one pass (measured in ``bench/mapping.py``: the per-row variant
is an order of magnitude slower on the bundled data).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, QueryTriples, Store, Triple, Variable

from kgservice.errors import BuildError
from kgservice.queries import NamedQuery, parse_header

COL = "urn:x-rake:col:"
ROW = "urn:x-rake:row:"
_COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")

Cell = str | Literal | NamedNode | None
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


def row_quads(rows: Iterable[tuple[int, Mapping[str, Cell]]]) -> Iterable[Quad]:
    """The row graph: ``<urn:x-rake:row:N> col:<column> cell`` for every non-empty cell."""
    predicates: dict[str, NamedNode] = {}
    line_p = NamedNode(COL + "_line")
    for n, (line, cells) in enumerate(rows):
        node = NamedNode(f"{ROW}{n}")
        yield Quad(node, line_p, Literal(str(line), datatype=XSD_INTEGER))
        for name, cell in cells.items():
            if cell is None or cell == "":
                continue
            p = predicates.get(name)
            if p is None:
                p = predicates[name] = column_predicate(name)
            term = Literal(cell) if isinstance(cell, str) else cell
            yield Quad(node, p, term)


def run_template(
    template: NamedQuery,
    rows: list[tuple[int, Mapping[str, Cell]]],
    bindings: Mapping[str, NamedNode | Literal] | None = None,
    *,
    batch: int = BATCH_ROWS,
) -> list[Triple]:
    """Run ``template`` over ``rows`` in batches; the union of the constructed triples."""
    bindings = dict(bindings or {})
    template.check_bindings(bindings)
    subs = {Variable(k): v for k, v in bindings.items()}
    out: list[Triple] = []
    for start in range(0, max(len(rows), 1), batch):
        store = Store()
        store.bulk_extend(row_quads(rows[start : start + batch]))
        try:
            result = store.query(template.text, substitutions=subs)
        except SyntaxError as exc:
            raise BuildError(
                f"SPARQL syntax error in mapping: {exc}",
                file=str(template.path),
                rule="sparql-syntax",
            ) from exc
        if not isinstance(result, QueryTriples):
            raise BuildError(
                "a mapping template must be a CONSTRUCT query",
                file=str(template.path),
                rule="mapping-form",
            )
        out.extend(result)
    return out
