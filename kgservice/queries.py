"""Loads the SPARQL queries of ``queries/`` by name, checks their declared parameters, runs them.

Every ``.rq`` file starts with a header comment (:mod:`kgservice.queryfile`). Parameters are
bound as terms (pyoxigraph ``substitutions`` on the embedded store, a ``VALUES`` block on a
remote one); a query text is never assembled from strings.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyoxigraph import Triple

from kgservice.errors import NotFound
from kgservice.queryfile import NamedQuery, parse_header
from kgservice.store.base import Row, Store


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
