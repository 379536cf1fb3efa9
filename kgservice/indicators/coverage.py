"""The indicator coverage report (``kgservice check --indicator-coverage``): per phenomenon, its
indicators, how many have real figures at each level (and the years they span), and how many
link to an information-need concept, a Sosmeta entry and a view.

Read from a built store: the figures are the values the build materialised
(:class:`~kgservice.indicators.service.IndicatorService`), a "real figure" one with a value
(shown, not missing or suppressed). Printed as a Markdown table or as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kgservice.indicators.areas import LEVEL_ORDER
from kgservice.indicators.service import IndicatorService
from kgservice.queries import select

#: Levels top → bottom, as the table shows them.
LEVELS = tuple(reversed(LEVEL_ORDER))


@dataclass
class LevelCoverage:
    indicators: int = 0
    first: str = ""
    last: str = ""

    def add(self, periods: list[str]) -> None:
        self.indicators += 1
        years = sorted(p[:4] for p in periods)
        self.first = min(filter(None, (self.first, years[0])))
        self.last = max(self.last, years[-1])

    def text(self) -> str:
        if not self.indicators:
            return "0"
        span = self.first if self.first == self.last else f"{self.first}–{self.last}"
        return f"{self.indicators} ({span})"


@dataclass
class PhenomenonCoverage:
    phenomenon: str
    label: str
    indicators: int = 0
    levels: dict[str, LevelCoverage] = field(
        default_factory=lambda: {lv: LevelCoverage() for lv in LEVELS}
    )
    concept: int = 0
    sosmeta: int = 0
    view: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "phenomenon": self.phenomenon,
            "label": self.label,
            "indicators": self.indicators,
            "with_figures": {
                lv: {
                    "indicators": c.indicators,
                    "first_year": c.first or None,
                    "last_year": c.last or None,
                }
                for lv, c in self.levels.items()
            },  # fmt: skip
            "linked": {"concept": self.concept, "sosmeta_entry": self.sosmeta, "view": self.view},
        }


def indicator_coverage(svc: IndicatorService, lang: str = "en") -> list[PhenomenonCoverage]:
    rows = select(svc.store, svc.settings.queries_dir, "indicators/coverage-links")
    out: dict[str, PhenomenonCoverage] = {}
    for row in rows:
        phen, iri = row["phenomenon"].value, row["indicator"].value
        ind = svc.registry.indicators.get(iri)
        if ind is None:
            continue
        cov = out.get(phen)
        if cov is None:
            cov = out[phen] = PhenomenonCoverage(phen, svc.registry.label_of(phen, lang))
        cov.indicators += 1
        cov.concept += row["need"].value == "true"
        cov.sosmeta += row["entry"].value == "true"
        cov.view += row["view"].value == "true"
        if not svc.years(ind):
            continue  # no figure at any level: skip the lookups
        for level, values in svc.values(ind).items():
            periods = [period for (_, period), v in values.items() if v.value is not None]
            if periods:
                cov.levels[level].add(periods)
    return [out[k] for k in sorted(out, key=lambda p: out[p].label)]


HEADERS = ["phenomenon", "indicators", *(f"with figures: {lv}" for lv in LEVELS),
           "concept", "Sosmeta entry", "view"]  # fmt: skip


def render_markdown(rows: list[PhenomenonCoverage]) -> str:
    """A Markdown table; a level cell is "indicators with figures (first–last year)"."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for r in rows:
        cells = [r.label, str(r.indicators), *(r.levels[lv].text() for lv in LEVELS),
                 str(r.concept), str(r.sosmeta), str(r.view)]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    total = sum(r.indicators for r in rows)
    lines.append(f"\n{total} indicators in {len(rows)} phenomena (one may measure several).")
    return "\n".join(lines) + "\n"
