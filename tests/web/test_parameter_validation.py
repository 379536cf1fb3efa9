"""Every query parameter is checked in one place (kgservice/web/params.py): a 400 naming the
parameter, the rule and the valid choices, as problem+json for API clients and as a page in the
user's language for browsers; nothing a caller sends is echoed unbounded."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from kgservice.texts import LANGUAGES, STRINGS

CONCEPT = "concept/phenomenon/asunnottomuus"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
HUGE = "x" * 100_000
MAX_HEADER = 8 * 1024


def _problem(resp, status: int = 400) -> dict:
    assert resp.status_code == status, resp.get_data(as_text=True)[:500]
    assert resp.mimetype == "application/problem+json"
    return resp.get_json()


def _headers_bounded(resp) -> None:
    for name, value in resp.headers.items():
        assert len(name) + len(value) + 2 <= MAX_HEADER, (name, len(value))


def _page_lang(resp) -> str:
    found = re.search(r'<html lang="([^"]+)"', resp.get_data(as_text=True))
    assert found, "not an HTML page"
    return found.group(1)


@pytest.fixture()
def unguarded_client(app_factory, web_settings):
    """An app with the first layer (the before-request check of ``lang`` and the query-string
    length) switched off: the handlers' own checks must hold alone."""
    from kgservice.web.params import check_request

    app = app_factory(web_settings)
    app.before_request_funcs[None].remove(check_request)
    return app.test_client()


def test_lang_outside_the_ui_languages_is_400_listing_fi_sv_en(web_client):
    for url in ("/", "/search", "/vocab/phenomenon/", f"/{CONCEPT}", "/views/"):
        body = _problem(web_client.get(url, query_string={"lang": "de"}))
        assert body["parameter"] == "lang"
        assert body["valid"] == ["fi", "sv", "en"]
        assert body["value"] == "de"
        assert body["rule"] == "parameter-choice"


def test_a_100_kB_lang_makes_no_large_header_or_body(web_client):
    for accept in (BROWSER, {"Accept": "application/json"}):
        resp = web_client.get(f"/{CONCEPT}", query_string={"lang": HUGE}, headers=accept)
        assert 400 <= resp.status_code < 500
        assert resp.status_code != 303 and "Location" not in resp.headers
        _headers_bounded(resp)
        assert len(resp.data) < 20_000


def test_lang_stays_out_of_location_with_the_first_layer_switched_off(unguarded_client):
    resp = unguarded_client.get(f"/{CONCEPT}", query_string={"lang": HUGE}, headers=BROWSER)
    assert resp.status_code == 400 and "Location" not in resp.headers
    _headers_bounded(resp)
    good = unguarded_client.get(f"/{CONCEPT}", query_string={"lang": "sv"}, headers=BROWSER)
    assert good.status_code == 303
    assert parse_qs(urlsplit(good.location).query)["lang"] == ["sv"]


def test_page_url_never_carries_a_language_that_is_not_a_ui_language():
    from kgservice.web.conneg import page_url

    assert "lang" not in page_url("https://x.example/a", "<x>")
    assert "lang" not in page_url("https://x.example/a", HUGE)
    assert page_url("https://x.example/a", "en").endswith("&lang=en")


def test_rest_lang_that_is_not_a_language_tag_never_reaches_json_ld(web_client, unguarded_client):
    for client in (web_client, unguarded_client):
        for url in (
            "/rest/v1/phenomenon/",
            "/rest/v1/vocabularies",
            "/rest/v1/phenomenon/topConcepts",
        ):
            resp = client.get(url, query_string={"lang": "<x>"})
            body = _problem(resp)
            assert body["parameter"] == "lang" and body["rule"] == "parameter-language-tag"
            assert body["valid"]["maxLength"] == 35
            assert '"@language"' not in resp.get_data(as_text=True)


def test_json_ld_context_drops_a_language_that_is_not_a_tag():
    from kgservice.web.rest import _ctx

    assert "@language" not in _ctx("<x>")
    assert "@language" not in _ctx('en", "@id": "x')
    assert _ctx("sv-FI")["@language"] == "sv-FI"


def test_rest_accepts_any_bcp47_content_language(web_client):
    resp = web_client.get("/rest/v1/phenomenon/topConcepts", query_string={"lang": "sv-FI"})
    assert resp.status_code == 200
    assert resp.get_json()["@context"]["@language"] == "sv-FI"


@pytest.mark.parametrize(
    ("url", "params", "parameter", "valid"),
    [
        ("/rest/v1/search", {"query": "a", "maxhits": "100000"}, "maxhits", {"maximum": 1000}),
        ("/rest/v1/search", {"query": "a", "offset": "-1"}, "offset", {"minimum": 0}),
        ("/rest/v1/search", {"query": "a", "maxhits": "ten"}, "maxhits", {"minimum": 1}),
        ("/rest/v1/phenomenon/narrowerTransitive", {"uri": "x:y", "limit": "0"}, "limit", {}),
        ("/search/suggest", {"q": "a", "limit": "51"}, "limit", {"maximum": 50}),
        ("/search", {"q": "a" * 201}, "q", {"maxLength": 200}),
        ("/rest/v1/search", {"query": "a" * 201}, "query", {"maxLength": 200}),
        ("/page", {"uri": "not an iri"}, "uri", {"maxLength": 2048}),
        ("/page", {"uri": "https://x.example/" + "a" * 3000}, "uri", {"maxLength": 2048}),
    ],
)
def test_bounded_parameters_name_their_bounds(web_client, url, params, parameter, valid):
    body = _problem(web_client.get(url, query_string=params))
    assert body["parameter"] == parameter
    assert valid.items() <= body["valid"].items()


@pytest.mark.parametrize(
    ("url", "params", "parameter", "valid"),
    [
        (
            "/search",
            {"q": "a", "vocab": "nope"},
            "vocab",
            ["ontology", "phenomenon", "service-task"],
        ),
        ("/search", {"q": "a", "search_lang": "de"}, "search_lang", ["fi", "sv", "en"]),
        ("/data", {"uri": "x:y", "lang": "xx"}, "lang", ["fi", "sv", "en"]),
    ],
)
def test_choice_parameters_list_the_valid_values(web_client, url, params, parameter, valid):
    body = _problem(web_client.get(url, query_string=params))
    assert (body["parameter"], body["valid"]) == (parameter, valid)


def test_unknown_rest_vocabulary_is_404_listing_the_ids(web_client):
    body = _problem(web_client.get("/rest/v1/search?query=a&vocab=nope"), 404)
    assert body["valid"] == ["ontology", "phenomenon", "service-task"]


def test_letter_of_the_index_is_one_of_the_index_letters(web_client):
    body = _problem(web_client.get("/vocab/phenomenon/index", query_string={"letter": "ZZ"}))
    assert body["parameter"] == "letter" and body["valid"] and "ZZ" not in body["valid"]


def test_what_a_caller_sent_is_echoed_cut_short(web_client):
    body = _problem(web_client.get("/page", query_string={"uri": "a b" * 1000}))
    assert len(body["value"]) <= 81 and len(body["detail"]) <= 1001
    page = web_client.get("/page", query_string={"uri": "<b>" * 300}, headers=BROWSER)
    assert page.status_code == 400
    assert page.get_data(as_text=True).count("&lt;b&gt;") <= 30


def test_query_string_over_4096_bytes_is_414(web_client):
    body = _problem(web_client.get("/search", query_string={"q": "a", "pad": "x" * 5000}), 414)
    assert body["valid"] == {"maxLength": 4096} and body["rule"] == "query-string-length"


# -- pages for browsers -------------------------------------------------------------------------
def test_browser_gets_the_error_as_a_page_in_the_requested_language(web_client):
    resp = web_client.get("/search?q=a&vocab=nope&lang=sv", headers=BROWSER)
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    assert _page_lang(resp) == "sv"
    html = resp.get_data(as_text=True)
    assert STRINGS["err_title_400"]["sv"] in html
    assert STRINGS["err_choice"]["sv"].format(param="vocab") in html
    assert 'href="/search?q=a&amp;vocab=phenomenon&amp;lang=sv"' in html  # a link per choice
    assert STRINGS["err_title_400"]["en"] not in html


def test_error_page_language_is_lang_then_accept_language_then_finnish(web_client):
    def lang_of(query: str, accept_language: str | None = None) -> str:
        headers = dict(BROWSER)
        if accept_language:
            headers["Accept-Language"] = accept_language
        resp = web_client.get("/search?q=a&vocab=nope" + query, headers=headers)
        assert resp.status_code == 400
        return _page_lang(resp)

    assert lang_of("&lang=en", "sv") == "en"
    assert lang_of("&lang=xx", "sv-FI,sv;q=0.9,en;q=0.5") == "sv"
    assert lang_of("", "en-GB,en;q=0.9") == "en"
    assert lang_of("", "de") == "fi"
    assert lang_of("") == "fi"


def test_bad_lang_page_links_to_the_same_address_in_each_language(web_client):
    resp = web_client.get("/vocab/phenomenon/?lang=xx", headers=BROWSER)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    for code in LANGUAGES:
        assert f'href="/vocab/phenomenon/?lang={code}"' in html


def test_api_clients_keep_problem_json_for_the_same_error(web_client):
    for accept in ("application/json", "*/*", None):
        headers = {"Accept": accept} if accept else {}
        resp = web_client.get("/search?q=a&vocab=nope", headers=headers)
        assert resp.mimetype == "application/problem+json"


def test_browser_404_page_is_in_the_users_language(web_client):
    resp = web_client.get("/vocab/nope/", headers={**BROWSER, "Accept-Language": "sv"})
    assert resp.status_code == 404 and _page_lang(resp) == "sv"
    assert STRINGS["err_404"]["sv"] in resp.get_data(as_text=True)
    unknown = web_client.get(
        "/concept/phenomenon/ei-ole", headers={**BROWSER, "Accept-Language": "en"}
    )
    assert unknown.status_code == 404 and _page_lang(unknown) == "en"


def test_browser_405_page_lists_the_allowed_methods(web_client):
    resp = web_client.post("/page?lang=en", headers=BROWSER)
    assert resp.status_code == 405 and _page_lang(resp) == "en"
    html = resp.get_data(as_text=True)
    assert STRINGS["err_405"]["en"].format(method="POST") in html
    assert "GET" in resp.headers["Allow"] and "<code>GET</code>" in html
    api = web_client.post("/page")
    assert api.status_code == 405 and api.mimetype == "application/problem+json"
    assert "GET" in api.headers["Allow"]


def test_browser_406_page_lists_the_offered_formats(web_client):
    resp = web_client.get(
        f"/data?uri=https://rake-kg.example/{CONCEPT}&format=pdf", headers=BROWSER
    )
    assert resp.status_code == 406 and resp.mimetype == "text/html"
    assert "text/turtle" in resp.get_data(as_text=True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_pages_use_one_language(web_client, lang):
    """Each error string of the page is in the page's language, none in another one."""
    resp = web_client.get(f"/rest/v1/search?query=a&maxhits=0&lang={lang}", headers=BROWSER)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400 and _page_lang(resp) == lang
    keys = [k for k in STRINGS if k.startswith("err_")]
    for key in keys:
        for other in LANGUAGES:
            text = STRINGS[key][other]
            if other != lang and text != STRINGS[key][lang] and len(text) > 8 and "{" not in text:
                assert text not in html, (key, other)
    assert STRINGS["err_range"][lang].format(param="maxhits", minimum=1, maximum=1000) in html


def test_every_error_string_has_fi_sv_en_and_the_same_placeholders():
    for key, texts in STRINGS.items():
        if key.startswith("err_"):
            assert set(texts) == set(LANGUAGES), key
            holes = {lang: set(re.findall(r"\{(\w+)\}", t)) for lang, t in texts.items()}
            assert holes["fi"] == holes["sv"] == holes["en"], key


def test_a_long_path_is_never_copied_into_a_redirect(web_client):
    short = web_client.get("/vocab/phenomenon")
    assert short.status_code == 308 and short.location.endswith("/vocab/phenomenon/")
    resp = web_client.get("/vocab/" + "a" * 5000, headers=BROWSER)
    assert resp.status_code == 414 and "Location" not in resp.headers
    assert resp.get_json()["valid"] == {"maxLength": 2048}
    _headers_bounded(resp)
    assert resp.get_data(as_text=True).count("a" * 300) == 0


def _spec() -> dict:
    from importlib import resources

    import yaml

    text = resources.files("kgservice.web").joinpath("openapi.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_openapi_describes_every_rest_route(web_app):
    spec = _spec()
    routes = {
        re.sub(r"<(\w+)>", r"{\1}", r.rule)
        for r in web_app.url_map.iter_rules()
        if r.rule.startswith("/rest/v1/")
    }
    assert routes == {p for p in spec["paths"] if p.startswith("/rest/v1/")}


def test_openapi_patterns_are_the_ones_the_service_checks():
    from kgservice.web import params

    schemas = _spec()["components"]["schemas"]
    assert schemas["LanguageTag"]["pattern"] == params.LANGUAGE_TAG_PATTERN
    assert schemas["LanguageTag"]["maxLength"] == params.MAX_LANGUAGE_TAG
    assert schemas["AreaCode"]["pattern"] == params.AREA_PATTERN
    assert schemas["Iri"]["maxLength"] == params.MAX_IRI


def test_every_optional_query_parameter_may_be_sent_empty():
    spec = _spec()
    for path, item in spec["paths"].items():
        for p in item["get"].get("parameters", []):
            if "$ref" in p:
                p = spec["components"]["parameters"][p["$ref"].rsplit("/", 1)[-1]]
            if p["in"] == "query":
                optional = not p.get("required", False)
                assert bool(p.get("allowEmptyValue")) == optional, (path, p["name"])
