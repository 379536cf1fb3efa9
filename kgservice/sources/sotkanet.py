"""Client of THL's Sotkanet REST API 1.1 (https://sotkanet.fi/rest/1.1/, data CC BY 4.0).

Endpoints used, with the response shapes checked here:

* ``GET /indicators``           list of ``{"id", "title": {fi, sv, en}, "organization": {...}}``
* ``GET /indicators/{id}``      one indicator's metadata: ``id``, ``title``/``description``/…
                                in fi/sv/en, ``range {start, end}``, ``primaryValueType``,
                                ``decimals``, ``classifications``, ``organization``, ``sources``…
* ``GET /regions``              list of ``{"id", "code", "category", "title": {fi, sv, en}, …}``
                                (``id`` is Sotkanet's own; ``code`` + ``category`` is official)
* ``GET /json?indicator=…&years=…&genders=…``  data rows ``{"indicator", "region", "year",
                                "gender", "value", "absValue"?}`` (``region`` is a Sotkanet id)

Reference: the rOpenGov ``sotkanet`` R package (BSD-2) documents the same endpoints. Its
``get_sotkanet()`` lists the 15 region categories (ALUEHALLINTOVIRASTO, ELY-KESKUS, ERVA,
EURALUEET, EUROOPPA, HYVINVOINTIALUE, KUNTA, MAA, MAAKUNTA, NUTS1, POHJOISMAAT, SAIRAANHOITOPIIRI,
SEUTUKUNTA, SUURALUE, YTA) and checks the code widths per category (KUNTA and MAA 3 characters,
HYVINVOINTIALUE and MAAKUNTA 2, YTA 1). The build crosses KUNTA, HYVINVOINTIALUE and MAA to the
code list (``mappings/regions/sotkanet-regions.rq``); YTA is left out because its numbering was not
verified to be Statistics Finland's cooperation areas 1–5.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kgservice.sources.http import FetchError, HttpClient

DEFAULT_BASE_URL = "https://sotkanet.fi/rest/1.1"
GENDERS = ("total", "male", "female")


class SotkanetClient:
    def __init__(self, http: HttpClient, base_url: str = DEFAULT_BASE_URL) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    def indicators(self) -> list[dict[str, Any]]:
        url = f"{self.base_url}/indicators"
        rows = self.http.get_json(url)
        _expect_list_of(rows, ("id", "title"), url)
        return rows

    def indicator(self, indicator_id: int) -> dict[str, Any]:
        url = f"{self.base_url}/indicators/{indicator_id}"
        doc = self.http.get_json(url)
        _expect_keys(doc, ("id", "title", "range"), url)
        if doc["id"] != indicator_id:
            raise FetchError(
                f"asked for indicator {indicator_id}, got {doc['id']}", file=url, rule="sotkanet"
            )
        return doc

    def regions(self) -> list[dict[str, Any]]:
        return self.regions_verbatim()[0]

    def regions_verbatim(self) -> tuple[list[dict[str, Any]], bytes]:
        """Every region of every category, checked, and the answer's bytes as downloaded."""
        url = f"{self.base_url}/regions"
        rows, content = self.http.get_json_verbatim(url)
        _expect_list_of(rows, ("id", "code", "category", "title"), url)
        return rows, content

    def data(
        self, indicator_id: int, years: Iterable[int], genders: Iterable[str] = ("total",)
    ) -> list[dict[str, Any]]:
        """Data rows of one indicator for ``years`` (the API wants at least one year)."""
        years = list(years)
        genders = list(genders)
        if not years:
            raise FetchError("no years given", rule="sotkanet-years")
        bad = [g for g in genders if g not in GENDERS]
        if bad:
            raise FetchError(f"unknown genders {bad}; use {GENDERS}", rule="sotkanet-genders")
        url = f"{self.base_url}/json"
        params: list[tuple[str, str | int]] = [("indicator", indicator_id)]
        params += [("years", y) for y in years]
        params += [("genders", g) for g in genders]
        rows = self.http.get_json(url, params=params)
        _expect_list_of(rows, ("indicator", "region", "year", "gender"), url)
        return rows


def _expect_keys(doc: Any, keys: Iterable[str], url: str) -> None:
    if not isinstance(doc, dict):
        raise FetchError(
            f"expected a JSON object, got {type(doc).__name__}", file=url, rule="sotkanet-shape"
        )
    missing = [k for k in keys if k not in doc]
    if missing:
        raise FetchError(f"response lacks {missing}", file=url, rule="sotkanet-shape")


def _expect_list_of(rows: Any, keys: Iterable[str], url: str) -> None:
    if not isinstance(rows, list):
        raise FetchError(
            f"expected a JSON list, got {type(rows).__name__}", file=url, rule="sotkanet-shape"
        )
    keys = tuple(keys)
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or any(k not in row for k in keys):
            raise FetchError(
                f"entry {i} lacks one of {list(keys)}", file=url, line=i, rule="sotkanet-shape"
            )
