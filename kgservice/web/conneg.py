"""HTTP representation choice and caching headers for the term browser and concept IRIs.

Negotiation uses werkzeug's ``Accept`` parsing (q-values, wildcards); ``?format=`` overrides it.
Validators come from the store build: the ETag is a hash of the build id and the representation,
Last-Modified the build time, so a rebuilt store invalidates every cached page at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlencode

from flask import Response, request
from pyoxigraph import RdfFormat

from kgservice.errors import KgError
from kgservice.terms.lang import LANGUAGES
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


def wants_html() -> bool:
    """Whether the client prefers an HTML page to JSON (a browser): the one decision every
    error answer and page-or-data choice makes. No ``Accept`` header means an API client."""
    accept = request.accept_mimetypes
    best = accept.best_match(["application/json", "application/problem+json", HTML])
    return best == HTML and accept[HTML] > 0


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


def conditional(resp: Response, build_id: str, built_at: float, *, vary_accept: bool) -> Response:
    """Add ETag / Last-Modified from the store build and answer 304 on a matching revalidation."""
    tag = hashlib.sha256(
        "\x00".join(
            (build_id, request.full_path, resp.mimetype or "", str(resp.status_code))
        ).encode()
    ).hexdigest()[:32]
    resp.set_etag(tag)
    resp.last_modified = datetime.fromtimestamp(built_at, tz=UTC)
    if vary_accept:
        resp.vary.add("Accept")
    resp.make_conditional(request)  # turns it into a 304 in place when the client's copy is fresh
    return resp
