"""The phenomenon view page's own parts (``/views/phenomenon-view``): HTTP and page concerns only.

The area choice when none is given at municipality level, the ``sort`` parameter and the links
of the sortable column headings, the bar chart of the chosen indicator and the client-data
section. What the rows are, their order and the folding of missing ones:
:mod:`kgservice.indicators.municipal`; the client-data level:
:mod:`kgservice.indicators.clientdata`; the SVG: :mod:`kgservice.indicators.barchart`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kgservice.indicators import municipal
from kgservice.indicators.barchart import bar_chart
from kgservice.indicators.clientdata import client_level
from kgservice.indicators.service import IndicatorService
from kgservice.indicators.views import ViewTable, build_view
from kgservice.texts import translate
from kgservice.web import params as query_params


def phenomenon_table(svc: IndicatorService, args: dict[str, Any], lang: str) -> ViewTable:
    """The view's table; at municipality level without an area, no rows (the page asks)."""
    if municipal.needs_choice(args.get("level"), args.get("area")):
        return municipal.choice_table(svc, args.get("phenomenon"), args.get("year"), lang)
    return build_view(svc, "phenomenon-view", lang=lang, **args)


def phenomenon_context(
    svc: IndicatorService,
    table: ViewTable,
    chosen: str | None,
    lang: str,
    link: Callable[..., str],
    number: Callable[..., str],
    situation_link: Callable[..., str],
) -> dict[str, Any]:
    """What ``phenomenon-view.html`` shows beyond the shared layout (``link``, ``situation_link``:
    ``view_url`` of this view and of the situation picture in ``lang``; ``number(value, unit,
    is_index)``: the page's number format)."""
    params = {k: v for k, v in table.params.items() if k != "lang"}
    if municipal.needs_choice(params.get("level"), params.get("area")):
        return {"pv": {"choose": True, "counties": municipal.county_choices(svc, lang)}}
    sort = query_params.choice("sort", municipal.SORTS)
    here = {**params, "sort": sort, "indicator": chosen}
    tables = municipal.indicator_tables(svc, table, sort)
    phen = svc.registry.phenomena()
    phen_iri = next(p for p in phen if p.rsplit("/", 1)[-1] == params["phenomenon"])
    return {
        "pv": {
            "choose": False,
            "tables": tables,
            "sort": sort,
            "headings": {
                c: (
                    link(**{**here, "sort": municipal.next_sort(c, sort)}),
                    municipal.aria_sort(c, sort),
                )
                for c in municipal.SORT_COLUMNS
            },
            "heading": lambda ind: municipal.heading(ind, lang),
            "all_url": link(**{**params, "area": municipal.ALL_AREAS}),
            # each area's situation picture: this + its code (one link per row, made once)
            "area_href": situation_link(year=params.get("year"), area="") + "&area=",
            "chart": _chart(
                svc, tables, chosen, lang, lambda s: link(**{**here, "indicator": s}), number
            ),
            "client": client_level(svc, phen_iri, table.area, params.get("year")),
        }
    }


def _chart(
    svc: IndicatorService,
    tables: list[municipal.IndicatorTable],
    chosen: str | None,
    lang: str,
    link: Callable[[str], str],
    number: Callable[..., str],
) -> dict[str, Any] | None:
    """The bar chart of the chosen indicator's areas (the first with figures by default)."""
    with_bars = [t for t in tables if any(r["value"] is not None for r in t.rows)]
    if not with_bars:
        return None
    rates = [t for t in with_bars if not t.is_count] or with_bars  # rates first by default
    it = next((t for t in with_bars if t.indicator.slug == chosen), rates[0])
    ind = it.indicator
    unit = ind.unit(lang)

    def fmt(v: float) -> str:
        return number(v, unit, ind.is_index)

    bars = sorted(
        ((r["area_code"], r["area_name"], r["value"]) for r in it.rows if r["value"] is not None),
        key=lambda b: -b[2],
    )
    references = [] if it.is_count else _references(svc, it, lang)
    title = municipal.heading(ind, lang)
    return {
        "indicator": ind,
        "unit": unit,
        "svg": bar_chart(bars, references, fmt, title),
        "bars": bars,
        "references": references,
        "choices": [
            (t.indicator.slug, t.indicator.label(lang), link(t.indicator.slug)) for t in with_bars
        ],  # fmt: skip
        "caption": translate(
            "pv.chart_caption" if references else "pv.chart_caption_count", lang
        ).format(indicator=title),
    }


def _references(svc: IndicatorService, it: municipal.IndicatorTable, lang: str) -> list:
    """(label, value) of the area's own figure and the whole country's, where they exist."""
    out = []
    if it.total is not None and it.total["value"] is not None:
        out.append((it.total["area_name"], it.total["value"]))
    national = next((r["national_value"] for r in it.rows if r["national_value"] is not None), None)
    country = svc.regions.country()
    own_is_country = (
        it.total is not None and country is not None and it.total["area_code"] == country.code
    )
    if national is not None and country is not None and not own_is_country:
        out.append((country.label(lang), national))
    elif national is None and it.indicator.is_index:
        out.append((translate("pv.index_reference", lang), 100.0))  # median area = 100
    return out
