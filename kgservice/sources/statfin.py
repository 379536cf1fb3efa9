"""Client of Statistics Finland's PxWeb API v1 (https://pxdata.stat.fi/PxWeb/api/v1/, CC BY 4.0).

* ``GET  <base>/<table path>``  table metadata ``{"title", "variables": [{"code", "text",
                                 "values", "valueTexts", "elimination"?, "time"?}]}``
* ``POST <base>/<table path>``  body ``{"query": [{"code", "selection": {"filter", "values"}}],
                                 "response": {"format": "json" | "json-stat2"}}``; ``json`` answers
                                 PxWeb JSON (``columns``/``comments``/``data``/``metadata``),
                                 ``json-stat2`` a JSON-stat 2.0 dataset.

The tables the project uses (paths under ``<base>`` = ``…/api/v1/fi/StatFin``) are in
:data:`TABLES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgservice.sources.http import FetchError, HttpClient

DEFAULT_BASE_URL = "https://pxdata.stat.fi/PxWeb/api/v1/fi/StatFin"
FORMATS = ("json", "json-stat2")


@dataclass(frozen=True)
class Table:
    """One PxWeb table: its id, path under the base URL and the response format to ask for."""

    table_id: str
    path: str
    response_format: str  #: "json" (PxWeb JSON) or "json-stat2"
    title: str


TABLES: dict[str, Table] = {
    t.table_id: t
    for t in (
        Table(
            "14ww",
            "tjt/statfin_tjt_pxt_14ww.px",
            "json",
            "Tulotaso, tuloerot, pienituloiset ja perusturvan varassa olevat asuntoväestössä",
        ),
        Table(
            "12r5",
            "tyonv/statfin_tyonv_pxt_12r5.px",
            "json",
            "Työttömät työnhakijat eri ryhmissä, palveluissa olevat ja avoimet työpaikat",
        ),
        Table("11s5", "vaerak/statfin_vaerak_pxt_11s5.px", "json-stat2", "Väestö kuukausittain"),
    )
}


class StatFinClient:
    def __init__(self, http: HttpClient, base_url: str = DEFAULT_BASE_URL) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    def url(self, table: Table) -> str:
        return f"{self.base_url}/{table.path}"

    def metadata(self, table: Table) -> dict[str, Any]:
        url = self.url(table)
        doc = self.http.get_json(url)
        if not isinstance(doc, dict) or not isinstance(doc.get("variables"), list):
            raise FetchError("table metadata has no 'variables' list", file=url, rule="pxweb")
        for i, var in enumerate(doc["variables"], start=1):
            if not isinstance(var, dict) or "code" not in var or "values" not in var:
                raise FetchError(
                    f"variable {i} lacks 'code' or 'values'", file=url, line=i, rule="pxweb"
                )
        return doc

    def query(
        self, table: Table, selections: list[dict[str, Any]], response_format: str | None = None
    ) -> dict[str, Any]:
        return self.query_verbatim(table, selections, response_format)[0]

    def query_verbatim(
        self, table: Table, selections: list[dict[str, Any]], response_format: str | None = None
    ) -> tuple[dict[str, Any], bytes]:
        """The parsed, checked answer and the response body as downloaded."""
        fmt = response_format or table.response_format
        if fmt not in FORMATS:
            raise FetchError(f"unsupported response format {fmt!r}", rule="pxweb-format")
        url = self.url(table)
        body = {"query": selections, "response": {"format": fmt}}
        doc, content = self.http.post_json_verbatim(url, body)
        if fmt == "json":
            _check_pxweb_json(doc, url)
        else:
            _check_jsonstat2(doc, url)
        return doc, content


def selection(
    metadata: dict[str, Any],
    periods: tuple[str, ...],
    area_prefixes: tuple[str, ...] = (),
    *,
    url: str = "",
) -> list[dict[str, Any]]:
    """A query selecting ``periods`` of the time variable, the areas whose codes start with
    ``area_prefixes`` (all areas when empty) and every value of the other variables.

    A period the table does not offer is an error (PxWeb would answer 400 without saying why).
    """
    selections = []
    for var in metadata["variables"]:
        values = [str(v) for v in var["values"]]
        if var.get("time"):
            missing = [p for p in periods if p not in values]
            if missing:
                raise FetchError(
                    f"variable {var['code']!r} does not offer {missing}; it has "
                    f"{values[:2]} … {values[-2:]}",
                    file=url or None,
                    rule="pxweb-periods",
                )
            choice = {"filter": "item", "values": list(periods)}
        elif area_prefixes and _is_area(values):
            choice = {
                "filter": "item",
                "values": [v for v in values if v.startswith(area_prefixes)],
            }
        else:
            choice = {"filter": "all", "values": ["*"]}
        selections.append({"code": var["code"], "selection": choice})
    return selections


def _is_area(values: list[str]) -> bool:
    """Statistics Finland area variables use ``SSS`` (whole country) and ``KU…`` codes."""
    return any(v == "SSS" or v.startswith("KU") for v in values)


def _check_pxweb_json(doc: Any, url: str) -> None:
    if not isinstance(doc, dict) or not isinstance(doc.get("columns"), list):
        raise FetchError("no 'columns' list: not PxWeb JSON", file=url, rule="pxweb-json")
    if not isinstance(doc.get("data"), list) or not doc["data"]:
        raise FetchError("no data rows", file=url, rule="pxweb-json")
    keys = sum(1 for c in doc["columns"] if c.get("type") in ("d", "t"))
    values = sum(1 for c in doc["columns"] if c.get("type") == "c")
    for i, entry in enumerate(doc["data"], start=1):
        if len(entry.get("key", ())) != keys or len(entry.get("values", ())) != values:
            raise FetchError(
                f"data entry {i} does not match the columns ({keys} keys, {values} values)",
                file=url,
                line=i,
                rule="pxweb-json",
            )


def _check_jsonstat2(doc: Any, url: str) -> None:
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise FetchError("not a JSON-stat 2.0 dataset", file=url, rule="jsonstat")
    for member in ("id", "size", "dimension", "value"):
        if member not in doc:
            raise FetchError(f"JSON-stat member {member!r} missing", file=url, rule="jsonstat")
