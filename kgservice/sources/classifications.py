"""Client of Statistics Finland's classification API (https://data.stat.fi/api/classifications/v2,
CC BY 4.0) and the region key the snapshot bundles, built from it.

Endpoints used, with the response shapes checked here:

* ``GET <base>/classifications/<id>/classificationItems``
  ``?content=data&meta=max&lang=<fi|sv|en>&format=json``: a JSON list of items ``{"code",
  "classificationItemNames": [{"lang", "name", …}], "localId", "level", "order", "parentCode",
  …}``; one request per language.
* ``GET <base>/correspondenceTables/<source>%23<target>/maps``
  ``?content=data&meta=min&lang=fi&format=json``: a JSON list of rows ``{"sourceItem": {"code",
  …}, "targetItem": {"code", …}, "sourceLocalId", "targetLocalId", …}``, one per source item
  (``%23`` is the ``#`` joining the two classification ids, sent percent-encoded).

Classification ids are ``<name>_<version>_<YYYYMMDD>`` for the version valid from that day:
:func:`classification_id` gives ``kunta_1_20250101``, ``hyvinvointialue_1_20250101`` …

**Verified** against public code that calls the live API (found with the project's code search,
2026-11; the last three are excerpts whose repository the search did not name):

* base URL, both paths, the parameters ``content=data``, ``meta``, ``lang``, ``format=json`` and the
  ``%23`` joining the two ids: rOpenGov/geofi ``inst/extras/municipality_keys.R``
  (``get_classifications`` reads ``classificationItems`` per language; the loop over
  ``correspondenceTables/<kunta id>%23<target>/maps``) and pttry/statficlassifications
  ``R/functions_for_api_access.R`` (``access_API``: ``/classificationItems`` for classifications,
  ``/maps`` for correspondence tables, ``content=data``);
* map rows ``sourceItem.code`` / ``targetItem.code`` with ``classificationItemNames``:
  statficlassifications ``get_key``; a pandas script reading
  ``kunta_1_20240101%23maakunta_1_20240101/maps``; a Python script reading
  ``kunta_1_20260101%23maakunta_1_20260101/maps`` whose ``sourceLocalId`` / ``targetLocalId`` end
  in the codes;
* items ``code``, ``localId``, ``level``, ``order``, ``parentCode``, ``classificationItemNames[]``
  with ``lang`` / ``langName`` / ``name``: geofi (``classificationItemNames[[i]]$name``), a
  TypeScript ``ClassificationItem`` interface of a client that stores the API's answers for
  ``kunta_1_20250101`` and ``maakunta_1_20250101``, and clients that pick the name whose ``lang`` is
  the language asked for;
* the ids ``kunta_1_YYYY0101``, ``maakunta_1_YYYY0101``, ``hyvinvointialue_1_YYYY0101`` and the
  tables ``kunta_1_YYYY0101#maakunta_1_YYYY0101``, ``kunta_1_YYYY0101#hyvinvointialue_1_YYYY0101``
  (a Python populator's level list; a JavaScript list of ``kunta_1_${year}0101#…`` tables).

**Not verified** (no public code or recorded answer found): the cooperation-area ids
``yhteistyoalue_1_YYYY0101`` and ``kunta_1_YYYY0101#yhteistyoalue_1_YYYY0101`` (geofi's 2023–2025
keys have ``yhteistyoalue_*`` columns, and geofi names its columns after the classification id,
which points to this name; the id itself was not seen — :data:`CLASSIFICATIONS` is the one place to
change it); whether codes come with leading zeros (``005``, ``01``) — :func:`pad` writes the
bundled file's form either way; whether an item can lack a name in a language (then the key is
refused, never filled in). The recorded answers in ``tests/fetch/recorded/classifications/`` are
format samples built from the real key, not downloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgservice.sources.csvfile import csv_bytes
from kgservice.sources.http import FetchError, HttpClient

DEFAULT_BASE_URL = "https://data.stat.fi/api/classifications/v2"
LANGUAGES = ("fi", "sv", "en")

#: Level of the region key → classification name (the id is ``<name>_1_<YYYY>0101``).
CLASSIFICATIONS = {
    "kunta": "kunta",
    "hyvinvointialue": "hyvinvointialue",
    "yhteistyoalue": "yhteistyoalue",
    "maakunta": "maakunta",
}

#: The columns of ``regions/kunta_hyvinvointialue_yhteistyoalue_<year>.csv``.
KEY_COLUMNS = (
    "kuntanumero",
    "kunta_fi",
    "kunta_sv",
    "hyvinvointialue_code",
    "hyvinvointialue_fi",
    "hyvinvointialue_sv",
    "hyvinvointialue_en",
    "yhteistyoalue_code",
    "yhteistyoalue_fi",
    "yhteistyoalue_sv",
    "yhteistyoalue_en",
    "maakunta_code",
    "maakunta_fi",
    "year",
)

#: Width of each level's code in the bundled file (0: no leading zeros).
CODE_WIDTH = {"kunta": 3, "hyvinvointialue": 2, "yhteistyoalue": 0, "maakunta": 2}


def classification_id(level: str, year: int) -> str:
    """``kunta`` and 2025 → ``kunta_1_20250101`` (the version valid from 1 January)."""
    return f"{CLASSIFICATIONS[level]}_1_{year}0101"


def pad(level: str, code: str) -> str:
    """A code in the bundled file's form: municipalities 3 digits, counties and regions 2,
    cooperation areas without leading zeros."""
    code = code.strip()
    width = CODE_WIDTH[level]
    if not code.isdigit():
        return code
    return code.zfill(width) if width else str(int(code))


@dataclass(frozen=True)
class Item:
    code: str
    name: str


class ClassificationsClient:
    def __init__(self, http: HttpClient, base_url: str = DEFAULT_BASE_URL) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    def items_url(self, classification: str) -> str:
        return f"{self.base_url}/classifications/{classification}/classificationItems"

    def maps_url(self, source: str, target: str) -> str:
        return f"{self.base_url}/correspondenceTables/{source}%23{target}/maps"

    def items(self, classification: str, lang: str) -> list[Item]:
        """The items of a classification with their names in ``lang``."""
        if lang not in LANGUAGES:
            raise FetchError(f"unknown language {lang!r}; use {LANGUAGES}", rule="classifications")
        url = self.items_url(classification)
        params = {"content": "data", "meta": "max", "lang": lang, "format": "json"}
        rows = self.http.get_json(url, params=params)
        _expect_list(rows, url)
        items = []
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or not isinstance(row.get("code"), str | int):
                raise FetchError(
                    "item lacks 'code'", file=url, line=i, rule="classifications-shape"
                )
            items.append(Item(str(row["code"]), _name(row, lang, url, i)))
        if not items:
            raise FetchError(
                f"classification {classification} has no items (lang={lang})",
                file=url,
                rule="classifications-empty",
            )
        return items

    def names(self, classification: str, lang: str) -> dict[str, str]:
        return {item.code: item.name for item in self.items(classification, lang)}

    def maps(self, source: str, target: str) -> dict[str, str]:
        """Source code → target code of a correspondence table."""
        url = self.maps_url(source, target)
        params = {"content": "data", "meta": "min", "lang": "fi", "format": "json"}
        rows = self.http.get_json(url, params=params)
        _expect_list(rows, url)
        out: dict[str, str] = {}
        for i, row in enumerate(rows, start=1):
            codes = [
                (row.get(side) or {}).get("code") if isinstance(row, dict) else None
                for side in ("sourceItem", "targetItem")
            ]
            if not all(isinstance(c, str | int) for c in codes):
                raise FetchError(
                    "map row lacks sourceItem.code or targetItem.code",
                    file=url,
                    line=i,
                    rule="classifications-shape",
                )
            src, tgt = (str(c) for c in codes)
            if src in out and out[src] != tgt:
                raise FetchError(
                    f"{src} maps to both {out[src]} and {tgt}",
                    file=url,
                    line=i,
                    rule="classifications-ambiguous",
                )
            out[src] = tgt
        return out


def _expect_list(rows: Any, url: str) -> None:
    if not isinstance(rows, list):
        raise FetchError(
            f"expected a JSON list, got {type(rows).__name__}",
            file=url,
            rule="classifications-shape",
        )


def _name(row: dict[str, Any], lang: str, url: str, line: int) -> str:
    """The item's name in ``lang``: the entry tagged with that language, or the only entry."""
    names = row.get("classificationItemNames")
    if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
        raise FetchError(
            f"item {row.get('code')} has no 'classificationItemNames' list",
            file=url,
            line=line,
            rule="classifications-shape",
        )
    tagged = [n for n in names if n.get("lang") == lang]
    chosen = tagged or (names if len(names) == 1 and "lang" not in names[0] else [])
    # the name exactly as published (some carry a trailing space, and the key keeps it)
    text = str(chosen[0].get("name") or "") if chosen else ""
    if not text.strip():
        raise FetchError(
            f"item {row.get('code')} has no name in {lang!r}",
            file=url,
            line=line,
            rule="classifications-name",
        )
    return text


# -- the region key ---------------------------------------------------------------------------
#: Level → languages the key has names in.
KEY_LANGUAGES = {
    "kunta": ("fi", "sv"),
    "hyvinvointialue": LANGUAGES,
    "yhteistyoalue": LANGUAGES,
    "maakunta": ("fi",),
}
PARENTS = ("hyvinvointialue", "yhteistyoalue", "maakunta")


def region_key(client: ClassificationsClient, year: int) -> tuple[bytes, list[str]]:
    """``regions/kunta_hyvinvointialue_yhteistyoalue_<year>.csv`` from the classifications of
    1 January ``year``: one row per municipality, sorted by its number; its county, cooperation
    area and region (maakunta) from the correspondence tables ``kunta#<level>``.

    Returns the CSV bytes and every URL asked. A municipality missing from a table, a code a table
    names that its classification lacks, or a missing name is an error naming the URL: the key is
    never partly filled.
    """
    ids = {level: classification_id(level, year) for level in CLASSIFICATIONS}
    urls: list[str] = []
    names: dict[tuple[str, str], dict[str, str]] = {}
    for level, langs in KEY_LANGUAGES.items():
        for lang in langs:
            by_code = client.names(ids[level], lang)
            names[level, lang] = {pad(level, c): n for c, n in by_code.items()}
            urls.append(f"{client.items_url(ids[level])}?lang={lang}")
    municipalities = sorted(names["kunta", "fi"])
    parent: dict[str, dict[str, str]] = {}
    for level in PARENTS:
        url = client.maps_url(ids["kunta"], ids[level])
        urls.append(url)
        table = client.maps(ids["kunta"], ids[level])
        parent[level] = {pad("kunta", k): pad(level, v) for k, v in table.items()}
        missing = [k for k in municipalities if k not in parent[level]]
        if missing:
            raise FetchError(
                f"{len(missing)} municipalities of {ids['kunta']} have no {level}: {missing[:5]}",
                file=url,
                rule="classifications-incomplete",
            )

    def name(level: str, lang: str, code: str) -> str:
        found = names[level, lang].get(code)
        if found is None:
            raise FetchError(
                f"{ids[level]} has no item {code} (lang={lang})",
                file=client.items_url(ids[level]),
                rule="classifications-incomplete",
            )
        return found

    rows = []
    for k in municipalities:
        hva, yta, mk = (parent[level][k] for level in PARENTS)
        rows.append(
            (
                k,
                name("kunta", "fi", k),
                name("kunta", "sv", k),
                hva,
                *(name("hyvinvointialue", lang, hva) for lang in LANGUAGES),
                yta,
                *(name("yhteistyoalue", lang, yta) for lang in LANGUAGES),
                mk,
                name("maakunta", "fi", mk),
                str(year),
            )
        )
    return csv_bytes(KEY_COLUMNS, rows), urls
