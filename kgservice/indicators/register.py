"""THL's register estimates of social-welfare clients in the views (issue 14).

The estimates (``data/thl/…``, dataset ``thl-seurantarekisteri-arviot``) are national figures of
clients by service task, not registry indicators: no area below the whole country, one reference
period (October 2022 – September 2023), two versions of the estimate, and figures published as a
range with their bounds only. A view shows those of a phenomenon — the service task whose work is
about it (``rake:concernsPhenomenon``) — beside its indicators, at the whole-country level.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode

from kgservice.texts import translate

if TYPE_CHECKING:
    from kgservice.indicators.service import IndicatorService


def _kind(qualifier: str, ranged: bool) -> str:
    """``range`` (published as a range), ``about`` ("noin") or ``estimate``."""
    if ranged:
        return "range"
    return "about" if qualifier.startswith("noin") else "estimate"


def _number(term) -> float | None:
    return None if term is None else float(term.value)


#: English month names, fixed (``calendar.month_name`` follows the process's locale).
_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _date_in_words(iso: str, lang: str) -> str:
    """``2024-05-29`` as the language writes it: 29.5.2024 (fi, sv), 29 May 2024 (en)."""
    d = date.fromisoformat(iso)
    if lang == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.day}.{d.month}.{d.year}"


def _source_date(first: dict, lang: str) -> dict[str, str | None]:
    """The estimate version's publication date (ISO) and, for a version the source leaves
    undated, no date but a note naming the date it precedes, in ``lang`` (texts
    ``register.undated_before``)."""
    issued, before = first.get("issued"), first.get("issuedBefore")
    note = None
    if issued is None and before is not None:
        note = translate("register.undated_before", lang).format(
            date=_date_in_words(before.value, lang)
        )
    return {
        "source_date": None if issued is None else issued.value,
        "source_date_before": None if before is None else before.value,
        "source_date_note": note,
        # for the page: the date as the language writes it, or the note
        "source_date_text": note if issued is None else _date_in_words(issued.value, lang),
    }


def _row(rows: list, phenomenon: str, lang: str) -> dict[str, Any]:
    """One figure from its query rows (one per label language of its service task)."""
    first = rows[0]
    labels = {getattr(r.get("taskLabel"), "language", ""): r["taskLabel"].value for r in rows}
    task_label = labels.get(lang) or labels.get("fi") or first["task"].value.rsplit("/", 1)[-1]
    code = first["code"].value  # <task>-<population group>-<asiakkaat|osuus>
    measure = code.rsplit("-", 1)[-1]
    group = code.split("-", 1)[1].rsplit("-", 1)[0]
    version = first["version"].value.rsplit("/", 1)[-1]
    low, high = _number(first.get("low")), _number(first.get("high"))
    kind = _kind(first.get("qualifier").value if first.get("qualifier") else "", low is not None)
    return {
        "phenomenon": phenomenon.rsplit("/", 1)[-1],
        "area_code": "SSS",
        "variable": first["variable"].value,
        "service_task": first["task"].value,
        "label": f"{task_label}, {translate(f'register.group.{group}', lang)}: "
        f"{translate(f'register.measure.{measure}', lang)}",
        "measure": measure,
        "version": version,
        "version_label": translate(f"register.version.{version}", lang),
        "value": _number(first.get("value")),
        "lower_bound": low,
        "upper_bound": high,
        "unit": "%" if measure == "osuus" else translate("register.unit.persons", lang),
        "kind": kind,
        "kind_label": translate(f"register.kind.{kind}", lang),
        "period_start": first["start"].value,
        "period_end": first["end"].value,
        "population_coverage_pct": _number(first.get("coverage")),
        "source_url": first["source"].value,
        # in the page's language (the stored citation is Finnish); the address is the page's own
        "source": translate("register.source", lang),
        "source_publisher": first["publisher"].value if first.get("publisher") else None,
        **_source_date(first, lang),
    }


def register_estimates(
    svc: IndicatorService, phenomena: list[str], lang: str
) -> list[dict[str, Any]]:
    """The register estimates concerning ``phenomena`` (IRIs), one dict per published figure:
    first by phenomenon, then version and figure (memoised per build and language)."""
    out: list[dict[str, Any]] = []
    for phen in phenomena:
        key = ("register", phen, lang)
        if key not in svc.memo:
            rows = svc._select("register-estimates", phenomenon=NamedNode(phen))
            by_obs: dict[str, list] = {}
            for r in rows:
                by_obs.setdefault(r["obs"].value, []).append(r)
            svc.memo[key] = [_row(group, phen, lang) for group in by_obs.values()]
        out.extend(svc.memo[key])
    return out
