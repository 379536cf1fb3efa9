"""Query parameters of every blueprint, checked in one place: one function per kind of parameter.

Each reader takes the parameter's name, reads ``request.args`` and returns the value in its
checked form, or raises :class:`~kgservice.errors.ParameterError` (HTTP 400, or 404 where an
existing contract says so) naming the parameter, the rule and the valid choices. What a caller sent
is echoed cut to :data:`~kgservice.errors.ECHO_LIMIT` characters. The web error handlers turn the
error into ``application/problem+json`` or, for browsers, a page in the user's language.

The first layer: :class:`PathLengthLimit` (before routing) and :func:`check_request` (before
every request: the length of the query string and ``lang``). The handlers read their parameters
through these functions again (the second layer), so a route stays safe with the first layer
switched off. The rules, parameter by parameter: ``docs/parameters.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask import Flask, request
from pyoxigraph import NamedNode

from kgservice.errors import ParameterError, shown
from kgservice.texts import LANGUAGES
from kgservice.web.conneg import problem_response

#: Longest query string accepted outside ``/sparql`` (which has its own size limits).
MAX_QUERY_STRING = 4096
#: Longest path accepted (bytes, before routing); an IRI under the base is far shorter.
MAX_PATH = 2048
#: Longest IRI accepted in ``uri`` and similar parameters.
MAX_IRI = 2048
#: Longest search text (``q``, ``query``, ``label``).
MAX_SEARCH_TEXT = 200
#: BCP 47 language tags are short; RFC 5646 §4.4.1 asks implementations to take at least 35.
MAX_LANGUAGE_TAG = 35
#: A language tag by RFC 5646's grammar (``langtag`` with extensions and private use; the
#: irregular grandfathered tags are refused). The OpenAPI file carries the same pattern.
LANGUAGE_TAG_PATTERN = (
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language, extlang
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"  # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"  # extensions
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?$"  # private use
)
_LANGUAGE_TAG = re.compile(LANGUAGE_TAG_PATTERN)
#: Area codes: SSS (whole country), 1-5, two or three digits, or a region IRI.
AREA_PATTERN = r"^(?:SSS|sss|[0-9]{1,3}|https?://[!-~]{1,2040})$"
_AREA = re.compile(AREA_PATTERN)
#: Routes whose ``lang`` is a content language (BCP 47) rather than the page language.
CONTENT_LANG_BLUEPRINTS = frozenset({"rest"})
#: Routes with their own parameter rules (the SPARQL protocol).
OWN_RULES_BLUEPRINTS = frozenset({"sparql"})


def raw(name: str) -> str | None:
    """The parameter as sent, ``None`` when absent or empty."""
    value = request.args.get(name)
    return value if value else None


def required(name: str, valid: list[str] | dict[str, Any] | None = None) -> ParameterError:
    return ParameterError(
        f"parameter {name!r} is required",
        rule="parameter-required",
        parameter=name,
        valid=valid,
        kind="required",
    )


def choice(
    name: str,
    choices: Sequence[str],
    *,
    default: str | None = None,
    is_required: bool = False,
    status: int = 400,
    value: str | None = None,
) -> str | None:
    """One of ``choices`` (exact match); ``default`` when absent."""
    text = raw(name) if value is None else value
    if text is None:
        if is_required:
            raise required(name, list(choices))
        return default
    if text in choices:
        return text
    raise not_a_choice(name, text, choices, status)


def too_long(
    name: str,
    value: str,
    max_length: int,
    *,
    rule: str = "parameter-length",
    valid: dict[str, Any] | None = None,
    tail: str = "",
) -> ParameterError:
    """The error for a value of ``name`` over ``max_length`` characters; ``valid`` defaults to
    ``{"maxLength": max_length}``, ``tail`` ends the message."""
    return ParameterError(
        f"parameter {name!r} may be at most {max_length} characters long{tail}",
        rule=rule,
        parameter=name,
        value=value,
        valid={"maxLength": max_length} if valid is None else valid,
        kind="length",
    )


def not_a_choice(name: str, text: str, choices: Sequence[str], status: int = 400) -> ParameterError:
    """The error for a value of ``name`` that is none of ``choices``."""
    return ParameterError(
        f"parameter {name!r} must be one of {', '.join(choices)}; not {shown(text)!r}",
        rule="parameter-choice",
        parameter=name,
        value=text,
        valid=list(choices),
        kind="choice",
        status=status,
    )


def ui_lang(name: str = "lang") -> str | None:
    """A user-interface language: ``fi``, ``sv`` or ``en``."""
    return choice(name, LANGUAGES)


def is_language_tag(text: str) -> bool:
    """Whether ``text`` is a well-formed BCP 47 tag of at most :data:`MAX_LANGUAGE_TAG`
    characters (letters, digits and hyphens only, so it is safe in JSON-LD and headers)."""
    return len(text) <= MAX_LANGUAGE_TAG and _LANGUAGE_TAG.fullmatch(text) is not None


def content_lang(name: str = "lang", *, is_required: bool = False) -> str | None:
    """A content language as a BCP 47 tag (``fi``, ``sv-FI``, ``en``)."""
    text = raw(name)
    if text is None:
        if is_required:
            raise required(name, list(LANGUAGES))
        return None
    if is_language_tag(text):
        return text
    raise ParameterError(
        f"parameter {name!r} must be a BCP 47 language tag of at most {MAX_LANGUAGE_TAG} "
        f"characters, such as fi, sv or en; not {shown(text)!r}",
        rule="parameter-language-tag",
        parameter=name,
        value=text,
        valid={
            "examples": list(LANGUAGES),
            "maxLength": MAX_LANGUAGE_TAG,
            "pattern": LANGUAGE_TAG_PATTERN,
        },
        kind="syntax",
    )


def integer(name: str, minimum: int, maximum: int, default: int | None = None) -> int | None:
    """A decimal integer in ``minimum..maximum``; ``default`` when absent."""
    text = raw(name)
    if text is None:
        return default
    bounds = {"minimum": minimum, "maximum": maximum}
    if not re.fullmatch(r"-?[0-9]{1,12}", text):
        raise ParameterError(
            f"parameter {name!r} must be an integer from {minimum} to {maximum}; "
            f"not {shown(text)!r}",
            rule="parameter-integer",
            parameter=name,
            value=text,
            valid=bounds,
            kind="integer",
        )
    number = int(text)
    if not minimum <= number <= maximum:
        raise ParameterError(
            f"parameter {name!r} must be from {minimum} to {maximum}; not {number}",
            rule="parameter-range",
            parameter=name,
            value=text,
            valid=bounds,
            kind="range",
        )
    return number


def year(name: str = "year") -> int | None:
    """A statistics year, 1900-2100."""
    return integer(name, 1900, 2100)


def text(name: str, max_length: int, *, is_required: bool = False) -> str | None:
    """Free text of at most ``max_length`` characters."""
    value = raw(name)
    if value is None:
        if is_required:
            raise required(name, {"maxLength": max_length})
        return None
    if len(value) > max_length:
        raise too_long(name, value, max_length, tail=f"; it has {len(value)}")
    return value


def iri(name: str = "uri", *, value: str | None = None) -> str:
    """An absolute IRI of at most :data:`MAX_IRI` characters (required)."""
    given = raw(name) if value is None else value
    stripped = given.strip() if given else ""
    if not stripped:
        raise required(name, {"syntax": "absolute IRI (RFC 3987)", "maxLength": MAX_IRI})
    valid = {"syntax": "absolute IRI (RFC 3987)", "maxLength": MAX_IRI}
    if len(stripped) > MAX_IRI:
        raise too_long(name, stripped, MAX_IRI, rule="uri-parameter", valid=valid)
    try:
        return NamedNode(stripped).value
    except ValueError as exc:
        raise ParameterError(
            f"parameter {name!r} is not a valid IRI: {shown(stripped)!r} ({shown(str(exc))})",
            rule="uri-parameter",
            parameter=name,
            value=stripped,
            valid=valid,
            kind="iri",
        ) from exc


def area(name: str = "area") -> str | None:
    """An area code (``SSS``, ``1``-``5``, two or three digits) or a region IRI."""
    value = raw(name)
    if value is None:
        return None
    if _AREA.fullmatch(value):
        return value
    raise ParameterError(
        f"parameter {name!r} must be SSS (whole country), a cooperation-area number (1-5), a "
        f"two-digit county code or a three-digit municipality code; not {shown(value)!r}",
        rule="parameter-area",
        parameter=name,
        value=value,
        valid={"pattern": AREA_PATTERN, "examples": ["SSS", "5", "20", "091"]},
        kind="syntax",
    )


def uri_too_long(detail: str, rule: str, max_bytes: int) -> ParameterError:
    """A ``414 URI Too Long``: part of the address is longer than ``max_bytes``."""
    return ParameterError(
        detail, rule=rule, parameter="", valid={"maxLength": max_bytes}, kind="length", status=414
    )


def check_request() -> None:
    """The first layer, before every request: query-string length and ``lang``."""
    blueprint = request.blueprint or ""
    if blueprint in OWN_RULES_BLUEPRINTS or request.endpoint in (None, "static"):
        return
    if len(request.query_string) > MAX_QUERY_STRING:
        raise uri_too_long(
            f"the query string may be at most {MAX_QUERY_STRING} bytes long; "
            f"it has {len(request.query_string)}",
            "query-string-length",
            MAX_QUERY_STRING,
        )
    if blueprint in CONTENT_LANG_BLUEPRINTS:
        content_lang("lang")
        content_lang("labellang")
    else:
        ui_lang("lang")


class PathLengthLimit:
    """WSGI middleware: a path longer than :data:`MAX_PATH` bytes is a 414 before routing (so
    no redirect, such as werkzeug's to the address with a trailing slash, can copy it into a
    ``Location`` header)."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if len(environ.get("PATH_INFO", "")) > MAX_PATH:
            err = uri_too_long(
                f"the path may be at most {MAX_PATH} bytes long", "path-length", MAX_PATH
            )
            return problem_response(err.problem(), 414)(environ, start_response)
        return self.wsgi_app(environ, start_response)


def register(app: Flask) -> None:
    app.before_request(check_request)
    app.wsgi_app = PathLengthLimit(app.wsgi_app)  # type: ignore[method-assign]
