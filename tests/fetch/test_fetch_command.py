"""``kgservice fetch`` writes the snapshot's own files, from recorded API responses.

The recorded Statistics Finland responses are the real downloads the snapshot was derived from,
so a fetch must reproduce the snapshot byte for byte; the Sotkanet population rows are compared
with an independent pandas read of the raw file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kgservice.cli import main
from kgservice.config import Settings
from kgservice.sources.fetch import (
    MANIFEST,
    PLAN,
    Request,
    fetch_indicator_metadata,
    make_clients,
    parse_years,
    run_fetch_command,
)
from kgservice.sources.http import FetchError, HttpClient
from kgservice.sources.readers import read_rows
from kgservice.sources.snapshot import derive_file
from kgservice.sources.spec import load_specs

RAW = Path(__file__).resolve().parents[3] / "shared" / "data-raw"
POPULATION = "sotkanet/geofi_sotkanet_ind127_population_municipality_2000_2022.csv"
CROSSWALK = "regions/sotkanet_hyvinvointialueet_region_ids_ropengov.csv"
REGION_KEY = "regions/kunta_hyvinvointialue_yhteistyoalue_2025.csv"


def _fast() -> HttpClient:
    return HttpClient(retries=2, backoff=0, timeout=5)


def _entries(settings: Settings) -> dict[str, dict]:
    return {
        e["to"]: {**e, "spec": s} for s in load_specs(settings) for e in s.snapshot.get("files", [])
    }


def test_statfin_fetch_reproduces_the_bundled_snapshot_files(api, tmp_path):
    settings = Settings()
    out = tmp_path / "data"
    report = run_fetch_command(settings, "statfin", out, (), None, api.origin, http=_fast())
    statfin = {
        to: e
        for to, e in _entries(settings).items()
        if e["from"] in PLAN and PLAN[e["from"]].source == "statfin"
    }
    assert len(statfin) == 3, "the specs bundle 14ww, 12r5 and 11s5"
    for to, entry in statfin.items():
        expected_dir = tmp_path / "expected"
        derive_file(RAW, expected_dir, entry)
        assert (out / to).read_bytes() == (expected_dir / to).read_bytes(), to
        fmt = entry["spec"].read["format"]
        assert sum(1 for _ in read_rows(out / to, fmt)) > 300
        assert to in report


def test_sotkanet_population_rows_equal_the_source_for_the_years_asked(api, tmp_path):
    out = tmp_path / "data"
    run_fetch_command(Settings(), "sotkanet", out, (), "2020-2022", api.origin, http=_fast())
    fetched = pd.read_csv(out / POPULATION)
    source = pd.read_csv(
        RAW / "population" / "geofi_sotkanet_ind127_population_municipality_2000_2022.csv"
    )
    source = source[source["year"] >= 2020].reset_index(drop=True)
    pd.testing.assert_frame_equal(fetched, source)
    assert len(fetched) == 927  # 309 municipalities × 3 years
    rows = list(read_rows(out / POPULATION, "csv"))
    first = source.iloc[0]
    assert rows[0].values == {
        "municipality_code": "5",
        "primary_value": str(first["primary_value"]),
        "year": "2020",
    }


def test_sotkanet_county_ids_match_the_crosswalk_the_snapshot_bundles(api, tmp_path):
    out = tmp_path / "data"
    run_fetch_command(Settings(), "sotkanet", out, (), "2022", api.origin, http=_fast())
    fetched = pd.read_csv(out / CROSSWALK).sort_values("uusi_id").reset_index(drop=True)
    source = pd.read_csv(RAW / "indicators" / "sotkanet_hyvinvointialueet_region_ids_ropengov.csv")
    source = source.sort_values("uusi_id").reset_index(drop=True)
    cols = ["nimi", "uusi_id", "uusi_code"]
    pd.testing.assert_frame_equal(fetched[cols], source[cols])
    assert fetched["vanha_id"].isna().all()  # the API does not give the old ids


def test_indicator_metadata_is_wrapped_like_the_recorded_file(api):
    clients = make_clients(api.origin, _fast())
    content, urls = fetch_indicator_metadata(clients, Request())
    doc = json.loads(content)
    recorded = json.loads(
        (
            RAW / "indicators" / "sotkanet_rest11_indicator_metadata_7_indicators_hus-sotkanet.json"
        ).read_text(encoding="utf-8")
    )
    assert doc["indicators"] == recorded["indicators"]
    assert doc["indicator_count"] == 7 and len(urls) == 7


def test_a_failed_download_leaves_the_output_folder_untouched(api, tmp_path):
    out = tmp_path / "data"
    (out / "statfin").mkdir(parents=True)
    keep = out / "statfin" / "statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.json"
    keep.write_text("previous", encoding="utf-8")
    api.fail_next("/PxWeb/api/v1/fi/StatFin/vaerak/statfin_vaerak_pxt_11s5.px", 404)
    with pytest.raises(FetchError) as info:
        run_fetch_command(Settings(), "statfin", out, (), None, api.origin, http=_fast())
    assert "statfin_vaerak_pxt_11s5.px" in info.value.describe()
    assert keep.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == [keep.name]


def test_the_manifest_records_url_and_checksum_of_every_file(api, tmp_path):
    out = tmp_path / "data"
    run_fetch_command(Settings(), "all", out, (), "2021", api.origin, http=_fast())
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    files = manifest["fetches"][-1]["files"]
    assert {f["path"] for f in files} >= {POPULATION, CROSSWALK, REGION_KEY}
    assert any(f["path"].startswith("statfin/") for f in files)
    for f in files:
        assert len(f["sha256"]) == 64 and f["urls"][0].startswith(api.origin)


def test_cli_fetch_prints_the_files_and_fails_cleanly_on_a_client_error(api, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(
        main, ["fetch", "statfin", "-o", str(tmp_path / "d"), "--base-url", api.origin]
    )
    assert ok.exit_code == 0, ok.output
    assert "statfin/statfin_12r5_tyonvalitys_tyottomat_kunta_2026M06.json" in ok.output
    api.fail_next("/rest/1.1/regions", 403)
    bad = runner.invoke(
        main, ["fetch", "sotkanet", "-o", str(tmp_path / "e"), "--base-url", api.origin]
    )
    assert bad.exit_code == 1
    assert f"{api.origin}/rest/1.1/regions: [http-403]" in bad.output


@pytest.mark.parametrize(
    ("text", "years"),
    [("2020", (2020,)), ("2015-2017", (2015, 2016, 2017)), ("2015,2020-2021", (2015, 2020, 2021))],
)
def test_years_option_accepts_ranges_and_lists(text, years):
    assert parse_years(text) == years


@pytest.mark.parametrize("text", ["twenty", "2024-2020"])
def test_years_option_refuses_what_it_cannot_read(text):
    with pytest.raises(FetchError, match="cannot read years"):
        parse_years(text)
