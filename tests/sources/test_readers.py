"""The format readers turn files into numbered rows and name file and line when a file is bad."""

from __future__ import annotations

import json

import pytest

from kgservice.errors import ParseError
from kgservice.sources.readers import (
    read_csv,
    read_json_records,
    read_jsonstat,
    read_pxweb_json,
    read_rows,
)


def test_semicolon_pxweb_csv_with_bom_reads_header_and_physical_lines(tmp_path):
    path = tmp_path / "t.csv"
    text = '\ufeff"Alue";"Tiedot";"2016"\n"KOKO MAA";"Väkiluku";5503297\n"Akaa";"Väkiluku";..\n'
    path.write_bytes(text.encode())
    rows = list(read_csv(path, delimiter=";", encoding="utf-8-sig"))
    assert [r.line for r in rows] == [2, 3]
    assert rows[0].values == {"Alue": "KOKO MAA", "Tiedot": "Väkiluku", "2016": "5503297"}
    assert rows[1].values["2016"] == ".."


def test_headerless_csv_takes_column_names_and_ignores_trailing_separator(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text('"Koulutustasomittain";"180";"Espoo";"049";"yhteensä";2015;468;\n')
    (row,) = read_csv(path, delimiter=";", header=False, names=list("abcdefgh"))
    assert row.values["d"] == "049" and row.values["g"] == "468" and row.values["h"] is None


def test_a_row_with_too_many_cells_names_file_and_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n1,2,3\n")
    with pytest.raises(ParseError) as info:
        list(read_csv(path))
    assert info.value.file == str(path) and info.value.line == 3
    assert info.value.rule == "csv-cell-count"


def test_pxweb_json_rows_join_key_columns_and_value_columns(tmp_path):
    doc = {
        "columns": [
            {"code": "Alue", "text": "Alue", "type": "d"},
            {"code": "timeperiod_y", "text": "Vuosi", "type": "t"},
            {"code": "rpt_aste", "text": "Pienituloisuusaste", "type": "c"},
            {"code": "pt1_henkiloita", "text": "Henkilöt", "type": "c"},
        ],
        "data": [{"key": ["KU091", "2024"], "values": ["14.1", "..."]}],
    }
    path = tmp_path / "px.json"
    path.write_text(json.dumps(doc))
    (row,) = read_pxweb_json(path)
    assert row.line == 1
    assert row.values == {
        "Alue": "KU091",
        "timeperiod_y": "2024",
        "rpt_aste": "14.1",
        "pt1_henkiloita": "...",
    }


def test_pxweb_json_entry_with_a_missing_value_is_an_error_naming_the_entry(tmp_path):
    doc = {
        "columns": [{"code": "A", "type": "d"}, {"code": "v", "type": "c"}],
        "data": [{"key": ["SSS"], "values": ["1"]}, {"key": ["KU020"], "values": []}],
    }
    path = tmp_path / "px.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ParseError) as info:
        list(read_pxweb_json(path))
    assert info.value.line == 2 and info.value.rule == "pxweb-json"


def test_jsonstat_cells_follow_the_category_index_order(tmp_path):
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["alue", "tiedot"],
        "size": [2, 1],
        "dimension": {
            "alue": {"category": {"index": ["KU020", "KU005"]}},
            "tiedot": {"category": {"index": ["vaesto"]}},
        },
        "value": [16387, None],
    }
    path = tmp_path / "js.json"
    path.write_text(json.dumps(doc))
    rows = list(read_jsonstat(path))
    assert [(r.values["alue"], r.values["value"]) for r in rows] == [
        ("KU020", "16387"),
        ("KU005", None),
    ]


def test_truncated_json_names_the_line_of_the_syntax_error(tmp_path):
    path = tmp_path / "cut.json"
    path.write_text('{"columns": [\n{"code": "A"\n')
    with pytest.raises(ParseError) as info:
        list(read_rows(path, "pxweb-json"))
    assert info.value.rule == "json-syntax" and info.value.line is not None


def test_a_missing_file_is_reported_with_its_path(tmp_path):
    with pytest.raises(ParseError) as info:
        read_rows(tmp_path / "nope.csv", "csv")
    assert info.value.rule == "source-file" and "nope.csv" in info.value.file


def test_json_records_flatten_nested_objects_and_leave_lists_out(tmp_path):
    path = tmp_path / "regions.json"
    doc = [
        {
            "id": 974,
            "code": "13",
            "category": "HYVINVOINTIALUE",
            "memberOf": [1, 2],
            "title": {"fi": "Pohjois-Savon hyvinvointialue", "sv": "Norra Savolax välfärdsområde"},
        },
        {"id": 1, "code": "", "category": "MAA", "title": {"fi": "Suomi"}, "active": True},
    ]
    path.write_text(json.dumps(doc), encoding="utf-8")
    first, second = read_rows(path, "json-records")
    assert first.line == 1 and first.values == {
        "id": "974",
        "code": "13",
        "category": "HYVINVOINTIALUE",
        "title_fi": "Pohjois-Savon hyvinvointialue",
        "title_sv": "Norra Savolax välfärdsområde",
    }
    assert second.values["code"] is None and second.values["active"] == "true"


def test_json_records_that_are_not_a_list_of_objects_name_file_and_entry(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"id": 1}, 2]), encoding="utf-8")
    with pytest.raises(ParseError) as info:
        list(read_json_records(path))
    assert info.value.line == 2 and info.value.rule == "json-records"
