"""Security headers on every response: one policy, set in one ``after_request`` hook.

The headers are built with the ``secure`` library (typed builders that validate every token).
Every response gets them — HTML pages, JSON/CSV/Excel, SPARQL results, redirects, error
answers and static files — because the hook is registered on the application, not on a
blueprint, and Flask runs it for error handlers too.

The Content-Security-Policy allows only this origin and nothing inline:

* scripts: ``script-src 'self'`` and ``script-src-attr 'none'`` — the pages' JavaScript lives in
  ``static/*.js``; inline ``<script>`` blocks, ``on…=`` handlers and ``javascript:`` URLs do
  not run (``tests/web/test_security_headers.py`` scans the templates and rendered pages);
* styles: ``style-src 'self'`` — ``static/site.css`` only; no ``<style>`` blocks or ``style=``
  attributes. The server-rendered SVG charts colour their shapes with SVG presentation
  attributes (``fill=``, ``stroke=``), which CSP does not govern, so they need no exception;
* ``default-src 'self'`` for everything else (the autocomplete's ``fetch`` to ``/search/suggest``),
  ``object-src 'none'``, ``base-uri 'none'``, ``form-action 'self'``, ``frame-ancestors 'none'``.

Beside it: ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` (for browsers without
``frame-ancestors``), ``Referrer-Policy: no-referrer`` (no page's URL — search terms, SPARQL
text, the service's host name — leaves with a link), ``Cross-Origin-Opener-Policy: same-origin``
and a ``Permissions-Policy`` that switches off device APIs no page uses.

Deliberately not set: ``Strict-Transport-Security`` and any redirect to HTTPS. TLS is ended by
the reverse proxy in front of ``kgservice serve`` (which speaks plain HTTP on loopback), and
HSTS belongs to whoever owns the TLS certificate and host name — set it there.

Why ``secure`` and not flask-talisman: flask-talisman's last release is from 2023, it forces an
HTTPS redirect and HSTS by default (wrong behind a TLS-ending proxy and on the plain-HTTP test
servers), changes the session cookie settings and has no Cross-Origin-Opener-Policy; ``secure``
is maintained (2.0, 2026), has no dependencies, sets only what it is given and rejects a
malformed token when the policy is built (``strict=True`` below), not in a browser later.

CORS is the SPARQL and REST blueprints' own business (``Access-Control-Allow-Origin: *`` on
``/sparql`` and ``/rest/v1``); these headers do not touch it.
"""

from __future__ import annotations

from flask import Flask, Response
from secure import (
    ContentSecurityPolicy,
    CrossOriginOpenerPolicy,
    PermissionsPolicy,
    ReferrerPolicy,
    Secure,
    XContentTypeOptions,
    XFrameOptions,
)

SELF = "'self'"
NONE = "'none'"


def content_security_policy() -> ContentSecurityPolicy:
    """The one policy of every response (see the module docstring for the reasons)."""
    return (
        ContentSecurityPolicy()
        .default_src(SELF)
        .script_src(SELF)
        .script_src_attr(NONE)
        .style_src(SELF)
        .img_src(SELF)
        .connect_src(SELF)
        .object_src(NONE)
        .base_uri(NONE)
        .form_action(SELF)
        .frame_ancestors(NONE)
    )


def security_headers() -> Secure:
    """Every security header the service sends, as one ``secure.Secure``."""
    return Secure(
        csp=content_security_policy(),
        xcto=XContentTypeOptions().nosniff(),
        xfo=XFrameOptions().deny(),
        referrer=ReferrerPolicy().no_referrer(),
        coop=CrossOriginOpenerPolicy().same_origin(),
        permissions=(PermissionsPolicy().camera().geolocation().microphone().payment().usb()),
    ).validate_and_normalize_headers(on_invalid="raise", strict=True)


def register_security_headers(app: Flask) -> None:
    """Add the headers to every response of ``app`` (pages, API, errors, redirects, static)."""
    headers = security_headers()

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        headers.set_headers(response)
        return response
