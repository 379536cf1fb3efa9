"""Reading client documents (one JSON document per file, or JSON Lines) and finding their
structure: by ``--structure OID`` or from the document's root key via the generated shapes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kgservice.errors import NotFound, ParseError
from kgservice.sosmeta.checker import Checker, load_checker

JSON_LINES = {".jsonl", ".ndjson"}


@dataclass
class Document:
    id: str  # file name, or file:line for JSON Lines
    data: Any = None
    error: ParseError | None = None


def read_documents(path: Path) -> Iterator[Document]:
    """The documents of one file; a JSON syntax error becomes a document carrying the error."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in JSON_LINES:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            doc_id = f"{path.name}:{number}"
            try:
                yield Document(doc_id, json.loads(line))
            except json.JSONDecodeError as exc:
                err = ParseError(exc.msg, file=str(path), line=number, rule="json-syntax")
                yield Document(doc_id, error=err)
        return
    try:
        yield Document(path.name, json.loads(text))
    except json.JSONDecodeError as exc:
        yield Document(
            path.name,
            error=ParseError(exc.msg, file=str(path), line=exc.lineno, rule="json-syntax"),
        )


def shapes_header(path: Path) -> dict[str, str]:
    """``oid`` and ``root-key`` from the comment header of a generated shapes file."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            if ":" in line and line.startswith("# @"):
                key, value = line[3:].split(":", 1)
                out[key.strip()] = value.strip()
    return out


class StructureResolver:
    """Finds and caches the compiled checker of each structure version in ``shapes_dir``."""

    def __init__(self, shapes_dir: Path) -> None:
        self.shapes_dir = shapes_dir
        self._by_root: dict[str, list[tuple[str, str]]] = {}
        for p in sorted(shapes_dir.glob("*.ttl")):
            head = shapes_header(p)
            if "oid" in head and "root-key" in head:
                self._by_root.setdefault(head["root-key"], []).append(
                    (head.get("version", ""), head["oid"])
                )

    def oid_for(self, doc: Any, explicit: str | None = None) -> str:
        if explicit:
            return explicit
        if isinstance(doc, dict) and len(doc) == 1:
            (root,) = doc
            candidates = self._by_root.get(root)
            if candidates:
                return max(candidates)[1]  # the newest version with this root key
        raise NotFound(
            "the document's root key matches no generated structure; give --structure OID",
            file=str(self.shapes_dir),
            rule="sosmeta-structure",
        )

    def checker(self, oid: str) -> Checker:
        return _checker(self.shapes_dir, oid)


@cache
def _checker(shapes_dir: Path, oid: str) -> Checker:
    path = shapes_dir / f"{oid}.ttl"
    if not path.is_file():
        raise NotFound(
            f"no generated shapes for structure {oid}; run `kgservice import sosmeta`",
            file=str(path),
            rule="sosmeta-structure",
        )
    return load_checker(path, oid)
