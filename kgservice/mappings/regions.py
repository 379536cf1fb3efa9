"""The region index: resolves the area codes and names sources use to region IRIs.

Built from the same classification files the regions mapping turns into the SKOS code list
(``mappings/sources/regions.toml``), so resolution and the code list cannot disagree. Area styles:

* ``statfin``      PxWeb / JSON-stat codes: ``SSS``, ``KU091``, ``HVA01``
* ``kuntanumero``  a municipality number, with or without leading zeros (``5``, ``005``)
* ``name``         a Finnish municipality name (``Akaa``), a bilingual name
                   (``Maarianhamina - Mariehamn``) or ``KOKO MAA``
* ``diak``         a code plus a level (``Kunnat``/``Hyvinvointialueet``) from another column
* ``path``         already a region path (``kunta/091``)
* ``level``        a code plus a level that is a region path prefix (``kunta`` + ``091``,
                   ``hyvinvointialue`` + ``05``, ``koko-suomi``), the level read through the
                   spec's ``area_levels`` table (the ARA/Varke files' ``kunta``, ``koko maa``)

A code that resolves to nothing is an *unknown area* (a quarantine rule, never a guess).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kgservice.config import CANONICAL_BASE_IRI, Settings
from kgservice.errors import BuildError
from kgservice.sources.readers import read_csv
from kgservice.sources.spec import SourceSpec, load_specs

REGION_NS = CANONICAL_BASE_IRI + "region/"
COUNTRY = "koko-suomi"
DIAK_LEVELS = {"Kunnat": "kunta", "Hyvinvointialueet": "hyvinvointialue"}


@dataclass
class RegionIndex:
    #: region path (``kunta/091``) → classification years listing it
    years: dict[str, set[int]] = field(default_factory=dict)
    #: municipality number → county code, per classification year
    county_of: dict[int, dict[str, str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lower-case name → kuntanumero

    def add(self, path: str, year: int) -> None:
        self.years.setdefault(path, set()).add(year)

    def __contains__(self, path: str) -> bool:
        return path in self.years

    @staticmethod
    def iri(path: str) -> str:
        return REGION_NS + path

    @staticmethod
    def notation(path: str) -> str:
        return "SSS" if path == COUNTRY else path.rsplit("/", 1)[-1]

    def resolve(self, style: str, code: str | None, level: str | None = None) -> str | None:
        """The region path of ``code`` in ``style``, or ``None`` when it is unknown."""
        if not code:
            return None
        code = code.strip()
        path: str | None = None
        if style == "statfin":
            if code == "SSS":
                path = COUNTRY
            elif code.startswith("KU"):
                path = "kunta/" + code[2:]
            elif code.startswith("HVA"):
                path = "hyvinvointialue/" + code[3:]
        elif style == "kuntanumero":
            if code.isdigit():
                path = "kunta/" + code.zfill(3)
        elif style == "name":
            if code.upper() == "KOKO MAA":
                path = COUNTRY
            elif (number := self.names.get(code.lower())) is not None:
                path = "kunta/" + number
        elif style == "diak":
            lvl = DIAK_LEVELS.get(level or "")
            if lvl and code.isdigit():
                path = f"{lvl}/{code.zfill(3 if lvl == 'kunta' else 2)}"
        elif style == "path":
            path = code
        elif style == "level":
            if level == COUNTRY:
                path = COUNTRY
            elif level in ("kunta", "hyvinvointialue", "yhteistyoalue") and code.isdigit():
                path = f"{level}/{code.zfill(3 if level == 'kunta' else 2)}"
        else:
            raise BuildError(f"unknown area style {style!r}", rule="spec-area-style")
        return path if path is not None and path in self else None


def classification_files(settings: Settings) -> list[Path]:
    specs = [s for s in load_specs(settings, "tables") if s.slug == "regions"]
    if not specs:
        raise BuildError("no regions spec (mappings/sources/regions.toml)", rule="regions-missing")
    spec: SourceSpec = specs[0]
    table = next(t for t in spec.tables if t.get("name") == "classification")
    return [settings.data_dir / f for f in table["files"]]


def load_region_index(settings: Settings) -> RegionIndex:
    index = RegionIndex()
    for path in classification_files(settings):
        for row in read_csv(path):
            v = row.values
            year = int(v["year"] or 0)
            k, hva, yta = v["kuntanumero"], v["hyvinvointialue_code"], v["yhteistyoalue_code"]
            if not (k and hva and yta and year):
                raise BuildError(
                    "classification row lacks a code or year",
                    file=str(path),
                    line=row.line,
                    rule="regions-row",
                )
            index.add(COUNTRY, year)
            index.add("kunta/" + k, year)
            index.add("hyvinvointialue/" + hva, year)
            if hva != "91":
                index.add("yhteistyoalue/" + yta, year)
            index.county_of.setdefault(year, {})[k] = hva
            for name in (v["kunta_fi"], v["kunta_sv"]):
                if name:
                    index.names.setdefault(name.lower(), k)
            if v["kunta_fi"] and v["kunta_sv"] and v["kunta_fi"] != v["kunta_sv"]:
                index.names.setdefault(f"{v['kunta_fi']} - {v['kunta_sv']}".lower(), k)
    return index
