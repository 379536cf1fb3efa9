"""The SPARQL query page in real headless Chromium: pick an example, run it, read the table."""

from __future__ import annotations

import pytest

from kgservice.pipeline.build import build, load_ontology
from kgservice.pipeline.steps import Step

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def sparql_server(settings_factory, live_server_factory) -> str:
    settings = settings_factory()
    build(settings, [Step("ontology", load_ontology)])
    return live_server_factory(settings)


def test_pick_an_example_run_it_and_see_a_results_table(page, sparql_server):
    page.goto(f"{sparql_server}/sparql?lang=sv")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator(".sparql-page").get_attribute("lang") is None  # all of it in Swedish
    page.click("#sparql-maintainers summary")  # the project's queries sit under this heading
    page.click('a[data-example="store/graph-stats"]')
    editor = page.locator("#query")
    assert "GROUP BY ?g" in editor.input_value()
    page.click("#run")
    table = page.locator("#sparql-results")
    table.wait_for()
    headers = table.locator("thead th").all_inner_texts()
    assert headers == ["?g", "?n"]
    first_graph = table.locator("tbody tr").first.locator("td").first.inner_text()
    assert first_graph.startswith("https://rake-kg.example/graph/ontology/")


def test_keyboard_only_query_with_ctrl_enter(page, sparql_server):
    page.goto(f"{sparql_server}/sparql")
    page.focus("#query")
    page.keyboard.press("Control+A")
    page.keyboard.type(
        "ASK { <https://rake-kg.example/ontology/Phenomenon> "
        "a <http://www.w3.org/2002/07/owl#Class> }"
    )
    page.keyboard.press("Control+Enter")
    page.locator("#sparql-boolean").wait_for()
    assert "true" in page.locator("#sparql-boolean").inner_text()


def test_a_refused_query_shows_an_alert(page, sparql_server):
    page.goto(f"{sparql_server}/sparql")
    page.fill("#query", "DROP ALL")
    page.click("#run")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "update-refused" in alert.inner_text()
