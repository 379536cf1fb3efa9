"""The bundled data/ is derived from the raw downloads by the project's own command."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT
from kgservice.sources.snapshot import sha256


def test_snapshot_command_reproduces_the_bundled_data_byte_for_byte(tmp_path, shared_dir):
    out = tmp_path / "data"
    result = CliRunner().invoke(
        main, ["snapshot", "--from", str(shared_dir / "data-raw"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "sources.json").read_text())
    bundled = json.loads((PROJECT_ROOT / "data" / "sources.json").read_text())
    assert manifest == bundled
    files = [f for s in manifest["sources"] for f in s["files"]]
    assert len(files) >= 15
    for f in files:
        assert sha256(out / f["path"]) == f["sha256"]
        assert sha256(PROJECT_ROOT / "data" / f["path"]) == f["sha256"], f["path"]


def test_every_bundled_source_credits_origin_licence_and_year():
    manifest = json.loads((PROJECT_ROOT / "data" / "sources.json").read_text())
    for source in manifest["sources"]:
        assert source["origin"] and source["attribution"] and source["year"], source["slug"]
        assert source["licence"] or source["licence_name"], source["slug"]
        if source["files"]:  # a source only `kgservice fetch` writes is retrieved at fetch time
            assert date.fromisoformat(source["retrieved"]) <= date.today(), source["slug"]


def test_the_open_data_snapshot_stays_compact():
    manifest = json.loads((PROJECT_ROOT / "data" / "sources.json").read_text())
    total = sum(f["bytes"] for s in manifest["sources"] for f in s["files"])
    assert total < 4_000_000
