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
from markupsafe import escape
from pyoxigraph import Literal

from kgservice.indicators.registry import Indicator, load_registry
from kgservice.queries import select
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir
from kgservice.texts import translate

IND = RAW / "indicators"
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


def test_the_registry_api_gives_each_catalogue_indicators_producer_id_and_snapshot_mark(
    client, catalogue
):
    listed = raw_list()
    for lang in ("fi", "sv", "en"):
        meta = {
            m["id"]: m for m in client.get(f"/api/indicators?lang={lang}").get_json()["indicators"]
        }
        for number, ind in catalogue.items():
            m = meta[ind.slug]
            assert m["producer"] == listed[number]["organization"]["title"][lang], number
            assert (m["sotkanet_id"], m["in_bundled_snapshot"]) == (number, False)
            assert m["label"] == ind.label(lang) and m["unit"] == ind.unit(lang)
        bundled = meta["asunnottomat"]  # the survey's figures are in the snapshot
        assert (bundled["sotkanet_id"], bundled["in_bundled_snapshot"]) == (None, True)


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


def test_the_brief_says_which_catalogue_figures_the_service_can_fetch_without_commands(
    client, catalogue
):
    for phen, slug in (("mielenterveys", "mielenterveys"), ("asunnottomuus", "asunnottomuus")):
        own = {i.slug for i in catalogue.values() if i.phenomena[0].endswith(f"/{slug}")}
        for lang in ("fi", "sv", "en"):
            url = f"phenomenon-in-brief?phenomenon={phen}&lang={lang}"
            body = client.get(f"/api/views/{url}").get_json()
            assert {a["indicator"] for a in body["available_indicators"]} == own != set()
            assert not own & {r["indicator"] for r in body["rows"]}
            page = client.get(f"/views/{url}").get_data(as_text=True)
            assert str(escape(translate("available.intro", lang))) in page
            assert f"({len(own)})" in page and "kgservice" not in page


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


def test_every_2015_municipality_resolves_to_exactly_one_municipality_of_2025(
    store, built_settings
):
    # the nine that ended in 2015–2017 through the compiled mergers of
    # mappings/sources/kuntaliitokset-2015-2017.toml (checked against the raw files in
    # tests/pipeline/test_mergers_against_sources.py), Valtimo and Honkajoki through regions.toml
    current = classification(2025)
    for region in raw_regions():
        if region["category"] != "KUNTA":
            continue
        found = _successor(store, built_settings, region["id"], "2025")
        assert len(found) == 1 and found[0][0] in current, region["title"]["fi"]
        assert found[0][1] == (region["code"] not in current), region["title"]["fi"]


def test_lavia_nastola_and_juankoski_resolve_to_pori_lahti_and_kuopio(store, built_settings):
    by_name = {r["title"]["fi"]: r["id"] for r in raw_regions() if r["category"] == "KUNTA"}
    for old, new in (("Lavia", "609"), ("Nastola", "398"), ("Juankoski", "297")):
        assert _successor(store, built_settings, by_name[old], "2025") == [(new, True)], old


REGION = "https://rake-kg.example/region/"
MERGER_SOURCE = """
PREFIX rake: <https://rake-kg.example/ontology/>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?old ?new ?page WHERE { ?old rake:mergedInto ?new ; dct:source/foaf:page ?page }
"""


def test_each_compiled_merger_names_its_source_page_in_the_graph(store):
    with (DATA / "regions" / "kuntaliitokset_2015_2017.csv").open(encoding="utf-8") as fh:
        want = {
            (REGION + "kunta/" + r["old"], REGION + "kunta/" + r["new"], r["source_url"])
            for r in csv.DictReader(fh)
        }
    got = {(r["old"].value, r["new"].value, r["page"].value) for r in store.select(MERGER_SOURCE)}
    assert got == want


def unit_table() -> dict[str, dict[str, str]]:
    with (DATA / "sotkanet" / "sotkanet_catalogue_units_fi_sv_en.csv").open(encoding="utf-8") as fh:
        return {r["unit_fi"]: r for r in csv.DictReader(fh)}


def test_every_unit_the_catalogue_uses_has_a_reviewed_swedish_and_english_form(catalogue):
    table = unit_table()
    used = {r["unit_in_title_fi"] for r in raw_metadata() if int(r["indicator_id"]) in catalogue}
    used.discard("")  # a title without a unit (an index, an average length of stay …)
    assert used and used <= set(table)
    for unit in used:
        assert table[unit]["unit_sv"].strip() and table[unit]["unit_en"].strip(), unit
    for row in raw_metadata():
        ind = catalogue.get(int(row["indicator_id"]))
        if ind is None or not row["unit_in_title_fi"]:
            continue
        units = table[row["unit_in_title_fi"]]
        assert (ind.unit("sv"), ind.unit("en")) == (units["unit_sv"], units["unit_en"])


def test_no_bundled_description_is_of_a_catalogue_indicator_so_each_points_to_sotkanet(catalogue):
    doc = json.loads(
        (IND / "sotkanet_rest11_indicator_metadata_7_indicators_hus-sotkanet.json").read_text(
            encoding="utf-8"
        )
    )
    described = {int(i) for i in doc["indicators"]}
    assert len(described) == 7 and not described & set(catalogue)  # the seven are health ones
    words = {"fi": "Sotkanetissa", "sv": "i Sotkanet", "en": "in Sotkanet"}
    for number, ind in catalogue.items():
        for lang, word in words.items():
            text = ind.definition(lang)
            assert f"https://sotkanet.fi/rest/1.1/indicators/{number}" in text and word in text


def test_the_api_and_the_page_give_the_catalogue_unit_and_where_the_definition_is(
    client, catalogue
):
    for lang in ("fi", "sv", "en"):
        body = client.get(f"/api/indicators?lang={lang}").get_json()
        meta = {m["id"]: m for m in body["indicators"]}
        sample = catalogue[4]  # "… / 1 000 vastaavanikäistä"
        assert meta[sample.slug]["unit"] == sample.unit(lang) != ""
        assert "sotkanet.fi/rest/1.1/indicators/4" in meta[sample.slug]["definition"]
        page = client.get(
            f"/views/phenomenon-view?phenomenon=mielenterveys&level=country&lang={lang}"
        ).get_data(as_text=True)
        assert str(escape(translate("available.definitions", lang))) in page
        assert f"[{sample.unit(lang)}]" in page
    assert catalogue[4].unit("en") == "per 1 000 persons of the same age"
