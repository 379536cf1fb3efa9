"""``/api/…``: the indicator views as JSON, CSV or Excel, and the OpenAPI description.

Thin handlers: parse the query string, ask :mod:`kgservice.indicators.views` for the table,
render it in the negotiated format (``?format=`` overrides ``Accept``). Responses carry an
``ETag`` and ``Last-Modified`` derived from the data version (the store build); a matching
``If-None-Match`` / ``If-Modified-Since`` gets ``304 Not Modified``.
"""

from __future__ import annotations

import hashlib
import threading
from importlib import resources

from flask import Blueprint, Response, jsonify, request

from kgservice.errors import QueryError
from kgservice.indicators.export import FORMATS, render
from kgservice.indicators.service import IndicatorService, service_for
from kgservice.indicators.views import VIEWS, build_view, indicator_metadata
from kgservice.web.storeaccess import get_settings, get_store
from kgservice.web.warmup import in_background

bp = Blueprint("api", __name__, url_prefix="/api")

_ACCEPT = {
    "application/json": "json",
    "text/csv": "csv",
    FORMATS["xlsx"]: "xlsx",
}


def indicator_service() -> IndicatorService:
    return service_for(get_store(), get_settings())


def warm_up(app) -> threading.Thread:
    """Read the indicator registry and the regions while the server starts (about 0.2 s), so
    the first view does not wait for them."""
    return in_background(app, "indicators-warm-up", indicator_service)


def negotiated_format() -> str:
    fmt = request.args.get("format")
    if fmt:
        if fmt not in FORMATS:
            raise QueryError(
                f"unknown format {fmt!r}; use json, csv or xlsx", rule="view-parameter"
            )
        return fmt
    best = request.accept_mimetypes.best_match(list(_ACCEPT), default="application/json")
    return _ACCEPT.get(best or "application/json", "json")


def parse_year(text: str | None) -> int | None:
    if text in (None, ""):
        return None
    try:
        year = int(text)  # type: ignore[arg-type]
    except ValueError as exc:
        raise QueryError(
            f"year must be a number like 2024, not {text!r}", rule="view-parameter"
        ) from exc
    if not 1900 <= year <= 2100:
        raise QueryError(f"year {year} is out of range", rule="view-parameter")
    return year


def _filename(view: str, params: dict, fmt: str) -> str:
    parts = [view] + [str(v) for k, v in params.items() if v not in (None, "") and k != "lang"]
    return "-".join(p.replace("/", "_") for p in parts) + "." + fmt


def view_response(view: str) -> Response:
    svc = indicator_service()
    fmt = negotiated_format()
    lang = request.args.get("lang") or get_settings().default_lang
    args = {k: request.args.get(k) for k in ("phenomenon", "level", "area")}
    year = parse_year(request.args.get("year"))
    etag = hashlib.sha256(
        f"{svc.version.tag}|{view}|{sorted(request.args.items())}|{fmt}".encode()
    ).hexdigest()[:32]
    resp = Response(status=200)
    resp.set_etag(etag)
    resp.last_modified = svc.version.modified
    resp.headers["Vary"] = "Accept"
    if request.if_none_match.contains(etag) or (
        not request.if_none_match
        and request.if_modified_since
        and request.if_modified_since >= svc.version.modified
    ):
        resp.status_code = 304
        return resp
    table = build_view(svc, view, year=year, lang=lang, **args)
    resp.set_data(render(table, svc, fmt))
    resp.mimetype = FORMATS[fmt].split(";")[0]
    if fmt == "csv":
        resp.charset = "utf-8"
    if fmt != "json":
        resp.headers["Content-Disposition"] = (
            f'attachment; filename="{_filename(view, table.params, fmt)}"'
        )
    return resp


@bp.get("/views/situation-picture")
def situation_picture() -> Response:
    return view_response("situation-picture")


@bp.get("/views/phenomenon-in-brief")
def phenomenon_in_brief() -> Response:
    return view_response("phenomenon-in-brief")


@bp.get("/views/phenomenon-view")
def phenomenon_view() -> Response:
    return view_response("phenomenon-view")


@bp.get("/views")
def list_views():
    return jsonify(
        {
            "views": [
                {
                    "id": v,
                    "concept": f"{get_settings().base_iri}concept/view/{slug}",
                    "href": f"/api/views/{v}",
                }  # fmt: skip
                for v, slug in VIEWS.items()
            ]
        }
    )


@bp.get("/indicators")
def list_indicators():
    svc = indicator_service()
    lang = request.args.get("lang") or get_settings().default_lang
    inds = sorted(svc.registry.indicators.values(), key=lambda i: i.slug)
    return jsonify({"indicators": [indicator_metadata(svc, i, lang) for i in inds]})


def _spec_text() -> str:
    return resources.files("kgservice.web").joinpath("openapi.yaml").read_text("utf-8")


@bp.get("/openapi.yaml")
def openapi_yaml() -> Response:
    return Response(_spec_text(), mimetype="application/yaml")


@bp.get("/openapi.json")
def openapi_json():
    import yaml

    return jsonify(yaml.safe_load(_spec_text()))
