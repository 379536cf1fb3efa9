"""Blueprint ``resolve``: every IRI under the base namespace dereferences (W3C "Cool URIs").

The service mints *slash* IRIs for things (concepts, classes, regions, structures) and answers a
request for such an IRI with **303 See Other** to a document about it, chosen by content
negotiation (werkzeug's ``Accept`` parsing with q-values, or ``?format=``):

* ``text/html`` → ``/page?uri=<iri>`` (the term browser page)
* ``text/turtle``, ``application/ld+json``, ``application/rdf+xml``, ``application/n-triples``
  → ``/data?uri=<iri>&format=ttl|jsonld|rdf|nt`` (the resource's triples + labels of linked things)

Both the 303 and the documents carry ``Vary: Accept`` and ``Link`` headers to every alternate;
documents carry ``ETag``/``Last-Modified`` from the store build and answer 304 on revalidation.
Unknown IRIs get 404 (a helpful page for browsers); an unsupported type gets 406 with the offered
list. ``/entity?uri=`` does the same for any IRI the store knows, also outside the base (Skosmos).
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
)
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from kgservice.errors import KgError, NotFound, shown
from kgservice.terms.describe import description, is_known, serialise
from kgservice.terms.index import local_name
from kgservice.web import params
from kgservice.web.conneg import (
    HTML,
    OFFERED,
    RDF_TYPES,
    NotAcceptable,
    alternates_link,
    conditional,
    data_url,
    negotiate,
    page_url,
    problem_response,
    rdf_type,
    wants_html,
)
from kgservice.web.errors import kg_error_page
from kgservice.web.i18n import error_lang, page_context
from kgservice.web.storeaccess import get_settings, get_store
from kgservice.web.terms import current_index

bp = Blueprint("resolve", __name__)


def _known(iri: str) -> bool:
    return is_known(current_index(), get_store(), get_settings(), iri)


def _not_found(iri: str) -> Response:
    if wants_html() or not request.headers.get("Accept"):
        context = page_context(error_lang())
        resp = make_response(
            render_template("terms/not_found.html", uri=iri, index=current_index(), **context),
            404,
        )
    else:
        err = NotFound(f"no resource <{shown(iri)}> in the knowledge graph", rule="unknown-iri")
        resp = problem_response(err.problem(), 404)
    resp.vary.add("Accept")
    return resp


def _not_acceptable(exc: NotAcceptable) -> Response:
    if wants_html():
        return kg_error_page(exc)
    body = exc.problem()
    body["offered"] = list(exc.offered)
    return problem_response(body, 406)


def _see_other(iri: str) -> WerkzeugResponse:
    try:
        media = negotiate(OFFERED)
    except NotAcceptable as exc:
        return _not_acceptable(exc)
    if media == HTML:
        target = page_url(iri, params.ui_lang())
    else:
        target = data_url(iri, rdf_type(media).ext)
    resp = redirect(target, code=303)
    resp.vary.add("Accept")
    resp.headers["Link"] = alternates_link(iri)
    return resp


@bp.route("/entity", methods=["GET", "HEAD"])
def entity():
    """Skosmos's ``/entity?uri=``: 303 to the page or the data of any IRI the store knows."""
    iri = params.iri("uri")
    if not _known(iri):
        return _not_found(iri)
    return _see_other(iri)


def download_name(iri: str) -> str:
    """The file name of a resource's description: its IRI's local name ("asunnottomuus"), in
    the characters every file system and header accepts; "description" if none is left."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", local_name(iri)).strip(".-")
    return name or "description"


@bp.route("/data", methods=["GET", "HEAD"])
def data():
    """The RDF description of ``?uri=`` in the negotiated format (``?format=`` overrides)."""
    iri = params.iri("uri")
    rdf_offered = tuple(t.media_type for t in RDF_TYPES)
    try:
        media = negotiate(rdf_offered)
    except NotAcceptable as exc:
        return _not_acceptable(exc)
    settings = get_settings()
    triples = description(get_store(), settings, iri)
    if not triples and not _known(iri):
        return _not_found(iri)
    rdf = rdf_type(media)
    resp = make_response(serialise(triples, rdf.fmt, settings, iri))
    resp.mimetype = rdf.media_type  # Werkzeug adds charset=utf-8 to text/* and XML types
    resp.headers["Link"] = alternates_link(iri)
    resp.headers["Content-Disposition"] = f'attachment; filename="{download_name(iri)}.{rdf.ext}"'
    idx = current_index()
    return conditional(resp, idx.build_id, idx.built_at, vary_accept=True)


@bp.route("/<path:path>", methods=["GET", "HEAD"])
def resolve(path: str):
    """Any IRI under the configured base namespace."""
    settings = get_settings()
    iri = settings.base_iri + path
    try:
        iri = params.iri("uri", value=iri)
    except KgError:
        return _not_found(iri)
    if not _known(iri):
        slashed = _route_with_slash(path)
        if slashed is not None:  # e.g. /rest/v1/regions → /rest/v1/regions/
            return redirect(slashed, code=308)
        return _not_found(iri)
    return _see_other(iri)


def _route_with_slash(path: str) -> str | None:
    """``/path/`` when another route answers it (this catch-all shadows werkzeug's redirect)."""
    if path.endswith("/") or len(path) > params.MAX_IRI:
        return None
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match("/" + path + "/", method="GET")
    except HTTPException:
        return None
    if endpoint == "resolve.resolve":
        return None
    query = request.query_string.decode()
    return "/" + path + "/" + ("?" + query if query else "")
