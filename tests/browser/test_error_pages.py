"""Error pages in real headless Chromium: a bad parameter, an unknown page and a wrong method
answer with a page in the browser's language whose links lead to a working address."""

from __future__ import annotations

import pytest
from fixtures.vocab import build_fixture_store

from kgservice.texts import STRINGS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(settings_factory, live_server_factory) -> str:
    return live_server_factory(build_fixture_store(settings_factory()))


@pytest.fixture()
def swedish_page(browser):
    context = browser.new_context(locale="sv-FI")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_bad_parameter_page_is_in_the_browsers_language_and_its_links_work(server, swedish_page):
    page = swedish_page
    resp = page.goto(f"{server}/search?q=kodi&vocab=nope")
    assert resp is not None and resp.status == 400
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == STRINGS["err_title_400"]["sv"]
    assert STRINGS["err_choice"]["sv"].format(param="vocab") in page.inner_text("main")
    assert page.locator("code.error-value").inner_text() == "nope"
    with page.expect_navigation() as nav:
        page.click(".error-choices a:text-is('phenomenon')")
    answer = nav.value
    assert answer is not None and answer.status == 200
    assert "vocab=phenomenon" in page.url


def test_lang_parameter_wins_over_the_browser_language(server, swedish_page):
    resp = swedish_page.goto(f"{server}/page?lang=en&uri=not+an+iri")
    assert resp is not None and resp.status == 400
    assert swedish_page.locator("html").get_attribute("lang") == "en"


def test_unknown_page_is_a_404_page_in_the_browsers_language(server, swedish_page):
    resp = swedish_page.goto(f"{server}/vocab/nope/")
    assert resp is not None and resp.status == 404
    assert swedish_page.locator("h1").inner_text() == STRINGS["err_title_404"]["sv"]
    swedish_page.click(f"a:text-is('{STRINGS['err_back']['sv']}')")
    assert swedish_page.locator("html").get_attribute("lang") == "sv"
    assert "/?lang=sv" in swedish_page.url


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_error_pages_have_no_wcag_a_or_aa_violations(server, swedish_page):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = {}
    for path in ("/search?q=a&vocab=nope", "/page?uri=x&lang=en", "/vocab/nope/?lang=fi"):
        resp = swedish_page.goto(server + path)
        assert resp is not None and resp.status >= 400
        result = axe.run(swedish_page, options=WCAG)
        if result.violations_count:
            problems[path] = [v["id"] for v in result.response["violations"]]
    assert not problems, problems
