"""Loads the SPARQL queries of ``queries/`` by name, checks their declared parameters, runs them.

Every ``.rq`` file starts with a header comment::

    # Purpose: what the query answers, in one or more lines.
    # @param ?area iri  The region (a skos:Concept in the region scheme).
    # @param ?year literal  The year, xsd:gYear or xsd:integer.
    # @returns ?indicator ?value ... one row per ...

Parameters are bound as terms (pyoxigraph ``substitutions`` on the embedded store, a ``VALUES``
block on a remote one); a query text is never assembled from strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import Triple

from kgservice.errors import NotFound, QueryError
from kgservice.store.base import Bindings, Row, Store

_PARAM = re.compile(r"^#\s*@param\s+\?(\w+)\s+(\w+)\s*(.*)$")
_RETURNS = re.compile(r"^#\s*@returns\s*(.*)$")
_PURPOSE = re.compile(r"^#\s*Purpose:\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    purpose: str
    params: dict[str, tuple[str, str]]  # variable → (kind, description)
    returns: str

    def check_bindings(self, bindings: Bindings) -> None:
        missing = set(self.params) - set(bindings)
        extra = set(bindings) - set(self.params)
        if missing or extra:
            raise QueryError(
                f"query {self.name!r}: missing parameters {sorted(missing)}, "
                f"undeclared parameters {sorted(extra)}",
                file=str(self.path),
                rule="query-parameters",
            )


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    purpose: list[str] = []
    params: dict[str, tuple[str, str]] = {}
    returns: list[str] = []
    section = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _PARAM.match(line):
            params[m.group(1)] = (m.group(2).lower(), m.group(3).strip())
            section = None
        elif m := _RETURNS.match(line):
            returns.append(m.group(1).strip())
            section = "returns"
        elif m := _PURPOSE.match(line):
            purpose.append(m.group(1).strip())
            section = "purpose"
        elif section == "purpose":
            purpose.append(line.lstrip("#").strip())
        elif section == "returns":
            returns.append(line.lstrip("#").strip())
    return NamedQuery(
        name=name,
        path=path,
        text=text,
        purpose=" ".join(p for p in purpose if p),
        params=params,
        returns=" ".join(r for r in returns if r),
    )


@cache
def _load(queries_dir: Path, name: str) -> NamedQuery:
    path = queries_dir / f"{name}.rq"
    if not path.is_file():
        raise NotFound(f"no query named {name!r}", file=str(path), rule="query-name")
    return parse_header(name, path, path.read_text(encoding="utf-8"))


@cache
def _resolved(queries_dir: Path) -> Path:
    return queries_dir.resolve()


def load_query(name: str, queries_dir: Path) -> NamedQuery:
    """The query ``queries_dir/name.rq`` (``name`` may contain ``/`` for sub-folders)."""
    return _load(_resolved(queries_dir), name)


def all_queries(queries_dir: Path) -> list[NamedQuery]:
    return [
        load_query(str(p.relative_to(queries_dir).with_suffix("")), queries_dir)
        for p in sorted(queries_dir.rglob("*.rq"))
    ]


def select(store: Store, queries_dir: Path, name: str, **bindings) -> list[Row]:
    q = load_query(name, queries_dir)
    q.check_bindings(bindings)
    return store.select(store.rebase_query(q.text), bindings)


def ask(store: Store, queries_dir: Path, name: str, **bindings) -> bool:
    q = load_query(name, queries_dir)
    q.check_bindings(bindings)
    return store.ask(store.rebase_query(q.text), bindings)


def construct(store: Store, queries_dir: Path, name: str, **bindings) -> list[Triple]:
    q = load_query(name, queries_dir)
    q.check_bindings(bindings)
    return store.construct(store.rebase_query(q.text), bindings)
