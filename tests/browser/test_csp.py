"""The pages work in real headless Chromium with the Content-Security-Policy on.

Every ``securitypolicyviolation`` event and every console error of a page is collected (the
listener is installed before any of the page's own code runs). The term browser, the search
autocomplete, the SPARQL page (button and Ctrl+Enter) and the three views must do their job with
zero violations. The second layer is tested by switching the first one off: with Jinja's
autoescaping disabled, markup injected through the search box reaches the page, and the CSP
alone keeps it from running.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCsp({
    directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, page: e.documentURI,
  });
}, true);
"""


@dataclass
class Watch:
    violations: list[dict] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.violations == []
        assert self.console_errors == []
        assert self.page_errors == []


@pytest.fixture()
def watch(page) -> Watch:
    w = Watch()
    page.expose_binding("__reportCsp", lambda _source, v: w.violations.append(v))
    page.add_init_script(LISTEN)

    def console(m) -> None:
        url = m.location.get("url") or ""
        # Chromium asks for /favicon.ico by itself; the service has none (a 404, not the CSP)
        if m.type in {"error", "warning"} and not url.endswith("/favicon.ico"):
            w.console_errors.append(f"{m.text} ({url})")

    page.on("console", console)
    page.on("pageerror", lambda exc: w.page_errors.append(str(exc)))
    return w


def _flush(page) -> None:
    """Let queued violation events reach the listener before the next assertion."""
    page.evaluate("() => new Promise((done) => setTimeout(done, 0))")


def test_front_page_and_concept_page_have_no_csp_violation(page, watch, live_server):
    resp = page.goto(f"{live_server}/?lang=fi")
    assert "script-src 'self'" in resp.headers["content-security-policy"]
    assert page.locator("h1").count() == 1
    # site.css applies (a blocked stylesheet would leave the list unstyled)
    assert page.locator(".nav").evaluate("e => getComputedStyle(e).display") == "flex"
    page.click(".lang-switch a[data-lang=sv]")
    page.wait_for_url("**lang=sv*")
    _flush(page)
    iri = "https://rake-kg.example/concept/phenomenon/asunnottomuus"
    page.goto(f"{live_server}/page?uri={quote(iri, safe='')}&lang=fi")
    assert page.locator("h1").inner_text() == "asunnottomuus"
    _flush(page)
    watch.assert_clean()


def test_search_autocomplete_shows_suggestions_under_the_csp(page, watch, live_server):
    page.goto(f"{live_server}/search?lang=fi")
    page.locator("#search-q").press_sequentially("asunnot", delay=20)
    option = page.locator("#search-suggestions [role=option]").first
    option.wait_for()
    assert "asunnottomuus" in page.locator("#search-suggestions").inner_text()
    assert page.locator("#search-q").get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/page?uri=*")
    _flush(page)
    watch.assert_clean()


def test_sparql_page_runs_queries_by_button_and_by_ctrl_enter(page, watch, live_server):
    page.goto(f"{live_server}/sparql")
    assert page.locator(".sparql-layout").evaluate("e => getComputedStyle(e).display") == "grid"
    page.fill(
        "#query", "SELECT ?s WHERE { ?s a <http://www.w3.org/2004/02/skos/core#Concept> } LIMIT 2"
    )
    page.click("#run")
    page.locator("#sparql-results").wait_for()
    assert page.locator("#sparql-results tbody tr").count() == 2
    page.focus("#query")
    page.keyboard.press("Control+A")
    page.keyboard.type("ASK { ?s a <http://www.w3.org/2004/02/skos/core#Concept> }")
    page.keyboard.press("Control+Enter")  # static/sparql.js
    page.locator("#sparql-boolean").wait_for()
    assert "true" in page.locator("#sparql-boolean").inner_text()
    _flush(page)
    watch.assert_clean()


ECON = "taloudellinen-tilanne-ja-toimeentulo"


@pytest.mark.parametrize(
    ("path", "charts"),
    [
        ("/views/situation-picture?area=20&lang=fi", []),
        (f"/views/phenomenon-in-brief?phenomenon={ECON}&level=wellbeing-county&lang=sv",
         ["svg.county-map", "svg.trend-chart"]),
        (f"/views/phenomenon-view?phenomenon={ECON}&level=wellbeing-county&lang=en",
         ["svg.county-map"]),
    ],
)  # fmt: skip
def test_each_view_renders_tables_and_charts_with_no_csp_violation(
    page, watch, live_server, path, charts
):
    page.goto(live_server + path)
    assert page.locator("table.values tbody tr").count() > 0
    # the rules moved from the template's <style> into site.css apply
    assert page.locator(".view-form").evaluate("e => getComputedStyle(e).display") == "flex"
    for chart in charts:
        svg = page.locator(chart)
        svg.wait_for()
        # presentation attributes colour the shapes: not governed by style-src
        fill = svg.locator("path, circle").first.evaluate("e => getComputedStyle(e).fill")
        assert fill not in {"", "none", "rgb(0, 0, 0)"}
    page.locator(".view-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("table.values").count() > 0
    _flush(page)
    watch.assert_clean()


def test_pages_cannot_be_framed_by_another_page(page, live_server):
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        page.set_content(f'<iframe id="f" src="{live_server}/?lang=fi"></iframe>')
    frame = page.locator("#f").element_handle().content_frame()
    assert frame is not None
    assert frame.url.startswith("chrome-error://")  # Chromium's "refused to connect" page
    assert frame.locator(".site-header").count() == 0


# --- the second layer holds when the first is switched off -----------------------------------

INJECTED = (
    '"><script>window.__xss = "script"</script>'
    '<img id="inj-img" src="/static/site.css" onerror="window.__xss = \'handler\'">'
    '<p id="inj-style" style="color: rgb(255, 0, 0)">styled</p><input value="'
)


@pytest.fixture(scope="module")
def unescaped_server(app_factory, built_settings) -> Iterator[str]:
    """The real app with Jinja autoescaping switched off, on its own loopback server."""
    from waitress.server import create_server

    app = app_factory(built_settings, testing=False)
    app.jinja_env.autoescape = False
    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True, name="unescaped-server")
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


def test_injected_markup_does_not_run_when_autoescaping_is_off(page, watch, unescaped_server):
    page.goto(f"{unescaped_server}/search?lang=fi&q={quote(INJECTED)}")
    # the first layer is really off: the injected elements are in the page
    assert page.locator("script:not([src])").count() == 1
    assert page.locator("#inj-style").count() == 1
    page.locator("#inj-img").evaluate(
        "img => img.complete ? null : new Promise((done) => img.addEventListener('error', done))"
    )
    _flush(page)
    assert page.evaluate("() => window.__xss") is None
    colour = page.locator("#inj-style").evaluate("e => getComputedStyle(e).color")
    assert colour != "rgb(255, 0, 0)"
    directives = {v["directive"] for v in watch.violations}
    assert {"script-src-elem", "script-src-attr", "style-src-attr"} <= directives
