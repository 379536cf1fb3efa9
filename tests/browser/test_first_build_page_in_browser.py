"""A real server started before any build: Chromium shows the how-to-build page (503, in the
chosen language, accessible), and plain HTTP clients get problem+json with ``Retry-After``."""

from __future__ import annotations

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe

from kgservice import texts

pytestmark = pytest.mark.browser

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def unbuilt(settings_factory, live_server_factory):
    settings = settings_factory()
    return live_server_factory(settings), settings


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_chromium_shows_how_to_build_in_the_chosen_language(page, unbuilt, lang):
    url, settings = unbuilt
    response = page.goto(f"{url}/?lang={lang}")
    assert response is not None and response.status == 503
    assert int(response.headers["retry-after"]) > 0
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("h1").inner_text() == texts.translate("store_missing_title", lang)
    assert page.locator("#store-help code").all_inner_texts() == ["make serve", "kgservice build"]
    text = page.locator("body").inner_text()
    assert str(settings.var_dir) not in text and "Traceback" not in text
    result = Axe().run(page, options=WCAG)
    assert result.violations_count == 0, result.generate_report()


def test_http_clients_get_a_503_problem_with_retry_after(unbuilt):
    url, settings = unbuilt
    resp = requests.get(f"{url}/api/views/situation-picture", timeout=30)
    assert resp.status_code == 503
    assert resp.headers["Content-Type"].startswith("application/problem+json")
    assert int(resp.headers["Retry-After"]) > 0
    assert resp.json()["rule"] == "store-missing"
    assert str(settings.var_dir) not in resp.text
