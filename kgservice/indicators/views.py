"""The three views as tables: situation picture, phenomenon in brief, phenomenon view.

Each view is one flat table (:data:`COLUMNS`, one row per indicator and area) plus metadata, so
the same content goes to JSON, CSV and Excel. A figure that is missing or suppressed is a row
with that status and no value, never a zero. ``year`` selects that statistics year exactly;
without it each indicator, per area, shows its newest period that has a figure (its period is
always in the row's ``period``). When the figures of one table come from different periods, the
table says so (:meth:`ViewTable.periods`, :func:`period_note`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kgservice.errors import NotFound, QueryError
from kgservice.indicators import brief
from kgservice.indicators.areas import LEVEL_ORDER, Region, parse_level
from kgservice.indicators.clientdata import is_client_data
from kgservice.indicators.compute import Value, gap_note
from kgservice.indicators.register import register_estimates
from kgservice.indicators.registry import Indicator
from kgservice.indicators.service import IndicatorService
from kgservice.texts import translate

VIEWS = {
    "situation-picture": "tilannekuva",
    "phenomenon-in-brief": "ilmiosta-tiiviisti",
    "phenomenon-view": "ilmionakyma",
}

COLUMNS = [
    "phenomenon",
    "indicator",
    "indicator_label",
    "area_code",
    "area_name",
    "level",
    "period",
    "value",
    "unit",
    "status",
    "origin",
    "national_value",
    "change",
    "previous_period",
    "rank",
    "rank_of",
    "numerator",
    "denominator",
    "is_index",
    "note",
    "qualifier",
    "source",
    "source_url",
    "alternatives",
]

#: Row fields of the JSON beyond :data:`COLUMNS` (the CSV and Excel files leave them out).
JSON_ONLY = ("lower_bound", "upper_bound")

#: The coded columns of a table and their codes; what each code says is the text
#: ``<column>.<code>`` of :mod:`kgservice.texts` (the web pages show it; the Excel metadata sheet
#: lists it).
CODES: dict[str, tuple[str, ...]] = {
    "status": ("ok", "missing", "suppressed", "provisional"),
    "origin": ("published", "computed", "none"),
    "level": tuple(LEVEL_ORDER),
    "qualifier": ("noin", "pyoristetty", "yli", "runsaat", "vajaa", "lahes", "alle"),
}


@dataclass
class ViewTable:
    view: str
    params: dict[str, Any]
    title: str
    lang: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    trend: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    area: Region | None = None
    highlighted: list[str] = field(default_factory=list)  # area codes the page highlights
    #: per indicator of a table over many areas, how many have a figure (:func:`coverage`)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    #: Indicators the service can fetch but has no figures of (the Sotkanet catalogue):
    #: listed by name, not as rows
    available: list[dict[str, Any]] = field(default_factory=list)
    #: THL's register estimates of the phenomena shown, whole country only
    #: (:mod:`kgservice.indicators.register`)
    register: list[dict[str, Any]] = field(default_factory=list)

    def column_labels(self) -> dict[str, str]:
        return {c: translate(f"column.{c}", self.lang) for c in COLUMNS}

    def periods(self) -> list[str]:
        """The periods the table's figures are from (rows with a figure, shown or suppressed;
        not the missing ones), oldest first."""
        return sorted({r["period"] for r in self.rows if r["period"] and r["status"] != "missing"})

    def qualifiers(self) -> list[str]:
        """The qualifier codes (noin, yli …) of the table's figures and of its trend points:
        the marks a page or file must explain (an approximate 1987 figure may be in the trend
        only)."""
        return sorted({r["qualifier"] for r in (*self.rows, *self.trend) if r.get("qualifier")})


def period_note(table: ViewTable) -> str | None:
    """The note a table carries when its figures come from different periods, else ``None``."""
    periods = table.periods()
    if len(periods) < 2:
        return None
    return translate("mixed_periods", table.lang).format(periods=", ".join(periods))


def parse_phenomenon(svc: IndicatorService, text: str | None) -> str:
    if not text:
        raise QueryError("parameter 'phenomenon' is required", rule="view-parameter")
    text = text.strip()
    for iri in svc.registry.phenomena():
        if text in (iri, iri.rsplit("/", 1)[-1]):
            return iri
    raise NotFound(
        f"no phenomenon {text!r}; known: "
        + ", ".join(i.rsplit("/", 1)[-1] for i in svc.registry.phenomena()),
        rule="view-parameter",
    )


def _indicator_columns(svc: IndicatorService, ind: Indicator, lang: str) -> dict[str, Any]:
    """The columns a row takes from its indicator (the same for every area), memoised."""
    key = (ind.iri, lang)
    cols = svc.memo.get(key)
    if cols is None:
        phen = ind.phenomena[0] if ind.phenomena else ""
        cols = svc.memo[key] = {c: None for c in (*COLUMNS, *JSON_ONLY)} | {
            "phenomenon": svc.registry.label_of(phen, lang) if phen else "",
            "indicator": ind.slug,
            "indicator_label": ind.label(lang),
            "unit": ind.unit(lang),
            "is_index": ind.is_index,
            "rank_low": None,  # JSON only: the rank from the lowest (see :mod:`enrich`)
        }
    return cols


def _suppression_note(reason: str, lang: str) -> str:
    """Why a figure is hidden, in ``lang`` (``reason``: source, small-count, complementary)."""
    if not reason:
        return ""
    why = translate(f"suppression.{reason}", lang)
    return translate("note.suppressed", lang).format(reason=why)


def _row(
    svc: IndicatorService,
    ind: Indicator,
    region: Region,
    value: Value | None,
    lang: str,
    year: int | None,
) -> dict[str, Any]:
    row = dict(_indicator_columns(svc, ind, lang))
    row.update(area_code=region.code, area_name=region.label(lang), level=region.level)
    if value is None:
        row["status"] = "missing"
        row["origin"] = "none"
        if not ind.has_data_definition or not svc.years(ind):
            # no figure of any period (the long text, where the figures would come from, is the
            # phenomenon's notice and the indicator's data availability)
            row["note"] = translate("note.not_in_service", lang)
        elif year is not None:
            row["note"] = translate("note.no_figure_for_year", lang).format(year=year)
            row["period"] = str(year)
        else:
            row["note"] = translate("note.no_figure", lang)
        return row
    row.update(
        period=value.period,
        value=value.value,
        status=value.status,
        origin=value.origin,
        national_value=value.national,
        change=value.change,
        previous_period=value.previous_period,
        rank=value.rank,
        rank_low=value.rank_low,
        rank_of=value.rank_of,
        numerator=value.numerator,
        denominator=value.denominator,
        note=gap_note(value.gap, lang)
        or _suppression_note(value.suppression, lang)
        or (translate("note.not_ranked", lang) if value.shown and value.rank is None else ""),
        qualifier=value.qualifier or None,
        lower_bound=value.lower_bound,
        upper_bound=value.upper_bound,
        source=value.source,
        source_url=(value.source or {}).get("url"),
        alternatives=value.alternatives,
    )
    return row


def coverage(table: ViewTable, level: str, areas: int) -> list[dict[str, Any]]:
    """How many of the table's ``areas`` areas have a figure (shown or suppressed), per
    indicator with data, where some but not all have one: the municipal homelessness figures
    cover few municipalities, and the table says so in words (``coverage.<level>``)."""
    counts = Counter(r["indicator"] for r in table.rows if r["status"] != "missing")
    return _coverage_notes(table, level, counts, areas)


def level_coverage(
    svc: IndicatorService, table: ViewTable, phen: str, level: str, year: int | None
) -> list[dict[str, Any]]:
    """:func:`coverage` of every area of ``level`` without making their rows (the phenomenon
    view's page before an area is chosen)."""
    regions = {r.iri for r in svc.regions.listed_in(svc.regions.at_level(level), year)}
    counts = Counter(
        slug
        for (slug, iri), value in svc.at_level(phen, level, year, VIEWS[table.view]).items()
        if iri in regions and value is not None and value.status != "missing"
    )
    return _coverage_notes(table, level, counts, len(regions))


def covered_municipalities(
    svc: IndicatorService, table: ViewTable, phen: str, year: int | None
) -> list[dict[str, Any]]:
    """The phenomenon in brief's word on the covered cities of a source of a few cities: per
    indicator of which fewer than half of the municipalities have a figure, which do ("7 of 309
    municipalities have a published figure: Espoo, Helsinki, …", JSON ``area_codes``), named
    above the areas' table at every level (the homelessness survey's cities beside the national
    trend). A source of most municipalities needs no list: the phenomenon view has them all."""
    partial = {i.slug for i in table.indicators if i.has_data_definition}
    regions = {r.iri: r for r in svc.regions.listed_in(svc.regions.at_level("municipality"), year)}
    found: dict[str, list[Region]] = {}
    for (slug, iri), value in svc.at_level(phen, "municipality", year, VIEWS[table.view]).items():
        if slug in partial and iri in regions and value is not None and value.status != "missing":
            found.setdefault(slug, []).append(regions[iri])
    out = []
    for ind in table.indicators:
        covered = sorted(found.get(ind.slug, []), key=lambda r: r.code)
        if 0 < 2 * len(covered) < len(regions):
            note = translate("coverage.municipality.named", table.lang).format(
                indicator=ind.label(table.lang),
                count=len(covered),
                total=len(regions),
                names=", ".join(r.label(table.lang) for r in covered),
            )
            out.append(
                {"indicator": ind.slug, "level": "municipality",
                 "areas_with_figure": len(covered), "areas": len(regions), "note": note,
                 "area_codes": [r.code for r in covered]}
            )  # fmt: skip
    return out


def _coverage_notes(
    table: ViewTable, level: str, counts: Counter[str], areas: int
) -> list[dict[str, Any]]:
    out = []
    for ind in table.indicators:
        count = counts[ind.slug]
        if ind.has_data_definition and 0 < count < areas:
            note = translate(f"coverage.{level}", table.lang).format(
                indicator=ind.label(table.lang), count=count, total=areas
            )
            out.append(
                {"indicator": ind.slug, "level": level, "areas_with_figure": count,
                 "areas": areas, "note": note}
            )  # fmt: skip
    return out


def source_documents(table: ViewTable) -> list[dict[str, str]]:
    """Every source document the table's figures, their alternatives and its register estimates
    name, once each, in the order of the rows (for the Excel metadata and the page's source
    list)."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for row in table.rows:
        for src in [row.get("source"), *(a.get("source") for a in row.get("alternatives") or [])]:
            if src:
                seen.setdefault((src.get("title", ""), src.get("url", "")), src)
    for est in table.register:  # THL's register estimates: one document per estimate version
        doc = {
            "title": f"{est['source']} ({est['version_label']})",
            "publisher": est["source_publisher"],
            "date": est["source_date"] or est["source_date_note"],
            "url": est["source_url"],
        }
        seen.setdefault((doc["title"], doc["url"]), doc)
    return list(seen.values())


def flat_cell(row: dict[str, Any], column: str) -> Any:
    """A row's cell for a CSV or Excel file: the source document and the other sources'
    figures as text (the JSON keeps them as objects)."""
    x = row.get(column)
    if column == "source" and x:
        return " – ".join(p for p in (x.get("title"), x.get("publisher"), x.get("date")) if p)
    if column == "alternatives" and x:
        return "; ".join(_alternative_text(a) for a in x)
    return x


def _alternative_text(alt: dict[str, Any]) -> str:
    value = alt.get("value")
    number = "" if value is None else format(value, "g")
    src = alt.get("source", {})
    where = ", ".join(p for p in (src.get("title"), src.get("publisher"), src.get("url")) if p)
    qualifier = f" ({alt['qualifier']})" if alt.get("qualifier") else ""
    return f"{number}{qualifier}: {where}"


def awaiting_figures(svc: IndicatorService, ind: Indicator) -> bool:
    """True for an indicator outside the bundled snapshot that this build has no figure of."""
    return not ind.in_bundled_snapshot and not svc.years(ind)


def _available(svc: IndicatorService, inds: list[Indicator], lang: str) -> list[dict[str, Any]]:
    """The catalogue entries of the indicators awaiting figures, by label."""
    entries = [
        {
            "indicator": i.slug,
            "label": i.label(lang),
            "unit": i.unit(lang),
            "definition": i.definition(lang),
            "producer": i.producer(lang),
            "sotkanet_id": i.sotkanet_id,
            "availability": i.availability.get(lang) or i.availability.get("fi", ""),
        }
        for i in inds
    ]
    return sorted(entries, key=lambda e: e["label"].casefold())


def catalogue_of(svc: IndicatorService, phen: str, lang: str) -> list[dict[str, Any]]:
    """The phenomenon's catalogue indicators without figures (shown in the phenomenon view),
    for a view that lists them only as available: the phenomenon in brief."""
    inds = svc.registry.for_phenomenon(phen, VIEWS["phenomenon-view"])
    return _available(svc, [i for i in inds if awaiting_figures(svc, i)], lang)


def _shown_and_available(
    svc: IndicatorService, table: ViewTable, phen: str, view: str
) -> list[Indicator]:
    """The phenomenon's indicators of ``view`` that get rows; the others go to
    ``table.available``."""
    inds = svc.registry.for_phenomenon(phen, view)
    table.available = _available(svc, [i for i in inds if awaiting_figures(svc, i)], table.lang)
    return [i for i in inds if not awaiting_figures(svc, i)]


def _missing_phenomena(svc: IndicatorService, phenomena: list[str], lang: str) -> list[dict]:
    out = []
    for phen in phenomena:
        inds = [i for i in svc.registry.for_phenomenon(phen) if not awaiting_figures(svc, i)]
        if inds and not any(i.has_data_definition for i in inds):
            out.append(
                {
                    "phenomenon": svc.registry.label_of(phen, lang),
                    "iri": phen,
                    "availability": " ".join(
                        dict.fromkeys(i.availability_note(lang) for i in inds)
                    ),
                }
            )
    return out


def situation_picture(
    svc: IndicatorService, area: str | None, year: int | None, lang: str = "fi"
) -> ViewTable:
    """Every phenomenon at a glance for one area (any level) and year."""
    region = svc.regions.find(area or "SSS")
    phenomena = svc.registry.phenomena()
    table = ViewTable(
        "situation-picture",
        {"area": region.code, "year": year, "lang": lang},
        _title("situation-picture", lang, region.label(lang), year),
        lang,
        area=region,
    )
    values = svc.at_area(region, year)
    for phen in phenomena:
        for ind in svc.registry.for_phenomenon(phen, VIEWS["situation-picture"]):
            if awaiting_figures(svc, ind):
                continue
            table.indicators.append(ind)
            table.rows.append(_row(svc, ind, region, values.get(ind.slug), lang, year))
    table.trend = _area_trend(svc, region, table.indicators, lang)
    table.missing = _missing_phenomena(svc, phenomena, lang)
    if region.level == "country":  # national figures: never shown as a county's
        table.register = register_estimates(svc, phenomena, lang)
    return table


def _area_trend(
    svc: IndicatorService, region: Region, shown: list[Indicator], lang: str
) -> list[dict[str, Any]]:
    """The series of the situation picture's indicators for ``region`` and for the whole
    country (the dashboard's trend lines), by period."""
    slugs = {i.slug for i in shown}
    country = svc.regions.country()
    points = svc.series_at_area(region)
    if country is not None and region.level != "country":
        points += svc.series_at_area(country)
    return [
        trend_point(v, svc.regions.by_iri[v.area], lang)
        for v in sorted(points, key=lambda v: v.period)
        if v.indicator in slugs
    ]


def trend_point(v: Value, area: Region, lang: str) -> dict[str, Any]:
    """One period of a trend (JSON ``trend``, the Excel trend sheet, the trend tables), with the
    figure's qualifier code where the source gave it as approximate (``noin`` …), else ``None``."""
    return {
        "indicator": v.indicator,
        "area_code": area.code,
        "area_name": area.label(lang),
        "period": v.period,
        "value": v.value,
        "status": v.status,
        "qualifier": (v.qualifier or None) if v.shown else None,
    }


def phenomenon_in_brief(
    svc: IndicatorService,
    phenomenon: str | None,
    level: str | None,
    year: int | None,
    lang="fi",
    area: str | None = None,
) -> ViewTable:
    """One phenomenon's key indicators for every area of one level, with the trend; ``area``
    highlighted (and deciding the level when none is given). Rates and indices come first, and
    a count is not compared with the national count (:mod:`kgservice.indicators.brief`)."""
    phen = parse_phenomenon(svc, phenomenon)
    selected = svc.regions.find(area) if area else None
    lv = parse_level(brief.brief_level(selected, level), "wellbeing-county")
    if lv == "municipality":
        raise QueryError(
            "phenomenon in brief is shown at country, cooperation-area and wellbeing-county "
            "level; use phenomenon-view for municipalities",
            rule="view-parameter",
        )
    table = ViewTable(
        "phenomenon-in-brief",
        {
            "phenomenon": phen.rsplit("/", 1)[-1],
            "level": lv,
            "area": selected.code if selected else None,
            "year": year,
            "lang": lang,
        },
        _title(
            "phenomenon-in-brief",
            lang,
            svc.registry.label_of(phen, lang),
            year,
            lv,
            area=selected.label(lang) if selected else None,
        ),
        lang,
        area=selected,
    )
    table.highlighted = [r.code for r in brief.highlighted(svc.regions, selected, lv)]
    regions = svc.regions.at_level(lv)
    country = svc.regions.country()
    shown = VIEWS["phenomenon-in-brief"]  # the values of the indicators the brief shows only
    values = svc.at_level(phen, lv, year, shown)
    series = svc.series(phen, lv, shown)
    if country and lv != "country":
        series += svc.series(phen, "country", shown)
    for ind in brief.brief_indicators(
        _shown_and_available(svc, table, phen, VIEWS["phenomenon-in-brief"]), lv
    ):
        table.indicators.append(ind)
        for region in regions:
            row = _row(svc, ind, region, values.get((ind.slug, region.iri)), lang, year)
            table.rows.append(brief.uncompared(row) if brief.is_count(ind) else row)
        table.trend += [
            trend_point(point, svc.regions.by_iri[point.area], lang)
            for point in series
            if point.indicator == ind.slug
        ]
    table.missing = _missing_phenomena(svc, [phen], lang)
    table.coverage = coverage(table, lv, len(regions))
    table.coverage += covered_municipalities(svc, table, phen, year)
    table.available = catalogue_of(svc, phen, lang)  # what the service can fetch, in words
    table.register = register_estimates(svc, [phen], lang)  # the national context
    return table


def phenomenon_view(
    svc: IndicatorService,
    phenomenon: str | None,
    level: str | None,
    area: str | None,
    year: int | None,
    lang: str = "fi",
) -> ViewTable:
    """One phenomenon in full, by default for the municipalities (optionally inside ``area``)."""
    phen = parse_phenomenon(svc, phenomenon)
    lv = parse_level(level, "municipality")
    within = svc.regions.find(area) if area and area != "all" else None  # all: no filter
    regions = svc.regions.at_level(lv)
    if within is not None:
        regions = [
            r for r in regions if r.iri == within.iri or within.iri in svc.regions.ancestors(r)
        ]
    listed = {r.iri for r in svc.regions.listed_in(regions, year)}  # that year's division
    regions = [r for r in regions if r.iri in listed or (within and r.iri == within.iri)]
    table = ViewTable(
        "phenomenon-view",
        {
            "phenomenon": phen.rsplit("/", 1)[-1],
            "level": lv,
            "area": within.code if within else (area or None),
            "year": year,
            "lang": lang,
        },
        _title(
            "phenomenon-view",
            lang,
            svc.registry.label_of(phen, lang),
            year,
            lv,
            within.label(lang) if within else None,
        ),
        lang,
        area=within,
    )
    values = svc.at_level(phen, lv, year, VIEWS["phenomenon-view"])
    for ind in _shown_and_available(svc, table, phen, VIEWS["phenomenon-view"]):
        table.indicators.append(ind)
        for region in regions:
            table.rows.append(
                _row(svc, ind, region, values.get((ind.slug, region.iri)), lang, year)
            )
    table.missing = _missing_phenomena(svc, [phen], lang)
    table.coverage = coverage(table, lv, len(regions))
    return table


def build_view(
    svc: IndicatorService,
    view: str,
    *,
    phenomenon: str | None = None,
    level: str | None = None,
    area: str | None = None,
    year: int | None = None,
    lang: str = "fi",
) -> ViewTable:
    if view == "situation-picture":
        return situation_picture(svc, area, year, lang)
    if view == "phenomenon-in-brief":
        return phenomenon_in_brief(svc, phenomenon, level, year, lang, area)
    if view == "phenomenon-view":
        return phenomenon_view(svc, phenomenon, level, area, year, lang)
    raise NotFound(f"no view {view!r}; views: {', '.join(VIEWS)}", rule="view")


def _title(
    view: str,
    lang: str,
    subject: str,
    year: int | None,
    level=None,
    within=None,
    area: str | None = None,
) -> str:
    """ "View – subject [– area] [– level] [– within] – year or latest"."""
    parts = [translate(f"view.{view}", lang), subject]
    if area:
        parts.append(area)
    if level:
        parts.append(translate(f"level.{level}", lang))
    if within:
        parts.append(within)
    parts.append(str(year) if year else translate("latest", lang))
    return " – ".join(parts)


def to_json(table: ViewTable, svc: IndicatorService) -> dict[str, Any]:
    lang = table.lang
    return {
        "view": table.view,
        "title": table.title,
        "parameters": table.params,
        "area": None
        if table.area is None
        else {
            "iri": table.area.iri,
            "code": table.area.code,
            "name": table.area.label(lang),
            "level": table.area.level,
        },
        "data_version": svc.version.tag,
        "columns": [{"name": c, "label": table.column_labels()[c]} for c in COLUMNS],
        "rows": table.rows,
        "trend": table.trend,
        "missing_phenomena": table.missing,
        "highlighted": table.highlighted,
        "available_indicators": table.available,
        "register_estimates": table.register,
        "periods": table.periods(),
        "period_note": period_note(table),
        "coverage": table.coverage,
        "indicators": [indicator_metadata(svc, i, lang) for i in table.indicators],
        "suppression_rule": translate("suppression_rule", lang),
    }


def indicator_metadata(svc: IndicatorService, ind: Indicator, lang: str) -> dict[str, Any]:
    """What a table says of each of its indicators (memoised per build and language)."""
    key = ("metadata", ind.iri, lang)
    if key not in svc.memo:
        svc.memo[key] = _indicator_metadata(svc, ind, lang)
    return svc.memo[key]


def _indicator_metadata(svc: IndicatorService, ind: Indicator, lang: str) -> dict[str, Any]:
    reg = svc.registry
    return {
        "id": ind.slug,
        "iri": ind.iri,
        "label": ind.label(lang),
        "definition": ind.definition(lang),
        "unit": ind.unit(lang),
        "aggregation_rule": ind.rule,
        "aggregation_rule_text": translate(f"rule.{ind.rule}", lang),
        "polarity": ind.polarity,
        "polarity_text": translate(f"polarity.{ind.polarity}", lang),
        "is_index": ind.is_index,
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        "published_variable": ind.published_variable,
        "query": ind.computed_by,
        "phenomena": [reg.label_of(p, lang) for p in ind.phenomena],
        "information_needs": [reg.label_of(n, lang) for n in ind.needs],
        "information_sources": [reg.label_of(s, lang) for s in ind.sources],
        "source": ind.source_note(lang),
        "data_availability": ind.availability_note(lang) or None,
        "client_data": is_client_data(ind),  # counted from the county's lifted client documents
        # the Sotkanet catalogue: its producer, its Sotkanet id, its figures not bundled
        "producer": ind.producer(lang) or None,
        "sotkanet_id": ind.sotkanet_id,
        "in_bundled_snapshot": ind.in_bundled_snapshot,
    }
