"""Readers of the source FORMATS: each turns one file into numbered rows of strings.

A row is a :class:`RawRow`: its position in the file (``line``: the physical line for CSV,
the 1-based entry for JSON formats) and a mapping column → text (``None`` for an empty cell).
Readers never interpret values; typing, missing-value symbols and quarantine rules belong to
the mapping spec (:mod:`kgservice.mappings.engine`).

Formats:

* ``csv``        comma or semicolon separated, with or without a header row, any encoding
                 (Statistics Finland PxWeb CSV exports are ``;`` + UTF-8 with BOM)
* ``pxweb-json`` the PxWeb API's ``{"columns": [...], "data": [{"key": [...], "values": [...]}]}``
* ``jsonstat``   JSON-stat 2.0 datasets (``id``/``size``/``dimension``/``value``)
* ``json-records`` a JSON list of objects, one row each (REST answers such as Sotkanet's
                 ``/regions``): scalar members are columns, a nested object's members become
                 ``<member>_<key>`` (``title.fi`` → ``title_fi``), lists are left out
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from kgservice.errors import ParseError


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str | None]


def _cell(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text if text else None


def read_csv(
    path: Path,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    header: bool = True,
    names: Sequence[str] | None = None,
) -> Iterator[RawRow]:
    """Rows of a CSV file; ``names`` gives the columns of a file without a header row."""
    try:
        with path.open(encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            columns: list[str]
            if header:
                try:
                    columns = [c.strip() for c in next(reader)]
                except StopIteration:
                    raise ParseError(
                        "empty file", file=str(path), line=1, rule="csv-header"
                    ) from None
            elif names:
                columns = list(names)
            else:
                raise ParseError(
                    "a CSV without a header needs column names in its mapping spec",
                    file=str(path),
                    rule="csv-header",
                )
            for cells in reader:
                line = reader.line_num
                if not cells or all(not c.strip() for c in cells):
                    continue
                if len(cells) > len(columns) and all(not c.strip() for c in cells[len(columns) :]):
                    cells = cells[: len(columns)]  # trailing separators (Sotkanet exports)
                if len(cells) != len(columns):
                    raise ParseError(
                        f"expected {len(columns)} cells, found {len(cells)}",
                        file=str(path),
                        line=line,
                        rule="csv-cell-count",
                    )
                yield RawRow(line, {c: _cell(v) for c, v in zip(columns, cells, strict=True)})
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"not {encoding}: {exc.reason}", file=str(path), rule="csv-encoding"
        ) from exc
    except csv.Error as exc:
        raise ParseError(str(exc), file=str(path), rule="csv-syntax") from exc


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ParseError(exc.msg, file=str(path), line=exc.lineno, rule="json-syntax") from exc
    except UnicodeDecodeError as exc:
        raise ParseError(f"not UTF-8: {exc.reason}", file=str(path), rule="json-encoding") from exc


def pxweb_columns(path: Path) -> list[dict[str, str]]:
    """The ``columns`` block of a PxWeb JSON file: code, text, comment, type (d/t/c)."""
    doc = _load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("columns"), list):
        raise ParseError("no 'columns' list: not PxWeb JSON", file=str(path), rule="pxweb-json")
    return [
        {k: str(c.get(k, "")).strip() for k in ("code", "text", "comment", "type")}
        for c in doc["columns"]
    ]


def read_pxweb_json(path: Path) -> Iterator[RawRow]:
    """One row per ``data`` entry: the key columns (types d, t) then the value columns (c)."""
    doc = _load_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise ParseError("no 'data' list: not PxWeb JSON", file=str(path), rule="pxweb-json")
    columns = pxweb_columns(path)
    keys = [c["code"] for c in columns if c["type"] in ("d", "t")]
    values = [c["code"] for c in columns if c["type"] == "c"]
    for i, entry in enumerate(doc["data"], start=1):
        key, vals = entry.get("key"), entry.get("values")
        if not isinstance(key, list) or not isinstance(vals, list):
            raise ParseError(
                "entry without 'key' and 'values' lists", file=str(path), line=i, rule="pxweb-json"
            )
        if len(key) != len(keys) or len(vals) != len(values):
            raise ParseError(
                f"entry has {len(key)} keys and {len(vals)} values; the columns declare "
                f"{len(keys)} and {len(values)}",
                file=str(path),
                line=i,
                rule="pxweb-json",
            )
        row = {c: _cell(str(v)) for c, v in zip(keys, key, strict=True)}
        row.update(
            {c: _cell(None if v is None else str(v)) for c, v in zip(values, vals, strict=True)}
        )
        yield RawRow(i, row)


def read_jsonstat(path: Path) -> Iterator[RawRow]:
    """One row per cell of a JSON-stat 2.0 dataset: each dimension's category code + ``value``.

    ``line`` is the 1-based position of the cell in the ``value`` array (row-major order).
    """
    doc = _load_json(path)
    try:
        ids: list[str] = doc["id"]
        sizes: list[int] = doc["size"]
        dims = doc["dimension"]
        raw = doc["value"]
    except (KeyError, TypeError) as exc:
        raise ParseError(
            f"missing JSON-stat member {exc}", file=str(path), rule="jsonstat"
        ) from None
    axes: list[list[str]] = []
    for dim_id, size in zip(ids, sizes, strict=True):
        index = dims[dim_id]["category"]["index"]
        codes = sorted(index, key=lambda c: index[c]) if isinstance(index, dict) else list(index)
        if len(codes) != size:
            raise ParseError(
                f"dimension {dim_id!r} has {len(codes)} categories, size says {size}",
                file=str(path),
                rule="jsonstat",
            )
        axes.append(codes)
    total = 1
    for s in sizes:
        total *= s
    if isinstance(raw, dict):
        cells = [raw.get(str(i)) for i in range(total)]
    else:
        cells = list(raw)
    if len(cells) != total:
        raise ParseError(f"{len(cells)} values for {total} cells", file=str(path), rule="jsonstat")
    status = doc.get("status") or {}
    for i, combo in enumerate(product(*axes)):
        row: dict[str, str | None] = dict(zip(ids, combo, strict=True))
        v = cells[i]
        row["value"] = None if v is None else str(v)
        st = status.get(str(i)) if isinstance(status, dict) else None
        row["status"] = st
        yield RawRow(i + 1, row)


def _flat(entry: dict[str, Any], prefix: str = "") -> dict[str, str | None]:
    row: dict[str, str | None] = {}
    for key, value in entry.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            row.update(_flat(value, f"{name}_"))
        elif isinstance(value, bool):
            row[name] = "true" if value else "false"
        elif value is None or isinstance(value, str | int | float):
            row[name] = _cell(None if value is None else str(value))
    return row


def read_json_records(path: Path) -> Iterator[RawRow]:
    """One row per object of a JSON list; ``line`` is its 1-based position in the list."""
    doc = _load_json(path)
    if not isinstance(doc, list):
        raise ParseError("not a JSON list of records", file=str(path), rule="json-records")
    for i, entry in enumerate(doc, start=1):
        if not isinstance(entry, dict):
            raise ParseError(
                "entry is not a JSON object", file=str(path), line=i, rule="json-records"
            )
        yield RawRow(i, _flat(entry))


def read_rows(path: Path, fmt: str, **options: Any) -> Iterator[RawRow]:
    """Dispatch on the format name used in mapping specs."""
    if not path.is_file():
        raise ParseError("source file is missing", file=str(path), rule="source-file")
    if fmt == "csv":
        return read_csv(path, **options)
    if fmt == "pxweb-json":
        return read_pxweb_json(path)
    if fmt == "jsonstat":
        return read_jsonstat(path)
    if fmt == "json-records":
        return read_json_records(path)
    raise ParseError(f"unknown reader format {fmt!r}", file=str(path), rule="reader-format")
