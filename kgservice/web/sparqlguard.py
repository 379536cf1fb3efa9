"""Layer 1 of the SPARQL checks: a token scan of the request text, before any parser runs.

pyoxigraph evaluates ``SERVICE`` by making outbound HTTP calls without a timeout, and the query
endpoint is read-only, so both are refused *before* execution. Three layers hold that line, each
assumed to be bypassable (docs/api.md "SPARQL endpoint"):

1. this scan, in the web process: cheap and linear; it also enforces the size and nesting limits
   (``KG_QUERY_MAX_BYTES``, ``KG_QUERY_MAX_DEPTH``), so no recursive parser — rdflib's here,
   Oxigraph's in the worker — ever sees a deep query (a 3,000-deep ``{`` crashed pyoxigraph);
2. :mod:`kgservice.web.sparqlalgebra`: the parsed query (rdflib's SPARQL 1.1 parser and algebra);
3. :mod:`kgservice.web.sparqlsandbox`: the worker processes cannot open network sockets at all.

The scan follows the SPARQL 1.1 grammar's terminals (https://www.w3.org/TR/sparql11-query/#grammar):
white space is ``WS ::= #x20 | #x9 | #xD | #xA`` only; a comment runs from ``#`` to the next
``#xD`` or ``#xA`` (Oxigraph ends it there too — ending it anywhere else would let a long string
start in text Oxigraph reads as a comment); short strings may hold ``ECHAR`` escapes; ``IRIREF``
excludes ``<>"{}|^`\\`` and ``#x00–#x20``. Comments, strings, IRIs, variables and prefixed names are
skipped; the bare keywords that remain are checked. Where engines and the grammar part ways, the
scan takes the reading that sees more:

* codepoint escapes (``\\u0053ERVICE``): the grammar expands them before parsing, rdflib does,
  Oxigraph only inside IRIs and strings. An escape of an ASCII character is refused
  (``sparql-escape``) — ASCII is written as itself — so no reading can turn it into syntax;
  escapes of other characters (``\\u00e4``) cannot form keywords, quotes or brackets.
* ``SERVICE`` glued to a prefixed name with the empty prefix (``SERVICE:sparql``) is the keyword
  to Oxigraph and rdflib: a prefixed name with the prefix ``service`` followed by ``{`` counts
  as the keyword (``?s service:note ?o`` stays a name: no ``{`` can follow a name in a triple).
* ``<`` is an IRI or the less-than operator by context (``FILTER(?a<?b#x>)``): a scan without the
  grammar's context cannot always tell. The text is scanned a second time with every ``<`` that
  follows an operand inside parentheses read as the operator; either reading finding a forbidden
  keyword refuses the query. A query mixing both readings in one text can still mislead this
  layer — that is what layers 2 and 3 are for (``tests/sparql/test_outbound.py`` proves it).

The form (SELECT, CONSTRUCT, DESCRIBE, ASK) is read here for content negotiation; the dataset
clauses (``FROM`` / ``FROM NAMED``) are read from the parsed query by layer 2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kgservice.errors import QueryError

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
#: Brackets counted by the depth limit: group patterns, expressions and collections, blank nodes.
OPENERS, CLOSERS = "{([", "})]"

WS = " \t\r\n"
_IRI = re.compile(r"<((?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>")
_COMMENT_END = re.compile(r"[\r\n]")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
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


@dataclass(frozen=True)
class QueryInfo:
    """What the scan learnt about a query."""

    form: str  # SELECT | CONSTRUCT | DESCRIBE | ASK

    @property
    def is_graph_result(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


@dataclass
class QueryLimitError(QueryError):
    """A query over a size or nesting limit; the problem names the limit and the value found."""

    limit: int = 0
    found: int = 0

    def problem(self) -> dict[str, Any]:
        return {**super().problem(), "limit": self.limit, "value": self.found}


def tokens(text: str, *, less_than_in_expressions: bool = False) -> Iterator[Token]:
    """Words, IRIs, strings and punctuation of ``text``; comments and white space are dropped.

    With ``less_than_in_expressions``, a ``<`` right after an operand (variable, literal, name,
    IRI or ``)``) inside parentheses is the less-than operator, not the start of an IRI.
    """
    i, n = 0, len(text)
    parens = 0
    previous: Token | None = None
    while i < n:
        c = text[i]
        if c in WS:
            i += 1
            continue
        if c == "#":
            end = _COMMENT_END.search(text, i)
            i = n if end is None else end.start()
            continue
        tok: Token
        if c in "\"'":
            quote = text[i : i + 3] if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            tok = Token("string", text[i : j + len(quote)], i)
            i = j + len(quote)
        elif (
            c == "<"
            and not (less_than_in_expressions and parens > 0 and _is_operand(previous))
            and (m := _IRI.match(text, i))
        ):
            tok = Token("iri", m.group(1), i)
            i = m.end()
        elif m := (
            _VAR.match(text, i)
            or _LANGTAG.match(text, i)
            or _PNAME.match(text, i)
            or _NUMBER.match(text, i)
            or _KEYWORD.match(text, i)
        ):
            tok = Token("word", m.group(0), i)
            i = m.end()
        else:
            tok = Token("punct", c, i)
            parens += (c == "(") - (c == ")")
            i += 1
        previous = tok
        yield tok


def _is_operand(tok: Token | None) -> bool:
    if tok is None:
        return False
    if tok.kind == "punct":
        return tok.text in ")]"
    if tok.kind in ("iri", "string"):
        return True
    kw = _keyword(tok)
    return kw is None or kw[0].isdigit() or kw in ("TRUE", "FALSE")


def _keyword(tok: Token) -> str | None:
    """The upper-cased keyword when ``tok`` is a bare word (not a variable, prefixed name, tag)."""
    if tok.kind != "word" or tok.text[0] in "?$@" or ":" in tok.text:
        return None
    return tok.text.upper()


def _glued_service(tok: Token) -> bool:
    """``SERVICE:name`` reads as ``SERVICE`` + ``:name`` to Oxigraph and rdflib alike."""
    if tok.kind != "word" or tok.text[0] in "?$@" or ":" not in tok.text:
        return False
    return tok.text.split(":", 1)[0].upper() == "SERVICE"


def readings(text: str) -> list[list[Token]]:
    """The token streams of ``text``: one, or two when some ``<`` may be read either way."""
    first = list(tokens(text))
    if not any(t.kind == "iri" for t in first):
        return [first]
    return [first, list(tokens(text, less_than_in_expressions=True))]


def check_limits(text: str, *, max_bytes: int, max_depth: int) -> list[list[Token]]:
    """Refuse a text over ``max_bytes`` (UTF-8) or nesting brackets deeper than ``max_depth``.

    The size is checked before the text is tokenised; the depth in every reading of the text.
    Returns the readings.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryLimitError(
            f"the query is {size} bytes long; at most {max_bytes} bytes are accepted",
            rule="query-too-large",
            limit=max_bytes,
            found=size,
        )
    streams = readings(text)
    deepest = max(_depth(toks) for toks in streams)
    if deepest > max_depth:
        raise QueryLimitError(
            f"the query nests brackets ({{ ( [) {deepest} deep; at most {max_depth} are accepted",
            rule="query-too-deep",
            limit=max_depth,
            found=deepest,
        )
    return streams


def _depth(toks: list[Token]) -> int:
    depth = deepest = 0
    for tok in toks:
        if tok.kind == "punct":
            if tok.text in OPENERS:
                depth += 1
                deepest = max(deepest, depth)
            elif tok.text in CLOSERS:
                depth = max(0, depth - 1)
    return deepest


def _refuse_ascii_escapes(text: str) -> None:
    for m in _CODEPOINT.finditer(text):
        code = int(m.group(1) or m.group(2), 16)
        if code < 0x80:
            raise QueryError(
                f"the escape {m.group(0)} (at character {m.start()}) stands for the ASCII "
                f"character {chr(code)!r}: write ASCII characters as themselves; \\u and \\U "
                "escapes are accepted for other characters only",
                rule="sparql-escape",
            )


def _refuse_forbidden(toks: list[Token]) -> None:
    for i, tok in enumerate(toks):
        kw = _keyword(tok)
        if kw in UPDATE_KEYWORDS:
            raise QueryError(
                f"SPARQL Update ({kw}) is not accepted: this endpoint is read-only",
                rule="update-refused",
            )
        following = toks[i + 1] if i + 1 < len(toks) else None
        glued = _glued_service(tok) and following is not None and following.text == "{"
        if kw == "SERVICE" or glued:
            raise QueryError(
                "SERVICE (federated query) is not accepted: the endpoint makes no outbound calls"
                + ("" if kw else f" ({tok.text!r} before '{{' reads as SERVICE)"),
                rule="service-refused",
            )


def analyse(text: str, *, max_bytes: int = 65_536, max_depth: int = 64) -> QueryInfo:
    """Classify ``text`` and refuse updates, ``SERVICE``, over-limit and non-query texts."""
    streams = check_limits(text, max_bytes=max_bytes, max_depth=max_depth)
    _refuse_ascii_escapes(text)
    for toks in streams:  # both readings of an ambiguous ``<``
        _refuse_forbidden(toks)
    toks = streams[0]
    form = next((kw for t in toks if (kw := _keyword(t)) in QUERY_FORMS), None)
    if form is None:
        raise QueryError(
            "not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK",
            rule="sparql-syntax",
        )
    return QueryInfo(form=form)
