"""Arbitrary text in every parameter of the HTML indicator views, as a browser sends it: never a
5xx, no header over 8 kB, and every error an HTML page in the language asked for."""

from __future__ import annotations

import pytest
from fixtures.fuzzing import BROWSER, check_answer, requests
from hypothesis import HealthCheck, given, settings

ROUTES = [
    ("/views/", ["lang"]),
    ("/views/situation-picture", ["area", "year", "indicator", "lang"]),
    ("/views/phenomenon-in-brief", ["phenomenon", "level", "year", "indicator", "lang"]),
    ("/views/phenomenon-view", ["phenomenon", "level", "area", "year", "indicator", "lang"]),
]


@pytest.mark.slow
@given(sent=requests(ROUTES))
@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_any_view_parameter_gets_a_bounded_answer_in_the_asked_language(fixture_app, sent):
    path, query, chosen = sent
    headers = {"Accept": BROWSER, "Accept-Language": chosen}
    resp = fixture_app.test_client().get(path, query_string=query, headers=headers)
    check_answer(resp, query, chosen)
