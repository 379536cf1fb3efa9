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


def pxweb_frame(path: Path):
    """A PxWeb JSON export as a DataFrame: one row per area code, one column per measure
    (strings exactly as published, '...' kept)."""
    import json

    import pandas as pd

    data = json.loads(path.read_text("utf-8"))
    cols = [c["code"] for c in data["columns"] if c["type"] == "c"]
    rows = {entry["key"][0]: entry["values"] for entry in data["data"]}
    return pd.DataFrame.from_dict(rows, orient="index", columns=cols)


def region_key(path: Path):
    """Municipality → county → cooperation area (codes as strings, zero-padded)."""
    import pandas as pd

    return pd.read_csv(path, dtype=str)


def to_num(series):
    """Published strings → floats; '...' and '..' → NaN (never 0)."""
    import pandas as pd

    return pd.to_numeric(series.where(~series.isin(["...", ".."])), errors="coerce")
