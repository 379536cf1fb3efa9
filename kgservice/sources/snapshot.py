"""``kgservice snapshot --from DIR``: derive the bundled ``data/`` from raw downloads.

Every spec in ``mappings/sources/`` lists its snapshot files (``[[snapshot.files]]``): the raw
file, the bundled name and a derivation. Derivations keep the publisher's format byte for byte
wherever possible:

* ``copy``             the file as downloaded
* ``csv-keep-rows``    keep the header line and the lines whose column ``column`` is one of
                       ``values`` (optionally also ``column2``/``values2``); the kept lines are
                       written exactly as they were (quoting, BOM, separators)
* ``pxweb-json-keep-areas``  keep the ``data`` entries whose first key starts with one of
                       ``area_prefixes`` (PxWeb JSON re-serialised compactly, UTF-8)
* ``compiled``         a small file the project compiled itself from cited public pages (one row
                       per figure with its source page, e.g. the whole country's population of
                       the years the downloads lack); it lives in the repository's ``data/``
                       (``from`` is relative to it), no raw download exists, and the snapshot
                       copies it unchanged

An entry with ``optional = true`` names a file that only ``kgservice fetch`` can write (no raw
download of it exists, e.g. Sotkanet's whole ``/regions`` answer): the snapshot skips it when the
raw file is missing, and the build reads it only when it is there.

Afterwards ``data/sources.json`` lists every file with its SHA-256, size, origin and licence.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

from kgservice.config import Settings
from kgservice.errors import ParseError
from kgservice.sources.spec import SourceSpec, load_specs

MANIFEST = "sources.json"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _keep_csv_rows(src: Path, dst: Path, opts: dict[str, Any]) -> int:
    encoding = opts.get("encoding", "utf-8")
    delimiter = opts.get("delimiter", ",")
    raw = src.read_bytes()
    text = raw.decode(encoding)
    lines = text.splitlines(keepends=True)
    header = next(csv.reader([lines[0]], delimiter=delimiter))
    header = [h.lstrip("\ufeff") for h in header]
    conds = []
    for col_key, val_key in (("column", "values"), ("column2", "values2")):
        if col_key in opts:
            if opts[col_key] not in header:
                raise ParseError(
                    f"no column {opts[col_key]!r}", file=str(src), line=1, rule="snapshot-derive"
                )
            conds.append((header.index(opts[col_key]), set(opts[val_key])))
    kept = [lines[0]]
    for line in lines[1:]:
        cells = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
        if cells and all(cells[i] in allowed for i, allowed in conds):
            kept.append(line)
    dst.write_bytes("".join(kept).encode(encoding))
    return len(kept) - 1


def _keep_pxweb_areas(src: Path, dst: Path, opts: dict[str, Any]) -> int:
    doc = json.loads(src.read_text(encoding="utf-8"))
    prefixes = tuple(opts["area_prefixes"])
    doc["data"] = [e for e in doc["data"] if str(e["key"][0]).startswith(prefixes)]
    dst.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(doc["data"])


def derive_file(
    raw_dir: Path, data_dir: Path, entry: dict[str, Any], bundled_dir: Path | None = None
) -> dict[str, Any]:
    how = entry.get("derive", "copy")
    base = (bundled_dir or data_dir) if how == "compiled" else raw_dir
    src = base / entry["from"]
    if not src.is_file():
        raise ParseError("raw file is missing", file=str(src), rule="snapshot-source")
    dst = data_dir / entry["to"]
    dst.parent.mkdir(parents=True, exist_ok=True)
    rows: int | None = None
    if how in ("copy", "compiled"):
        if src.resolve() != dst.resolve():
            shutil.copyfile(src, dst)
    elif how == "csv-keep-rows":
        rows = _keep_csv_rows(src, dst, entry)
    elif how == "pxweb-json-keep-areas":
        rows = _keep_pxweb_areas(src, dst, entry)
    else:
        raise ParseError(f"unknown derivation {how!r}", file=str(src), rule="snapshot-derive")
    return {
        "path": entry["to"],
        "derived_from": entry["from"],
        "derivation": how,
        "derivation_note": entry.get("note", ""),
        "sha256": sha256(dst),
        "bytes": dst.stat().st_size,
        "raw_sha256": sha256(src),
        **({"rows_kept": rows} if rows is not None else {}),
    }


def manifest_entry(spec: SourceSpec, files: list[dict[str, Any]]) -> dict[str, Any]:
    o = spec.origin
    return {
        "slug": spec.slug,
        "kind": spec.kind,
        "title": spec.title,
        "format": spec.read.get("format", spec.snapshot.get("format", "")),
        "mapping": str(spec.path.name),
        "publisher": o.get("publisher", ""),
        "origin": o.get("origin", ""),
        "licence": o.get("licence", ""),
        "licence_name": o.get("licence_name", ""),
        "attribution": o.get("attribution", ""),
        "retrieved": o.get("retrieved", ""),
        "year": o.get("year", ""),
        "files": files,
    }


def make_snapshot(settings: Settings, raw_dir: Path, out_dir: Path | None = None) -> list[dict]:
    """Derive every spec's files from ``raw_dir`` into ``out_dir`` and write the manifest."""
    out = out_dir or settings.data_dir
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for spec in load_specs(settings):
        files = [
            derive_file(raw_dir, out, e, settings.data_dir)
            for e in spec.snapshot.get("files", [])
            if not (e.get("optional") and not (raw_dir / e["from"]).is_file())
        ]
        manifest.append(manifest_entry(spec, files))
    (out / MANIFEST).write_text(
        json.dumps({"sources": manifest}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def run_snapshot_command(settings: Settings, raw_dir: Path, out_dir: Path | None) -> str:
    manifest = make_snapshot(settings, raw_dir, out_dir)
    lines = []
    total = 0
    for m in manifest:
        for f in m["files"]:
            total += f["bytes"]
            lines.append(f"{f['path']:<78}{f['bytes']:>10}  {f['sha256'][:12]}")
    lines.append(f"{len(manifest)} sources, {total / 1e6:.2f} MB → {out_dir or settings.data_dir}")
    return "\n".join(lines)
