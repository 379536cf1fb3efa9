"""What the remote backend must know about the engine behind a SPARQL 1.1 endpoint.

The protocols leave room: whether the default graph is the union of the named graphs, how a
Graph Store answers for the whole dataset, how a time limit shows, how a result spells blank
nodes and booleans. One small :class:`Dialect` per engine, chosen by ``KG_SPARQL_ENGINE``, holds
those differences so :class:`~kgservice.store.remote.RemoteStore` stays engine-agnostic. Every
difference here was found by the store contract suite, the ``/sparql`` suite or the views run
against the real engines (``docs/scaling.md``, "Second engine: Virtuoso").
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from kgservice.namespaces import XSD

XSD_BOOLEAN = XSD + "boolean"


@dataclass(frozen=True)
class Dialect:
    """The engine-specific part of talking to a remote SPARQL 1.1 endpoint."""

    name: str
    #: Extra query-string parameters of every query request (Oxigraph: a union default graph).
    query_params: Mapping[str, str] = field(default_factory=dict)
    #: Whether a Graph Store ``GET`` without a graph returns the whole dataset as N-Quads; when
    #: not, the dataset is dumped graph by graph.
    dumps_dataset: bool = False
    #: Graphs the engine keeps for itself (IRI prefixes): never listed, counted, dumped or dropped.
    system_graph_prefixes: tuple[str, ...] = ()
    #: Paths of graph IRIs the engine keeps for itself on any host (its service description).
    system_graph_paths: tuple[str, ...] = ()
    #: The prefix the engine puts before blank-node labels in JSON results (not a valid label).
    bnode_prefix: str = ""
    #: The variable an engine answers an ASK with when it sends a table instead of a boolean.
    ask_variable: str = ""
    #: A response header and the value of it that mark a result cut short by the time limit
    #: (sent with status 200 and the rows found so far).
    partial_header: tuple[str, str] | None = None
    #: A query parameter asking the engine for a time limit in milliseconds.
    timeout_param: str = ""
    #: Whether the request's dataset (``default-graph-uri``, ``named-graph-uri``) overrides a
    #: query's own ``FROM`` / ``FROM NAMED``, as the SPARQL 1.1 Protocol says (§ 2.1.4);
    #: Virtuoso 7.2 does the opposite.
    protocol_dataset_wins: bool = True
    #: An error text of the engine's compiler failing on a VALUES block that opens the WHERE
    #: group; the query is then sent once more with the block closing the group. Virtuoso 7.2:
    #: a FILTER inside OPTIONAL reading a variable of a one-row VALUES (``SP031`` internal
    #: error ``ssg_print_rvr_fixed_val()``).
    values_at_end_error: str = ""
    #: List the graphs by counting their triples (``GROUP BY ?g``): Virtuoso 7.2 plans
    #: ``SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }`` as a scan of every quad (over 20 s
    #: for the bundled build's 1.07 M), the count in under a second.
    graphs_by_count: bool = False
    #: Send queries form-encoded (``query=``); Virtuoso 7.2 never answers a POST of
    #: ``application/sparql-query`` (the request hangs until the client gives up).
    form_post: bool = False
    #: HTTP digest authentication for the update and Graph Store endpoints (else basic).
    digest_auth: bool = False

    def is_system_graph(self, iri: str) -> bool:
        if self.system_graph_prefixes and iri.startswith(self.system_graph_prefixes):
            return True
        return bool(self.system_graph_paths) and urlsplit(iri).path in self.system_graph_paths

    def fix_results_json(self, body: bytes) -> bytes:
        """Bring a SPARQL JSON result into the standard's shape, where this engine departs from
        it (ASK as a table, ``nodeID://`` blank nodes, booleans as ``1``/``0``)."""
        if not (self.bnode_prefix or self.ask_variable):
            return body
        doc = json.loads(body)
        head_vars = doc.get("head", {}).get("vars", [])
        rows = doc.get("results", {}).get("bindings", [])
        if self.ask_variable and head_vars == [self.ask_variable]:
            value = rows[0][self.ask_variable]["value"] if rows else "0"
            return json.dumps({"head": {}, "boolean": value not in ("0", "false")}).encode()
        for row in rows:
            for term in row.values():
                _fix_term(term, self.bnode_prefix)
        return json.dumps(doc).encode()


def _fix_term(term: dict[str, str], bnode_prefix: str) -> None:
    if term.get("type") == "bnode" and bnode_prefix and term["value"].startswith(bnode_prefix):
        term["value"] = term["value"][len(bnode_prefix) :]
    elif term.get("datatype") == XSD_BOOLEAN and term.get("value") in ("0", "1"):
        term["value"] = "true" if term["value"] == "1" else "false"


OXIGRAPH = Dialect(
    "oxigraph",
    query_params={"union-default-graph": ""},
    dumps_dataset=True,
)

VIRTUOSO = Dialect(
    "virtuoso",
    # Its default graph is already the union of every graph, its own ones included: the
    # mapping schema (virtrdf#), an LDP vocabulary and the service description of /sparql.
    system_graph_prefixes=(
        "http://www.openlinksw.com/",
        "http://www.w3.org/ns/ldp#",
        "http://localuriqaserver/",
    ),
    system_graph_paths=("/sparql",),
    bnode_prefix="nodeID://",
    ask_variable="__ASK_RETVAL",
    partial_header=("X-SQL-State", "S1TAT"),
    timeout_param="timeout",
    protocol_dataset_wins=False,
    values_at_end_error="ssg_print_rvr_fixed_val",
    graphs_by_count=True,
    form_post=True,
    digest_auth=True,
)

#: Any other SPARQL 1.1 engine: only what the standards promise.
GENERIC = Dialect("generic")

DIALECTS: dict[str, Dialect] = {d.name: d for d in (OXIGRAPH, VIRTUOSO, GENERIC)}
