"""Errors become ``application/problem+json`` (RFC 9457) for API clients, a page for browsers."""

from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from kgservice.errors import KgError


def _wants_html() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > 0


def register_error_handlers(app: Flask) -> None:
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
