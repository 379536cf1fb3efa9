"""Before the first build every page, API and SPARQL route says how to build: 503 with
``Retry-After``, in the user's language for browsers, problem+json for API clients — and never a
file path, stack or internal name. The operator's log gets the path.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from kgservice import texts
from kgservice.config import PROJECT_ROOT
from kgservice.errors import StoreError
from kgservice.pipeline import swap
from kgservice.pipeline.build import build, load_ontology
from kgservice.pipeline.steps import Step
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import ServedStore

CONCEPT = "https://rake-kg.example/concept/phenomenon/asunnottomuus"

#: One request for every route that reads the store (rule → request path).
ROUTES = {
    "/": "/",
    "/vocab/<vid>/": "/vocab/phenomenon/",
    "/vocab/<vid>/hierarchy": "/vocab/phenomenon/hierarchy",
    "/vocab/<vid>/index": "/vocab/phenomenon/index",
    "/vocab/<vid>/download": "/vocab/phenomenon/download?format=xlsx",
    "/dump/rake-kg.nq.gz": "/dump/rake-kg.nq.gz",
    "/search": "/search?q=koti",
    "/search/suggest": "/search/suggest?q=koti",
    "/page": f"/page?uri={CONCEPT}",
    "/sparql": "/sparql?query=ASK%7B%7D",
    "/rest/v1/vocabularies": "/rest/v1/vocabularies",
    "/rest/v1/search": "/rest/v1/search?query=koti*",
    "/rest/v1/<vocid>/search": "/rest/v1/phenomenon/search?query=koti*",
    "/rest/v1/label": f"/rest/v1/label?uri={CONCEPT}",
    "/rest/v1/<vocid>/label": f"/rest/v1/phenomenon/label?uri={CONCEPT}",
    "/rest/v1/data": f"/rest/v1/data?uri={CONCEPT}",
    "/rest/v1/<vocid>/data": "/rest/v1/phenomenon/data",
    "/rest/v1/<vocid>/": "/rest/v1/phenomenon/",
    "/rest/v1/<vocid>/lookup": "/rest/v1/phenomenon/lookup?label=koti",
    "/rest/v1/<vocid>/topConcepts": "/rest/v1/phenomenon/topConcepts",
    "/rest/v1/<vocid>/broader": f"/rest/v1/phenomenon/broader?uri={CONCEPT}",
    "/rest/v1/<vocid>/narrower": f"/rest/v1/phenomenon/narrower?uri={CONCEPT}",
    "/rest/v1/<vocid>/related": f"/rest/v1/phenomenon/related?uri={CONCEPT}",
    "/rest/v1/<vocid>/broaderTransitive": f"/rest/v1/phenomenon/broaderTransitive?uri={CONCEPT}",
    "/rest/v1/<vocid>/narrowerTransitive": (
        f"/rest/v1/phenomenon/narrowerTransitive?uri={CONCEPT}"
    ),
    "/rest/v1/<vocid>/children": f"/rest/v1/phenomenon/children?uri={CONCEPT}",
    "/rest/v1/<vocid>/hierarchy": f"/rest/v1/phenomenon/hierarchy?uri={CONCEPT}",
    "/rest/v1/<vocid>/changes": "/rest/v1/phenomenon/changes?from=2026.1&to=2026.1",
    "/releases/": "/releases/",
    "/releases/<version>": "/releases/2026.1",
    "/views/": "/views/",
    "/views/situation-picture": "/views/situation-picture",
    "/views/phenomenon-in-brief": "/views/phenomenon-in-brief",
    "/views/phenomenon-view": "/views/phenomenon-view",
    "/api/views/situation-picture": "/api/views/situation-picture",
    "/api/views/phenomenon-in-brief": "/api/views/phenomenon-in-brief",
    "/api/views/phenomenon-view": "/api/views/phenomenon-view",
    "/api/indicators": "/api/indicators",
    "/entity": f"/entity?uri={CONCEPT}",
    "/data": f"/data?uri={CONCEPT}&format=ttl",
    "/<path:path>": "/concept/phenomenon/asunnottomuus",
    "/graphs": "/graphs?graph=https://rake-kg.example/graph/ontology/core",  # issue 17
}
#: Routes that answer without a store.
NO_STORE = {"/static/<path:filename>", "/api/openapi.yaml", "/api/openapi.json", "/api/views"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
API = {"Accept": "application/json"}
#: What a response must never show: stacks, internal names, the server's directories.
NEVER = ("Traceback", "StoreError", "StoreUnavailable", "kgservice/", ".py", "var/store")


@pytest.fixture()
def empty_settings(settings_factory):
    return settings_factory()


@pytest.fixture()
def empty_app(app_factory, empty_settings):
    return app_factory(empty_settings)


def _assert_no_internals(text: str, *dirs: Path) -> None:
    for bad in NEVER:
        assert bad not in text, bad
    for d in (*dirs, PROJECT_ROOT):
        assert str(d) not in text and str(d.resolve()) not in text, d


def _assert_how_to_build_page(resp, settings, lang: str = "fi") -> str:
    assert resp.status_code == 503
    assert resp.mimetype == "text/html"
    assert int(resp.headers["Retry-After"]) > 0
    body = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in body
    assert texts.translate("store_missing_title", lang) in body
    assert "<code>kgservice build</code>" in body and "<code>make serve</code>" in body
    _assert_no_internals(body, settings.var_dir, settings.store_path)
    return body


def _assert_how_to_build_problem(resp, settings, rule: str = "store-missing") -> dict:
    assert resp.status_code == 503
    assert resp.mimetype == "application/problem+json"
    assert int(resp.headers["Retry-After"]) > 0
    problem = resp.get_json()
    assert problem["status"] == 503
    assert problem["rule"] == rule
    assert set(problem) == {"type", "title", "status", "detail", "rule"}
    assert "kgservice build" in problem["detail"]
    _assert_no_internals(resp.get_data(as_text=True), settings.var_dir, settings.store_path)
    return problem


def test_the_route_list_covers_every_route_of_the_app(empty_app):
    rules = {rule.rule for rule in empty_app.url_map.iter_rules()}
    missing = rules - set(ROUTES) - NO_STORE
    assert not missing, f"add these routes to ROUTES or NO_STORE: {sorted(missing)}"


@pytest.mark.parametrize("rule", sorted(ROUTES))
def test_every_route_before_the_first_build_shows_browsers_how_to_build(
    empty_app, empty_settings, rule
):
    resp = empty_app.test_client().get(ROUTES[rule], headers=BROWSER)
    _assert_how_to_build_page(resp, empty_settings)


@pytest.mark.parametrize("rule", sorted(ROUTES))
def test_every_route_before_the_first_build_gives_api_clients_a_503_problem(
    empty_app, empty_settings, rule
):
    resp = empty_app.test_client().get(ROUTES[rule], headers=API)
    problem = _assert_how_to_build_problem(resp, empty_settings)
    assert problem["detail"] == (
        "The store has not been built yet; run `make serve` or `kgservice build`."
    )


def test_a_sparql_post_before_the_first_build_is_a_503_problem(empty_app, empty_settings):
    client = empty_app.test_client()
    resp = client.post("/sparql", data={"query": "ASK {}"}, headers=API)
    _assert_how_to_build_problem(resp, empty_settings)
    resp = client.post(
        "/sparql",
        data="SELECT * { ?s ?p ?o }",
        headers={**API, "Content-Type": "application/sparql-query"},
    )
    _assert_how_to_build_problem(resp, empty_settings)


@pytest.mark.parametrize("lang", texts.LANGUAGES)
def test_the_how_to_build_page_is_in_the_chosen_language_only(empty_app, empty_settings, lang):
    resp = empty_app.test_client().get(f"/?lang={lang}", headers=BROWSER)
    body = _assert_how_to_build_page(resp, empty_settings, lang)
    for key in ("store_missing_title", "store_retry"):
        assert texts.translate(key, lang) in body
        for other in set(texts.LANGUAGES) - {lang}:
            assert texts.translate(key, other) not in body, (key, other)


def test_api_clients_get_the_message_in_the_language_they_ask_for(empty_app, empty_settings):
    resp = empty_app.test_client().get("/api/indicators?lang=sv", headers=API)
    problem = _assert_how_to_build_problem(resp, empty_settings)
    assert problem["detail"] == texts.translate("store_missing_detail", "sv")


def test_a_link_to_a_missing_build_directory_is_answered_like_no_build(empty_app, empty_settings):
    stores = swap.stores_dir(empty_settings)
    stores.mkdir(parents=True)
    os.symlink("stores/build-that-was-deleted", empty_settings.store_path)
    client = empty_app.test_client()
    _assert_how_to_build_page(client.get("/", headers=BROWSER), empty_settings)
    _assert_how_to_build_problem(client.get("/api/indicators", headers=API), empty_settings)


def test_a_directory_that_is_no_store_is_a_503_without_its_path(empty_app, empty_settings):
    broken = swap.stores_dir(empty_settings) / "build-broken"
    broken.mkdir(parents=True)
    (broken / "CURRENT").write_text("not a store")
    os.symlink("stores/build-broken", empty_settings.store_path)
    client = empty_app.test_client()
    problem = _assert_how_to_build_problem(
        client.get("/rest/v1/vocabularies", headers=API), empty_settings, "store-unreadable"
    )
    assert "build-broken" not in str(problem)
    page = client.get("/?lang=en", headers=BROWSER)
    assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0
    body = page.get_data(as_text=True)
    assert texts.translate("store_unreadable_title", "en") in body
    assert "build-broken" not in body
    _assert_no_internals(body, empty_settings.var_dir)


def test_the_operator_log_names_the_store_path_the_response_does_not(
    empty_app, empty_settings, caplog
):
    with caplog.at_level(logging.WARNING):
        resp = empty_app.test_client().get("/", headers=API)
    assert resp.status_code == 503
    assert str(empty_settings.store_path) not in resp.get_data(as_text=True)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert str(empty_settings.store_path) in logged
    assert "store-missing" in logged


def test_store_errors_show_no_server_path_even_with_the_first_guard_switched_off(
    empty_app, empty_settings, monkeypatch
):
    """Second layer: with the holder's own checks off, pyoxigraph's error (which names the
    directory) reaches the error handler; the response still names no directory."""

    def open_without_checks(self, target):
        return EmbeddedStore(self.settings.store_path, read_only=True)

    monkeypatch.setattr(ServedStore, "_open", open_without_checks)
    stores = swap.stores_dir(empty_settings)
    stores.mkdir(parents=True)
    os.symlink("stores/build-that-was-deleted", empty_settings.store_path)
    with pytest.raises(StoreError) as raw:
        open_without_checks(ServedStore(empty_settings), None)
    assert str(empty_settings.var_dir) in str(raw.value)  # the guard has something to hide

    resp = empty_app.test_client().get("/api/indicators", headers=API)
    assert 500 <= resp.status_code < 600 and resp.status_code != 500
    assert resp.mimetype == "application/problem+json"
    assert "file" not in resp.get_json()
    _assert_no_internals(
        resp.get_data(as_text=True), empty_settings.var_dir, empty_settings.store_path
    )


def test_the_service_answers_once_the_first_build_is_swapped_in(empty_app, empty_settings):
    client = empty_app.test_client()
    assert client.get("/rest/v1/vocabularies?lang=en", headers=API).status_code == 503
    build(empty_settings, steps=[Step("ontology", load_ontology)])
    resp = client.get("/rest/v1/vocabularies?lang=en", headers=API)
    assert resp.status_code == 200
    assert "Retry-After" not in resp.headers
    assert "phenomenon" in {v["id"] for v in resp.get_json()["vocabularies"]}
