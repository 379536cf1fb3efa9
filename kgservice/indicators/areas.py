"""The regional hierarchy (municipality → wellbeing county → cooperation area → country)."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgservice.config import Settings
from kgservice.errors import NotFound, QueryError
from kgservice.queries import select
from kgservice.store.base import Store

#: API slug of each level → slug of its concept ``concept/level/<slug>`` (bottom → top).
LEVELS: dict[str, str] = {
    "municipality": "kunta",
    "wellbeing-county": "hyvinvointialue",
    "cooperation-area": "yhteistyoalue",
    "country": "koko-suomi",
}
LEVEL_ORDER = list(LEVELS)  # bottom → top


def level_iri(settings: Settings, level: str) -> str:
    return f"{settings.base_iri}concept/level/{LEVELS[level]}"


def parse_level(text: str | None, default: str = "wellbeing-county") -> str:
    """An API level slug (also accepts the Finnish concept slugs); 400 for anything else."""
    if not text:
        return default
    text = text.strip().lower()
    if text in LEVELS:
        return text
    for api, fi in LEVELS.items():
        if text == fi:
            return api
    raise QueryError(
        f"unknown level {text!r}; use one of {', '.join(LEVELS)}", rule="view-parameter"
    )


@dataclass
class Region:
    iri: str
    code: str
    level: str  # API slug
    parent: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    years: set[int] = field(default_factory=set)  # classification years listing the region

    def label(self, lang: str) -> str:
        return self.labels.get(lang) or self.labels.get("fi") or self.code


@dataclass
class Regions:
    by_iri: dict[str, Region]
    _memo: dict = field(default_factory=dict, repr=False)

    def at_level(self, level: str) -> list[Region]:
        key = ("level", level)
        if key not in self._memo:
            self._memo[key] = sorted(
                (r for r in self.by_iri.values() if r.level == level), key=_code_key
            )
        return self._memo[key]

    def compared(self, level: str) -> list[Region]:
        """The areas of ``level`` a rank is counted among (one denominator per level): those
        inside the whole hierarchy — a parent at every level above, so not Åland (91) nor its
        municipalities, which hang straight under the country — and, where the regional key has
        years, listed in its newest year (22 counties, 5 cooperation areas, 292 municipalities
        in the 2025 key)."""
        key = ("compared", level)
        if key not in self._memo:
            above = len(LEVEL_ORDER) - 1 - LEVEL_ORDER.index(level)
            found = [r for r in self.at_level(level) if len(self.ancestors(r)) == above]
            newest = max((y for r in found for y in r.years), default=None)
            if newest is not None:
                found = [r for r in found if not r.years or newest in r.years]
            self._memo[key] = found
        return self._memo[key]

    def children(self, region: Region, level: str) -> list[Region]:
        """Regions of ``level`` inside ``region`` (following parents up)."""
        key = ("children", region.iri, level)
        if key not in self._memo:
            self._memo[key] = [r for r in self.at_level(level) if region.iri in self.ancestors(r)]
        return self._memo[key]

    def children_in(self, region: Region, level: str, period: str) -> list[Region]:
        """Children of ``level`` in the classification of ``period``'s year: the latest
        classification year not after it (or the earliest one); all when years are unknown.

        A stock at the end of December (``2024-12``) is counted in the division that begins the
        next day: Statistics Finland publishes the population of 31.12.2024 in the municipalities
        of 1.1.2025 (308, Pertunmaa already in Mäntyharju), so that is the set a sum must cover.
        """
        year = int(period[:4]) + (1 if period[4:] == "-12" else 0)
        return self.listed_in(self.children(region, level), year)

    @staticmethod
    def listed_in(regions: list[Region], year: int | None) -> list[Region]:
        """``regions`` as the classification of ``year`` lists them: the latest classification
        year not after it (or the earliest one), so a table of 2025 has the 308 municipalities
        of 2025, not Pertunmaa. All of them without ``year`` (the latest figures come from
        periods of either division) or where the regional key has no years."""
        years = sorted({y for r in regions for y in r.years})
        if year is None or not years:
            return list(regions)
        chosen = max((y for y in years if y <= year), default=years[0])
        return [r for r in regions if not r.years or chosen in r.years]

    def ancestors(self, region: Region) -> list[str]:
        out: list[str] = []
        seen = {region.iri}
        parent = region.parent
        while parent and parent not in seen:
            out.append(parent)
            seen.add(parent)
            parent = self.by_iri[parent].parent if parent in self.by_iri else None
        return out

    def country(self) -> Region | None:
        found = self.at_level("country")
        return found[0] if found else None

    def find(self, code: str | None, level: str | None = None) -> Region:
        """The region with official code ``code`` (e.g. ``SSS``, ``5``, ``90``, ``091``) or IRI.

        Without ``level`` the code's form decides: ``SSS`` country, one digit a cooperation area,
        two digits a wellbeing county, three digits a municipality.
        """
        if not code:
            raise QueryError("parameter 'area' is required", rule="view-parameter")
        code = code.strip()
        if code in self.by_iri:
            return self.by_iri[code]
        if level is None:
            if code.upper() in {"SSS", "FI", "KOKO-SUOMI"}:
                level, code = "country", "SSS"
            elif code.isdigit() and len(code) in (1, 2, 3):
                level = {1: "cooperation-area", 2: "wellbeing-county", 3: "municipality"}[len(code)]
            else:
                raise QueryError(
                    f"cannot read area code {code!r}: use SSS, a cooperation-area number (1-5), "
                    "a two-digit county code or a three-digit municipality code",
                    rule="view-parameter",
                )
        for r in self.at_level(level):
            if r.code == code or (level == "country" and r.code.upper() == code.upper()):
                return r
        raise NotFound(f"no {level} with code {code!r} in the store", rule="view-parameter")


def _code_key(r: Region) -> tuple[int, str]:
    return (0, f"{int(r.code):06d}") if r.code.isdigit() else (1, r.code)


def load_regions(store: Store, settings: Settings) -> Regions:
    by_level = {level_iri(settings, lv): lv for lv in LEVELS}
    regions: dict[str, Region] = {}
    for row in select(store, settings.queries_dir, "indicators/regions"):
        level = by_level.get(row["level"].value)
        if level is None:
            continue
        iri = row["region"].value
        r = regions.get(iri)
        if r is None:
            r = regions[iri] = Region(iri=iri, code=str(row["code"].value), level=level)
        if "parent" in row:
            r.parent = row["parent"].value
        if "label" in row:
            lang = getattr(row["label"], "language", None) or "fi"
            r.labels.setdefault(lang, row["label"].value)
        if "year" in row:
            r.years.add(int(str(row["year"].value)[:4]))
    return Regions(regions)
