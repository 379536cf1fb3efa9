"""The drill-down chain between the views, and the breadcrumbs that show where one is in it.

THL's views are read top-down: the situation picture of an area → phenomenon in brief of one
phenomenon with that area highlighted → the phenomenon view of the areas one level below it
(a county's municipalities) → the client-data level inside the phenomenon view. Every step is a
link made of GET parameters only (so a page is shareable and bookmarkable) and keeps the area,
the year and the language; the breadcrumbs lead back up the same way.

A link here is a view name and its parameters (:class:`Link`); the web layer turns it into an
address (``view_url``), so every address of the views is made in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kgservice.indicators.areas import Region, Regions
from kgservice.indicators.municipal import ALL_AREAS
from kgservice.indicators.service import IndicatorService
from kgservice.indicators.views import ViewTable
from kgservice.texts import translate

#: The level the phenomenon view shows below an area of each level (a municipality: its own
#: level, among the municipalities of its county).
DOWN_LEVEL = {
    "country": "wellbeing-county",
    "cooperation-area": "wellbeing-county",
    "wellbeing-county": "municipality",
    "municipality": "municipality",
}


@dataclass(frozen=True)
class Link:
    """A link to ``view`` ("" is the views' front page) with ``params`` (empty ones dropped)."""

    label: str
    view: str
    params: dict[str, Any]
    current: bool = False


def down_params(regions: Regions, region: Region) -> dict[str, str]:
    """``level`` and ``area`` of the phenomenon view one step below ``region``."""
    area = region
    if region.level == "municipality":
        county = next(
            (regions.by_iri[a] for a in regions.ancestors(region) if a in regions.by_iri),
            None,
        )
        area = county if county is not None and county.level == "wellbeing-county" else region
    return {"level": DOWN_LEVEL[region.level], "area": area.code}


def down_link(svc: IndicatorService, phenomenon: str, region: Region, year: Any, lang: str) -> Link:
    """The brief's link on to the phenomenon view below ``region`` ("Show the municipalities")."""
    params = down_params(svc.regions, region)
    key = "country" if region.level == "country" else params["level"]
    label = translate(f"drill.show.{key}", lang).format(area=_name(svc, params["area"], lang))
    return Link(label, "phenomenon-view", {"phenomenon": phenomenon, **params, "year": year})


def breadcrumbs(svc: IndicatorService, view: str, params: dict[str, Any], lang: str) -> list[Link]:
    """The path to the page of ``view`` with ``params``: Views › Situation picture: Kainuu ›
    Phenomenon in brief: … › Kainuu: municipalities; the last one is the page itself."""
    year, code = params.get("year"), params.get("area")
    if code == ALL_AREAS:  # the phenomenon view of every area: no one area on the path
        code = None
    phen = params.get("phenomenon")
    crumbs = [Link(translate("views", lang), "", {"area": code, "year": year})]
    if code and view != "situation-picture":
        crumbs.append(_situation(svc, code, year, lang))
    if view == "situation-picture":
        crumbs.append(_situation(svc, code or "SSS", year, lang))
    elif view == "phenomenon-in-brief":
        crumbs.append(_brief(svc, phen, params, lang))
    elif view == "phenomenon-view":
        crumbs.append(_brief(svc, phen, {"area": code, "year": year}, lang))
        level = params.get("level") or "municipality"
        whose = _name(svc, code, lang) if code else translate(f"view.{view}", lang)
        label = f"{whose}: {translate(f'crumb.level.{level}', lang)}"
        crumbs.append(Link(label, view, {k: v for k, v in params.items() if k != "lang"}))
    crumbs[-1] = replace(crumbs[-1], current=True)
    return crumbs


def _situation(svc: IndicatorService, code: str, year: Any, lang: str) -> Link:
    label = f"{translate('view.situation-picture', lang)}: {_name(svc, code, lang)}"
    return Link(label, "situation-picture", {"area": code, "year": year})


def _brief(svc: IndicatorService, phen: str | None, params: dict[str, Any], lang: str) -> Link:
    label = translate("view.phenomenon-in-brief", lang)
    if phen:
        label += ": " + svc.registry.label_of(_phenomenon_iri(svc, phen), lang)
    keep = {k: params.get(k) for k in ("level", "area", "year")}
    return Link(label, "phenomenon-in-brief", {"phenomenon": phen, **keep})


def _phenomenon_iri(svc: IndicatorService, slug: str) -> str:
    return next((p for p in svc.registry.phenomena() if p.rsplit("/", 1)[-1] == slug), slug)


def _name(svc: IndicatorService, code: str, lang: str) -> str:
    return svc.regions.find(code).label(lang)


def drill_context(svc: IndicatorService, table: ViewTable, lang: str) -> dict[str, Any]:
    """What a view page shows of the chain: ``crumbs``; in the brief the link ``down`` to the
    phenomenon view below the selected area and ``row_links`` (area code → the phenomenon view
    parameters below that area), so the table's area names lead down, not back up."""
    params = table.params
    out: dict[str, Any] = {
        "crumbs": breadcrumbs(svc, table.view, params, lang),
        "down": None,
        "row_links": {},
    }
    if table.view == "phenomenon-in-brief":
        phen, year = params["phenomenon"], params.get("year")
        if table.area is not None:
            out["down"] = down_link(svc, phen, table.area, year, lang)
        out["row_links"] = {
            r.code: {"phenomenon": phen, **down_params(svc.regions, r), "year": year}
            for r in svc.regions.at_level(params["level"])
        }
    return out
