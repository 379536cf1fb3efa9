"""The HTTP clients against recorded responses on a local server: shapes, retries, errors."""

from __future__ import annotations

import pytest

from kgservice.sources.http import FetchError, HttpClient
from kgservice.sources.sotkanet import SotkanetClient
from kgservice.sources.statfin import TABLES, StatFinClient, selection

SOTKANET = "/rest/1.1"
PXWEB = "/PxWeb/api/v1/fi/StatFin"


def _http() -> HttpClient:
    return HttpClient(retries=3, backoff=0, timeout=5)


@pytest.fixture()
def sotkanet(api):
    return SotkanetClient(_http(), api.origin + SOTKANET)


@pytest.fixture()
def pxweb(api):
    return StatFinClient(_http(), api.origin + PXWEB)


def test_indicator_metadata_is_returned_with_titles_in_three_languages(sotkanet, api):
    doc = sotkanet.indicator(186)
    assert doc["title"]["fi"] == "Kuolleisuus / 100 000 asukasta"
    assert set(doc["title"]) == {"fi", "sv", "en"}
    assert doc["range"] == {"start": 1990, "end": 2024}
    assert api.requests[-1].headers["User-Agent"].startswith("rake-kg/")


def test_indicator_list_and_regions_follow_the_documented_shape(sotkanet):
    listed = sotkanet.indicators()
    assert {186, 322, 3336, 5033, 5034, 5051, 5074} <= {i["id"] for i in listed}
    # the real 2015 list: titles in three languages and the producing organisation
    (mental,) = [i for i in listed if i["id"] == 4]
    assert set(mental["title"]) == {"fi", "sv", "en"}
    assert mental["organization"]["title"]["fi"] == "Terveyden ja hyvinvoinnin laitos (THL)"
    pohjois_savo = [r for r in sotkanet.regions() if r["id"] == 974]
    assert pohjois_savo[0]["code"] == "13" and pohjois_savo[0]["category"] == "HYVINVOINTIALUE"


def test_data_request_sends_repeated_years_and_genders_parameters(sotkanet, api):
    rows = sotkanet.data(186, [2023, 2024], ["total"])
    sent = api.requests[-1].query
    assert sent == {"indicator": ["186"], "years": ["2023", "2024"], "genders": ["total"]}
    assert rows and {r["year"] for r in rows} == {2023, 2024}
    assert {r["gender"] for r in rows} == {"total"}


def test_server_errors_are_retried_until_the_answer_comes(sotkanet, api):
    api.fail_next(SOTKANET + "/indicators/186", 503, 502)
    assert sotkanet.indicator(186)["id"] == 186
    assert api.hits(SOTKANET + "/indicators/186") == 3


def test_persisting_server_errors_fail_with_the_url_after_the_retries(sotkanet, api):
    api.fail_next(SOTKANET + "/regions", *([500] * 10))
    with pytest.raises(FetchError) as info:
        sotkanet.regions()
    assert api.hits(SOTKANET + "/regions") == 4  # the first try + 3 retries
    assert info.value.file.endswith("/rest/1.1/regions")
    assert info.value.rule == "http-500"


def test_a_client_error_fails_at_once_naming_the_url(sotkanet, api):
    with pytest.raises(FetchError) as info:
        sotkanet.indicator(99999)
    assert api.hits(SOTKANET + "/indicators/99999") == 1
    assert info.value.rule == "http-404"
    assert info.value.describe().startswith(f"{api.origin}/rest/1.1/indicators/99999: [http-404]")


def test_a_response_of_the_wrong_shape_is_refused_naming_the_entry(sotkanet, api):
    api.respond_next(SOTKANET + "/regions", 200, [{"id": 1, "code": "1"}])
    with pytest.raises(FetchError) as info:
        sotkanet.regions()
    assert info.value.rule == "sotkanet-shape" and info.value.line == 1
    api.respond_next(SOTKANET + "/indicators/186", 200, {"id": 187, "title": {}, "range": {}})
    with pytest.raises(FetchError, match="asked for indicator 186, got 187"):
        sotkanet.indicator(186)


def test_bad_arguments_are_refused_before_any_request(sotkanet, api):
    with pytest.raises(FetchError) as info:
        sotkanet.data(186, [], ["total"])
    assert info.value.rule == "sotkanet-years"
    with pytest.raises(FetchError) as info:
        sotkanet.data(186, [2024], ["everyone"])
    assert info.value.rule == "sotkanet-genders"
    assert api.requests == []


def test_a_non_json_answer_is_an_error(pxweb, api):
    api.respond_next(PXWEB + "/tjt/statfin_tjt_pxt_14ww.px", 200, "<html>")
    with pytest.raises(FetchError, match="no 'variables' list"):
        pxweb.metadata(TABLES["14ww"])


def test_unreachable_host_is_a_connection_error_naming_the_url():
    client = SotkanetClient(HttpClient(retries=0, backoff=0, timeout=2), "http://127.0.0.1:9/x")
    with pytest.raises(FetchError) as info:
        client.regions()
    assert info.value.file == "http://127.0.0.1:9/x/regions"


def test_pxweb_query_posts_the_selection_and_asks_for_the_table_format(pxweb, api):
    table = TABLES["14ww"]
    meta = pxweb.metadata(table)
    query = selection(meta, ("2024",), ("SSS", "KU"))
    doc = pxweb.query(table, query)
    body = api.requests[-1].body
    assert api.requests[-1].method == "POST"
    assert body["response"] == {"format": "json"}
    by_code = {q["code"]: q["selection"] for q in body["query"]}
    assert by_code["timeperiod_y"] == {"filter": "item", "values": ["2024"]}
    areas = by_code["alue_23_20250101"]["values"]
    assert "SSS" in areas and "KU091" in areas and not any(a.startswith("HVA") for a in areas)
    assert by_code["Tiedot"] == {"filter": "all", "values": ["*"]}
    assert doc["data"][0]["key"] == ["SSS", "2024"]


def test_a_period_the_table_does_not_offer_is_named_before_any_query(pxweb):
    meta = pxweb.metadata(TABLES["12r5"])
    with pytest.raises(FetchError) as info:
        selection(meta, ("1999M01",))
    assert "1999M01" in info.value.message and info.value.rule == "pxweb-periods"


def test_jsonstat_table_is_fetched_as_json_stat2(pxweb, api):
    doc = pxweb.query(TABLES["11s5"], selection(pxweb.metadata(TABLES["11s5"]), ("2024M12",)))
    assert api.requests[-1].body["response"]["format"] == "json-stat2"
    assert doc["class"] == "dataset" and doc["size"] == [308, 1, 1]


def test_pxweb_rate_limit_is_retried(pxweb, api):
    api.fail_next(PXWEB + "/tyonv/statfin_tyonv_pxt_12r5.px", 429)
    assert pxweb.metadata(TABLES["12r5"])["variables"]
    assert api.hits(PXWEB + "/tyonv/statfin_tyonv_pxt_12r5.px") == 2
