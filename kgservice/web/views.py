"""``/views/…``: the three indicator views as HTML pages (table, trend chart, county map).

Thin handlers: the tables come from :mod:`kgservice.indicators.views` (the same the API and
the Excel export serve), charts are server-side SVG from :mod:`kgservice.indicators.charts`.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, make_response, render_template

from kgservice.indicators import brief, drill
from kgservice.indicators.areas import LEVEL_ORDER
from kgservice.indicators.charts import county_map, trend_chart
from kgservice.indicators.dashboard import situation_dashboard
from kgservice.indicators.views import VIEWS, ViewTable, build_view, period_note
from kgservice.texts import translate
from kgservice.web import params as query_params
from kgservice.web.api import checked_area, indicator_service, validators, view_arguments
from kgservice.web.conneg import conditional, not_modified
from kgservice.web.i18n import get_lang
from kgservice.web.phenomenon_page import phenomenon_context, phenomenon_table
from kgservice.web.storeaccess import get_settings

bp = Blueprint("views", __name__, url_prefix="/views")


def fmt_number(v: float | None, unit: str = "", is_index: bool = False, lang: str = "fi") -> str:
    if v is None:
        return "–"
    if unit == "%" or is_index or v != int(v):
        text = f"{v:,.1f}"
    else:
        text = f"{v:,.0f}"
    if lang in ("fi", "sv"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def _query(params: dict) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def view_url(view: str, lang: str, **params) -> str:
    """The shareable address of a view with ``params`` (empty ones left out) in ``lang``: what
    every link between the views is made of, so area, year and language travel along."""
    return f"/views/{view}?" + _query({**params, "lang": lang})


def _revalidated(svc, render) -> Response:
    """The page ``render()`` makes, with ``ETag`` / ``Last-Modified`` from the data version; a
    client whose copy is still fresh gets ``304`` without the page being made again."""
    build_id, built_at = validators(svc)
    fresh = not_modified(build_id, built_at, media_type="text/html", vary_accept=False)
    if fresh is not None:
        return fresh
    return conditional(make_response(render()), build_id, built_at, vary_accept=False)


def _render(view: str) -> Response:
    svc = indicator_service()
    args = view_arguments(svc, view, html=True)
    return _revalidated(svc, lambda: _page(svc, view, args))


def _page(svc, view: str, args: dict) -> str:
    lang = get_lang()
    if view == "phenomenon-view":  # the phenomenon view's page (kgservice/web/phenomenon_page.py)
        table = phenomenon_table(svc, args, lang)
    else:
        table = build_view(svc, view, lang=lang, **args)
    situation: dict = {}  # issue 13: the situation picture's dashboard (indicators/dashboard.py)
    if view == "situation-picture":
        situation["dashboard"] = situation_dashboard(
            svc, table, lambda v, unit, idx: fmt_number(v, unit, idx, lang), args.get("year")
        )
        table = replace(table, missing=[])  # each note sits once in its phenomenon's section
    params = dict(table.params)
    downloads = {
        fmt: f"/api/views/{view}?" + _query({**params, "format": fmt})
        for fmt in ("xlsx", "csv", "json")
    }
    chosen = query_params.choice(
        "indicator", [i.slug for i in table.indicators if i.has_data_definition]
    )
    # the map wherever the table has one row per county; the trend where the view has one
    charts = _charts(svc, table, chosen, lang) if view != "situation-picture" else {}
    periods = sorted({str(y) for ind in table.indicators for y in svc.years(ind)}, reverse=True)
    groups = _group_rows(table, lang)
    # the drill-down chain (issue 13): breadcrumbs, the link down, where area names lead
    chain = drill.drill_context(svc, table, lang)
    up = "&" + _query({"year": params.get("year"), "lang": lang})  # once: a table has 1000s

    def area_href(code: str) -> str:
        down = chain["row_links"].get(code)
        if down is not None:
            return view_url("phenomenon-view", lang, **down)
        return f"/views/situation-picture?area={quote(code)}{up}"

    return render_template(
        f"views/{view}.html",
        table=table,
        view=view,
        params=params,
        downloads=downloads,
        charts=charts,
        fmt=lambda v, unit="", idx=False: fmt_number(v, unit, idx, lang),
        level_labels={lv: translate(f"level.{lv}", lang) for lv in LEVEL_ORDER},
        levels=LEVEL_ORDER,
        phenomena=[
            (p.rsplit("/", 1)[-1], svc.registry.label_of(p, lang)) for p in svc.registry.phenomena()
        ],  # fmt: skip
        areas=_area_choices(svc, lang),
        years=periods,
        groups=groups,
        honest=lambda r: _honest_cells(r, lang),
        honest_rows={r["indicator"]: r for _, rows in groups for r in rows},
        query=_query,
        view_url=lambda target, **p: view_url(target, lang, **p),
        table_rule=translate("suppression_rule", lang),
        period_note=period_note(table),
        **chain,
        area_href=area_href,
        **situation,
        **(
            phenomenon_context(
                svc,
                table,
                chosen,
                lang,
                lambda **p: view_url(view, lang, **p),
                lambda v, unit="", idx=False: fmt_number(v, unit, idx, lang),
                lambda **p: view_url("situation-picture", lang, **p),
            )
            if view == "phenomenon-view"
            else {}
        ),
        coverage=table.coverage,
        qualifier_legend=_qualifier_legend(table, lang),
    )


def _qualifier_legend(table: ViewTable, lang: str) -> list[tuple[str, str]]:
    """The marks of the qualifiers the table's figures carry, each with its word."""
    codes = table.qualifiers()
    return [
        (translate(f"qualifier_mark.{c}", lang), translate(f"qualifier.{c}", lang)) for c in codes
    ]


def _area_choices(svc, lang: str) -> list[tuple[str, str]]:
    out = []
    for level in reversed(LEVEL_ORDER):
        for r in svc.regions.at_level(level):
            out.append((r.code, f"{r.label(lang)} ({r.code})"))
    return out


def _group_rows(table: ViewTable, lang: str) -> list[tuple[str, list[dict]]]:
    """The table's rows by phenomenon, each with its cells as the page shows them (formatted
    here once: a municipal table has thousands of rows, and a call from the template costs)."""
    groups: dict[str, list[dict]] = {}
    for row in table.rows:
        groups.setdefault(row["phenomenon"], []).append(_display(row, lang))
    return list(groups.items())


def _display(row: dict, lang: str) -> dict:
    unit, idx = row["unit"], row["is_index"]
    value, change = row["value"], row["change"]
    return {
        "status": row["status"],
        "indicator": row["indicator"],
        "indicator_label": row["indicator_label"],
        "area_code": row["area_code"],
        "area_name": row["area_name"],
        "period": row["period"] or "",
        "value": translate(f"status.{row['status']}", lang)
        if value is None
        else f"{fmt_number(value, unit, idx, lang)} {unit}",
        "status_text": translate(f"status.{row['status']}", lang),
        "origin_text": translate(f"origin.{row['origin']}", lang),
        "national": ""
        if row["national_value"] is None
        else fmt_number(row["national_value"], unit, idx, lang),
        "change": ""
        if change is None
        else f"{'+' if change > 0 else ''}{fmt_number(change, unit, idx, lang)} "
        f"({row['previous_period']})",
        "rank": f"{row['rank']}/{row['rank_of']}" if row["rank"] else "",
        "note": row["note"] or "",
        **_honest_cells(row, lang),
    }


def _mark(qualifier: str | None, lang: str) -> dict[str, str]:
    """The mark of a qualifier code (n. for noin …) and its word, for the template's
    ``qualifier_mark``; empty for an exact figure."""
    if not qualifier:
        return {"mark": "", "mark_title": ""}
    return {
        "mark": translate(f"qualifier_mark.{qualifier}", lang),
        "mark_title": translate(f"qualifier.{qualifier}", lang),
    }


def _honest_cells(row: dict, lang: str) -> dict:
    """The qualifier mark, the source document and the other sources' figures of a row."""
    q = row.get("qualifier")
    source = row.get("source") or {}
    alternatives = [
        {
            "value": fmt_number(a["value"], row["unit"], row["is_index"], lang)
            if a.get("value") is not None
            else "",
            "mark": translate(f"qualifier_mark.{a['qualifier']}", lang)
            if a.get("qualifier")
            else "",
            "title": a.get("source", {}).get("title", ""),
            "url": a.get("source", {}).get("url", ""),
        }
        for a in row.get("alternatives") or []
    ]
    return {
        **_mark(q, lang),
        "source": source.get("title", ""),
        "source_by": ", ".join(p for p in (source.get("publisher"), source.get("date")) if p),
        "source_url": source.get("url", ""),
        "alternatives": alternatives,
    }


def _charts(svc, table: ViewTable, chosen: str | None, lang: str) -> dict:
    with_data = [i for i in table.indicators if i.has_data_definition]
    if not with_data:
        return {}
    ind = next((i for i in with_data if i.slug == chosen), with_data[0])
    unit = ind.unit(lang)

    def f(v):
        return fmt_number(v, unit, ind.is_index, lang)

    rows = [r for r in table.rows if r["indicator"] == ind.slug]
    out: dict = {
        "indicator": ind,
        "choices": [(i.slug, i.label(lang)) for i in with_data],
        "unit": unit,
    }
    names = {r["area_code"]: r["area_name"] for r in rows}
    selected = [names[c] for c in table.highlighted if c in names]
    if table.params.get("level") == "wellbeing-county":
        values = {r["area_code"]: r["value"] for r in rows}
        out["map"] = county_map(
            get_settings().data_dir,
            values,
            names,
            f,
            f"{ind.label(lang)} ({unit})",
            translate("status.missing", lang),
            selected=table.highlighted,
            selected_label=", ".join(selected),
        )
        out["map_rows"] = rows
    if not table.trend:
        return out if "map" in out else {}
    out["trend_rows"] = [  # copies: the marks are the page's, not the table's
        {**t, **_mark(t.get("qualifier"), lang)}
        for t in brief.trend_rows(table.trend, ind, table.params.get("level"))
    ]
    series: dict[str, list[tuple[str, float | None]]] = {}
    for t in out["trend_rows"]:
        series.setdefault(t["area_name"], []).append((t["period"], t["value"]))
    country = svc.regions.country()
    country_name = country.label(lang) if country else None
    others = translate("legend.others", lang)
    out["legend"] = brief.legend(selected, country_name, others, out["trend_rows"])
    out["legend_text"] = [
        (kind, translate(f"legend.{kind}", lang) + ("" if kind == "other" else f": {text}"))
        for kind, text in out["legend"]
    ]
    out["trend"] = trend_chart(
        series,
        country_name,
        f,
        f"{translate('trend', lang)}: {ind.label(lang)} ({unit})",
        selected=selected,
        legend=out["legend"],
    )
    return out


@bp.get("/")
def index() -> Response:
    """The start of the drill-down: choose the area, then a view (of a phenomenon). ``area``
    and ``year`` (checked as for the situation picture) come back from a breadcrumb."""
    lang = get_lang()
    svc = indicator_service()
    code, year = query_params.area(), query_params.year()
    area = checked_area(svc, code) if code else None
    return _revalidated(
        svc,
        lambda: render_template(
            "views/index.html",
            views=list(VIEWS),
            phenomena=[
                (p.rsplit("/", 1)[-1], svc.registry.label_of(p, lang))
                for p in svc.registry.phenomena()
            ],
            areas=_area_choices(svc, lang),
            area=area,
            year=year,
            years=sorted(
                {str(y) for ind in svc.registry.indicators.values() for y in svc.years(ind)},
                reverse=True,
            ),
        ),
    )


@bp.get("/situation-picture")
def situation_picture() -> Response:
    return _render("situation-picture")


@bp.get("/phenomenon-in-brief")
def phenomenon_in_brief() -> Response:
    return _render("phenomenon-in-brief")


@bp.get("/phenomenon-view")
def phenomenon_view() -> Response:
    return _render("phenomenon-view")
