"""The quarantine report: every record a build did not load, with file, row, column and rule.

Written to ``var/quarantine/<build-id>.csv`` and ``.json`` whenever a build quarantines anything.
A source fails the build only when its quarantined share of records exceeds
``Settings.quarantine_threshold`` (``KG_QUARANTINE_THRESHOLD``, default 0.05 = 5 %).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from kgservice.config import Settings
from kgservice.errors import BuildError
from kgservice.mappings.cube import Quarantined

FIELDS = ["source", "file", "line", "column", "rule", "message", "value"]


def report_paths(settings: Settings, build_id: str) -> tuple[Path, Path]:
    root = settings.var_dir / "quarantine"
    return root / f"{build_id}.csv", root / f"{build_id}.json"


def write_report(settings: Settings, build_id: str, records: list[Quarantined]) -> Path | None:
    if not records:
        return None
    csv_path, json_path = report_paths(settings, build_id)
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        for r in records:
            writer.writerow(asdict(r))
    json_path.write_text(
        json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return csv_path


def rules_summary(records: list[Quarantined]) -> str:
    counts = Counter(r.rule for r in records)
    return ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items()))


def check_threshold(
    settings: Settings, source: str, records_in: int, quarantined: list[Quarantined], report: Path
) -> None:
    """Fail when a source's quarantined share exceeds the threshold."""
    if not records_in or not quarantined:
        return
    share = len(quarantined) / records_in
    if share > settings.quarantine_threshold:
        first = quarantined[0]
        raise BuildError(
            f"source {source}: {len(quarantined)} of {records_in} rows quarantined "
            f"({share:.1%} > threshold {settings.quarantine_threshold:.1%}; "
            f"{rules_summary(quarantined)}); "
            f"first: {first.message}; report {report}",
            file=first.file,
            line=first.line,
            rule="quarantine-threshold",
        )
