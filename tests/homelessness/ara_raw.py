"""The raw ARA/Varke homelessness files as the tests read them: with the standard library,
independently of the mapping (kgservice.mappings.cube)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from kgservice.config import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"
RAW = PROJECT_ROOT.parent / "shared" / "data-raw" / "indicators"
NATIONAL = "ara_varke_asunnottomat_koko_maa_1987_2025.csv"
MUNICIPAL = "ara_varke_asunnottomat_kunnat_alueet_2007_2025.csv"
#: the notation of each area level of the files that the region code list has
NOTATION = {"koko maa": lambda code: "SSS", "kunta": str, "hyvinvointialue": str}
#: the qualifier words of the files and the code each becomes (the first word decides)
QUALIFIERS = {
    "noin": "noin",
    "cirka": "noin",
    "rounded": "pyoristetty",
    "yli": "yli",
    "runsaat": "runsaat",
    "vajaa": "vajaa",
    "vajaat": "vajaa",
    "lähes": "lahes",
    "alle": "alle",
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def qualifier_code(word: str) -> str | None:
    """The code a row's ``value_qualifier`` stands for (``None``: an exact figure)."""
    return QUALIFIERS.get(word.split(" ")[0]) if word else None


def key(row: dict[str, str]) -> tuple[str, str, str] | None:
    """(measure, area notation, year) of a row, or ``None`` for an area the code list lacks."""
    notation = NOTATION.get(row["area_level"])
    if notation is None:
        return None
    return row["measure"], notation(row["area_code"]), row["year"]


def number(text: str) -> Decimal | None:
    return Decimal(text) if text else None
