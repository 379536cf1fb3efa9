"""One rank denominator per level everywhere (issue 13): the build ranks among the *compared
areas* of a level — inside the whole hierarchy, newest classification: the 22 counties without
Åland (91), the 5 cooperation areas, the mainland's municipalities — so Statistics Finland's
figures (which include Åland) no longer say "/23" beside THL's "/22".

Every view's JSON, CSV and table is read from the real build; the expected numbers of areas come
from the published 2025 regional key, Åland left out."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from html import unescape

import pytest

from kgservice.texts import translate

PHENOMENA = (
    "asunnottomuus",
    "mielenterveys",
    "paihteet-ja-riippuvuudet",
    "taloudellinen-tilanne-ja-toimeentulo",
)
ECON = "taloudellinen-tilanne-ja-toimeentulo"
ALAND = "91"

#: (view, level, extra parameters): every view at every level it shows.
PAGES = [
    *(("phenomenon-in-brief", lv, "") for lv in ("wellbeing-county", "cooperation-area")),
    ("phenomenon-view", "wellbeing-county", ""),
    ("phenomenon-view", "cooperation-area", ""),
    ("phenomenon-view", "municipality", "&area=all"),
]


@pytest.fixture(scope="module")
def compared(raw_regions) -> dict[str, set[str]]:
    """The codes of the compared areas of each level, from the regional key as published
    (Åland and its municipalities left out)."""
    mainland = raw_regions[raw_regions["hyvinvointialue_code"] != ALAND]
    return {
        "municipality": set(mainland["kuntanumero"]),
        "wellbeing-county": set(mainland["hyvinvointialue_code"]),
        "cooperation-area": set(mainland["yhteistyoalue_code"]),
    }


def rows_of(client, url: str) -> list[dict]:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()["rows"]


def shown(row: dict) -> bool:
    return row["value"] is not None and row["status"] in ("ok", "provisional")


@pytest.mark.slow
@pytest.mark.parametrize("phenomenon", PHENOMENA)
@pytest.mark.parametrize(("view", "level", "extra"), PAGES)
def test_every_row_of_a_table_has_one_rank_of_per_level_period_and_indicator(
    client, compared, phenomenon, view, level, extra
):
    rows = rows_of(
        client, f"/api/views/{view}?phenomenon={phenomenon}&level={level}{extra}&format=json"
    )
    groups: dict[tuple, set] = defaultdict(set)
    with_figure: dict[tuple, int] = defaultdict(int)
    for row in rows:
        key = (row["level"], row["period"], row["indicator"])
        if row["rank"] is not None:
            groups[key].add(row["rank_of"])
        if shown(row) and row["area_code"] in compared[level]:
            with_figure[key] += 1
        elif row["rank"] is not None:
            assert row["area_code"] in compared[level], row  # only compared areas are ranked
    for key, denominators in groups.items():
        assert len(denominators) == 1, (key, denominators)
        (of,) = denominators
        assert of <= len(compared[level]), (key, of)
        # the compared areas with a figure in that period (a "latest" page shows only those
        # whose newest figure is from it)
        assert with_figure[key] <= of, key
    if level == "wellbeing-county":
        assert 23 not in {of for ds in groups.values() for of in ds}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_alands_published_low_income_rate_has_no_rank_and_its_note_says_why(client, lang):
    rows = rows_of(
        client,
        f"/api/views/phenomenon-in-brief?phenomenon={ECON}&level=wellbeing-county"
        f"&lang={lang}&format=json",
    )
    aland = next(
        r for r in rows if r["area_code"] == ALAND and r["indicator"] == "pienituloisuusaste"
    )
    assert shown(aland)  # Statistics Finland publishes Åland's rate…
    assert (aland["rank"], aland["rank_low"], aland["rank_of"]) == (None, None, None)  # …unranked
    assert aland["note"] == translate("note.not_ranked", lang)
    others = [r for r in rows if r["indicator"] == "pienituloisuusaste" and shown(r)]
    assert all(r["rank"] for r in others if r["area_code"] != ALAND)


@pytest.mark.slow
def test_the_county_csv_ranks_of_22_not_23(client, compared):
    r = client.get(
        f"/api/views/phenomenon-in-brief?phenomenon={ECON}&level=wellbeing-county"
        "&lang=en&format=csv"
    )
    assert r.status_code == 200
    table = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    label = translate("column.rank_of", "en")
    denominators = {int(row[label]) for row in table if row[label]}
    assert denominators and max(denominators) == len(compared["wellbeing-county"])


@pytest.mark.slow
def test_the_html_table_shows_the_same_rank_as_the_json(client):
    url = f"phenomenon-in-brief?phenomenon={ECON}&level=wellbeing-county&lang=en"
    rows = rows_of(client, f"/api/views/{url}&format=json")
    html = client.get(f"/views/{url}").get_data(as_text=True)
    cells = {unescape(c) for c in re.findall(r'<td class="num">(\d+/\d+)</td>', html)}
    assert cells
    assert cells <= {f"{r['rank']}/{r['rank_of']}" for r in rows if r["rank"]}
    assert not any(c.endswith("/23") for c in cells)
