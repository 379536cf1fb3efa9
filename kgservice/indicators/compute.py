"""Computes an indicator at one regional level by its query and its aggregation rule.

* ``AggregateBySum``: the area's own published count, else the sum over the nearest lower level
  whose every area has a value (``indicators/sum``).
* ``AggregateByRatioOfSums``: the source's published rate where it publishes one for the area,
  else multiplier × Σ numerator / Σ denominator over the nearest complete level below
  (``indicators/ratio-of-sums``; never an average of rates). The recomputed ratio is kept beside
  the published figure.
* ``AggregateBySeparateSums``: numerator and denominator each found by the sum rule on its own
  (the area's own published count, else the complete sum below), then multiplier × numerator /
  denominator: a rate whose numerator is published at another level than its denominator (the
  survey's national homeless count over the municipalities' population). A denominator of
  period ``YYYY-12`` (population at the end of December) serves the year ``YYYY``.
* ``NotAggregable``: the published figure of the level itself (``indicators/published``), e.g.
  an index; a level with no published figure has no value.

A sum that would be incomplete (a missing or suppressed cell below) is not given: the value is
reported missing with a note, never as a smaller number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pyoxigraph import Literal, NamedNode

from kgservice.config import Settings
from kgservice.indicators.areas import LEVEL_ORDER, Regions, level_iri
from kgservice.indicators.registry import Indicator
from kgservice.namespaces import XSD
from kgservice.queries import select
from kgservice.store.base import Store
from kgservice.texts import translate

XSD_DECIMAL = NamedNode(XSD + "decimal")


@dataclass
class Value:
    """One figure of one indicator for one area and period, with everything a reader needs."""

    indicator: str  # slug
    area: str  # region IRI
    level: str  # API level slug
    period: str
    value: float | None
    status: str  # ok | missing | suppressed | provisional
    origin: str  # published | computed | none
    numerator: float | None = None
    denominator: float | None = None
    computed: float | None = None  # the recomputed ratio, beside a published rate
    note: str = ""
    suppression: str = ""  # source | small-count | complementary
    national: float | None = None
    change: float | None = None
    previous_period: str | None = None
    rank: int | None = None  # 1 = the highest among the compared areas (:mod:`enrich`)
    rank_low: int | None = None  # 1 = the lowest
    rank_of: int | None = None
    #: why a figure is missing, for a note in the reader's language (:func:`gap_note`): ``kind``
    #: (``no_numerator``, ``values``, ``numerators``) and, for the last two, how many areas of
    #: ``level`` have one (``with``) of how many (``of``)
    gap: dict[str, Any] | None = None
    #: what the publication says of a published figure (kgservice.indicators.documents):
    #: qualifier code (noin, yli …), bounds, source document, other publications' figures
    qualifier: str = ""
    lower_bound: float | None = None
    upper_bound: float | None = None
    source: dict[str, str] | None = None
    alternatives: list[dict[str, Any]] | None = None

    @property
    def year(self) -> int:
        return int(self.period[:4])

    @property
    def shown(self) -> bool:
        return self.value is not None and self.status in ("ok", "provisional")


def _num(term) -> float | None:
    return None if term is None else float(term.value)


def _status(term) -> str:
    return term.value.rstrip("/").rsplit("/", 1)[-1] if term is not None else "ok"


def lower_levels(level: str) -> list[str]:
    """``level`` itself, then the levels below it, nearest first."""
    i = LEVEL_ORDER.index(level)
    return [LEVEL_ORDER[j] for j in range(i, -1, -1)]


#: Rows of one indicator's queries kept between its levels (``indicators/published`` and the
#: aggregation queries answer every level at once), keyed by query and variables.
QueryCache = dict[Any, Any]


def compute(
    store: Store,
    settings: Settings,
    regions: Regions,
    ind: Indicator,
    level: str,
    published_cache: QueryCache | None = None,
) -> dict[tuple[str, str], Value]:
    """All values of ``ind`` at ``level``, keyed by (area IRI, period).

    ``published_cache`` keeps the rows of the indicator's queries between the levels of one run
    (``indicators/published``, ``indicators/sum`` and ``indicators/ratio-of-sums`` return every
    level at once).
    """
    if not ind.has_data_definition:
        return {}
    own = _published(
        store, settings, ind.published_variable or ind.numerator, level, published_cache
    )
    if ind.rule == "NotAggregable" or not ind.numerator:
        return {
            key: Value(
                ind.slug,
                key[0],
                level,
                key[1],
                val,
                status if val is not None or status != "ok" else "missing",
                "published" if val is not None else "none",
            )
            for key, (val, status) in own.items()
        }
    # a level without any observation of the variables adds nothing: its rows are not read
    present = _levels_present(store, settings, ind.numerator, published_cache)
    if ind.denominator:
        present |= _levels_present(store, settings, ind.denominator, published_cache)
    if ind.rule == "AggregateBySeparateSums":
        return _by_separate_sums(store, settings, regions, ind, level, published_cache)
    if ind.rule == "AggregateBySum":
        return _by_sum(store, settings, regions, ind, level, own, present, published_cache)
    return _by_ratio(store, settings, regions, ind, level, own, present, published_cache)


def _aggregates(
    store: Store, settings: Settings, name: str, cache: QueryCache | None, **bindings
) -> dict[tuple[str, str], list]:
    """The rows of the aggregation query ``name`` (every level at once) by (level IRI, child
    level IRI), read once per indicator run."""
    key = (name, *sorted((k, str(v)) for k, v in bindings.items()))
    by_levels = cache.get(key) if cache is not None else None
    if by_levels is None:
        by_levels = {}
        for r in select(store, settings.queries_dir, name, **bindings):
            by_levels.setdefault((r["level"].value, r["childLevel"].value), []).append(r)
        if cache is not None:
            cache[key] = by_levels
    return by_levels


def _published_rows(
    store: Store, settings: Settings, variable: str, cache: QueryCache | None
) -> list:
    rows = cache.get(variable) if cache is not None else None
    if rows is None:
        rows = select(
            store, settings.queries_dir, "indicators/published", variable=NamedNode(variable)
        )
        if cache is not None:
            cache[variable] = rows
    return rows


def _levels_present(
    store: Store, settings: Settings, variable: str, cache: QueryCache | None
) -> set[str]:
    """The level IRIs at which ``variable`` has observations."""
    return {r["level"].value for r in _published_rows(store, settings, variable, cache)}


def _published(
    store: Store,
    settings: Settings,
    variable: str | None,
    level: str,
    cache: QueryCache | None = None,
) -> dict[tuple[str, str], tuple[float | None, str]]:
    if not variable:
        return {}
    rows = _published_rows(store, settings, variable, cache)
    wanted = level_iri(settings, level)
    return {
        (r["area"].value, r["period"].value): (_num(r.get("value")), _status(r.get("status")))
        for r in rows
        if r["level"].value == wanted
    }


def _expected(regions: Regions, area: str, child_level: str, level: str, period: str) -> int:
    """How many areas of ``child_level`` the classification of ``period`` puts in ``area``."""
    if child_level == level:
        return 1
    region = regions.by_iri.get(area)
    return len(regions.children_in(region, child_level, period)) if region else -1


def _by_sum(
    store, settings, regions, ind, level, own, present, cache=None
) -> dict[tuple[str, str], Value]:
    chosen: dict[tuple[str, str], Value] = {}
    gaps: dict[tuple[str, str], dict[str, Any]] = {}
    sums = _aggregates(store, settings, "indicators/sum", cache, variable=NamedNode(ind.numerator))
    for child_level in lower_levels(level):
        if level_iri(settings, child_level) not in present:
            continue
        rows = sums.get((level_iri(settings, level), level_iri(settings, child_level)), [])
        for r in rows:
            key = (r["area"].value, r["period"].value)
            if key in chosen:
                continue
            expected = _expected(regions, key[0], child_level, level, key[1])
            reporting, with_value = int(r["reporting"].value), int(r["withValue"].value)
            if with_value == reporting == expected and "value" in r:
                total = _num(r["value"])
                published = child_level == level
                status = own.get(key, (None, "ok"))[1] if published else "ok"
                chosen[key] = Value(
                    ind.slug,
                    key[0],
                    level,
                    key[1],
                    total,
                    "provisional" if status == "provisional" else "ok",
                    "published" if published else "computed",
                    numerator=total,
                )
            elif child_level != level:
                gaps.setdefault(
                    key,
                    {
                        "kind": "values",
                        "with": with_value,
                        "of": max(expected, reporting),
                        "level": child_level,
                    },
                )
        if rows and all((r["area"].value, r["period"].value) in chosen for r in rows):
            break  # every area has its figure: no need to sum a lower level
    return _fill_gaps(ind, level, own, chosen, gaps)


def _by_ratio(
    store, settings, regions, ind, level, own, present, cache=None
) -> dict[tuple[str, str], Value]:
    chosen: dict[tuple[str, str], Value] = {}
    gaps: dict[tuple[str, str], dict[str, Any]] = {}
    ratios = _aggregates(
        store,
        settings,
        "indicators/ratio-of-sums",
        cache,
        numerator=NamedNode(ind.numerator),
        denominator=NamedNode(ind.denominator),
        multiplier=Literal(repr(ind.multiplier), datatype=XSD_DECIMAL),
    )
    for child_level in lower_levels(level):
        if level_iri(settings, child_level) not in present:
            continue
        rows = ratios.get((level_iri(settings, level), level_iri(settings, child_level)), [])
        for r in rows:
            key = (r["area"].value, r["period"].value)
            if key in chosen:
                continue
            expected = _expected(regions, key[0], child_level, level, key[1])
            reporting = int(r["reporting"].value)
            complete = int(r["withNumerator"].value) == int(r["withDenominator"].value) == reporting
            if "value" in r and complete and reporting == expected:
                computed = _num(r["value"])
                pub_val, pub_status = own.get(key, (None, "ok"))
                published = ind.published_variable is not None and pub_val is not None
                chosen[key] = Value(
                    ind.slug,
                    key[0],
                    level,
                    key[1],
                    pub_val if published else computed,
                    "provisional" if pub_status == "provisional" else "ok",
                    "published" if published else "computed",
                    numerator=_num(r.get("numeratorSum")),
                    denominator=_num(r.get("denominatorSum")),
                    computed=computed,
                )
            elif child_level == level and int(r["withNumerator"].value) < 1:
                gaps.setdefault(key, {"kind": "no_numerator"})
            elif child_level != level:
                gaps.setdefault(
                    key,
                    {
                        "kind": "numerators",
                        "with": int(r["withNumerator"].value),
                        "of": max(expected, reporting),
                        "level": child_level,
                    },
                )
        if rows and all((r["area"].value, r["period"].value) in chosen for r in rows):
            break  # every area has its figure: no need to sum a lower level
    return _fill_gaps(ind, level, own, chosen, gaps)


def _counts(
    store: Store,
    settings: Settings,
    regions: Regions,
    ind: Indicator,
    variable: str,
    level: str,
    cache: QueryCache | None,
) -> dict[tuple[str, str], Value]:
    """The sum rule's values of one count ``variable`` at ``level`` (for a rate's parts)."""
    part = replace(ind, numerator=variable, denominator=None, rule="AggregateBySum")
    own = _published(store, settings, variable, level, cache)
    present = _levels_present(store, settings, variable, cache)
    return _by_sum(store, settings, regions, part, level, own, present, cache)


def _year_of(period: str) -> str:
    """The year a denominator's period serves: ``2024-12`` (end of December) → ``2024``; also
    ``2025-11`` (end of November): the homelessness survey counts on 15 November, so the
    population at the end of November is as near as December's (used where no end-of-year
    figure is published yet; December's comes first where both exist)."""
    return period[:4] if period.endswith(("-11", "-12")) else period


def _by_separate_sums(
    store, settings, regions, ind, level, cache=None
) -> dict[tuple[str, str], Value]:
    numerators = _counts(store, settings, regions, ind, ind.numerator, level, cache)
    denominators: dict[tuple[str, str], float] = {}
    for variable in ind.denominators:
        counts = _counts(store, settings, regions, ind, variable, level, cache)
        for (area, period), d in sorted(counts.items(), key=lambda kv: kv[0][1], reverse=True):
            if d.value:  # latest period of a year first: December before November
                denominators.setdefault((area, _year_of(period)), d.value)
    out: dict[tuple[str, str], Value] = {}
    for key, n in numerators.items():
        d_value = denominators.get(key)
        if n.value is None or d_value is None:
            # why, coded (:func:`gap_note` says it in the reader's language)
            gap = n.gap if n.value is None else {"kind": "no_population"}
            out[key] = Value(
                ind.slug, key[0], level, key[1], None, n.status if n.value is None else "missing",
                "none", suppression=n.suppression, gap=gap,
            )  # fmt: skip
            continue
        rate = ind.multiplier * n.value / d_value
        out[key] = Value(
            ind.slug, key[0], level, key[1], rate, n.status, "computed",
            numerator=n.value, denominator=d_value, computed=rate,
        )  # fmt: skip
    return out


def _fill_gaps(ind, level, own, chosen, gaps) -> dict[tuple[str, str], Value]:
    """Areas without a complete value: the source's own status, else missing with a note."""
    for key in set(gaps) | set(own):
        if key in chosen:
            continue
        src_status = own.get(key, (None, "missing"))[1]
        status = src_status if src_status in ("suppressed", "missing") else "missing"
        chosen[key] = Value(
            ind.slug,
            key[0],
            level,
            key[1],
            None,
            status,
            "none",
            suppression="source" if status == "suppressed" else "",
            gap=gaps.get(key),
        )
    return chosen


def gap_note(gap: dict[str, Any] | None, lang: str) -> str:
    """Why a figure is missing, in ``lang``; the store keeps the coded gap in the value's record
    and the note in fi, sv and en (``rake:valueNote``, :mod:`kgservice.indicators.materialise`)."""
    if not gap:
        return ""
    level = translate(f"level.{gap['level']}", lang) if "level" in gap else ""
    return translate(f"note.gap.{gap['kind']}", lang).format_map({**gap, "level": level})
