"""A view's table as JSON, CSV or Excel (``.xlsx``), and ``kgservice export``.

The Excel file has a data sheet (number formats per unit, frozen header, autofilter), a trend
sheet when the view has one, and a metadata sheet: the indicators with definitions, units,
aggregation rules and query files; the sources with licences, citation text and retrieval
dates (from ``data/sources.json``); the region classification year; the suppression rule; and
the SHA-256 of the data rows, so a copy can be checked against the service.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kgservice.config import Settings
from kgservice.errors import QueryError
from kgservice.indicators.service import IndicatorService
from kgservice.indicators.suppression import RULE_TEXT
from kgservice.indicators.views import COLUMNS, ViewTable, build_view, to_json

FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


#: Stands in for the rows while the rest of a JSON body is encoded (then replaced by them).
ROWS_MARK = "\u0000rows\u0000"


def rows_json(table: ViewTable) -> str:
    """The rows as compact JSON (each row's keys in column order, UTF-8 kept)."""
    return json.dumps(table.rows, separators=(",", ":"), ensure_ascii=False)


def data_hash(table: ViewTable, rows_text: str | None = None) -> str:
    """SHA-256 of the rows as canonical JSON (:func:`rows_json`: every row's keys in the order
    of the columns, no whitespace, UTF-8)."""
    text = rows_json(table) if rows_text is None else rows_text
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_records(settings: Settings, table: ViewTable) -> list[dict[str, Any]]:
    """The ``data/sources.json`` entries of the datasets the table's indicators use."""
    manifest = settings.data_dir / "sources.json"
    if not manifest.is_file():
        return []
    sources = {s["slug"]: s for s in json.loads(manifest.read_text("utf-8")).get("sources", [])}
    wanted: list[str] = []
    for ind in table.indicators:
        for var in (ind.numerator, ind.denominator, ind.published_variable):
            if var and "/data/variable/" in var:
                slug = var.split("/data/variable/", 1)[1].split("/", 1)[0]
                if slug not in wanted:
                    wanted.append(slug)
    if "regions" in sources:
        wanted.append("regions")
    return [sources[s] for s in wanted if s in sources]


def classification_year(records: list[dict[str, Any]]) -> str:
    for r in records:
        if r.get("slug") == "regions":
            return str(r.get("year", ""))
    return ""


def to_csv(table: ViewTable) -> bytes:
    """UTF-8 with BOM (Excel opens it correctly); empty cell for no value, never 0."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in table.rows:
        writer.writerow({k: ("" if row[k] is None else row[k]) for k in COLUMNS})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _number_format(row: dict[str, Any]) -> str:
    if row.get("unit") in ("%",) or row.get("is_index"):
        return "0.0"
    return "#,##0"


def to_xlsx(table: ViewTable, svc: IndicatorService) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    labels = table.column_labels()
    ws.append([labels[c] for c in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    numeric = {"value", "national_value", "change", "numerator", "denominator"}
    for row in table.rows:
        ws.append([row[c] for c in COLUMNS])
        r = ws.max_row
        fmt = _number_format(row)
        for i, c in enumerate(COLUMNS, start=1):
            if c in numeric and row[c] is not None:
                cell = ws.cell(row=r, column=i)
                if c in ("numerator", "denominator"):
                    cell.number_format = "#,##0"
                elif c == "change":
                    cell.number_format = "+0.0;-0.0;0.0" if fmt == "0.0" else "+#,##0;-#,##0;0"
                else:
                    cell.number_format = fmt
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, c in enumerate(COLUMNS, start=1):
        width = 14 if c not in ("indicator_label", "note", "phenomenon", "area_name") else 36
        ws.column_dimensions[get_column_letter(i)].width = width

    if table.trend:
        tr = wb.create_sheet("trend")
        cols = ["indicator", "area_code", "area_name", "period", "value", "status"]
        tr.append(cols)
        for cell in tr[1]:
            cell.font = Font(bold=True)
        for t in table.trend:
            tr.append([t[c] for c in cols])
        tr.freeze_panes = "A2"

    meta = wb.create_sheet("metadata")
    records = source_records(svc.settings, table)
    lang = table.lang
    now = datetime.now(tz=UTC).replace(microsecond=0).isoformat()
    general = [
        ("title", table.title),
        ("view", table.view),
        ("parameters", json.dumps(table.params, ensure_ascii=False)),
        ("generated", now),
        ("data version", svc.version.tag),
        ("data modified", svc.version.modified.isoformat()),
        ("data sha256", data_hash(table)),
        ("rows", len(table.rows)),
        ("region classification year", classification_year(records)),
        ("suppression rule", RULE_TEXT.get(lang, RULE_TEXT["en"])),
        (
            "citation",
            "; ".join(r.get("attribution", "") for r in records if r.get("attribution"))
            + f". rake-kg, {table.title}, {now[:10]}.",
        ),
        (
            "missing / suppressed",
            "An empty value cell is never zero: the status column says missing or suppressed.",
        ),
    ]
    for key, value in general:
        meta.append([key, value])
    meta.append([])
    ind_cols = [
        "indicator",
        "label",
        "definition",
        "unit",
        "aggregation rule",
        "polarity",
        "is index",
        "numerator",
        "denominator",
        "published variable",
        "query file",
        "source",
        "data availability",
    ]
    meta.append(ind_cols)
    header_row = meta.max_row
    for ind in table.indicators:
        meta.append(
            [
                ind.slug,
                ind.label(lang),
                ind.definition(lang),
                ind.unit(lang),
                ind.rule,
                ind.polarity,
                ind.is_index,
                ind.numerator,
                ind.denominator,
                ind.published_variable,
                f"queries/{ind.computed_by}.rq" if ind.computed_by else "",
                ind.source_note,
                ind.availability.get(lang) or ind.availability.get("fi", ""),
            ]
        )
    meta.append([])
    src_cols = ["source", "title", "publisher", "licence", "licence name", "citation",
                "retrieved", "year", "origin"]  # fmt: skip
    meta.append(src_cols)
    src_header = meta.max_row
    for r in records:
        title = r.get("title", {})
        meta.append(
            [
                r.get("slug"),
                title.get(lang) or title.get("fi") if isinstance(title, dict) else title,
                r.get("publisher"),
                r.get("licence"),
                r.get("licence_name"),
                r.get("attribution"),
                r.get("retrieved"),
                r.get("year"),
                r.get("origin"),
            ]
        )
    meta.append([])
    meta.append(["column", "label"])
    col_header = meta.max_row
    for c in COLUMNS:
        meta.append([c, labels[c]])
    for row_no in (header_row, src_header, col_header):
        for cell in meta[row_no]:
            cell.font = Font(bold=True)
    for row in meta.iter_rows(min_row=1, max_row=len(general)):
        row[0].font = Font(bold=True)
    meta.column_dimensions["A"].width = 28
    meta.column_dimensions["B"].width = 60
    meta.column_dimensions["C"].width = 60

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(table: ViewTable, svc: IndicatorService, fmt: str) -> bytes:
    if fmt == "json":
        # the rows are encoded once, for the hash and the body; compact, because an indent
        # makes json fall back to its pure-Python encoder (10× slower)
        rows_text = rows_json(table)
        body = to_json(table, svc)
        body["data_sha256"] = data_hash(table, rows_text)
        body["sources"] = source_records(svc.settings, table)
        body["rows"] = ROWS_MARK
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        return text.replace(json.dumps(ROWS_MARK), rows_text, 1).encode("utf-8")
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table, svc)
    raise QueryError(f"unknown format {fmt!r}; use json, csv or xlsx", rule="export-format")


def run_export_command(
    settings: Settings,
    view: str,
    phenomenon: str | None,
    level: str | None,
    area: str | None,
    year: int | None,
    lang: str,
    output: Path,
) -> str:
    """``kgservice export``: the same files the API serves, written to ``output``."""
    from kgservice.indicators.service import IndicatorService
    from kgservice.pipeline.swap import current_store_dir
    from kgservice.store import open_store
    from kgservice.store.embedded import EmbeddedStore

    fmt = output.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise QueryError(
            f"cannot tell the format from {output.name!r}: use .xlsx, .csv or .json",
            file=str(output),
            rule="export-format",
        )
    if settings.remote:
        store = open_store(settings)
    else:
        target = current_store_dir(settings)
        if target is None:
            from kgservice.errors import StoreError

            raise StoreError(
                "no store has been built yet: run `kgservice build`",
                file=str(settings.store_path),
                rule="store-missing",
            )
        store = EmbeddedStore(target, read_only=True, base_iri=settings.base_iri)
    with store:
        svc = IndicatorService(store, settings)
        table = build_view(
            svc, view, phenomenon=phenomenon, level=level, area=area, year=year, lang=lang
        )
        data = render(table, svc, fmt)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    return f"wrote {output} ({len(table.rows)} rows, {fmt}, sha256 of data {data_hash(table)})"
