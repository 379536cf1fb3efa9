"""``/api/…``: the indicator views as JSON, CSV or Excel, and the OpenAPI description.

Thin handlers: parse the query string, ask :mod:`kgservice.indicators.views` for the table,
render it in the negotiated format (``?format=`` overrides ``Accept``). Responses carry an
``ETag`` and ``Last-Modified`` derived from the data version (the store build); a matching
``If-None-Match`` / ``If-Modified-Since`` gets ``304 Not Modified``.
"""

from __future__ import annotations

import threading
from importlib import resources
from typing import Any

from flask import Blueprint, Response, jsonify, request

from kgservice.errors import NotFound, ParameterError, shown
from kgservice.indicators.areas import LEVELS
from kgservice.indicators.export import FORMATS, render
from kgservice.indicators.municipal import ALL_AREAS
from kgservice.indicators.service import IndicatorService, service_for
from kgservice.indicators.views import VIEWS, build_view, indicator_metadata
from kgservice.web import params
from kgservice.web.conneg import conditional, not_modified
from kgservice.web.storeaccess import get_settings, served_build
from kgservice.web.warmup import in_background

bp = Blueprint("api", __name__, url_prefix="/api")

_ACCEPT = {
    "application/json": "json",
    "text/csv": "csv",
    FORMATS["xlsx"]: "xlsx",
}


def indicator_service() -> IndicatorService:
    return service_for(served_build(), get_settings())


def validators(svc: IndicatorService) -> tuple[str, float]:
    """Build id and build time of the indicator data: what the ``ETag`` / ``Last-Modified`` of
    every ``/api`` and ``/views`` answer derive from (see :func:`conneg.conditional`)."""
    return svc.version.tag, svc.version.modified.timestamp()


def warm_up(app) -> threading.Thread:
    """Read the indicator registry, the regions, the years of every indicator and the series of
    the country, every cooperation area and every county while the server starts (these lookups
    grow with the number of indicators × years), so no situation picture of those areas and no
    first view waits for them."""
    return in_background(app, "indicators-warm-up", _warm_service)


#: The levels whose areas the situation picture is made for (their series are read at start-up).
SITUATION_LEVELS = ("country", "cooperation-area", "wellbeing-county")


def _warm_service() -> IndicatorService:
    svc = indicator_service()
    svc.all_years()
    country = svc.regions.country()
    if country is not None:  # the trend every situation picture draws beside its own area's
        svc.series_at_area(country)
    # the situation picture's areas (country, cooperation areas, counties): each one's series
    # is one query that grows with indicators × years (about 0.2 s per area at 50 × 20)
    for level in SITUATION_LEVELS[1:]:
        for region in svc.regions.at_level(level):
            svc.series_at_area(region)
    return svc


def negotiated_format() -> str:
    fmt = params.choice("format", list(FORMATS))
    if fmt:
        return fmt
    best = request.accept_mimetypes.best_match(list(_ACCEPT), default="application/json")
    return _ACCEPT.get(best or "application/json", "json")


#: The levels each view shows (the first is its default).
VIEW_LEVELS: dict[str, tuple[str, ...]] = {
    "phenomenon-in-brief": ("wellbeing-county", "cooperation-area", "country"),
    "phenomenon-view": ("municipality", "wellbeing-county", "cooperation-area", "country"),
}


def view_arguments(svc: IndicatorService, view: str, *, html: bool = False) -> dict[str, Any]:
    """``phenomenon``, ``level``, ``area`` and ``year`` of a view request, checked against the
    data (400 naming the valid choices; an area code of the right form that no region has: 404
    with the codes of its level). The HTML pages default to the first phenomenon."""
    out: dict[str, Any] = {"year": params.year(), "phenomenon": None, "level": None}
    if view != "situation-picture":
        slugs = [p.rsplit("/", 1)[-1] for p in svc.registry.phenomena()]
        given = params.raw("phenomenon")
        if given in svc.registry.phenomena():
            given = given.rsplit("/", 1)[-1]  # type: ignore[union-attr]
        if given is None and html and slugs:
            given = slugs[0]
        out["phenomenon"] = params.choice("phenomenon", slugs, is_required=True, value=given)
        levels = VIEW_LEVELS[view]
        level = params.raw("level")
        out["level"] = params.choice("level", levels, value=_LEVEL_SLUGS.get(level or "", level))
    if view == "phenomenon-view" and params.raw("area") == ALL_AREAS:
        out["area"] = ALL_AREAS  # every area of the level, chosen on purpose
        return out
    code = params.area()  # phenomenon in brief: the area it highlights (and its default level)
    if code is None and view == "situation-picture":
        code = "SSS"
    out["area"] = None if code is None else checked_area(svc, code)
    return out


def checked_area(svc: IndicatorService, code: str) -> str:
    """The official code of the region ``code`` names (a code or an IRI); one of the right form
    that no region has: 404 with the codes of its level."""
    try:
        if "://" in code and code not in svc.regions.by_iri:
            raise NotFound(f"no region {shown(code)}", rule="parameter-area")
        return svc.regions.find(code).code
    except NotFound as exc:
        known = [_CODE_LEVELS[len(code)]] if len(code) in _CODE_LEVELS else list(LEVELS)
        raise ParameterError(
            f"no area with code {shown(code)!r}; use a code listed in 'valid'",
            rule="parameter-area",
            parameter="area",
            value=code,
            valid=[r.code for lv in known for r in svc.regions.at_level(lv)],
            kind="choice",
            status=404,
        ) from exc


_LEVEL_SLUGS = {fi: api for api, fi in LEVELS.items()}  # Finnish concept slugs are accepted too
_CODE_LEVELS = {1: "cooperation-area", 2: "wellbeing-county", 3: "municipality"}


def _filename(view: str, params: dict, fmt: str) -> str:
    parts = [view] + [str(v) for k, v in params.items() if v not in (None, "") and k != "lang"]
    return "-".join(p.replace("/", "_") for p in parts) + "." + fmt


def view_response(view: str) -> Response:
    svc = indicator_service()
    fmt = negotiated_format()
    lang = params.ui_lang() or get_settings().default_lang
    args = view_arguments(svc, view)
    media_type = FORMATS[fmt].split(";")[0]
    build_id, built_at = validators(svc)
    fresh = not_modified(build_id, built_at, media_type=media_type, vary_accept=True)
    if fresh is not None:
        return fresh
    table = build_view(svc, view, lang=lang, **args)
    resp = Response(render(table, svc, fmt), mimetype=media_type)  # text/csv: charset=utf-8
    if fmt != "json":
        resp.headers["Content-Disposition"] = (
            f'attachment; filename="{_filename(view, table.params, fmt)}"'
        )
    return conditional(resp, build_id, built_at, vary_accept=True)


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
    lang = params.ui_lang() or get_settings().default_lang
    inds = sorted(svc.registry.indicators.values(), key=lambda i: i.slug)
    body = jsonify({"indicators": [indicator_metadata(svc, i, lang) for i in inds]})
    return conditional(body, *validators(svc), vary_accept=False)


def _spec_text() -> str:
    return resources.files("kgservice.web").joinpath("openapi.yaml").read_text("utf-8")


@bp.get("/openapi.yaml")
def openapi_yaml() -> Response:
    return Response(_spec_text(), mimetype="application/yaml")


@bp.get("/openapi.json")
def openapi_json():
    import yaml

    return jsonify(yaml.safe_load(_spec_text()))
