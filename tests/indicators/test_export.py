"""The Excel, CSV and JSON files of a view: what a county analyst opens."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import openpyxl
import pytest
from click.testing import CliRunner

from kgservice.cli import main
from kgservice.indicators.export import data_hash, to_xlsx
from kgservice.indicators.views import COLUMNS, build_view
from kgservice.texts import STRINGS, translate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(client, url):
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == XLSX
    return openpyxl.load_workbook(io.BytesIO(r.data))


def test_xlsx_has_data_trend_and_metadata_sheets_with_frozen_header(fixture_client):
    wb = workbook(
        fixture_client,
        "/api/views/phenomenon-in-brief?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
        "&level=wellbeing-county&format=xlsx",
    )
    assert wb.sheetnames == ["tiedot", "kehitys", "metatiedot"]
    ws = wb["tiedot"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [translate(f"column.{c}", "fi") for c in COLUMNS]


def test_swedish_export_has_swedish_column_headers(fixture_client):
    wb = workbook(fixture_client, "/api/views/situation-picture?area=20&lang=sv&format=xlsx")
    assert wb.sheetnames == ["data", "utveckling", "metadata"]  # the area's and the country's trend
    header = [c.value for c in wb["data"][1]]
    assert header == [translate(f"column.{c}", "sv") for c in COLUMNS]
    assert "Värde" in header and "Hela Finland" in header
    assert all(f"column.{c}" in STRINGS for c in COLUMNS)


def test_xlsx_values_are_numbers_with_formats_and_empty_when_suppressed(fixture_client):
    wb = workbook(
        fixture_client,
        "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&area=20"
        "&year=2024&format=xlsx",
    )
    ws = wb["tiedot"]
    col = {c: i for i, c in enumerate(COLUMNS)}
    rows = list(ws.iter_rows(min_row=2))
    assert rows
    seen_suppressed = seen_rate = seen_count = False
    for row in rows:
        value, status, unit = (row[col[k]] for k in ("value", "status", "unit"))
        if status.value == translate("status.suppressed", "fi"):
            assert value.value is None
            seen_suppressed = True
        elif status.value == translate("status.ok", "fi"):
            assert isinstance(value.value, int | float)
            if unit.value == "%":
                assert value.number_format == "0.0"
                seen_rate = True
            else:
                assert value.number_format == "#,##0"
                seen_count = True
    assert seen_suppressed and seen_rate and seen_count


def test_xlsx_metadata_names_indicators_sources_licence_hash_and_rule_in_words(
    fixture_client, fixture_svc
):
    wb = workbook(fixture_client, "/api/views/situation-picture?area=20&year=2024&format=xlsx")
    sheet = wb["metatiedot"]
    meta = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    table = build_view(fixture_svc, "situation-picture", area="20", year=2024)
    assert meta["Rivien tarkistussumma (SHA-256)"] == data_hash(table)
    assert "1–4" in meta["Salaussääntö"]
    manifest = json.loads((fixture_svc.settings.data_dir / "sources.json").read_text("utf-8"))
    regions = next(x for x in manifest["sources"] if x["slug"] == "regions")
    assert str(meta["Alueluokituksen vuosi"]) == str(regions["year"])
    assert meta["Alue"] == "Kainuun hyvinvointialue (20)" and meta["Vuosi"] == 2024
    assert isinstance(meta["Luotu"], datetime)
    cells = [c for r in sheet.iter_rows(values_only=True) for c in r if c]
    assert any(isinstance(c, str) and "Tilastokeskus" in c for c in cells)  # the citation
    assert translate("rule.AggregateByRatioOfSums", "fi") in cells  # the rule in words
    assert "https://creativecommons.org/licenses/by/4.0/" in cells
    assert any(isinstance(c, datetime) and c.date().isoformat() >= "2026-11-2" for c in cells)
    developer = ("ratio-of-sums", "AggregateBy", "queries/", "https://rake-kg.example/")
    assert not [c for c in cells if isinstance(c, str) and any(d in c for d in developer)]
    assert not [c for c in cells if isinstance(c, bool)]  # no TRUE/FALSE: words


def kainuu_situation(client, svc, lang: str):
    """Kainuu's situation picture in ``lang``: the downloaded workbook and the table."""
    wb = workbook(client, f"/api/views/situation-picture?area=20&lang={lang}&format=xlsx")
    return wb, build_view(svc, "situation-picture", area="20", lang=lang)


def test_xlsx_codes_are_words_of_the_table_language_and_periods_are_years_or_months(
    fixture_client, fixture_svc
):
    for lang in ("fi", "sv", "en"):
        wb, table = kainuu_situation(fixture_client, fixture_svc, lang)
        rows = list(wb.worksheets[0].iter_rows(min_row=2, values_only=True))
        assert len(rows) == len(table.rows)
        for got, want in zip(rows, table.rows, strict=True):
            cell = dict(zip(COLUMNS, got, strict=True))
            for column in ("status", "origin", "level"):
                assert cell[column] == translate(f"{column}.{want[column]}", lang)
            assert cell["is_index"] == translate("yes" if want["is_index"] else "no", lang)
            period = want["period"]
            if period and len(period) == 4:
                assert cell["period"] == int(period)
            elif period:  # a month: a date cell on its first day
                assert isinstance(cell["period"], datetime)
                assert cell["period"].strftime("%Y-%m") == period
        months = [
            c for c in wb.worksheets[0]["G"][1:] if isinstance(c.value, datetime)
        ]  # the period column
        assert months and all(c.number_format == "yyyy-mm" for c in months)


def test_xlsx_workbook_properties_name_the_table_the_service_and_the_language(
    fixture_client, fixture_svc
):
    for lang in ("fi", "sv", "en"):
        wb, table = kainuu_situation(fixture_client, fixture_svc, lang)
        props = wb.properties
        assert props.title == table.title
        assert props.creator == translate("site_name", lang)
        assert props.subject == translate("file.subject", lang)
        assert props.keywords == translate("file.keywords", lang)
        assert wb.custom_doc_props["Language"].value == lang


def test_csv_headers_and_codes_are_in_the_table_language(fixture_client, fixture_svc):
    r = fixture_client.get("/api/views/situation-picture?area=20&lang=sv&format=csv")
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[0] == [translate(f"column.{c}", "sv") for c in COLUMNS]
    table = build_view(fixture_svc, "situation-picture", area="20", lang="sv")
    for got, want in zip(rows[1:], table.rows, strict=True):
        cell = dict(zip(COLUMNS, got, strict=True))
        assert cell["status"] == translate(f"status.{want['status']}", "sv")
        assert cell["level"] == translate(f"level.{want['level']}", "sv")
        assert cell["indicator"] == want["indicator"]  # the code column keeps the code


def test_export_command_writes_the_same_table_as_the_api(fixture_built_settings, fixture_client):
    out = fixture_built_settings.var_dir / "kainuu.json"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "phenomenon-view",
            "--phenomenon",
            "taloudellinen-tilanne-ja-toimeentulo",
            "--area",
            "20",
            "--year",
            "2024",
            "-o",
            str(out),
        ],  # fmt: skip
        obj=fixture_built_settings,
        env={"KG_VAR_DIR": str(fixture_built_settings.var_dir)},
    )
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text("utf-8"))
    api = fixture_client.get(
        "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&area=20"
        "&year=2024"
    ).get_json()
    assert written["rows"] == api["rows"]
    assert written["data_sha256"] == api["data_sha256"]


def test_export_command_refuses_an_unknown_file_type(fixture_built_settings):
    result = CliRunner().invoke(
        main,
        ["export", "situation-picture", "-o", str(fixture_built_settings.var_dir / "x.pdf")],
        env={"KG_VAR_DIR": str(fixture_built_settings.var_dir)},
    )
    assert result.exit_code == 1 and "export-format" in result.output


def test_xlsx_keeps_text_that_looks_like_a_formula_or_link_as_text(fixture_svc):
    table = build_view(fixture_svc, "situation-picture", area="20", year=2024)
    table.rows[0]["note"] = '=HYPERLINK("http://evil.example","x")'
    table.rows[0]["area_name"] = "https://rake-kg.example/region/hyvinvointialue/20"
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(table, fixture_svc)))
    ws = wb.worksheets[0]
    row = [c.value for c in ws[2]]
    note = ws.cell(row=2, column=COLUMNS.index("note") + 1)
    assert note.data_type == "s"  # a string cell, not a formula ("f")
    assert row[COLUMNS.index("note")] == table.rows[0]["note"]
    assert row[COLUMNS.index("area_name")] == table.rows[0]["area_name"]
    assert ws.cell(row=2, column=COLUMNS.index("area_name") + 1).hyperlink is None


def test_xlsx_leaves_missing_figures_empty_and_writes_every_row(fixture_svc):
    table = build_view(fixture_svc, "situation-picture", area="SSS")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(table, fixture_svc)))
    rows = list(wb.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(table.rows)
    for got, want in zip(rows, table.rows, strict=True):
        assert got[COLUMNS.index("indicator")] == want["indicator"]
        if want["value"] is None:
            assert got[COLUMNS.index("value")] is None
        else:
            assert got[COLUMNS.index("value")] == pytest.approx(want["value"])
