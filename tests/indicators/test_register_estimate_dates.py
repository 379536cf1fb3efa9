"""The register estimates name their source document's publisher and date (issue 14), per
estimate version, against the raw CSV's ``published`` column: in the graph (``dct:issued`` on the
version), the JSON, the page's register table and the Excel register and metadata sheets.

A version the source leaves undated ("not dated in the stored page; before 29.5.2024") has no
date anywhere, only the date it is known to precede and a note saying so in the file's language.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from indicator_raw import RAW
from openpyxl import load_workbook

from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir
from kgservice.texts import translate

RAW_CSV = RAW / "indicators" / "thl_sosiaalihuollon_seurantarekisteri_asiakasmaara_arviot_2024.csv"
VERSION = {
    "first estimate by": "ensimmainen-arvio",
    "refined estimate": "tarkennettu-arvio",
    "first estimate of the total": "kokonaismaaran-arvio",
}
NATIONAL = "/api/views/situation-picture?area=SSS"


def raw_dates() -> dict[str, tuple[str | None, str | None]]:
    """Estimate version → (publication date, date it precedes) from the raw ``published``."""
    out: dict[str, tuple[str | None, str | None]] = {}
    with RAW_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            (version,) = [v for k, v in VERSION.items() if row["estimate_version"].startswith(k)]
            text = row["published"]
            if m := re.match(r"(\d{4}-\d{2}-\d{2})", text):
                dates: tuple[str | None, str | None] = (m.group(1), None)
            else:
                d, mo, y = re.search(r"before (\d{1,2})\.(\d{1,2})\.(\d{4})", text).groups()
                dates = (None, date(int(y), int(mo), int(d)).isoformat())
            assert out.setdefault(version, dates) == dates  # one date per version
    return out


@pytest.fixture(scope="module")
def store(built_settings):
    s = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield s
    s.close()


def test_every_estimate_version_in_the_graph_has_the_raw_date_or_only_the_date_it_precedes(store):
    rows = store.query(
        """PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX rake: <https://rake-kg.example/ontology/>
        SELECT ?version ?issued ?before ?publisher WHERE {
          ?version a rake:EstimateVersion .
          OPTIONAL { ?version dcterms:issued ?issued }
          OPTIONAL { ?version rake:issuedBefore ?before }
          OPTIONAL { ?version dcterms:publisher ?publisher }
        }"""
    )
    got = {
        r["version"].value.rsplit("/", 1)[-1]: tuple(
            None if r.get(k) is None else r[k].value for k in ("issued", "before")
        )
        for r in rows
    }
    assert got == raw_dates()
    assert {r["publisher"].value for r in rows} == {"THL"}
    assert all(
        r["issued"].datatype.value == "http://www.w3.org/2001/XMLSchema#date"
        for r in rows
        if r.get("issued") is not None
    )


def test_the_json_names_publisher_and_date_of_each_figures_version(client):
    rows = client.get(NATIONAL).get_json()["register_estimates"]
    expected = raw_dates()
    assert {r["version"] for r in rows} == {"ensimmainen-arvio", "tarkennettu-arvio"}
    for r in rows:
        assert (r["source_date"], r["source_date_before"]) == expected[r["version"]]
        assert r["source_publisher"] == "THL"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_an_undated_version_has_no_date_but_a_note_in_the_language(client, lang):
    rows = client.get(f"{NATIONAL}&lang={lang}").get_json()["register_estimates"]
    undated = [r for r in rows if r["source_date"] is None]
    assert undated != []
    for r in undated:
        before = date.fromisoformat(r["source_date_before"])
        words = translate("register.undated_before", lang).split("{date}")[0]
        assert r["source_date_note"].startswith(words)
        assert str(before.day) in r["source_date_note"]
        assert str(before.year) in r["source_date_note"]
    assert all(r["source_date_note"] is None for r in rows if r["source_date"] is not None)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_register_table_on_the_page_shows_publisher_and_date_columns(client, lang):
    page = client.get(f"/views/phenomenon-in-brief?phenomenon=paihteet-ja-riippuvuudet"
                      f"&level=country&lang={lang}")  # fmt: skip
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert translate("register.col.date", lang) in html
    assert translate("register.col.publisher", lang) in html
    dated = {d for d, _ in raw_dates().values() if d}
    for iso in dated:
        assert f'data-date="{iso}"' in html
    assert translate("register.undated_before", lang).split("{date}")[0] in html


def test_the_excel_register_sheet_has_publisher_and_date_columns(client):
    data = client.get(f"{NATIONAL}&format=xlsx&lang=en").data
    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(wb[translate("register.sheet", "en")].iter_rows(values_only=True))
    head = rows[0]
    pub = head.index(translate("register.col.publisher", "en"))
    when = head.index(translate("register.col.date", "en"))
    by_label = {
        translate(f"register.version.{v}", "en"): v for v in raw_dates()
    }  # the version column is in words
    expected = raw_dates()
    assert len(rows) > 1
    for row in rows[1:]:
        issued, before = expected[by_label[row[1]]]
        assert row[pub] == "THL"
        if issued:
            assert row[when] == issued
        else:
            assert row[when].startswith(translate("register.undated_before", "en").split("{")[0])
            assert str(date.fromisoformat(before).year) in row[when]


def test_the_excel_metadata_sheet_lists_each_register_version_as_a_dated_document(client):
    data = client.get(f"{NATIONAL}&format=xlsx&lang=fi").data
    wb = load_workbook(io.BytesIO(data), read_only=True)
    lines = list(wb[translate("sheet.metadata", "fi")].iter_rows(values_only=True))
    source = translate("register.source", "fi")
    docs = [
        line for line in lines if line and isinstance(line[0], str) and line[0].startswith(source)
    ]
    expected = raw_dates()
    shown = ("ensimmainen-arvio", "tarkennettu-arvio")  # the substance-work figures' versions
    assert len(docs) == len(shown)
    for v in shown:
        title = f"{source} ({translate(f'register.version.{v}', 'fi')})"
        (line,) = [d for d in docs if d[0] == title]
        issued, _ = expected[v]
        assert line[1] == "THL" and line[3].startswith("https://thl.fi/")
        if issued:
            assert line[2] == issued
        else:
            assert line[2].startswith(translate("register.undated_before", "fi").split("{")[0])
