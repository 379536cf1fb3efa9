"""``kgservice fetch sotkanet`` fetches the figures of exactly the catalogue's indicators, and a
build over the fetched file shows them in the phenomenon view with no change of code.

The local API serves the recorded real responses (``recorded/sotkanet``): Sotkanet's 2015
``/regions`` answer with the counties, and for indicator 5 (social assistance recipients aged
25–64, %) the six real rows rOpenGov/sotkanet's tutorial printed; other indicators answer no rows.
Expected figures are read from the raw printed rows in ``../shared/data-raw``.
"""

from __future__ import annotations

import csv
import shutil

import pytest

from kgservice.config import PROJECT_ROOT, Settings
from kgservice.indicators.registry import load_registry
from kgservice.pipeline.build import build
from kgservice.sources.fetch import CATALOGUE_DATA, run_fetch_command
from kgservice.sources.http import HttpClient
from kgservice.sources.spec import load_specs
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

RAW = PROJECT_ROOT.parent / "shared" / "data-raw" / "indicators"
KEEP = ("regions", "sotkanet-region-ids", "sotkanet-regions", "sotkanet-catalogue")
KEEP_AFTER_FETCH = (*KEEP, "sotkanet-catalogue-data")


def printed_rows() -> list[dict[str, str]]:
    path = RAW / "sotkanet_data_rows_printed_ropengov_tutorial_fi_2024.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["indicator"] == "5"]


@pytest.fixture(scope="module")
def fetched(module_api, tmp_path_factory, settings_factory) -> Settings:
    """data/ and mappings/ copied, the catalogue and region sources kept, `fetch sotkanet` over
    the copy (with the data source of the fetched figures), then built."""
    root = tmp_path_factory.mktemp("catalogue")
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    shutil.copytree(PROJECT_ROOT / "mappings", root / "mappings")
    settings = settings_factory(data_dir=root / "data", mappings_dir=root / "mappings")
    for spec in load_specs(settings):
        if spec.slug not in KEEP_AFTER_FETCH:
            spec.path.unlink()
    http = HttpClient(retries=0, backoff=0, timeout=10)
    run_fetch_command(
        settings, "sotkanet", settings.data_dir, (), None, module_api.origin, http=http
    )
    build(settings)
    return settings


def catalogue_ids(settings: Settings) -> set[int]:
    with (settings.data_dir / "sotkanet" / "sotkanet_catalogue_metadata.csv").open() as fh:
        return {int(r["indicator_id"]) for r in csv.DictReader(fh)}


def test_the_fetch_asks_sotkanet_for_exactly_the_registrys_catalogue_indicators(
    fetched, module_api
):
    asked = {
        int(r.query["indicator"][0]) for r in module_api.requests if r.path == "/rest/1.1/json"
    }
    store = EmbeddedStore(served_dir(fetched), read_only=True)
    try:
        registry = load_registry(store, fetched)
    finally:
        store.close()
    in_registry = {i.sotkanet_id for i in registry.indicators.values() if i.sotkanet_id}
    assert asked - {127} == in_registry == catalogue_ids(fetched)
    genders = {
        g for r in module_api.requests if r.path == "/rest/1.1/json" for g in r.query["genders"]
    }
    assert genders == {"total"}


def test_the_fetched_file_has_the_real_rows_with_official_area_codes(fetched):
    with (fetched.data_dir / CATALOGUE_DATA).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    expected = {
        ("HVA" + r["region.code"], r["year"], r["primary.value"], r["absolute.value"])
        for r in printed_rows()
    }
    assert {(r["area"], r["year"], r["value"], r["absolute_value"]) for r in rows} == expected
    assert {r["indicator"] for r in rows} == {"5"}
    assert rows[0]["unit"] == "% vastaavanikäisestä väestöstä"


def test_a_build_over_the_fetched_file_fills_the_phenomenon_view(fetched, app_factory):
    client = app_factory(fetched).test_client()
    body = client.get(
        "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
        "&level=wellbeing-county&lang=en"
    ).get_json()
    shown = {r["area_code"]: r for r in body["rows"] if r["indicator"] == "sotkanet-5"}
    for raw in printed_rows():
        row = shown[raw["region.code"]]
        assert (row["value"], row["period"], row["status"]) == (
            float(raw["primary.value"]),
            raw["year"],
            "ok",
        )
    assert len(shown) == 23  # every county has a row; the others show no figure, not zero
    assert {r["status"] for r in shown.values()} == {"ok", "missing"}
    assert "sotkanet-5" not in {a["indicator"] for a in body["available_indicators"]}
    assert "sotkanet-493" in {a["indicator"] for a in body["available_indicators"]}
