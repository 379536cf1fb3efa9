"""``kgservice fetch sotkanet|statfin|classifications|all``: fresh open data into the snapshot's
files.

A fetch re-creates the *raw* downloads the snapshot is derived from (the ``from`` files of each
spec's ``[[snapshot.files]]`` in ``mappings/sources/``), from the live APIs, into a staging
folder, then runs the same derivation as ``kgservice snapshot``
(:func:`kgservice.sources.snapshot.derive_file`). So the output has exactly the file names and
formats of the bundled ``data/``, and the build reads it unchanged (``KG_DATA_DIR``).

Nothing is written to the output folder before every download has succeeded; each file is
then moved into place atomically, and ``fetch-manifest.json`` records URL, time and SHA-256.

:data:`PLAN` says which raw file comes from which API call. Raw files without an API here (the
Diak indices, GeoJSON, Sosmeta schemas…) are listed as "not fetchable" in the report.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kgservice.config import Settings
from kgservice.sources import classifications, sotkanet, statfin
from kgservice.sources.csvfile import csv_bytes
from kgservice.sources.http import FetchError, HttpClient
from kgservice.sources.snapshot import derive_file, sha256
from kgservice.sources.spec import load_specs

MANIFEST = "fetch-manifest.json"


@dataclass
class Clients:
    sotkanet: sotkanet.SotkanetClient
    statfin: statfin.StatFinClient
    classifications: classifications.ClassificationsClient


@dataclass
class Request:
    """What the user asked for on the command line, and the catalogue it fetches."""

    indicators: tuple[int, ...] = ()
    years: tuple[int, ...] = ()
    #: The Sotkanet catalogue (id → Finnish title, unit) the data fetch asks for; read from
    #: the data folder's catalogue file by :func:`fetch`.
    catalogue: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class RawFile:
    """One raw download: which API, and a function that writes its bytes."""

    source: str  #: one of :data:`SOURCES`
    describe: str
    fetch: Callable[[Clients, Request], tuple[bytes, list[str]]]  # → (content, URLs used)


@dataclass
class Fetched:
    raw: str
    urls: list[str]
    files: list[dict[str, Any]] = field(default_factory=list)


# -- Sotkanet ---------------------------------------------------------------------------------
#: The indicators of the recorded metadata file (data-raw/indicators, hus-sotkanet).
METADATA_INDICATORS = (186, 322, 5051, 5074, 5034, 5033, 3336)
POPULATION_INDICATOR = 127
POPULATION_YEARS = tuple(range(2000, 2023))


def _number(value: object) -> str:
    """A JSON number as the R-converted CSVs write it: 11503, not 11503.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fetch_population_127(c: Clients, req: Request) -> tuple[bytes, list[str]]:
    """Indicator 127 by municipality → ``municipality_code,primary_value,year`` (geofi's CSV)."""
    years = req.years or POPULATION_YEARS
    regions = c.sotkanet.regions()
    municipality = {r["id"]: int(r["code"]) for r in regions if r["category"] == "KUNTA"}
    rows = c.sotkanet.data(POPULATION_INDICATOR, years, ("total",))
    out = []
    for row in rows:
        code = municipality.get(row["region"])
        if code is None or row.get("value") is None:
            continue  # other region categories; empty cells (the R export drops them too)
        out.append((code, _number(row["value"]), int(row["year"])))
    if not out:
        raise FetchError(
            f"no municipal rows for indicator {POPULATION_INDICATOR} in {years[0]}–{years[-1]}",
            file=f"{c.sotkanet.base_url}/json",
            rule="sotkanet-empty",
        )
    out.sort(key=lambda r: (r[0], r[2]))
    urls = [f"{c.sotkanet.base_url}/regions", f"{c.sotkanet.base_url}/json"]
    return csv_bytes(["municipality_code", "primary_value", "year"], out), urls


def fetch_county_ids(c: Clients, req: Request) -> tuple[bytes, list[str]]:
    """Sotkanet's county region ids → the rOpenGov crosswalk CSV (the API has no old ids)."""
    regions = [r for r in c.sotkanet.regions() if r["category"] == "HYVINVOINTIALUE"]
    if not regions:
        raise FetchError(
            "no HYVINVOINTIALUE regions", file=f"{c.sotkanet.base_url}/regions", rule="sotkanet"
        )
    rows = sorted(
        ((r["title"]["fi"], r["id"], "", int(r["code"]), "") for r in regions),
        key=lambda r: r[0],
    )
    header = ["nimi", "uusi_id", "vanha_id", "uusi_code", "vanha_code"]
    return csv_bytes(header, rows), [f"{c.sotkanet.base_url}/regions"]


def fetch_regions_answer(c: Clients, req: Request) -> tuple[bytes, list[str]]:
    """Sotkanet's whole ``/regions`` answer, verbatim: the build's crosswalk for every category
    the code list has (KUNTA, HYVINVOINTIALUE, MAA; ``mappings/regions/sotkanet-regions.rq``)."""
    rows, content = c.sotkanet.regions_verbatim()
    if not any(r["category"] == "KUNTA" for r in rows):
        raise FetchError("no KUNTA regions", file=f"{c.sotkanet.base_url}/regions", rule="sotkanet")
    return content, [f"{c.sotkanet.base_url}/regions"]


def fetch_indicator_metadata(c: Clients, req: Request) -> tuple[bytes, list[str]]:
    """``/indicators/{id}`` for each indicator, wrapped as the recorded metadata file is."""
    ids = req.indicators or METADATA_INDICATORS
    docs = {str(i): c.sotkanet.indicator(i) for i in ids}
    doc = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": "Sotkanet REST API",
        "indicator_count": len(docs),
        "indicators": docs,
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8"), [f"{c.sotkanet.base_url}/indicators/{i}" for i in ids]


#: The Sotkanet catalogue the indicator registry is built from (mappings/sources/
#: sotkanet-catalogue.toml): the indicators whose figures ``fetch sotkanet`` asks for.
CATALOGUE_FILE = "sotkanet/sotkanet_catalogue_metadata.csv"
CATALOGUE_DATA = "sotkanet/sotkanet_catalogue_data.csv"
CATALOGUE_FIRST_YEAR = 2000
#: Sotkanet region categories the code list has a level for → the official code's PxWeb form.
AREA_CODES = {
    "MAA": lambda code: "SSS",
    "KUNTA": "KU{:0>3}".format,
    "HYVINVOINTIALUE": "HVA{:0>2}".format,
}


def read_catalogue(data_dir: Path) -> dict[int, tuple[str, str]]:
    """Indicator id → (Finnish title, unit in the title) of the bundled catalogue file."""
    path = data_dir / CATALOGUE_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            int(row["indicator_id"]): (row["title_fi"], row["unit_in_title_fi"])
            for row in csv.DictReader(fh)
        }


def fetch_catalogue_data(c: Clients, req: Request) -> tuple[bytes, list[str]]:
    """``/json`` of every catalogue indicator (total of both sexes), its rows at the levels the
    code list has (whole country, municipalities, counties) as one CSV with official area codes.
    An indicator Sotkanet has no rows for is left out of the file."""
    ids = req.indicators or tuple(sorted(req.catalogue))
    if not ids:
        raise FetchError(f"no catalogue indicators ({CATALOGUE_FILE})", rule="sotkanet-catalogue")
    years = req.years or tuple(range(CATALOGUE_FIRST_YEAR, datetime.now(UTC).year + 1))
    area: dict[int, str] = {
        r["id"]: AREA_CODES[r["category"]](r["code"])
        for r in c.sotkanet.regions()
        if r["category"] in AREA_CODES
    }
    out = []
    for ind in ids:
        title, unit = req.catalogue.get(ind, ("", ""))
        for row in c.sotkanet.data(ind, years, ("total",)):
            code = area.get(row["region"])
            if code is None or row.get("value") is None:
                continue  # other region categories; empty cells
            absolute = row.get("absValue")
            out.append((ind, title, unit, code, int(row["year"]), _number(row["value"]),
                        "" if absolute is None else _number(absolute)))  # fmt: skip
    out.sort(key=lambda r: (r[0], r[3], r[4]))
    header = ["indicator", "indicator_title", "unit", "area", "year", "value", "absolute_value"]
    urls = [f"{c.sotkanet.base_url}/regions"]
    urls += [f"{c.sotkanet.base_url}/json?indicator={i}" for i in ids]
    return csv_bytes(header, out), urls


# -- Statistics Finland -----------------------------------------------------------------------
def pxweb_fetcher(
    table_id: str, periods: tuple[str, ...], area_prefixes: tuple[str, ...] = ()
) -> Callable[[Clients, Request], tuple[bytes, list[str]]]:
    """Every value of ``table_id`` for ``periods`` (and areas starting with ``area_prefixes``)."""

    def fetch(c: Clients, req: Request) -> tuple[bytes, list[str]]:
        table = statfin.TABLES[table_id]
        meta = c.statfin.metadata(table)
        selections = statfin.selection(meta, periods, area_prefixes, url=c.statfin.url(table))
        _doc, content = c.statfin.query_verbatim(table, selections)
        return content, [c.statfin.url(table)]

    return fetch


# -- Statistics Finland classifications ---------------------------------------------------
def region_key_fetcher(year: int) -> Callable[[Clients, Request], tuple[bytes, list[str]]]:
    """The region key of ``year`` (classifications of 1 January) in the bundled CSV format."""

    def fetch(c: Clients, req: Request) -> tuple[bytes, list[str]]:
        return classifications.region_key(c.classifications, year)

    return fetch


#: The ``kgservice fetch`` targets, one per API; ``all`` is every one of them.
SOURCES = ("sotkanet", "statfin", "classifications")

#: Raw file (path as in data-raw and the specs' ``from``) → how to download it.
PLAN: dict[str, RawFile] = {
    "population/geofi_sotkanet_ind127_population_municipality_2000_2022.csv": RawFile(
        "sotkanet",
        "Sotkanet indicator 127 by municipality (/regions + /json)",
        fetch_population_127,
    ),
    "indicators/sotkanet_hyvinvointialueet_region_ids_ropengov.csv": RawFile(
        "sotkanet", "Sotkanet region ids of the counties (/regions)", fetch_county_ids
    ),
    CATALOGUE_DATA: RawFile(
        "sotkanet",
        "Sotkanet figures of the catalogue indicators (/regions + /json per indicator)",
        fetch_catalogue_data,
    ),
    "indicators/sotkanet_rest11_regions_2015-10_oskari.json": RawFile(
        "sotkanet", "Sotkanet regions of every category (/regions, verbatim)", fetch_regions_answer
    ),
    "indicators/sotkanet_rest11_indicator_metadata_7_indicators_hus-sotkanet.json": RawFile(
        "sotkanet", "Sotkanet indicator metadata (/indicators/{id})", fetch_indicator_metadata
    ),
    "indicators/statfin_14ww_tulonjako_pienituloisuus_perusturva_kunta_hva_2024.json": RawFile(
        "statfin", "PxWeb table 14ww, 2024", pxweb_fetcher("14ww", ("2024",))
    ),
    "indicators/statfin_12r5_tyonvalitys_tyottomat_kunta_2026M06.json": RawFile(
        "statfin", "PxWeb table 12r5, 2026M06", pxweb_fetcher("12r5", ("2026M06",))
    ),
    "population/statfin_11s5_population_municipality_2024M12.jsonstat.json": RawFile(
        "statfin",
        "PxWeb table 11s5, 2024M12, municipalities",
        pxweb_fetcher("11s5", ("2024M12",), ("KU",)),
    ),
    **{
        f"regions/kunta_hyvinvointialue_yhteistyoalue_{year}.csv": RawFile(
            "classifications",
            f"Statistics Finland region key {year} (classifications + correspondence tables)",
            region_key_fetcher(year),
        )
        for year in (2024, 2025)
    },
}


# -- the command ------------------------------------------------------------------------------
def parse_years(text: str | None) -> tuple[int, ...]:
    """``2015-2024`` or ``2015,2017`` or ``2020`` → years."""
    if not text:
        return ()
    years: list[int] = []
    try:
        for part in text.split(","):
            if "-" in part:
                a, b = (int(x) for x in part.split("-", 1))
                if b < a:
                    raise ValueError(part)
                years.extend(range(a, b + 1))
            else:
                years.append(int(part))
    except ValueError:
        raise FetchError(
            f"cannot read years {text!r}: use e.g. 2015-2024 or 2015,2016", rule="fetch-years"
        ) from None
    return tuple(years)


def with_origin(base: str, origin: str | None) -> str:
    """``base`` with its scheme and host replaced by ``origin`` (keeps the API path)."""
    if not origin:
        return base
    o, b = urlsplit(origin), urlsplit(base)
    return f"{o.scheme}://{o.netloc}{b.path}"


def make_clients(base_url: str | None, http: HttpClient | None = None) -> Clients:
    http = http or HttpClient()
    return Clients(
        sotkanet.SotkanetClient(http, with_origin(sotkanet.DEFAULT_BASE_URL, base_url)),
        statfin.StatFinClient(http, with_origin(statfin.DEFAULT_BASE_URL, base_url)),
        classifications.ClassificationsClient(
            http, with_origin(classifications.DEFAULT_BASE_URL, base_url)
        ),
    )


def fetch(
    settings: Settings,
    source: str,
    output: Path,
    clients: Clients,
    request: Request | None = None,
) -> tuple[list[Fetched], list[str]]:
    """Download every planned raw file of ``source`` and derive the snapshot files into
    ``output``. Returns what was fetched and the raw files no API here can provide."""
    request = request or Request()
    if not request.catalogue:
        request.catalogue = read_catalogue(settings.data_dir)
    wanted = SOURCES if source == "all" else (source,)
    entries = [
        entry
        for spec in load_specs(settings)
        for entry in spec.snapshot.get("files", [])
        if entry["from"] in PLAN and PLAN[entry["from"]].source in wanted
    ]
    unfetchable = sorted(
        {
            entry["from"]
            for spec in load_specs(settings)
            for entry in spec.snapshot.get("files", [])
            if entry["from"] not in PLAN
        }
    )
    with tempfile.TemporaryDirectory(prefix="kg-fetch-") as tmp:
        raw_dir, staged = Path(tmp) / "raw", Path(tmp) / "out"
        results: dict[str, Fetched] = {}
        for entry in entries:
            raw = entry["from"]
            if raw not in results:
                content, urls = PLAN[raw].fetch(clients, request)
                path = raw_dir / raw
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
                results[raw] = Fetched(raw, urls)
            results[raw].files.append(derive_file(raw_dir, staged, entry))
        _move_into_place(staged, output, list(results.values()))
    return list(results.values()), unfetchable


def _move_into_place(staged: Path, output: Path, fetched: list[Fetched]) -> None:
    """Every staged file into ``output`` (one atomic rename each), then the manifest."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for item in fetched:
        for f in item.files:
            target = output / f["path"]
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.part")
            shutil.copyfile(staged / f["path"], tmp)
            tmp.replace(target)
    manifest_path = output / MANIFEST
    manifest: dict[str, Any] = {"fetches": []}
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            pass
    manifest.setdefault("fetches", []).append(
        {
            "retrieved": now,
            "files": [
                {
                    "path": f["path"],
                    "sha256": sha256(output / f["path"]),
                    "raw": item.raw,
                    "urls": item.urls,
                }
                for item in fetched
                for f in item.files
            ],
        }
    )
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def run_fetch_command(
    settings: Settings,
    source: str,
    output: Path | None,
    indicators: tuple[int, ...],
    years: str | None,
    base_url: str | None,
    *,
    http: HttpClient | None = None,
) -> str:
    out = output or settings.data_dir
    clients = make_clients(base_url, http)
    try:
        fetched, unfetchable = fetch(
            settings, source, out, clients, Request(tuple(indicators), parse_years(years))
        )
    finally:
        clients.sotkanet.http.close()
    lines = [f"fetched {source} → {out}"]
    for item in fetched:
        for f in item.files:
            lines.append(f"  {f['path']:<76} {f['bytes']:>9} B  sha256 {f['sha256'][:12]}")
        lines.extend(f"      from {u}" for u in item.urls[:3])
        if len(item.urls) > 3:
            lines.append(f"      … and {len(item.urls) - 3} more requests")
    if unfetchable:
        lines.append("not fetchable (no API client; bundled snapshot only):")
        lines.extend(f"  {raw}" for raw in unfetchable)
    return "\n".join(lines)
