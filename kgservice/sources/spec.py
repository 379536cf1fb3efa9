"""Mapping specs: one TOML file per source in ``mappings/sources/`` (syntax: mappings/README.md).

A spec says where the source came from (origin, licence, attribution, year), how the bundled
snapshot file is derived from the raw download (``[snapshot]``), how to read it (``[read]``), and
how its rows become RDF: ``kind = "cube"`` rows become Data Cube observations through the shared
templates in ``mappings/cube/``; ``kind = "tables"`` runs each ``[[tables]]`` template over the
raw rows (regions); ``kind = "file"`` is bundled and credited but not turned into RDF.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgservice.config import Settings
from kgservice.errors import ParseError

_SLUG = re.compile(r"^[a-z0-9][a-z0-9\-]*$")
KINDS = ("cube", "tables", "file")


@dataclass(frozen=True)
class SourceSpec:
    slug: str
    kind: str
    path: Path
    title: dict[str, str]
    origin: dict[str, Any]
    snapshot: dict[str, Any]
    read: dict[str, Any]
    cube: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    tables: list[dict[str, Any]] = field(default_factory=list)
    #: Named graph area: ``graph/<graph>`` when set (regions), else ``graph/source/<slug>``.
    graph: str = ""

    @property
    def file(self) -> str:
        """The snapshot file (relative to ``data/``) the build reads."""
        return str(self.read.get("file") or self.snapshot.get("to", ""))

    def data_path(self, settings: Settings) -> Path:
        return settings.data_dir / self.file

    def reader_options(self) -> dict[str, Any]:
        opts = {k: v for k, v in self.read.items() if k in ("delimiter", "encoding", "header")}
        if "names" in self.read:
            opts["names"] = list(self.read["names"])
        return opts


def load_spec(path: Path) -> SourceSpec:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ParseError(
            str(exc), file=str(path), line=int(m.group(1)) if m else None, rule="toml-syntax"
        ) from exc
    slug = doc.get("slug", "")
    if not _SLUG.match(slug):
        raise ParseError(
            f"slug {slug!r} must be lower-case ASCII letters, digits and '-'",
            file=str(path),
            rule="spec-slug",
        )
    kind = doc.get("kind", "cube")
    if kind not in KINDS:
        raise ParseError(f"kind must be one of {KINDS}", file=str(path), rule="spec-kind")
    for required in ("origin", "snapshot"):
        if required not in doc:
            raise ParseError(f"missing [{required}] table", file=str(path), rule="spec-table")
    if kind == "cube" and ("cube" not in doc or "read" not in doc):
        raise ParseError("a cube source needs [read] and [cube]", file=str(path), rule="spec-table")
    return SourceSpec(
        slug=slug,
        kind=kind,
        path=path,
        title=dict(doc.get("title", {})),
        origin=dict(doc["origin"]),
        snapshot=dict(doc["snapshot"]),
        read=dict(doc.get("read", {})),
        cube=dict(doc.get("cube", {})),
        variables=dict(doc.get("variables", {})),
        tables=list(doc.get("tables", [])),
        graph=str(doc.get("graph", "")),
    )


def spec_dir(settings: Settings) -> Path:
    return settings.mappings_dir / "sources"


def load_specs(settings: Settings, kind: str | None = None) -> list[SourceSpec]:
    """Every spec in ``mappings/sources/``, sorted by file name (``kind`` filters)."""
    specs = [load_spec(p) for p in sorted(spec_dir(settings).glob("*.toml"))]
    seen: dict[str, Path] = {}
    for s in specs:
        if s.slug in seen:
            raise ParseError(
                f"slug {s.slug!r} also used by {seen[s.slug].name}",
                file=str(s.path),
                rule="spec-slug",
            )
        seen[s.slug] = s.path
    return [s for s in specs if kind is None or s.kind == kind]
