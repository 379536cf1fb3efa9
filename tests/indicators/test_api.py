"""``/api/views/*`` on a built store of the real-figure fixture (Flask test client)."""

from __future__ import annotations

import csv
import io

import yaml

from kgservice.texts import translate


def test_situation_picture_json_lists_every_phenomenon_for_the_area(fixture_client):
    r = fixture_client.get("/api/views/situation-picture?area=20&year=2024")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = r.get_json()
    assert body["area"]["code"] == "20"
    rate = next(x for x in body["rows"] if x["indicator"] == "pienituloisuusaste")
    assert (rate["value"], rate["unit"], rate["period"], rate["status"]) == (
        15.4,
        "%",
        "2024",
        "ok",
    )
    assert rate["national_value"] == 14.2 and rate["origin"] == "published"
    phenomena = {x["phenomenon"] for x in body["rows"]}
    assert len(phenomena) == 4


def test_homelessness_without_figures_in_the_store_is_shown_missing_never_zero(fixture_client):
    # the fixture store has no ARA/Varke figures (tests/homelessness checks the real ones)
    body = fixture_client.get("/api/views/situation-picture?area=SSS").get_json()
    rows = [x for x in body["rows"] if x["indicator"].startswith("asunnottomat")]
    assert {x["indicator"] for x in rows} == {"asunnottomat", "asunnottomat-1000-asukasta"}
    assert all(x["value"] is None and x["status"] == "missing" and x["note"] for x in rows)


def test_an_indicator_without_any_figure_says_the_service_has_none_not_the_source(
    fixture_client,
):
    """The client-data indicator has figures only once client documents are lifted (none in the
    fixture): its rows say the service has no figure, and its metadata says where they come
    from."""
    body = fixture_client.get("/api/views/situation-picture?area=20&lang=en").get_json()
    slug = "toimeentulotukipaatoksen-saaneet-asiakkaat"
    row = next(x for x in body["rows"] if x["indicator"] == slug)
    assert row["status"] == "missing" and row["note"] == translate("note.not_in_service", "en")
    meta = next(i for i in body["indicators"] if i["id"] == slug)
    assert "client documents" in meta["data_availability"]
    other = next(x for x in body["rows"] if x["indicator"] == "pienituloisuusaste")
    assert other["status"] == "ok" and not other["note"]


def test_year_without_figures_gives_missing_rows_not_other_years(fixture_client):
    body = fixture_client.get("/api/views/situation-picture?area=20&year=2019").get_json()
    rate = next(x for x in body["rows"] if x["indicator"] == "pienituloisuusaste")
    assert rate["status"] == "missing" and rate["value"] is None and rate["period"] == "2019"


def test_phenomenon_in_brief_gives_every_county_and_a_trend(fixture_client):
    body = fixture_client.get(
        "/api/views/phenomenon-in-brief?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
        "&level=wellbeing-county"
    ).get_json()
    areas = {x["area_code"] for x in body["rows"]}
    assert areas == {"18", "20"}
    assert any(t["area_code"] == "SSS" for t in body["trend"])


def test_phenomenon_in_brief_refuses_municipality_level(fixture_client):
    r = fixture_client.get(
        "/api/views/phenomenon-in-brief?phenomenon=mielenterveys&level=municipality"
    )
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    body = r.get_json()
    assert (body["rule"], body["parameter"]) == ("parameter-choice", "level")
    assert body["valid"] == ["wellbeing-county", "cooperation-area", "country"]


def test_phenomenon_view_lists_the_municipalities_of_a_county(fixture_client):
    body = fixture_client.get(
        "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&area=20"
        "&year=2024"
    ).get_json()
    assert {x["level"] for x in body["rows"]} == {"municipality"}
    assert len({x["area_code"] for x in body["rows"]}) == 8  # Kainuu's municipalities
    hidden = [x for x in body["rows"] if x["status"] == "suppressed"]
    assert hidden and all(x["value"] is None for x in hidden)


def test_unknown_phenomenon_and_bad_year_are_400_naming_the_valid_values(fixture_client):
    r = fixture_client.get("/api/views/phenomenon-view?phenomenon=nope")
    assert r.status_code == 400 and "mielenterveys" in r.get_json()["valid"]
    r = fixture_client.get("/api/views/situation-picture?year=twenty")
    assert r.status_code == 400 and "year" in r.get_json()["detail"]


def test_csv_by_accept_header_has_empty_cells_for_suppressed_values(fixture_client):
    r = fixture_client.get(
        "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&area=20",
        headers={"Accept": "text/csv"},
    )
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.data.decode("utf-8-sig"))))
    status, value = translate("column.status", "fi"), translate("column.value", "fi")
    hidden = [x for x in rows if x[status] == translate("status.suppressed", "fi")]
    assert hidden and all(x[value] == "" for x in hidden)


def test_etag_from_data_version_gives_304_on_revalidation(fixture_client):
    url = "/api/views/situation-picture?area=18"
    first = fixture_client.get(url)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = fixture_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = fixture_client.get(url + "&format=csv")
    assert other.headers["ETag"] != first.headers["ETag"]


def test_openapi_describes_every_api_route(fixture_app, fixture_client):
    spec = yaml.safe_load(fixture_client.get("/api/openapi.yaml").data)
    assert spec["openapi"].startswith("3.")
    assert fixture_client.get("/api/openapi.json").get_json()["paths"] == spec["paths"]
    routes = {r.rule for r in fixture_app.url_map.iter_rules() if r.rule.startswith("/api/")}
    assert routes == {p for p in spec["paths"] if p.startswith("/api/")}


def _json_schema(node, components):
    """OpenAPI 3.0 schema → JSON Schema: resolve $ref, turn ``nullable`` into a null type."""
    if isinstance(node, dict):
        if "$ref" in node:
            return _json_schema(components[node["$ref"].rsplit("/", 1)[-1]], components)
        out = {k: _json_schema(v, components) for k, v in node.items() if k != "nullable"}
        if node.get("nullable") and "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        return out
    if isinstance(node, list):
        return [_json_schema(x, components) for x in node]
    return node


def test_view_responses_validate_against_the_openapi_schema(fixture_client):
    import jsonschema

    spec = yaml.safe_load(fixture_client.get("/api/openapi.yaml").data)
    schema = _json_schema({"$ref": "#/View"}, spec["components"]["schemas"])
    for url in (
        "/api/views/situation-picture?area=20",
        "/api/views/phenomenon-in-brief?phenomenon=mielenterveys&level=wellbeing-county",
        "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&area=18",
    ):
        jsonschema.validate(fixture_client.get(url).get_json(), schema)


def test_view_parameters_name_the_valid_choices(fixture_client):
    def problem(url: str, status: int = 400) -> dict:
        r = fixture_client.get(url)
        assert r.status_code == status and r.mimetype == "application/problem+json"
        return r.get_json()

    body = problem("/api/views/situation-picture?format=pdf")
    assert (body["parameter"], body["valid"]) == ("format", ["json", "csv", "xlsx"])
    body = problem("/api/views/situation-picture?year=1066")
    assert body["valid"] == {"minimum": 1900, "maximum": 2100}
    body = problem("/api/views/situation-picture?area=Kainuu")
    assert body["parameter"] == "area" and "SSS" in body["valid"]["examples"]
    body = problem("/api/views/situation-picture?area=77", 404)
    assert body["parameter"] == "area" and {"18", "20"} <= set(body["valid"])
    body = problem("/api/views/phenomenon-view")
    assert body["rule"] == "parameter-required" and "mielenterveys" in body["valid"]
    body = problem("/api/indicators?lang=" + "x" * 1000)
    assert body["parameter"] == "lang" and len(body["value"]) <= 81


def test_browser_asking_a_view_with_a_bad_parameter_gets_a_page_not_json(fixture_client):
    r = fixture_client.get(
        "/views/phenomenon-view?phenomenon=nope&lang=en", headers={"Accept": "text/html"}
    )
    assert r.status_code == 400 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert 'href="/views/phenomenon-view?phenomenon=mielenterveys&amp;lang=en"' in html


def test_indicator_list_revalidates_with_304_from_the_data_version(fixture_client):
    first = fixture_client.get("/api/indicators?lang=sv")
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    again = fixture_client.get(
        "/api/indicators?lang=sv", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""
    other = fixture_client.get("/api/indicators?lang=en")
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]
