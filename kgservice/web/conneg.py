"""The web kit: representation choice, problem documents and conditional requests for every
page and API route.

* :func:`wants_html` is the one decision "page or data?" (errors, the SPARQL page, the resolver).
* :func:`problem_response` is the one builder of ``application/problem+json`` (RFC 9457).
* :func:`conditional` (and :func:`not_modified` before costly work) adds ``ETag`` /
  ``Last-Modified`` and answers ``304``.

Negotiation uses werkzeug's ``Accept`` parsing (q-values, wildcards); ``?format=`` overrides it.
Validators come from the store build: the ETag is a hash of the build id and the representation,
Last-Modified the build time, so a rebuilt store invalidates every cached page at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from flask import Response, request
from pyoxigraph import RdfFormat

from kgservice.errors import KgError, shown
from kgservice.texts import LANGUAGES
from kgservice.web.i18n import get_lang


@dataclass(frozen=True)
class RdfType:
    media_type: str
    ext: str
    fmt: RdfFormat
    label: str


RDF_TYPES: tuple[RdfType, ...] = (
    RdfType("text/turtle", "ttl", RdfFormat.TURTLE, "Turtle"),
    RdfType("application/ld+json", "jsonld", RdfFormat.JSON_LD, "JSON-LD"),
    RdfType("application/rdf+xml", "rdf", RdfFormat.RDF_XML, "RDF/XML"),
    RdfType("application/n-triples", "nt", RdfFormat.N_TRIPLES, "N-Triples"),
)
HTML = "text/html"
#: Media types a concept IRI can be negotiated to, HTML first (the default for ``*/*``).
OFFERED: tuple[str, ...] = (HTML, *(t.media_type for t in RDF_TYPES))

_ALIASES = {
    "html": HTML,
    "text/html": HTML,
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "application/json": "application/ld+json",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf/xml": "application/rdf+xml",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
}
for _t in RDF_TYPES:
    _ALIASES[_t.media_type] = _t.media_type


class NotAcceptable(KgError):
    """No offered representation matches the request's Accept header or ``format``."""

    def __init__(self, asked: str, offered: tuple[str, ...] = OFFERED) -> None:
        super().__init__(
            f"cannot produce {asked!r}; offered media types: {', '.join(offered)}",
            rule="content-negotiation",
            status=406,
        )
        self.offered = offered


#: What an API client gets when it does not ask for a page: JSON, or a problem document.
API_TYPES: tuple[str, ...] = ("application/json", "application/problem+json")
#: Media type of an error for an API client (RFC 9457).
PROBLEM_JSON = "application/problem+json"
#: At most this many characters of a problem's ``detail`` reach the client.
DETAIL_LIMIT = 1000


def wants_html(data_types: Sequence[str] = API_TYPES) -> bool:
    """Whether the client prefers an HTML page to the ``data_types`` the route could answer
    with instead: the one decision every error answer and page-or-data choice makes.

    HTML must rank above each of them in ``Accept`` (werkzeug's q-values and specificity); a tie
    goes to the data, so ``*/*`` (curl, fetch) and a missing ``Accept`` mean an API client.
    """
    accept = request.accept_mimetypes
    return accept[HTML] > 0 and accept.best_match([*data_types, HTML]) == HTML


def problem_response(
    body: dict[str, Any], status: int, headers: dict[str, str] | None = None
) -> Response:
    """``body`` as ``application/problem+json`` with ``status`` (its ``detail`` cut to
    :data:`DETAIL_LIMIT`); usable outside a request too (the WSGI middleware answers with it)."""
    body = {**body, "detail": shown(str(body.get("detail") or ""), DETAIL_LIMIT)}
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)
    resp.vary.add("Accept")
    for name, value in (headers or {}).items():
        resp.headers[name] = value
    return resp


def rdf_type(media_type: str) -> RdfType:
    for t in RDF_TYPES:
        if t.media_type == media_type:
            return t
    raise NotAcceptable(media_type, tuple(t.media_type for t in RDF_TYPES))


def negotiate(offered: tuple[str, ...] = OFFERED) -> str:
    """The media type to answer with: ``?format=`` if given, else the best Accept match."""
    fmt = request.args.get("format")
    if fmt:
        media = _ALIASES.get(fmt.strip().lower())
        if media is None or media not in offered:
            raise NotAcceptable(fmt, offered)
        return media
    if not request.headers.get("Accept"):
        return offered[0]
    # application/json is served as JSON-LD (Skosmos does the same).
    best = request.accept_mimetypes.best_match((*offered, "application/json"))
    if best == "application/json" and "application/ld+json" in offered:
        return "application/ld+json"
    if best is None or best not in offered:
        raise NotAcceptable(request.headers.get("Accept", ""), offered)
    return best


def data_url(iri: str, ext: str) -> str:
    return "/data?" + urlencode({"uri": iri, "format": ext})


@lru_cache(maxsize=65536)
def page_url(iri: str, lang: str | None = None) -> str:
    """``/page?uri=…`` with ``lang`` only when it is a UI language (never a caller's text);
    cached: a page links the same concepts as the pages before it."""
    params = {"uri": iri}
    if lang in LANGUAGES:
        params["lang"] = lang
    return "/page?" + urlencode(params)


def page_href(iri: str) -> str:
    """The page of ``iri`` in the language of the current request (templates' ``page_href``)."""
    return page_url(iri, get_lang())


def alternates_link(iri: str) -> str:
    """A ``Link`` header value naming the HTML page and every RDF description of ``iri``."""
    parts = [f'<{page_url(iri)}>; rel="alternate"; type="text/html"']
    parts += [
        f'<{data_url(iri, t.ext)}>; rel="alternate"; type="{t.media_type}"' for t in RDF_TYPES
    ]
    return ", ".join(parts)


def _etag(build_id: str, media_type: str, status: int) -> str:
    """The validator of this request's representation: build, address, media type, status."""
    parts = (build_id, request.full_path, media_type, str(status))
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]


def conditional(resp: Response, build_id: str, built_at: float, *, vary_accept: bool) -> Response:
    """Add ETag / Last-Modified from the store build and answer 304 on a matching revalidation."""
    resp.set_etag(_etag(build_id, resp.mimetype or "", resp.status_code))
    resp.last_modified = datetime.fromtimestamp(built_at, tz=UTC)
    if vary_accept:
        resp.vary.add("Accept")
    resp.make_conditional(request)  # turns it into a 304 in place when the client's copy is fresh
    return resp


def not_modified(
    build_id: str, built_at: float, *, media_type: str, vary_accept: bool
) -> Response | None:
    """A ``304`` when the client's copy of the 200 ``media_type`` answer :func:`conditional`
    would give is still fresh, else ``None``: checked before the work of making the answer."""
    resp = conditional(
        Response(status=200, mimetype=media_type), build_id, built_at, vary_accept=vary_accept
    )
    return resp if resp.status_code == 304 else None
