"""Errors become ``application/problem+json`` (RFC 9457) for API clients, a page for browsers."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from kgservice.config import PROJECT_ROOT, Settings
from kgservice.errors import KgError, StoreError, StoreUnavailable

#: Seconds a client is asked to wait when no store is built yet (a build takes about a minute).
STORE_RETRY_AFTER_S = 60


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(StoreError, store_error)

    @app.errorhandler(KgError)
    def kg_error(exc: KgError):
        resp = jsonify(exc.problem())
        resp.status_code = exc.status
        resp.mimetype = "application/problem+json"
        return resp

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if _wants_html():
            return exc
        resp = jsonify(
            {
                "type": "about:blank",
                "title": exc.name,
                "status": exc.code,
                "detail": exc.description,
            }
        )
        resp.status_code = exc.code or 500
        resp.mimetype = "application/problem+json"
        return resp


def store_error(exc: StoreError):
    """The store failed or is missing. The log gets the whole story, paths included, for the
    operator; the response never carries a path. No build yet → 503 with ``Retry-After`` and how
    to build, as a page in the user's language or as problem+json."""
    current_app.logger.warning("store error: %s", exc.describe())
    if not isinstance(exc, StoreUnavailable):
        body = {k: v for k, v in exc.problem().items() if k not in ("file", "line")}
        body["detail"] = _without_paths(exc.message, current_app.config["KG_SETTINGS"])
        body["title"] = HTTP_STATUS_CODES.get(exc.status, "Store Error")  # no class names
        resp = jsonify(body)
        resp.status_code = exc.status
        resp.mimetype = "application/problem+json"
        return resp
    from kgservice.web import i18n

    unreadable = exc.rule == "store-unreadable"
    if _wants_html():
        resp = make_response(render_template("store_unavailable.html", unreadable=unreadable), 503)
    else:
        asked = request.args.get("lang", "")
        lang = asked if asked in i18n.LANGUAGES else "en"
        resp = jsonify(
            {
                "type": "about:blank",
                "title": "Service Unavailable",
                "status": 503,
                "detail": i18n.translate(
                    "store_unreadable_detail" if unreadable else "store_missing_detail", lang
                ),
                "rule": exc.rule,
            }
        )
        resp.status_code = 503
        resp.mimetype = "application/problem+json"
    resp.headers["Retry-After"] = str(STORE_RETRY_AFTER_S)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _without_paths(text: str, settings: Settings) -> str:
    """``text`` with the server's own directories replaced by ``…`` (a second guard: store
    messages should not name them in the first place)."""
    places = {settings.var_dir, settings.store_path, settings.store_path.parent, PROJECT_ROOT}
    names = {str(p) for p in places} | {str(p.resolve()) for p in places}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "…")
    return text
