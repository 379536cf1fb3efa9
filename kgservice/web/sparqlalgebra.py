"""Layer 2 of the SPARQL checks: the *parsed* query, read with rdflib's SPARQL 1.1 parser.

Layer 1 (:mod:`kgservice.web.sparqlguard`) is a token scan; this layer does not trust it. It
parses the query with ``rdflib.plugins.sparql.parser.parseQuery``, translates it with
``rdflib.plugins.sparql.algebra.translateQuery`` and walks both trees: any
``ServiceGraphPattern`` — in a sub-select, ``FILTER EXISTS``, ``OPTIONAL``, ``MINUS``, ``UNION``,
``GRAPH``, with ``SILENT``, an IRI or a variable — refuses the query (``service-refused``), and so
does a call of any function IRI but the XSD casts (``function-refused``: an engine's extension
functions may reach the network, Virtuoso's ``bif:http_get`` does). The
dataset clauses (``FROM`` / ``FROM NAMED``) are taken from the parsed query, with prefixes and
``BASE`` (else the endpoint's URL) resolved by rdflib.

Where it runs: in the query worker for the embedded store (killable, off the web threads:
:func:`kgservice.web.sparqlworker.execute`), in the web process before the protocol request for
a remote store (``_run_remote`` in :mod:`kgservice.web.sparql`).

Two readings made equal before parsing:

* rdflib ends a ``#`` comment only at ``\\n`` (pyparsing's ``restOfLine``); SPARQL and Oxigraph
  end it at ``\\r`` too. Every ``\\r`` is given to rdflib as ``\\n`` (both are white space; in a
  long string the value changes, which does not matter for a check).
* codepoint escapes of ASCII characters never get here (layer 1 refuses them).

**When rdflib cannot parse a query, it is refused** (400 ``sparql-syntax``, "not a SPARQL 1.1
query"), even if Oxigraph would run it. Measured with ``bench/sparqlcheck.py`` on the 75 queries
of ``queries/`` and the 30 of the W3C protocol tests: Oxigraph and rdflib agree on all 105
(every valid one parses in both, the protocol's syntax-error cases fail in both). What rdflib
cannot read are Oxigraph's extensions beyond SPARQL 1.1 — SPARQL-star ``<< … >>``,
``isTRIPLE``, ``LATERAL``, ``ADJUST`` — none of which the service's queries use. The other rule
(run what rdflib cannot read) would leave exactly the texts on which two parsers disagree to
layer 1 alone, and a disagreement between readings is how the ``\r`` comment got through. A
refused extension costs a caller a rewrite; a missed ``SERVICE`` costs a request to any address
the worker can reach.

Cost (same benchmark, this 2-core machine under a load average of 8–10): the token scan takes
0.24 ms for a median query, rdflib 12–31 ms (50–120× the scan), 0.3–0.65 s for the largest
named query (5.4 kB); Oxigraph parses and plans the same texts in under 1 ms.
That is why it runs in the killable worker, where it counts against the query's time limit.

rdflib's parser is recursive: about 40 Python frames per nesting level (``FILTER((((…))))``).
Layer 1 caps nesting (``KG_QUERY_MAX_DEPTH``) before this runs, and the recursion limit is raised
to what that cap needs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kgservice.errors import QueryError
from kgservice.namespaces import XSD

#: Python frames rdflib's parser and translator need per nesting level, with headroom.
FRAMES_PER_LEVEL = 48
BASE_FRAMES = 1_000

FORMS = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
    "AskQuery": "ASK",
}


@dataclass(frozen=True)
class ParsedQuery:
    """What the parsed query says: its form and its own dataset clauses."""

    form: str
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    #: The graph IRIs of ``GRAPH <iri> { … }`` patterns, anywhere in the query.
    graph_iris: list[str] = field(default_factory=list)

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)

    @property
    def named(self) -> list[str]:
        """Every graph IRI the query text names: FROM, FROM NAMED and GRAPH <iri>."""
        return [*self.from_graphs, *self.from_named_graphs, *self.graph_iris]


#: Texts a process remembers the verdict for. Tools and dashboards send the same queries again
#: and again; a remembered verdict costs a dictionary look-up instead of 12-30 ms of parsing.
#: At most 256 × ``KG_QUERY_MAX_BYTES`` (64 KiB) of query text per worker.
VERDICTS_KEPT = 256


def check_parsed(text: str, base_iri: str | None = None, *, max_depth: int = 64) -> ParsedQuery:
    """Parse ``text`` as SPARQL 1.1; refuse ``SERVICE`` and unreadable texts; read FROM clauses.

    The verdict for a text (with its base and depth limit) is remembered, refusals included.
    """
    verdict = _verdict(text, base_iri or "", max_depth)
    if isinstance(verdict, QueryError):
        raise QueryError(verdict.message, rule=verdict.rule)
    return verdict


@lru_cache(maxsize=VERDICTS_KEPT)
def _verdict(text: str, base_iri: str, max_depth: int) -> ParsedQuery | QueryError:
    try:
        return _check(text, base_iri or None, max_depth=max_depth)
    except QueryError as exc:
        return exc


def _check(text: str, base_iri: str | None, *, max_depth: int) -> ParsedQuery:
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    needed = BASE_FRAMES + FRAMES_PER_LEVEL * max_depth
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)
    normalised = text.replace("\r", "\n")
    try:
        tree = parseQuery(normalised)
        _refuse_service(tree)
        query = translateQuery(tree, base=base_iri or None)
    except QueryError:
        raise
    except RecursionError as exc:
        raise QueryError("the query nests too deeply to be checked", rule="query-too-deep") from exc
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise many kinds
        raise QueryError(
            "SPARQL syntax error: not a SPARQL 1.1 query (extensions such as SPARQL-star are "
            f"not accepted here): {_first_line(exc)}",
            rule="sparql-syntax",
        ) from exc
    algebra = query.algebra
    _refuse_service(algebra)
    _refuse_extension_functions(algebra)
    default: list[str] = []
    named: list[str] = []
    # CompValue.get answers the key itself for a missing key: test membership instead.
    clauses = algebra["datasetClause"] if "datasetClause" in algebra else None
    for clause in clauses or []:
        if "default" in clause:
            default.append(str(clause["default"]))
        elif "named" in clause:
            named.append(str(clause["named"]))
    return ParsedQuery(FORMS.get(algebra.name, algebra.name), default, named, _graph_iris(algebra))


def _graph_iris(algebra: Any) -> list[str]:
    """The IRIs of ``GRAPH <iri>`` patterns (``GraphGraphPattern`` where rdflib leaves the
    pattern of a ``FILTER EXISTS`` untranslated), sorted, once each."""
    from rdflib.term import URIRef

    found = {
        str(node["term"])
        for node in _compvalues(algebra)
        if node.name in ("Graph", "GraphGraphPattern")
        and "term" in node
        and isinstance(node["term"], URIRef)
    }
    return sorted(found)


def _compvalues(tree: Any) -> Iterator[Any]:
    """Every CompValue in a parse tree or algebra (CompValues, ParseResults, lists), once."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Node

    stack = [tree]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen or isinstance(node, (str, Node)):
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            yield node
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set, frozenset)) or hasattr(node, "asList"):
            stack.extend(node)


def _refuse_service(tree: Any) -> None:
    """Walk a parse tree or algebra for a SERVICE pattern."""
    for node in _compvalues(tree):
        if node.name == "ServiceGraphPattern" or "service_string" in node:
            raise QueryError(
                "SERVICE (federated query) is not accepted: the endpoint makes no outbound calls",
                rule="service-refused",
            )


#: The only function IRIs a query may call: the XSD casts (SPARQL 1.1 § 17.5). Any other IRI
#: is an engine's extension, and an engine may give them powers: Virtuoso runs ``bif:`` and
#: ``sql:`` functions as SQL built-ins, ``bif:http_get`` included — a request to any address
#: the engine reaches, its answer returned as a literal (docs/scaling.md, issue 18).
ALLOWED_FUNCTION_NAMESPACE = XSD


def _refuse_extension_functions(algebra: Any) -> None:
    """Refuse a call of any function named by an IRI outside :data:`ALLOWED_FUNCTION_NAMESPACE`."""
    for node in _compvalues(algebra):
        iri = str(node["iri"]) if node.name == "Function" and "iri" in node else None
        if iri is not None and not iri.startswith(ALLOWED_FUNCTION_NAMESPACE):
            raise QueryError(
                f"the function <{iri}> is not accepted: a query may call the SPARQL 1.1 "
                f"built-ins and the XSD casts (<{ALLOWED_FUNCTION_NAMESPACE}…>) only",
                rule="function-refused",
            )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__
