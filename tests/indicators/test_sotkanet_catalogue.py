"""The Sotkanet catalogue in a full build of the bundled data, checked against the raw files.

The raw files are read here independently of the bundled snapshot: the compiled metadata
(``sotkanet_indicator_metadata_…csv``) and Sotkanet's own indicator list
(``sotkanet_rest11_indicators_list_2015-10_oskari.json``) and region list (``…regions…json``) in
``../shared/data-raw/indicators``; the region keys of 2024 and 2025 in ``data/regions``.
"""

from __future__ import annotations

import csv
import json

import pytest
from indicator_raw import DATA, RAW
from pyoxigraph import Literal

from kgservice.indicators.registry import Indicator, load_registry
from kgservice.queries import select
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

IND = RAW / "indicators"
# ended in 2015–2017 (mappings/sources/regions.toml says why no successor is bundled)
UNTRACED_2015_MUNICIPALITIES = {"413", "476", "838", "164", "283", "319", "532", "174", "442"}
PHENOMENA = {
    "mielenterveys": "mielenterveys",
    "päihteet ja riippuvuudet": "paihteet-ja-riippuvuudet",
    "asunnottomuus": "asunnottomuus",
    "toimeentulo (konteksti)": "taloudellinen-tilanne-ja-toimeentulo",
}


@pytest.fixture(scope="module")
def store(built_settings):
    s = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield s
    s.close()


@pytest.fixture(scope="module")
def catalogue(store, built_settings) -> dict[int, Indicator]:
    registry = load_registry(store, built_settings)
    return {i.sotkanet_id: i for i in registry.indicators.values() if i.sotkanet_id is not None}


def raw_list() -> dict[int, dict]:
    doc = json.loads((IND / "sotkanet_rest11_indicators_list_2015-10_oskari.json").read_text())
    return {entry["id"]: entry for entry in doc}


def raw_metadata() -> list[dict[str, str]]:
    path = IND / "sotkanet_indicator_metadata_mielenterveys_paihteet_asunnottomuus.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def raw_regions() -> list[dict]:
    return json.loads((IND / "sotkanet_rest11_regions_2015-10_oskari.json").read_text())


def classification(year: int) -> set[str]:
    path = DATA / "regions" / f"kunta_hyvinvointialue_yhteistyoalue_{year}.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["kuntanumero"] for row in csv.DictReader(fh)}


def test_only_ids_in_sotkanets_own_list_join_the_registry_under_their_phenomenon(catalogue):
    listed = raw_list()
    expected = {
        int(r["indicator_id"]): PHENOMENA[r["phenomenon"]]
        for r in raw_metadata()
        if int(r["indicator_id"]) in listed and r["phenomenon"]
    }
    assert len(expected) > 250
    assert {i: ind.phenomena for i, ind in catalogue.items()} == {
        i: [f"https://rake-kg.example/concept/phenomenon/{p}"] for i, p in expected.items()
    }
    unverified = {
        int(r["indicator_id"]) for r in raw_metadata() if "UNVERIFIED" in r["verification"]
    }
    assert unverified and not unverified & set(catalogue)


def test_catalogue_titles_are_the_metadata_files_in_three_languages(catalogue):
    for row in raw_metadata():
        ind = catalogue.get(int(row["indicator_id"]))
        if ind is None:
            continue
        # the reader strips the spaces around a cell (one Swedish title ends in one)
        assert ind.labels == {lang: row[f"title_{lang}"].strip() for lang in ("fi", "sv", "en")}
        assert ind.unit("fi") == row["unit_in_title_fi"]


def test_the_producer_is_the_organisation_of_sotkanets_list_in_three_languages(catalogue):
    listed = raw_list()
    for number, ind in catalogue.items():
        assert ind.producers == listed[number]["organization"]["title"], number


def test_catalogue_indicators_are_marked_outside_the_snapshot_and_only_in_the_phenomenon_view(
    catalogue,
):
    assert all(not i.in_bundled_snapshot for i in catalogue.values())
    assert {tuple(i.views) for i in catalogue.values()} == {
        ("https://rake-kg.example/concept/view/ilmionakyma",)
    }


def test_the_phenomenon_view_lists_the_catalogue_as_available_in_words(client, catalogue):
    mental = {i.slug for i in catalogue.values() if i.phenomena[0].endswith("/mielenterveys")}
    for lang, words in (("fi", "Sotkanet"), ("sv", "Sotkanet"), ("en", "Sotkanet")):
        body = client.get(
            f"/api/views/phenomenon-view?phenomenon=mielenterveys&level=wellbeing-county&lang={lang}"
        ).get_json()
        assert {a["indicator"] for a in body["available_indicators"]} == mental
        assert not mental & {r["indicator"] for r in body["rows"]}
        assert all(words in a["availability"] for a in body["available_indicators"])
        sample = next(a for a in body["available_indicators"] if a["sotkanet_id"] == 4)
        assert sample["label"] == catalogue[4].label(lang)


def test_the_phenomenon_page_names_the_available_indicators_without_commands(client, catalogue):
    for lang, heading in (
        ("fi", "Lisää indikaattoreita saatavilla Sotkanetista"),
        ("sv", "Fler indikatorer tillgängliga i Sotkanet"),
        ("en", "More indicators available from Sotkanet"),
    ):
        page = client.get(
            f"/views/phenomenon-view?phenomenon=paihteet-ja-riippuvuudet&level=country&lang={lang}"
        ).get_data(as_text=True)
        assert heading in page and "kgservice" not in page
        assert catalogue[3104].label(lang).replace("&", "&amp;") in page


def test_the_situation_picture_shows_no_catalogue_indicator(client, catalogue):
    body = client.get("/api/views/situation-picture?area=SSS").get_json()
    slugs = {i.slug for i in catalogue.values()}
    assert not slugs & {r["indicator"] for r in body["rows"]}
    assert len(body["rows"]) < 20


def test_every_current_municipality_has_its_sotkanet_id_from_the_real_region_list(
    store, built_settings
):
    rows = select(store, built_settings.queries_dir, "regions/sotkanet-crosswalk")
    found = {
        r["notation"].value: r["sotkanetId"].value for r in rows if r["category"].value == "KUNTA"
    }
    real = {r["code"]: str(r["id"]) for r in raw_regions() if r["category"] == "KUNTA"}
    current = classification(2024) | classification(2025)
    assert set(found) == current
    assert found == {code: real[code] for code in current}
    (country,) = [r["sotkanetId"].value for r in rows if r["category"].value == "MAA"]
    assert country == str(next(r["id"] for r in raw_regions() if r["category"] == "MAA"))


def _successor(store, settings, sotkanet_id: int, year: str) -> list[tuple[str, bool]]:
    rows = select(
        store,
        settings.queries_dir,
        "regions/sotkanet-municipality",
        sotkanetId=Literal(str(sotkanet_id)),
        year=Literal(year),
    )
    return [(r["notation"].value, r.get("merged") is not None) for r in rows]


def test_a_merged_2015_municipality_resolves_to_its_successor(store, built_settings):
    valtimo = next(r for r in raw_regions() if r["title"]["fi"] == "Valtimo")
    assert _successor(store, built_settings, valtimo["id"], "2025") == [("541", True)]  # Nurmes


def test_every_2015_municipality_resolves_to_one_municipality_of_2025_or_none_if_untraced(
    store, built_settings
):
    # a 2015 municipality whose merger no bundled file supports resolves to nothing (never a guess);
    # tests/pipeline/test_mergers_against_sources.py checks that list against the raw files
    current = classification(2025)
    for region in raw_regions():
        if region["category"] != "KUNTA":
            continue
        found = _successor(store, built_settings, region["id"], "2025")
        if region["code"] in UNTRACED_2015_MUNICIPALITIES:
            assert found == [], region["title"]["fi"]
            continue
        assert len(found) == 1 and found[0][0] in current, region["title"]["fi"]
        assert found[0][1] == (region["code"] not in current), region["title"]["fi"]
