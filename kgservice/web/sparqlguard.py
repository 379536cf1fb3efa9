"""Reads a free-form SPARQL request before it runs: which form it is, what it must not do.

pyoxigraph evaluates ``SERVICE`` by making outbound HTTP calls without a timeout, and the query
endpoint is read-only, so both are refused *before* execution. The check is a token scan that
skips comments, string literals and IRIs (so ``"service"`` in a literal, ``<…/load>`` in an IRI,
``ex:service`` or ``?service`` are all fine) and looks at the bare keywords that remain.

The scan also reads the query's own dataset clauses (``FROM`` / ``FROM NAMED``), so the endpoint
can restrict them to public graphs; pyoxigraph's parser then checks the full syntax.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from kgservice.errors import QueryError

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")
# Lexical classes of the SPARQL grammar that matter here, tried in this order. A dot or hyphen
# ends a variable, number or keyword (``?o.SERVICE`` is ``?o`` ``.`` ``SERVICE``), but may sit
# inside a prefixed name (``ex:a.b``), exactly as in the grammar.
_VAR = re.compile(r"[?$]\w+")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*")
_PNAME = re.compile(r"(?:[^\W\d_][\w.\-]*)?:(?:[\w:%\-](?:[\w.:%\-]*[\w:%\-])?)?")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_KEYWORD = re.compile(r"[^\W\d_]\w*")


@dataclass(frozen=True)
class Token:
    kind: str  # "word" | "iri" | "string" | "punct"
    text: str
    offset: int


@dataclass
class QueryInfo:
    """What the scan learnt about a query."""

    form: str  # SELECT | CONSTRUCT | DESCRIBE | ASK
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)

    @property
    def is_graph_result(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def tokens(text: str) -> Iterator[Token]:
    """Words, IRIs, strings and punctuation of ``text``; comments are dropped."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
        elif c in "\"'":
            quote = text[i : i + 3] if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            yield Token("string", text[i : j + len(quote)], i)
            i = j + len(quote)
        elif c == "<" and (m := _IRI.match(text, i)):
            yield Token("iri", m.group(1), i)
            i = m.end()
        elif m := (
            _VAR.match(text, i)
            or _LANGTAG.match(text, i)
            or _PNAME.match(text, i)
            or _NUMBER.match(text, i)
            or _KEYWORD.match(text, i)
        ):
            yield Token("word", m.group(0), i)
            i = m.end()
        else:
            yield Token("punct", c, i)
            i += 1


def _keyword(tok: Token) -> str | None:
    """The upper-cased keyword when ``tok`` is a bare word (not a variable, prefixed name, tag)."""
    if tok.kind != "word" or tok.text[0] in "?$@" or ":" in tok.text:
        return None
    return tok.text.upper()


def analyse(text: str) -> QueryInfo:
    """Classify ``text`` and refuse updates, ``SERVICE`` and anything that is not a query."""
    toks = list(tokens(text))
    prefixes: dict[str, str] = {}
    base = ""
    form: str | None = None
    info_from: list[str] = []
    info_named: list[str] = []
    for i, tok in enumerate(toks):
        kw = _keyword(tok)
        if kw is None:
            continue
        if kw in UPDATE_KEYWORDS:
            raise QueryError(
                f"SPARQL Update ({kw}) is not accepted: this endpoint is read-only",
                rule="update-refused",
            )
        if kw == "SERVICE":
            raise QueryError(
                "SERVICE (federated query) is not accepted: the endpoint makes no outbound calls",
                rule="service-refused",
            )
        if form is None and kw == "PREFIX" and i + 2 < len(toks):
            name, ref = toks[i + 1], toks[i + 2]
            if name.kind == "word" and name.text.endswith(":") and ref.kind == "iri":
                prefixes[name.text[:-1]] = urljoin(base, ref.text) if base else ref.text
        elif form is None and kw == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = toks[i + 1].text
        elif form is None and kw in QUERY_FORMS:
            form = kw
        elif form is not None and kw == "FROM" and i + 1 < len(toks):
            nxt = toks[i + 1]
            named = _keyword(nxt) == "NAMED"
            target = toks[i + 2] if named and i + 2 < len(toks) else nxt
            graph = _resolve(target, prefixes, base)
            if graph is not None:
                (info_named if named else info_from).append(graph)
    if form is None:
        raise QueryError(
            "not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK",
            rule="sparql-syntax",
        )
    return QueryInfo(form=form, from_graphs=info_from, from_named_graphs=info_named)


def _resolve(tok: Token, prefixes: dict[str, str], base: str) -> str | None:
    if tok.kind == "iri":
        return urljoin(base, tok.text) if base else tok.text
    if tok.kind == "word" and ":" in tok.text and tok.text[0] not in "?$@":
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None
