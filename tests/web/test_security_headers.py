"""Security headers on every response, and no inline script or style anywhere in the pages.

One URL per route family (pages, API, SPARQL, static files, redirects, errors) on the full build;
the policy itself is read directive by directive. The template scan reads the template sources
(so a new template with an inline ``<script>`` fails here) and the rendered pages (so markup made
in Python, like the SVG charts, is covered too).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask

WEB = Path(__file__).resolve().parents[2] / "kgservice" / "web"
TEMPLATES = WEB / "templates"
STATIC = WEB / "static"

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
SPARQL_JSON = {"Accept": "application/sparql-results+json"}
ASK = quote("ASK { ?s ?p ?o }")


def _concept_page(base: str) -> str:
    return f"/page?uri={quote(base + 'concept/phenomenon/asunnottomuus', safe='')}&lang=fi"


# (id, method, path, request headers, expected status, expected media type)
ROUTES = [
    ("front-page", "GET", "/?lang=fi", HTML, 200, "text/html"),
    ("vocabulary-page", "GET", "/vocab/phenomenon/?lang=en", HTML, 200, "text/html"),
    ("concept-page", "GET", "{concept_page}", HTML, 200, "text/html"),
    ("search-page", "GET", "/search?q=asunnottomuus&lang=fi", HTML, 200, "text/html"),
    ("autocomplete-json", "GET", "/search/suggest?q=asunn", JSON, 200, "application/json"),
    ("sparql-page", "GET", "/sparql", HTML, 200, "text/html"),
    (
        "sparql-json",
        "GET",
        f"/sparql?query={ASK}",
        SPARQL_JSON,
        200,
        "application/sparql-results+json",
    ),
    ("sparql-service-description", "GET", "/sparql", {"Accept": "text/turtle"}, 200, "text/turtle"),
    (
        "sparql-refused-update",
        "GET",
        f"/sparql?query={quote('DROP ALL')}",
        SPARQL_JSON,
        400,
        "application/problem+json",
    ),
    ("rest-vocabularies", "GET", "/rest/v1/vocabularies?lang=fi", JSON, 200, "application/json"),
    ("views-index", "GET", "/views/?lang=fi", HTML, 200, "text/html"),
    ("views-page", "GET", "/views/situation-picture?area=20&lang=fi", HTML, 200, "text/html"),
    (
        "api-view-json",
        "GET",
        "/api/views/situation-picture?area=20&format=json",
        {},
        200,
        "application/json",
    ),
    ("api-view-csv", "GET", "/api/views/situation-picture?area=20&format=csv", {}, 200, "text/csv"),
    (
        "api-view-xlsx",
        "GET",
        "/api/views/situation-picture?area=20&format=xlsx",
        {},
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("openapi-yaml", "GET", "/api/openapi.yaml", {}, 200, None),
    ("static-css", "GET", "/static/site.css", {}, 200, "text/css"),
    ("static-js", "GET", "/static/autocomplete.js", {}, 200, "text/javascript"),
    ("not-found-html", "GET", "/no/such/thing", HTML, 404, "text/html"),
    ("not-found-json", "GET", "/no/such/thing", JSON, 404, "application/problem+json"),
    (
        "bad-parameter-problem-json",
        "GET",
        "/api/views/situation-picture?year=twenty",
        JSON,
        400,
        "application/problem+json",
    ),
    ("method-not-allowed", "DELETE", "/?lang=fi", JSON, 405, "application/problem+json"),
    ("iri-dereference-redirect", "GET", "/concept/phenomenon/asunnottomuus", HTML, 303, None),
    ("trailing-slash-redirect", "GET", "/vocab/phenomenon", HTML, 308, None),
    ("head-front-page", "HEAD", "/?lang=fi", HTML, 200, "text/html"),
]


def csp_directives(value: str) -> dict[str, list[str]]:
    """``default-src 'self'; object-src 'none'`` → ``{"default-src": ["'self'"], …}``."""
    out: dict[str, list[str]] = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens:
            assert tokens[0].lower() not in out, f"directive {tokens[0]} given twice"
            out[tokens[0].lower()] = tokens[1:]
    return out


def assert_security_headers(headers) -> None:
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, f"{name}: {headers.get(name)!r}"
    csp = headers.get("Content-Security-Policy")
    assert csp, "no Content-Security-Policy"
    directives = csp_directives(csp)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "camera=()" in headers.get("Permissions-Policy", "")


@pytest.mark.parametrize(
    ("method", "path", "req_headers", "status", "media"),
    [r[1:] for r in ROUTES],
    ids=[r[0] for r in ROUTES],
)
def test_every_route_family_answers_with_the_security_headers(
    client, built_settings, method, path, req_headers, status, media
):
    path = path.format(concept_page=_concept_page(built_settings.base_iri))
    resp = client.open(path, method=method, headers=req_headers)
    assert resp.status_code == status, resp.get_data(as_text=True)[:300]
    if media:
        assert resp.mimetype == media
    assert_security_headers(resp.headers)


def test_a_not_modified_answer_carries_the_headers_too(client):
    url = "/api/views/situation-picture?area=20&format=json"
    etag = client.get(url).headers["ETag"]
    resp = client.get(url, headers={"If-None-Match": etag})
    assert resp.status_code == 304
    assert_security_headers(resp.headers)


def test_an_unexpected_server_error_carries_the_headers(app_factory, built_settings):
    app = app_factory(built_settings, testing=False)  # the 500 is answered, not raised

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("a bug")

    resp = app.test_client().get("/boom-for-test", headers=JSON)
    assert resp.status_code == 500
    assert_security_headers(resp.headers)


def test_policy_allows_nothing_inline_nothing_foreign_and_no_framing(client):
    directives = csp_directives(client.get("/?lang=fi").headers["Content-Security-Policy"])
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    sources = {s for values in directives.values() for s in values}
    assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"}


def test_no_forced_https_and_no_hsts_from_the_app(client):
    """TLS ends at the reverse proxy: the app itself serves plain HTTP on loopback."""
    resp = client.get("/?lang=fi", headers=HTML)
    assert resp.status_code == 200
    assert "Strict-Transport-Security" not in resp.headers
    assert "upgrade-insecure-requests" not in resp.headers["Content-Security-Policy"]


def test_sparql_keeps_its_cors_header_beside_the_security_headers(client):
    resp = client.get(f"/sparql?query={ASK}", headers=SPARQL_JSON)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert_security_headers(resp.headers)
    preflight = client.options(
        "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert_security_headers(preflight.headers)


def test_a_view_cannot_loosen_the_policy_for_its_own_response(app_factory, built_settings):
    app: Flask = app_factory(built_settings, testing=False)

    @app.get("/loose-for-test")
    def loose():
        return "x", 200, {"Content-Security-Policy": "script-src * 'unsafe-inline'"}

    resp = app.test_client().get("/loose-for-test")
    assert csp_directives(resp.headers["Content-Security-Policy"])["script-src"] == ["'self'"]
    assert len(resp.headers.getlist("Content-Security-Policy")) == 1


# --- no inline script, handler or style: the template sources --------------------------------

INLINE_IN_SOURCE = {
    "inline <script> without src": re.compile(r"<script\b(?![^>]*\bsrc\s*=)", re.I),
    "<script src> with a body": re.compile(r"<script\b[^>]*\bsrc\s*=[^>]*>\s*[^<\s]", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "inline event handler on…=": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript\s*:", re.I),
}


def inline_findings_in_source(text: str) -> list[str]:
    return [name for name, rx in INLINE_IN_SOURCE.items() if rx.search(text)]


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script src="/x.js">alert(1)</script>',
        "<style>p{}</style>",
        '<p style="color:red">',
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_the_source_scan_finds_each_kind_of_inline_code(snippet):
    assert inline_findings_in_source(snippet)


def test_templates_have_no_inline_script_event_handler_or_style():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) >= 10
    findings = {
        str(p.relative_to(TEMPLATES)): found
        for p in templates
        if (found := inline_findings_in_source(p.read_text("utf-8")))
    }
    assert findings == {}


def test_static_scripts_need_no_eval():
    scripts = sorted(STATIC.glob("*.js"))
    assert {p.name for p in scripts} >= {"autocomplete.js", "sparql.js"}
    for p in scripts:
        text = p.read_text("utf-8")
        assert not re.search(r"\beval\s*\(|new\s+Function\s*\(|set(Timeout|Interval)\s*\(\s*['\"]",
                             text), p.name  # fmt: skip


# --- no inline script, handler or style: the rendered pages ----------------------------------


class InlineFinder(HTMLParser):
    """Collects every inline script, handler, style and ``javascript:`` URL of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.in_script_with_src = False
        self.scripts_with_src = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k.lower(): v or "" for k, v in attrs}
        if tag == "script":
            if "src" not in names:
                self.findings.append("<script> without src")
            else:
                self.scripts_with_src += 1
                self.in_script_with_src = True
        if tag == "style":
            self.findings.append("<style>")
        for name, value in names.items():
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=>")
            if name == "style":
                self.findings.append(f"<{tag} style=>")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and re.match(
                r"\s*javascript\s*:", value, re.I
            ):
                self.findings.append(f"<{tag} {name}=javascript:>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script_with_src = False

    def handle_data(self, data: str) -> None:
        if self.in_script_with_src and data.strip():
            self.findings.append("<script src> with a body")


def inline_findings(html: str) -> InlineFinder:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder


def test_the_page_scan_finds_each_kind_of_inline_code():
    page = (
        "<script>x()</script><script src=/a.js>y()</script><style>p{}</style>"
        '<p style="color:red" onmouseover="x()"><a href="JavaScript:x()">a</a>'
        '<svg><path onload="x()"/></svg>'
    )
    assert inline_findings(page).findings == [
        "<script> without src",
        "<script src> with a body",
        "<style>",
        "<p style=>",
        "<p onmouseover=>",
        "<a href=javascript:>",
        "<path onload=>",
    ]


RENDERED_PAGES = [
    "/?lang=fi",
    "/?lang=sv",
    "/vocab/phenomenon/?lang=en",
    "/vocab/service-task/hierarchy?lang=fi",
    "/vocab/service-task/index?lang=fi",
    "{concept_page}",
    "/search?q=asunnottomuus&lang=fi",
    "/sparql",
    "/sparql?query=" + quote("SELECT ?s WHERE { ?s a ?t } LIMIT 3"),
    "/sparql?query=" + quote("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"),
    "/sparql?query=" + quote("DROP ALL"),
    "/views/?lang=fi",
    "/views/situation-picture?area=20&lang=fi",
    "/views/phenomenon-in-brief?phenomenon=mielenterveys&level=wellbeing-county&lang=sv",
    "/views/phenomenon-view?phenomenon=mielenterveys&area=20&lang=en",
    "/no/such/thing",
]


@pytest.mark.parametrize("path", RENDERED_PAGES)
def test_rendered_pages_have_no_inline_script_event_handler_or_style(client, built_settings, path):
    path = path.format(concept_page=_concept_page(built_settings.base_iri))
    resp = client.get(path, headers=HTML)
    assert resp.mimetype == "text/html"
    found = inline_findings(resp.get_data(as_text=True))
    assert found.findings == []


def test_the_views_with_charts_render_svg_without_style_attributes(client):
    """The charts colour by SVG presentation attributes, which the CSP does not govern."""
    html = client.get(
        "/views/phenomenon-in-brief?phenomenon=mielenterveys&level=wellbeing-county&lang=fi",
        headers=HTML,
    ).get_data(as_text=True)
    assert 'class="county-map"' in html
    assert re.search(r'<path d="[^"]+" fill="(#[0-9a-f]{6}|url\(#nodata\))"', html)
    assert inline_findings(html).findings == []
