"""The situation picture as a dashboard: one area's four phenomena, one card per indicator.

What a card says is decided here, not in the template (:func:`situation_dashboard`):

* the figure with its unit and period, and a mark when the period differs from the page's main
  period (the chosen year, else the period most of the page's figures are from);
* the comparison beside it: the whole country's figure for a rate or a count; for an index its
  reference level, 100 (the median area of the level: the whole country has no index figure);
* the **difference**: percentage points for a percentage, the unit's points for another rate,
  index points against 100 for an index; none for a count (an area's count is a part of the
  country's, so their difference says nothing);
* the change since the previous period, with that period and its figure;
* the **rank in words**, from the nearer end ("7th highest of 22 wellbeing services counties"),
  with the indicator's polarity (whether a high figure is favourable). The rank is the build's
  (:mod:`enrich`), counted among the *compared areas* of the level (:meth:`Regions.compared`),
  so every page and file has one denominator per level: Åland (91) is in the counties' level of
  the regional key but is no wellbeing services county and in no cooperation area, and only some
  sources publish it, so it is never ranked;
* a small trend line of the area against the whole country (:mod:`sparkline`), with the same
  figures as a table.

Each phenomenon's note on missing data is given once, in its section.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from kgservice.indicators.areas import LEVEL_ORDER, Region
from kgservice.indicators.registry import Indicator
from kgservice.indicators.service import IndicatorService
from kgservice.indicators.sparkline import Series, sparkline
from kgservice.indicators.views import ViewTable
from kgservice.texts import translate

#: Formats a figure for the page: (value, unit, is_index) → text in the page's language.
Formatter = Callable[[float, str, bool], str]

INDEX_REFERENCE = 100.0


@dataclass
class Card:
    """One indicator of the area, as the dashboard shows it (texts in the page's language)."""

    indicator: str
    label: str
    status: str
    value_text: str
    period: str = ""
    period_differs: bool = False
    comparison_label: str = ""
    comparison_text: str = ""
    difference_text: str = ""
    change_text: str = ""
    rank_text: str = ""
    note: str = ""
    sparkline: Markup = field(default_factory=Markup)
    trend: list[tuple[str, str, str]] = field(default_factory=list)  # period, area, country


@dataclass
class Section:
    """One phenomenon: its cards and, once, its note on missing data."""

    slug: str
    label: str
    cards: list[Card] = field(default_factory=list)
    missing_note: str = ""


@dataclass
class Dashboard:
    area: Region
    main_period: str
    sections: list[Section]
    denominators: dict[str, int]  # level → compared areas (the rank's "of N")

    def card(self, indicator: str) -> Card | None:
        """The card of an indicator (its slug), for the table of all figures."""
        return next((c for s in self.sections for c in s.cards if c.indicator == indicator), None)


def situation_dashboard(
    svc: IndicatorService, table: ViewTable, fmt: Formatter, year: int | None = None
) -> Dashboard:
    """The dashboard of the situation picture ``table`` (made by ``views.situation_picture``)."""
    area = table.area or svc.regions.find("SSS")
    lang = table.lang
    main = str(year) if year else _main_period(table.rows)
    notes = {m["iri"]: m["availability"] for m in table.missing}
    sections: dict[str, Section] = {}
    for phen in svc.registry.phenomena():
        label = svc.registry.label_of(phen, lang)
        sections[label] = Section(phen.rsplit("/", 1)[-1], label, missing_note=notes.get(phen, ""))
    by_slug = {i.slug: i for i in table.indicators}
    for row in table.rows:
        ind = by_slug[row["indicator"]]
        card = _card(svc, ind, row, area, main, fmt, lang)
        card.sparkline, card.trend = _trend(table, ind, area, svc.regions.country(), fmt)
        sections[row["phenomenon"]].cards.append(card)
    denominators = {lv: len(svc.regions.compared(lv)) for lv in LEVEL_ORDER[:-1]}
    return Dashboard(area, main, list(sections.values()), denominators)


def _main_period(rows: list[dict[str, Any]]) -> str:
    """The period most of the figures are from (the newest of equally common ones)."""
    counts = Counter(r["period"] for r in rows if r["period"] and r["status"] != "missing")
    if not counts:
        return ""
    return max(counts, key=lambda p: (counts[p], p))


def _card(
    svc: IndicatorService,
    ind: Indicator,
    row: dict[str, Any],
    area: Region,
    main: str,
    fmt: Formatter,
    lang: str,
) -> Card:
    unit, idx, value = row["unit"], row["is_index"], row["value"]
    status_text = translate(f"status.{row['status']}", lang)
    card = Card(
        indicator=ind.slug,
        label=ind.label(lang),
        status=row["status"],
        value_text=status_text if value is None else f"{fmt(value, unit, idx)} {unit}",
        period=row["period"] or "",
        # a missing figure of an indicator without data says so in the section's note
        note=(row["note"] or "") if ind.has_data_definition else "",
    )
    if value is None:
        return card
    card.period_differs = bool(main) and card.period != main
    if area.level != "country":
        _compare(card, ind, row, fmt, lang)
        card.rank_text = rank_text(svc, ind, row, area, lang)
    card.change_text = _change(row, fmt, lang)
    return card


def _compare(card: Card, ind: Indicator, row: dict[str, Any], fmt: Formatter, lang: str) -> None:
    """The comparison figure and the difference to it (see the module doc)."""
    unit, idx, value = row["unit"], row["is_index"], row["value"]
    if idx:
        card.comparison_label = translate("dash.reference", lang)
        card.comparison_text = translate("dash.index_reference", lang).format(value="100")
        card.difference_text = signed(value - INDEX_REFERENCE, unit, True, fmt, lang)
        return
    card.comparison_label = translate("national", lang)
    national = row["national_value"]
    if national is None:
        card.comparison_text = translate("status.missing", lang)
        return
    card.comparison_text = f"{fmt(national, unit, False)} {unit}"
    if is_rate(ind, unit):
        card.difference_text = signed(value - national, unit, False, fmt, lang)
    else:
        card.difference_text = translate("dash.count_not_compared", lang)


def is_rate(ind: Indicator, unit: str) -> bool:
    """A share or a rate (compared in points), not a count (never subtracted from the country's)."""
    return "%" in unit or ind.rule == "AggregateByRatioOfSums"


def signed(diff: float, unit: str, idx: bool, fmt: Formatter, lang: str) -> str:
    """A difference with its sign and its kind of unit: "+1,2 %-yks.", "+62,9 indeksipistettä"."""
    text = fmt(abs(diff), unit, idx)
    zero = fmt(0.0, unit, idx)
    sign = "±" if text == zero else ("+" if diff > 0 else "-")
    if idx:
        words = translate("dash.index_points", lang)
    elif unit.strip() == "%":
        words = translate("dash.percentage_points", lang)
    else:
        words = unit
    return f"{sign}{text} {words}".strip()


def _change(row: dict[str, Any], fmt: Formatter, lang: str) -> str:
    change, previous = row["change"], row["previous_period"]
    if change is None or not previous:
        return translate("dash.no_previous", lang)
    unit, idx = row["unit"], row["is_index"]
    before = fmt(row["value"] - change, unit, idx)
    return f"{signed(change, unit, idx, fmt, lang)} ({previous}: {before})"


def rank_text(
    svc: IndicatorService, ind: Indicator, row: dict[str, Any], area: Region, lang: str
) -> str:
    """The area's place among the compared areas of its level in the figure's period, in words
    from the nearer end, with the polarity; "not ranked" for an area outside them (Åland). The
    place is the build's ``rank``/``rank_low``/``rank_of`` (:mod:`enrich`), the one count of ranks
    that the tables and files show too."""
    compared = len(svc.regions.compared(area.level))
    rank, low, of = row["rank"], row["rank_low"], row["rank_of"]
    if rank is None or low is None or of is None:
        return translate("dash.not_ranked", lang)
    text = rank_words(rank, low, compared, area.level, lang)
    notes = []
    if of - (rank - 1) - (low - 1) > 1:
        notes.append(translate("dash.rank_tied", lang))
    if of < compared:
        notes.append(translate("dash.rank_with_figure", lang).format(n=of))
    if ind.polarity in ("HigherIsWorse", "HigherIsBetter"):
        notes.append(translate(f"dash.polarity.{ind.polarity}", lang))
    return f"{text} ({'; '.join(notes)})" if notes else text


def rank_words(from_top: int, from_bottom: int, of: int, level: str, lang: str) -> str:
    """ "7th highest of 22 wellbeing services counties" (or "…lowest…", whichever end is
    nearer; the highest itself without an ordinal)."""
    high = from_top <= from_bottom
    position = from_top if high else from_bottom
    key = "dash.rank_highest" if high else "dash.rank_lowest"
    ordinal = "" if position == 1 else ordinal_word(position, lang)
    text = translate(key, lang).format(
        ordinal=ordinal, n=of, areas=translate(f"dash.rank_areas.{level}", lang)
    )
    return " ".join(text.split())


def ordinal_word(n: int, lang: str) -> str:
    """The ordinal ``n`` as written before a superlative: fi "7:nneksi", sv "7:e", en "7th"."""
    one_or_two = n % 10 in (1, 2) and n % 100 not in (11, 12)
    if lang == "fi":
        return f"{n}:seksi" if one_or_two else f"{n}:nneksi"
    if lang == "sv":
        return f"{n}:a" if one_or_two else f"{n}:e"
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _trend(
    table: ViewTable, ind: Indicator, area: Region, whole: Region | None, fmt: Formatter
) -> tuple[Markup, list[tuple[str, str, str]]]:
    """The card's sparkline (area solid, country dashed; an index against 100) and its rows."""
    lang = table.lang
    unit, idx = ind.unit(lang), ind.is_index
    country_code = whole.code if whole else None
    mine: dict[str, float | None] = {}
    country: dict[str, float | None] = {}
    names = {"area": area.label(lang), "country": ""}
    marks: dict[tuple[str | None, str], str] = {}  # (area code, period) → qualifier mark
    for t in table.trend:
        if t["indicator"] != ind.slug:
            continue
        if t.get("qualifier"):
            marks[(t["area_code"], t["period"])] = translate(
                f"qualifier_mark.{t['qualifier']}", lang
            )
        if t["area_code"] == area.code:
            mine[t["period"]] = t["value"]
        elif t["area_code"] == country_code:
            country[t["period"]] = t["value"]
            names["country"] = t["area_name"]
    if not any(v is not None for v in mine.values()):
        return Markup(""), []
    series = [Series(names["area"], list(mine.items()), "area")]
    if country and area.level != "country":
        series.append(Series(names["country"], list(country.items()), "country"))
    key = "dash.sparkline_title" if len(series) > 1 else "dash.sparkline_title_alone"
    if len(series) == 1 and idx:
        key = "dash.sparkline_title_index"
    periods = {p for s in series for p, v in s.points if v is not None}
    if len(periods) == 1 and key != "dash.sparkline_title_alone":
        key += ".bars"  # one period: drawn as bars (see sparkline)
    title = translate(key, lang).format(
        indicator=ind.label(lang), area=names["area"], country=names["country"]
    )
    svg = sparkline(
        f"spark-{ind.slug}",
        title,
        series,
        lambda v: fmt(v, unit, idx),
        reference=INDEX_REFERENCE if idx else None,
    )

    def cell(v: float | None, code: str | None, period: str) -> str:
        """The figure as text, an approximate one with its mark (n. 18 000)."""
        if v is None:
            return translate("status.missing", lang)
        mark = marks.get((code, period))
        return f"{mark} {fmt(v, unit, idx)}" if mark else fmt(v, unit, idx)

    rows = [
        (
            p,
            cell(mine.get(p), area.code, p),
            cell(country.get(p), country_code, p) if country else "",
        )
        for p in sorted(set(mine) | set(country))
    ]
    return svg, rows
