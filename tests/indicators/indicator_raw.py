"""Independent reads of the raw source files (pandas), shared by the indicator tests."""

from __future__ import annotations

from pathlib import Path

from kgservice.config import PROJECT_ROOT

RAW = PROJECT_ROOT.parent / "shared" / "data-raw"
DATA = PROJECT_ROOT / "data"


def number(text: str | None) -> float | None:
    """A published cell as a number; Statistics Finland's '...' / '..' are no number."""
    return None if text in ("...", "..", "", None) else float(text)


def source_path(root: Path, name: str) -> Path:
    hits = sorted(root.rglob(name))
    if not hits:
        raise FileNotFoundError(f"{name} not found under {root}")
    return hits[0]
