"""``/graphs?graph=IRI``: the W3C SPARQL 1.1 Graph Store HTTP Protocol on named graphs (issue 17).

https://www.w3.org/TR/sparql11-http-rdf-update/ — indirect graph identification (``?graph=``):

* ``GET`` (and ``HEAD``): the graph as Turtle, N-Triples or JSON-LD (``Accept`` or ``?format=``),
  with an ``ETag`` naming its version; public graphs need no token, client graphs the
  ``client-data-reader`` role. ``404`` when there is no such graph. A frozen release graph
  ``graph/release/<version>/<module>`` is read from the release store
  (:mod:`kgservice.store.releases`); writing one is ``405`` ``release-frozen``.
* ``PUT`` replaces the graph, ``POST`` merges triples into it, ``DELETE`` drops it: each needs
  ``Authorization: Bearer <token>`` with the role that governs the graph
  (:mod:`kgservice.graphaccess`), is validated before it becomes visible and is recorded in
  ``graph/changelog``. ``201`` when the write made the graph, else ``204``; ``If-Match`` with the
  ``ETag`` read makes the write conditional (``409`` when the graph changed meanwhile). A comment
  for the change log comes from the ``Change-Comment`` header or ``?comment=``.

Status codes: ``401`` (no or unknown token; ``WWW-Authenticate: Bearer``), ``403`` (the role may
not do this to this graph), ``415`` (a body in another format), ``400`` (a parse error, a
parameter, or a write the rules refuse — with the SHACL results), ``409`` (a conflict). The
write itself is the build's (:mod:`kgservice.pipeline.graphwrite`), which ``kgservice serve``
hands to :func:`kgservice.web.create_app` as ``graph_writer``: the web never imports the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from flask import Blueprint, Response, current_app, request
from pyoxigraph import DefaultGraph, RdfFormat, parse

from kgservice.errors import KgError, NotFound, ParameterError, ParseError
from kgservice.graphaccess import (
    CHANGELOG,
    READER_ROLE,
    RELEASE,
    WRITER_ROLE,
    Forbidden,
    GraphWrite,
    Unauthorized,
    UnsupportedMediaType,
    WriteOutcome,
    graph_etag,
    graph_kind,
    writable_areas,
)
from kgservice.store.base import Store
from kgservice.tokens import TokenEntry, tokens_path, verify_token
from kgservice.web import params
from kgservice.web.conneg import negotiate, problem_response
from kgservice.web.storeaccess import get_settings, get_store, release_store

bp = Blueprint("graphs", __name__)

#: What a write body may be, and what a read is offered as (the first is the default).
BODY_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
}
OFFERED = tuple(BODY_TYPES)
REALM = "rake-kg graphs"
#: Longest change-log comment accepted (characters).
MAX_COMMENT = 1000


class Writer(Protocol):
    """What the web needs of the write path (:class:`kgservice.pipeline.graphwrite.GraphWriter`)."""

    def write(self, request: GraphWrite) -> WriteOutcome: ...


@bp.errorhandler(Unauthorized)
def unauthorized(exc: Unauthorized) -> Response:
    challenge = f'Bearer realm="{REALM}"'
    if exc.error:
        challenge += f', error="{exc.error}"'
    body = {**exc.problem(), "title": "Unauthorized"}
    return problem_response(body, 401, {"WWW-Authenticate": challenge})


@dataclass
class Frozen(KgError):
    """A write to a frozen release graph (``405``: the graph only answers ``GET`` and ``HEAD``)."""

    status: int = 405


@bp.errorhandler(Frozen)
def frozen(exc: Frozen) -> Response:
    return problem_response(
        {**exc.problem(), "valid": ["GET", "HEAD"]}, 405, {"Allow": "GET, HEAD"}
    )


@bp.route("/graphs", methods=["GET", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    settings = get_settings()
    graph = target_graph()
    kind = graph_kind(settings, graph)
    if request.method in ("GET", "HEAD"):
        if kind in READER_ROLE:
            authorise(READER_ROLE[kind], graph, "read")
        return read_graph(graph, release_store() if kind == RELEASE else get_store())
    if kind == RELEASE:
        raise Frozen(
            f"<{graph}> is a frozen release and is never written: record a new release of the "
            "vocabularies with `kgservice release VERSION` (then `kgservice build`)",
            rule="release-frozen",
        )
    role = WRITER_ROLE.get(kind)
    entry = authenticate()
    if role is None:
        what = "the change log is written by each write" if kind == CHANGELOG else "the build"
        raise Forbidden(
            f"<{graph}> cannot be written over HTTP ({what} writes it); writable graphs: "
            + "; ".join(writable_areas(settings)),
            rule="graph-read-only",
            valid=writable_areas(settings),
        )
    if entry.role != role:
        raise Forbidden(
            f"the token's role {entry.role} may not write <{graph}>; it needs the role {role}",
            rule="graph-role",
            valid=[role],
        )
    triples = () if request.method == "DELETE" else body_triples(graph)
    return write_graph(graph, triples, entry)


def target_graph() -> str:
    if "default" in request.args:
        raise ParameterError(
            "the default graph is the union of the named graphs and is read-only here; "
            "name a graph with ?graph=IRI",
            rule="graph-parameter",
            parameter="default",
            valid=["graph"],
        )
    return params.iri("graph")


def authenticate() -> TokenEntry:
    """The token of ``Authorization: Bearer …`` (401 when missing, malformed or unknown).
    The token is never echoed, logged or kept."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise Unauthorized("this request needs Authorization: Bearer <token>", rule="token")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "the Authorization header must be 'Bearer <token>'",
            rule="token",
            error="invalid_request",
        )
    entry = verify_token(tokens_path(get_settings()), token.strip())
    if entry is None:
        raise Unauthorized(
            "the token is not valid (unknown, revoked or mistyped)",
            rule="token",
            error="invalid_token",
        )
    return entry


def authorise(role: str, graph: str, what: str) -> TokenEntry:
    entry = authenticate()
    if entry.role != role:
        raise Forbidden(
            f"only the role {role} may {what} <{graph}>; the token's role is {entry.role}",
            rule="graph-role",
            valid=[role],
        )
    return entry


def read_graph(graph: str, store: Store | None) -> Response:
    """The graph from ``store`` (the served store, or the release store for a frozen graph)."""
    media = negotiate(OFFERED)
    if store is None or graph not in store.graphs():
        raise NotFound(f"no graph <{graph}> in the store", rule="graph-missing")
    body = store.dump(BODY_TYPES[media], graph)
    resp = Response(body, mimetype=media)
    resp.set_etag(graph_etag(store, graph))
    resp.vary.add("Accept")
    resp.vary.add("Authorization")
    resp.headers["Cache-Control"] = "no-cache"
    resp.make_conditional(request)  # 304 when If-None-Match names this version
    return resp


def body_triples(graph: str) -> tuple:
    """The request body's triples (relative IRIs resolved against the graph's IRI)."""
    media = (request.mimetype or "").lower()
    fmt = BODY_TYPES.get(media)
    if fmt is None:
        raise UnsupportedMediaType(
            f"cannot read a body of type {media or 'none'!r}; send one of {', '.join(OFFERED)}",
            rule="content-type",
            valid=list(OFFERED),
        )
    try:
        quads = list(parse(request.get_data(), format=fmt, base_iri=graph))
    except (SyntaxError, ValueError) as exc:
        raise ParseError(f"the body is not valid {media}: {exc}", rule="rdf-syntax") from exc
    if any(not isinstance(q.graph_name, DefaultGraph) for q in quads):
        raise ParseError("the body names other graphs; send triples only", rule="rdf-syntax")
    return tuple(q.triple for q in quads)


def comment() -> str:
    text = request.headers.get("Change-Comment") or request.args.get("comment") or ""
    if len(text) > MAX_COMMENT:
        raise ParameterError(
            f"the change comment is longer than {MAX_COMMENT} characters",
            rule="comment-length",
            parameter="comment",
            valid={"maxLength": MAX_COMMENT},
            kind="length",
        )
    return text


def if_match() -> str | None:
    given = request.headers.get("If-Match")
    if given is None:
        return None
    if given.strip() == "*":
        return "*"
    tags = request.if_match.as_set()
    return next(iter(sorted(tags))) if tags else given.strip().strip('"')


def write_graph(graph: str, triples: tuple, entry: TokenEntry) -> Response:
    writer: Writer | None = current_app.extensions.get("kg.graph_writer")
    if writer is None:
        raise KgError(
            "this process serves graphs read-only (GET, HEAD): writes go to a `kgservice serve` "
            "over the embedded store",
            rule="graph-writes-off",
            status=405,
        )
    outcome = writer.write(
        GraphWrite(graph, request.method, triples, entry.name, comment(), if_match())
    )
    resp = Response(status=201 if outcome.created else 204)
    del resp.headers["Content-Type"]  # no body
    if outcome.etag:
        resp.set_etag(outcome.etag)
    resp.headers["Link"] = f'<{outcome.change}>; rel="describedby"'
    if outcome.created:
        resp.headers["Location"] = request.full_path
    return resp
