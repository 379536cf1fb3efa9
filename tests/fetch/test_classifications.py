"""Statistics Finland's classification API → the bundled region key, against recorded answers.

The recorded answers (``recorded/classifications/``) are rebuilt from the real region keys in
data-raw by ``recorded/derive.py``, so a fetch must give back the bundled key byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT, Settings
from kgservice.sources.classifications import ClassificationsClient, region_key
from kgservice.sources.fetch import run_fetch_command
from kgservice.sources.http import FetchError, HttpClient

RECORDED = Path(__file__).parent / "recorded"
CLASSIFICATIONS = "/api/classifications/v2"
KEY = "regions/kunta_hyvinvointialue_yhteistyoalue_{year}.csv"
ITEMS = CLASSIFICATIONS + "/classifications/{id}/classificationItems"
MAPS = CLASSIFICATIONS + "/correspondenceTables/kunta_1_{year}0101%23{target}_1_{year}0101/maps"


def _fast(**kw: float) -> HttpClient:
    return HttpClient(**{"retries": 2, "backoff": 0, "timeout": 5, **kw})


@pytest.fixture()
def client(api) -> ClassificationsClient:
    return ClassificationsClient(_fast(), api.origin + CLASSIFICATIONS)


def _recorded(name: str) -> list[dict]:
    return json.loads((RECORDED / "classifications" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("year", [2024, 2025])
def test_fetched_region_key_equals_the_bundled_file_byte_for_byte(api, tmp_path, year):
    out = tmp_path / "data"
    report = run_fetch_command(
        Settings(), "classifications", out, (), None, api.origin, http=_fast()
    )
    key = KEY.format(year=year)
    assert (out / key).read_bytes() == (PROJECT_ROOT / "data" / key).read_bytes()
    assert key in report


def test_items_are_asked_once_per_language_with_full_content(client, api):
    names = client.names("hyvinvointialue_1_20250101", "sv")
    assert names["12"] == "Södra Savolax välfärdsområde"
    sent = api.requests[-1]
    assert sent.path == ITEMS.format(id="hyvinvointialue_1_20250101")
    assert sent.query == {"content": ["data"], "meta": ["max"], "lang": ["sv"], "format": ["json"]}
    assert sent.headers["User-Agent"].startswith("rake-kg/")


def test_a_correspondence_table_joins_the_two_ids_with_an_encoded_hash(client, api):
    counties = client.maps("kunta_1_20250101", "hyvinvointialue_1_20250101")
    assert counties["297"] == "13"  # Kuopio lies in Pohjois-Savo
    assert counties["091"] == "90"  # Helsinki is its own area
    assert api.requests[-1].path == MAPS.format(year=2025, target="hyvinvointialue")


def test_codes_without_leading_zeros_are_written_as_in_the_bundled_key(client, api):
    items = _recorded("classifications/kunta_1_20250101/classificationItems.fi.json")
    api.respond_next(
        ITEMS.format(id="kunta_1_20250101"),
        200,
        [{**item, "code": str(int(item["code"]))} for item in items],
    )
    rows = _recorded("correspondenceTables/kunta_1_20250101#hyvinvointialue_1_20250101.json")
    for row in rows:
        for side in ("sourceItem", "targetItem"):
            row[side] = {**row[side], "code": str(int(row[side]["code"]))}
    api.respond_next(MAPS.format(year=2025, target="hyvinvointialue"), 200, rows)
    content, _ = region_key(client, 2025)
    assert content == (PROJECT_ROOT / "data" / KEY.format(year=2025)).read_bytes()


def test_a_municipality_missing_from_a_correspondence_table_is_refused_naming_the_table(
    client, api
):
    rows = _recorded("correspondenceTables/kunta_1_20250101#yhteistyoalue_1_20250101.json")
    without_kuopio = [r for r in rows if r["sourceItem"]["code"] != "297"]
    path = MAPS.format(year=2025, target="yhteistyoalue")
    api.respond_next(path, 200, without_kuopio)
    with pytest.raises(FetchError) as info:
        region_key(client, 2025)
    assert info.value.rule == "classifications-incomplete"
    assert info.value.file == api.origin + path
    assert "297" in info.value.message


def test_a_county_the_classification_lacks_is_refused(client, api):
    rows = _recorded("correspondenceTables/kunta_1_20250101#hyvinvointialue_1_20250101.json")
    rows[0] = {**rows[0], "targetItem": {**rows[0]["targetItem"], "code": "99"}}
    api.respond_next(MAPS.format(year=2025, target="hyvinvointialue"), 200, rows)
    with pytest.raises(FetchError) as info:
        region_key(client, 2025)
    assert info.value.rule == "classifications-incomplete"
    assert info.value.file.endswith("/hyvinvointialue_1_20250101/classificationItems")
    assert "99" in info.value.message


def test_an_item_without_a_name_in_the_language_asked_is_refused_naming_the_entry(client, api):
    items = _recorded("classifications/hyvinvointialue_1_20250101/classificationItems.fi.json")
    api.respond_next(ITEMS.format(id="hyvinvointialue_1_20250101"), 200, items)
    with pytest.raises(FetchError) as info:
        client.items("hyvinvointialue_1_20250101", "sv")  # answered with Finnish names only
    assert info.value.rule == "classifications-name" and info.value.line == 1
    assert info.value.describe().startswith(
        f"{api.origin}{ITEMS.format(id='hyvinvointialue_1_20250101')}:1: [classifications-name]"
    )


@pytest.mark.parametrize(
    ("doc", "line"),
    [
        ({"error": "not a list"}, None),
        ([{"sourceItem": {"code": "005"}, "targetItem": {}}], 1),
    ],
)
def test_a_correspondence_table_of_the_wrong_shape_is_refused(client, api, doc, line):
    api.respond_next(MAPS.format(year=2025, target="maakunta"), 200, doc)
    with pytest.raises(FetchError) as info:
        client.maps("kunta_1_20250101", "maakunta_1_20250101")
    assert info.value.rule == "classifications-shape" and info.value.line == line


def test_server_errors_are_retried_until_the_answer_comes(client, api):
    path = ITEMS.format(id="maakunta_1_20250101")
    api.fail_next(path, 503, 502)
    assert client.names("maakunta_1_20250101", "fi")["11"] == "Pohjois-Savo"
    assert api.hits(path) == 3


def test_an_answer_that_never_comes_in_time_is_a_timeout_naming_the_url(api):
    client = ClassificationsClient(
        HttpClient(retries=1, backoff=0, timeout=0.3), api.origin + CLASSIFICATIONS
    )
    path = ITEMS.format(id="kunta_1_20250101")
    api.delay_next(path, 1.0, times=2)
    with pytest.raises(FetchError) as info:
        client.items("kunta_1_20250101", "fi")
    assert info.value.rule == "http-timeout"
    assert info.value.file == api.origin + path
    assert api.hits(path) == 2  # the first try and one retry


def test_a_year_without_a_published_classification_fails_naming_the_url(client, api):
    with pytest.raises(FetchError) as info:
        region_key(client, 2023)
    assert info.value.rule == "http-404"
    assert "kunta_1_20230101/classificationItems" in info.value.file


def test_a_failed_classification_fetch_leaves_the_output_folder_untouched(api, tmp_path):
    out = tmp_path / "data"
    keep = out / KEY.format(year=2025)
    keep.parent.mkdir(parents=True)
    keep.write_text("previous", encoding="utf-8")
    api.fail_next(MAPS.format(year=2025, target="maakunta"), 404)
    with pytest.raises(FetchError):
        run_fetch_command(Settings(), "classifications", out, (), None, api.origin, http=_fast())
    assert keep.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in out.rglob("*") if p.is_file()] == [keep.name]


def test_cli_fetch_classifications_writes_both_region_keys(api, tmp_path):
    result = CliRunner().invoke(
        main, ["fetch", "classifications", "-o", str(tmp_path), "--base-url", api.origin]
    )
    assert result.exit_code == 0, result.output
    for year in (2024, 2025):
        assert KEY.format(year=year) in result.output
        assert (tmp_path / KEY.format(year=year)).is_file()
    assert f"{api.origin}/api/classifications/v2/" in result.output
