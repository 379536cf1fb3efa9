"""THL's register estimates in the views: the substance-work figures in the substances phenomenon's
situation picture (whole country) and phenomenon in brief, in JSON, HTML and Excel, in fi/sv/en.

The expected figures are the raw CSV's rows of the service task whose work is about the phenomenon
("Päihde- ja riippuvuustyön erityiset palvelut"): its client counts (one a range) and its shares.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from indicator_raw import RAW
from openpyxl import load_workbook

from kgservice.texts import translate

RAW_CSV = RAW / "indicators" / "thl_sosiaalihuollon_seurantarekisteri_asiakasmaara_arviot_2024.csv"
TASK = "Päihde- ja riippuvuustyön erityiset palvelut"
PHEN = "paihteet-ja-riippuvuudet"
VERSION = {"first estimate by": "ensimmainen-arvio", "refined estimate": "tarkennettu-arvio"}


def raw_figures() -> dict[tuple[str, str], tuple[float | None, float | None, float | None]]:
    """(version, measure) → (value, lower, upper) of the substance-work rows of the raw CSV."""
    out = {}
    with RAW_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["palvelutehtava_fi"] != TASK:
                continue
            (version,) = [v for k, v in VERSION.items() if row["estimate_version"].startswith(k)]

            def num(text: str) -> float | None:
                return float(text) if text else None

            out[(version, "asiakkaat")] = (
                num(row["clients_estimate"]),
                num(row["clients_low"]),
                num(row["clients_high"]),
            )
            out[(version, "osuus")] = (num(row["share_pct"]), None, None)
    return out


def shown(
    rows: list[dict],
) -> dict[tuple[str, str], tuple[float | None, float | None, float | None]]:
    return {
        (r["version"], r["measure"]): (r["value"], r["lower_bound"], r["upper_bound"]) for r in rows
    }


def test_the_national_situation_picture_shows_the_substance_work_estimates_of_the_raw_file(client):
    body = client.get("/api/views/situation-picture?area=SSS").get_json()
    rows = body["register_estimates"]
    assert {r["phenomenon"] for r in rows} == {PHEN}
    assert shown(rows) == raw_figures()
    assert all(
        r["area_code"] == "SSS" and r["source_url"].startswith("https://thl.fi/") for r in rows
    )
    assert {(r["period_start"], r["period_end"]) for r in rows} == {("2022-10", "2023-09")}


def test_a_range_keeps_its_bounds_and_no_single_value(client):
    rows = client.get("/api/views/situation-picture?area=SSS").get_json()["register_estimates"]
    ranged = [r for r in rows if r["lower_bound"] is not None]
    expected = [k for k, (v, low, _) in raw_figures().items() if low is not None]
    assert [(r["version"], r["measure"]) for r in ranged] == expected != []
    assert all(r["value"] is None and r["kind"] == "range" for r in ranged)


def test_a_county_situation_picture_shows_no_national_estimate_as_its_own(client):
    body = client.get("/api/views/situation-picture?area=13").get_json()
    assert body["register_estimates"] == []


def test_the_brief_of_another_phenomenon_has_no_register_estimates(client):
    body = client.get("/api/views/phenomenon-in-brief?phenomenon=asunnottomuus").get_json()
    assert body["register_estimates"] == []


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_brief_page_shows_the_range_and_the_source_in_its_language(client, lang):
    page = client.get(f"/views/phenomenon-in-brief?phenomenon={PHEN}&level=country&lang={lang}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-register="paihteet-ja-riippuvuudet"' in html
    assert translate("register.heading", lang) in html
    assert translate("register.kind.range", lang) in html
    (low, high) = [(lo, hi) for (_, lo, hi) in raw_figures().values() if lo is not None][0]
    space = "\u00a0" if lang in ("fi", "sv") else ","
    assert f"{int(low):,}".replace(",", space) + "–" + f"{int(high):,}".replace(",", space) in html
    assert 'href="https://thl.fi/' in html


def test_the_excel_file_of_the_national_situation_picture_has_the_estimates_sheet(client):
    data = client.get("/api/views/situation-picture?area=SSS&format=xlsx&lang=sv").data
    wb = load_workbook(io.BytesIO(data), read_only=True)
    ws = wb[translate("register.sheet", "sv")]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == tuple(
        translate(f"register.col.{c}", "sv")
        for c in ("figure", "version", "value", "lower", "upper")
    )

    def as_float(v):
        return None if v is None else float(v)

    got = Counter(tuple(as_float(v) for v in r[2:5]) for r in rows[1:])
    assert got == Counter(raw_figures().values())
