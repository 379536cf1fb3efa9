"""Arbitrary text in every parameter of the HTML indicator views, as a browser sends it: never a
5xx, no header over 8 kB, and every error an HTML page in the language asked for."""

from __future__ import annotations

import pytest
from fixtures.fuzzing import check_sent, fuzz_settings, requests
from hypothesis import given

ROUTES = [
    ("/views/", ["area", "year", "lang"]),
    ("/views/situation-picture", ["area", "year", "indicator", "lang"]),
    ("/views/phenomenon-in-brief", ["phenomenon", "level", "area", "year", "indicator", "lang"]),
    (
        "/views/phenomenon-view",
        ["phenomenon", "level", "area", "year", "indicator", "sort", "lang"],
    ),
]


@pytest.mark.slow
@given(sent=requests(ROUTES))
@fuzz_settings(max_examples=150)
def test_any_view_parameter_gets_a_bounded_answer_in_the_asked_language(fixture_app, sent):
    check_sent(fixture_app, sent)
