"""``kgservice fetch sotkanet`` with a ``/regions`` answer gives the build a municipal crosswalk.

The recorded ``/regions`` answer (``recorded/sotkanet/regions.json``) is Sotkanet's real answer of
October 2015 (municipalities of 2015, regions, the whole country, with their real Sotkanet ids)
plus the 23 counties with their real ids (see ``recorded/README.md``). Sotkanet ids and official
codes overlap (Sotkanet id 297 is Pukkila, 616; Kuopio 297 is Sotkanet id 161).
One private build of the small sources over the fetched files is shared by the module.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from pyoxigraph import Literal

from kgservice.config import PROJECT_ROOT, Settings
from kgservice.pipeline.build import build
from kgservice.queries import select
from kgservice.sources.fetch import run_fetch_command
from kgservice.sources.http import HttpClient
from kgservice.sources.spec import load_specs
from kgservice.store.base import Row
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

REGIONS = json.loads(
    (Path(__file__).parent / "recorded" / "sotkanet" / "regions.json").read_text(encoding="utf-8")
)
KEEP = ("regions", "sotkanet-region-ids", "sotkanet-regions")


def classification_codes(year: int) -> set[str]:
    path = PROJECT_ROOT / "data" / "regions" / f"kunta_hyvinvointialue_yhteistyoalue_{year}.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["kuntanumero"] for row in csv.DictReader(fh)}


def _query(settings: Settings, name: str, **bindings: object) -> list[Row]:
    store = EmbeddedStore(served_dir(settings), read_only=True)
    try:
        return select(store, settings.queries_dir, name, **bindings)
    finally:
        store.close()


def _sotkanet_id(category: str, code: str) -> str:
    (entry,) = [r for r in REGIONS if r["category"] == category and r["code"] == code]
    return str(entry["id"])


@pytest.fixture(scope="module")
def fetched(module_api, tmp_path_factory, settings_factory) -> Settings:
    """data/ and mappings/ copied, only the region sources kept, Sotkanet fetched over the copy,
    then built."""
    root = tmp_path_factory.mktemp("crosswalk")
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    shutil.copytree(PROJECT_ROOT / "mappings", root / "mappings")
    settings = settings_factory(data_dir=root / "data", mappings_dir=root / "mappings")
    for spec in load_specs(settings):
        if spec.slug not in KEEP:
            spec.path.unlink()
    http = HttpClient(retries=0, backoff=0, timeout=10)
    run_fetch_command(
        settings, "sotkanet", settings.data_dir, (), None, module_api.origin, http=http
    )
    build(settings)
    return settings


def by_id(settings: Settings, sotkanet_id: str, category: str) -> list[str]:
    rows = _query(
        settings,
        "regions/by-sotkanet-id",
        sotkanetId=Literal(sotkanet_id),
        category=Literal(category),
    )
    return [r["notation"].value for r in rows]


def test_the_fetch_writes_the_whole_regions_answer_verbatim(fetched):
    written = fetched.data_dir / "regions" / "sotkanet_rest11_regions.json"
    recorded = Path(__file__).parent / "recorded" / "sotkanet" / "regions.json"
    assert written.read_bytes() == recorded.read_bytes()


def test_kuopio_297_is_found_by_its_own_sotkanet_id_and_not_by_its_official_code(fetched):
    kuopio = _sotkanet_id("KUNTA", "297")
    assert kuopio != "297"
    assert by_id(fetched, kuopio, "KUNTA") == ["297"]
    (holder,) = [r for r in REGIONS if r["category"] == "KUNTA" and r["id"] == 297]
    assert by_id(fetched, "297", "KUNTA") == [holder["code"]] != ["297"]


def test_every_municipality_of_the_answer_lands_on_its_official_code(fetched):
    rows = _query(fetched, "regions/sotkanet-crosswalk")
    municipal = {
        r["sotkanetId"].value: r["notation"].value for r in rows if r["category"].value == "KUNTA"
    }
    listed = {c for year in (2024, 2025) for c in classification_codes(year)}
    expected = {str(r["id"]): r["code"] for r in REGIONS if r["category"] == "KUNTA"}
    # the code list's municipalities; the 2015 ones merged since have no code of their own
    assert municipal == {i: c for i, c in expected.items() if c in listed}
    assert len(municipal) == len(listed) == 309


def test_a_code_used_by_two_categories_is_resolved_by_category(fetched):
    helsinki, aland = _sotkanet_id("KUNTA", "091"), _sotkanet_id("HYVINVOINTIALUE", "91")
    assert by_id(fetched, helsinki, "KUNTA") == ["091"]  # the City of Helsinki, municipality
    assert by_id(fetched, aland, "HYVINVOINTIALUE") == ["91"]  # Åland
    assert by_id(fetched, helsinki, "HYVINVOINTIALUE") == []
    assert by_id(fetched, aland, "KUNTA") == []
    # maakunta 13 (Keski-Suomi) is not the county 13 (Pohjois-Savo): MAAKUNTA gives no crosswalk
    keski_suomi = _sotkanet_id("MAAKUNTA", "13")
    assert by_id(fetched, keski_suomi, "MAAKUNTA") == []
    assert by_id(fetched, keski_suomi, "HYVINVOINTIALUE") == []


def test_the_whole_country_is_crossed_from_category_maa(fetched):
    country = next(str(r["id"]) for r in REGIONS if r["category"] == "MAA")
    assert by_id(fetched, country, "MAA") == ["SSS"]


def test_the_counties_keep_their_real_sotkanet_ids(fetched):
    assert by_id(fetched, "974", "HYVINVOINTIALUE") == ["13"]
    rows = _query(fetched, "regions/sotkanet-crosswalk")
    assert sum(1 for r in rows if r["category"].value == "HYVINVOINTIALUE") == 23


def test_the_source_provenance_lists_the_fetched_answer(fetched):
    rows = _query(fetched, "statistics/source-row-counts")
    counts = {r["source"].value: int(r["rowsIn"].value) for r in rows}
    assert counts["sotkanet-region-ids"] == 23  # the rOpenGov rows
    assert counts["sotkanet-regions"] == len(REGIONS)  # every entry of the /regions answer
