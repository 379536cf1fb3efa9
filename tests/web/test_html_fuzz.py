"""Arbitrary text in every parameter of the term browser and the dereferencing routes, as a
browser sends it: never a 5xx, no header over 8 kB, a bounded Location, and every error an
HTML page in the language asked for (hypothesis, a bounded number of examples)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fixtures.fuzzing import VALUES, browser_get, check_answer, check_sent, fuzz_settings, requests
from hypothesis import given
from hypothesis import strategies as st

from kgservice.texts import LANGUAGES

CONCEPT = "/concept/phenomenon/asunnottomuus"
ROUTES = [
    ("/", ["lang"]),
    ("/search", ["q", "vocab", "search_lang", "lang", "type", "status"]),
    ("/search/suggest", ["q", "limit", "vocab", "search_lang"]),
    ("/vocab/phenomenon/", ["lang"]),
    ("/vocab/phenomenon/index", ["letter", "lang"]),
    ("/page", ["uri", "lang"]),
    ("/entity", ["uri", "lang", "format"]),
    ("/data", ["uri", "format", "lang"]),
    (CONCEPT, ["lang", "format"]),
]


@pytest.mark.slow
@given(sent=requests(ROUTES))
@fuzz_settings(max_examples=150)
def test_any_parameter_text_gets_a_bounded_answer_in_the_asked_language(web_app, sent):
    check_sent(web_app, sent)


@pytest.mark.slow
@given(
    prefix=st.sampled_from(["/vocab/", "/concept/phenomenon/", "/rest/v1/", "/"]),
    segment=VALUES,
    chosen=st.sampled_from(LANGUAGES),
)
@fuzz_settings(max_examples=100)
def test_any_path_gets_a_bounded_answer_in_the_asked_language(web_app, prefix, segment, chosen):
    path = prefix + quote(segment, safe="/")
    resp = browser_get(web_app, path, chosen)
    if resp.status_code == 414:  # refused before routing: a short problem, no page
        assert len(resp.data) < 1000
        return
    check_answer(resp, {}, chosen)
