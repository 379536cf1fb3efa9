"""Errors become ``application/problem+json`` (RFC 9457) for API clients, a page for browsers.

"Browser" is :func:`kgservice.web.conneg.wants_html` (``Accept`` prefers ``text/html``). The page
is in the user's language (:func:`kgservice.web.i18n.error_lang`) and says what was wrong: for a
:class:`~kgservice.errors.ParameterError` the parameter, its rule and the valid choices, each a
link to the same address with that value. Whatever the caller sent is echoed cut short.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, make_response, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from kgservice.config import PROJECT_ROOT, Settings
from kgservice.errors import KgError, ParameterError, StoreError, StoreUnavailable
from kgservice.texts import LANGUAGES, translate
from kgservice.web.conneg import problem_response, wants_html
from kgservice.web.i18n import error_lang, page_context

#: At most this many valid choices are listed (as links) on an error page.
CHOICE_LIMIT = 400

#: Seconds a client is asked to wait when no store is built yet (a build takes about a minute).
STORE_RETRY_AFTER_S = 60


def _replaced_url(name: str, value: str) -> str:
    """The current address with parameter ``name`` set to ``value``."""
    args = request.args.to_dict(flat=False)
    args[name] = [value]
    return request.path + "?" + urlencode(args, doseq=True)


def _parameter_message(exc: ParameterError, lang: str) -> tuple[str, list[tuple[str, str]]]:
    """The translated sentence about ``exc`` and the (label, link) choices to list."""
    valid: Any = exc.valid
    bounds = valid if isinstance(valid, dict) else {}
    key = {
        "choice": "err_choice",
        "required": "err_required",
        "integer": "err_integer",
        "range": "err_range",
        "length": "err_length" if exc.parameter else "err_query_length",
        "syntax": "err_syntax",
        "iri": "err_iri",
    }.get(exc.kind, "err_generic_400")
    message = translate(key, lang).format(
        param=exc.parameter,
        minimum=bounds.get("minimum", ""),
        maximum=bounds.get("maximum", ""),
        max_length=bounds.get("maxLength", ""),
    )
    choices: list[tuple[str, str]] = []
    if isinstance(valid, list):
        links = exc.parameter and exc.parameter in request.args or exc.kind == "required"
        for value in valid[:CHOICE_LIMIT]:
            choices.append((value, _replaced_url(exc.parameter, value) if links else ""))
        if exc.kind == "required" and choices:
            message += " " + translate("err_choose", lang)
    return message, choices


def error_page(
    status: int,
    *,
    message: str,
    choices: list[tuple[str, str]] | None = None,
    examples: list[str] | None = None,
    value: str | None = None,
    rule: str | None = None,
    lang: str | None = None,
) -> Response:
    lang = lang or error_lang()
    title_key = f"err_title_{status}"
    title = translate(title_key if title_key in _TITLES else "err_title_other", lang)
    html = render_template(
        "error.html",
        title=title,
        message=message,
        choices=choices or [],
        examples=examples or [],
        value=value,
        rule=rule,
        status=status,
        **page_context(lang),
    )
    resp = make_response(html, status)
    resp.vary.add("Accept")
    resp.vary.add("Accept-Language")
    return resp


_TITLES = {"err_title_400", "err_title_404", "err_title_405", "err_title_406", "err_title_414"}


def kg_error_page(exc: KgError) -> Response:
    lang = error_lang()
    if isinstance(exc, ParameterError):
        message, choices = _parameter_message(exc, lang)
        examples = exc.valid.get("examples") if isinstance(exc.valid, dict) else None
        return error_page(
            exc.status,
            message=message,
            choices=choices,
            examples=examples,
            value=exc.value,
            rule=exc.rule,
            lang=lang,
        )
    offered = getattr(exc, "offered", None)
    if exc.status == 406 and offered:
        return error_page(
            406,
            message=translate("err_406", lang),
            choices=[(o, "") for o in offered],
            rule=exc.rule,
            lang=lang,
        )
    key = {404: "err_404"}.get(exc.status, "err_generic_400" if exc.status < 500 else "err_server")
    return error_page(exc.status, message=translate(key, lang), rule=exc.rule, lang=lang)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(StoreError, store_error)

    @app.errorhandler(KgError)
    def kg_error(exc: KgError):
        if wants_html():
            return kg_error_page(exc)
        body = exc.problem()
        offered = getattr(exc, "offered", None)
        if offered:
            body["offered"] = list(offered)
        return problem_response(body, exc.status)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        if wants_html():
            lang = error_lang()
            if status == 405:
                allowed = sorted(getattr(exc, "valid_methods", None) or [])
                resp = error_page(
                    405,
                    message=translate("err_405", lang).format(method=request.method),
                    choices=[(m, "") for m in allowed],
                    lang=lang,
                )
            else:
                key = {404: "err_404"}.get(
                    status, "err_generic_400" if status < 500 else "err_server"
                )
                resp = error_page(status, message=translate(key, lang), lang=lang)
        else:
            resp = problem_response(
                {
                    "type": "about:blank",
                    "title": exc.name,
                    "status": status,
                    "detail": exc.description,
                },
                status,
            )
        for name, value in headers:
            resp.headers[name] = value
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
        return problem_response(body, exc.status)
    unreadable = exc.rule == "store-unreadable"
    if wants_html():
        resp = make_response(render_template("store_unavailable.html", unreadable=unreadable), 503)
    else:
        asked = request.args.get("lang", "")
        lang = asked if asked in LANGUAGES else "en"
        resp = problem_response(
            {
                "type": "about:blank",
                "title": "Service Unavailable",
                "status": 503,
                "detail": translate(
                    "store_unreadable_detail" if unreadable else "store_missing_detail", lang
                ),
                "rule": exc.rule,
            },
            503,
        )
    resp.headers["Retry-After"] = str(STORE_RETRY_AFTER_S)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _without_paths(text: str, settings: Settings) -> str:
    """``text`` with the server's own directories replaced by ``…`` (a second guard: store
    messages should not name them in the first place)."""
    places = {settings.var_dir, settings.store_path, settings.store_path.parent, PROJECT_ROOT}
    places.add(settings.project_dir)
    names = {str(p) for p in places} | {str(p.resolve()) for p in places}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "…")
    return text
