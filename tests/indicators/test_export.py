"""The Excel, CSV and JSON files of a view: what a county analyst opens."""

from __future__ import annotations

import io
import json

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
    assert wb.sheetnames == ["data", "trend", "metadata"]
    ws = wb["data"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [translate(f"column.{c}", "fi") for c in COLUMNS]


def test_swedish_export_has_swedish_column_headers(fixture_client):
    wb = workbook(fixture_client, "/api/views/situation-picture?area=20&lang=sv&format=xlsx")
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
    ws = wb["data"]
    col = {c: i for i, c in enumerate(COLUMNS)}
    rows = list(ws.iter_rows(min_row=2))
    assert rows
    seen_suppressed = seen_rate = seen_count = False
    for row in rows:
        value, status, unit = (row[col[k]] for k in ("value", "status", "unit"))
        if status.value == "suppressed":
            assert value.value is None
            seen_suppressed = True
        elif status.value == "ok":
            assert isinstance(value.value, int | float)
            if unit.value == "%":
                assert value.number_format == "0.0"
                seen_rate = True
            else:
                assert value.number_format == "#,##0"
                seen_count = True
    assert seen_suppressed and seen_rate and seen_count


def test_xlsx_metadata_names_indicators_sources_licence_query_hash_and_rule(
    fixture_client, fixture_svc
):
    wb = workbook(fixture_client, "/api/views/situation-picture?area=20&year=2024&format=xlsx")
    meta = {r[0]: r[1] for r in wb["metadata"].iter_rows(values_only=True) if r and r[0]}
    table = build_view(fixture_svc, "situation-picture", area="20", year=2024)
    assert meta["data sha256"] == data_hash(table)
    assert "1–4" in meta["suppression rule"]
    assert meta["region classification year"]  # from data/sources.json
    assert "Tilastokeskus" in meta["citation"]
    cells = [c for r in wb["metadata"].iter_rows(values_only=True) for c in r if c]
    assert "queries/indicators/ratio-of-sums.rq" in cells
    assert "https://creativecommons.org/licenses/by/4.0/" in cells
    assert any(isinstance(c, str) and c.startswith("2026-11-2") for c in cells)  # retrieved


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
    row = [c.value for c in wb["data"][2]]
    note = wb["data"].cell(row=2, column=COLUMNS.index("note") + 1)
    assert note.data_type == "s"  # a string cell, not a formula ("f")
    assert row[COLUMNS.index("note")] == table.rows[0]["note"]
    assert row[COLUMNS.index("area_name")] == table.rows[0]["area_name"]
    assert wb["data"].cell(row=2, column=COLUMNS.index("area_name") + 1).hyperlink is None


def test_xlsx_leaves_missing_figures_empty_and_writes_every_row(fixture_svc):
    table = build_view(fixture_svc, "situation-picture", area="SSS")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(table, fixture_svc)))
    rows = list(wb["data"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(table.rows)
    for got, want in zip(rows, table.rows, strict=True):
        assert got[COLUMNS.index("indicator")] == want["indicator"]
        if want["value"] is None:
            assert got[COLUMNS.index("value")] is None
        else:
            assert got[COLUMNS.index("value")] == pytest.approx(want["value"])


def test_xlsx_metadata_explains_the_coded_columns_in_the_table_language(fixture_client):
    wb = workbook(fixture_client, "/api/views/phenomenon-view?phenomenon=mielenterveys&format=xlsx")
    rows = [r[:3] for r in wb["metadata"].iter_rows(values_only=True)]
    assert ("status", "suppressed", "salattu") in rows
    assert ("origin", "computed", "laskettu") in rows
    assert ("level", "municipality", "kunta") in rows
    used = {c.value for c in wb["data"]["J"][1:]}  # the status column
    assert used <= {code for col, code, _ in rows if col == "status"}
