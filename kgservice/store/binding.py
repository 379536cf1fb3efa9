"""Binding validated terms into a query's text: a ``VALUES`` block, never spliced strings.

The pyoxigraph terms (built and validated at the edge) are serialised in N-Triples syntax into a
``VALUES`` block placed at the start of the query's outermost ``WHERE`` group, which binds them
before anything else in the group is evaluated: the same effect as pyoxigraph's ``substitutions``
for the queries in ``queries/``. Used by the remote backend (every bound query), the embedded one
(variables a ``SELECT`` does not project, which ``substitutions`` cannot reach) and the mapping
engine (template parameters inside ``BIND``).

Depends only on the store interface (:mod:`kgservice.store.base`): every layer that runs SPARQL
may use it.
"""

from __future__ import annotations

import re

from kgservice.errors import QueryError
from kgservice.store.base import Bindings, check_binding_names


def strip_comments(query: str) -> str:
    """Blank out ``#`` comments outside IRIs and strings, keeping offsets unchanged."""
    out = []
    i, n = 0, len(query)
    in_str: str | None = None
    in_iri = False
    while i < n:
        c = query[i]
        if in_str:
            if c == "\\":
                out.append(query[i : i + 2])
                i += 2
                continue
            if query.startswith(in_str, i):
                out.append(in_str)
                i += len(in_str)
                in_str = None
                continue
        elif in_iri:
            in_iri = c != ">"
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:]):
            in_iri = True
        elif c in "\"'":
            in_str = query[i : i + 3] if query.startswith(c * 3, i) else c
            out.append(in_str)
            i += len(in_str)
            continue
        elif c == "#":
            end = query.find("\n", i)
            end = n if end == -1 else end
            out.append(" " * (end - i))
            i = end
            continue
        out.append(c)
        i += 1
    return "".join(out)


def bind_values(query: str, bindings: Bindings | None, *, at_end: bool = False) -> str:
    """``query`` with ``bindings`` as a ``VALUES`` block opening its outermost WHERE group (or,
    ``at_end``, closing it: for an engine whose compiler fails on the first placement)."""
    if not bindings:
        return query
    check_binding_names(bindings)
    names = sorted(bindings)
    values = " ".join(str(bindings[k]) for k in names)  # N-Triples serialisation of each term
    block = f" VALUES ({' '.join('?' + k for k in names)}) {{ ({values}) }} "
    clean = strip_comments(query)
    match = re.search(r"\bWHERE\s*\{", clean, flags=re.IGNORECASE)
    if match is None:
        # SELECT without the WHERE keyword: the first group after the projection.
        match = re.search(r"\{", clean)
    if match is None:
        raise QueryError(
            "cannot find the query's WHERE group to bind parameters", rule="query-form"
        )
    at = _group_end(clean, match.end()) if at_end else match.end()
    return query[:at] + block + query[at:]


_SKIP = re.compile(
    r'<[^\s<>"{}|^`\\]*>|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'',
    re.DOTALL,
)


def _group_end(clean: str, start: int) -> int:
    """The offset of the ``}`` closing the group opened just before ``start`` (strings and IRIs,
    which may hold braces, are skipped)."""
    depth, i = 1, start
    while i < len(clean):
        skipped = _SKIP.match(clean, i)
        if skipped:
            i = skipped.end()
            continue
        depth += {"{": 1, "}": -1}.get(clean[i], 0)
        if depth == 0:
            return i
        i += 1
    raise QueryError("the query's WHERE group is not closed", rule="query-form")
