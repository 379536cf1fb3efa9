"""Smoke test of the client-documents rehearsal (``bench/documents.py``) at a small size:
every document generated is either lifted or quarantined, exactly the broken ones are
quarantined, no identity code of the input reaches the lifted output, and the build's aggregate
step loads every lifted batch."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

from kgservice.config import PROJECT_ROOT

HETU = re.compile(r"[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-FHJ-NPR-Y]")


def test_documents_rehearsal_lifts_quarantines_and_aggregates_every_document(tmp_path):
    out = tmp_path / "documents.json"
    proc = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "documents.py"), "--documents", "400"]
        + ["--pool", "20", "--keep", str(tmp_path / "work"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    lifted, gen = result["lift"], result["generate"]
    assert lifted["lifted"] + lifted["quarantined"] == 400
    assert lifted["quarantined"] == gen["broken"] > 0
    regions = PROJECT_ROOT / "data" / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2024.csv"
    with regions.open(encoding="utf-8") as fh:
        counties = {row["hyvinvointialue_code"] for row in csv.DictReader(fh)}
    assert result["batches"] == result["counties"] == len(counties)
    var = tmp_path / "work" / "var"
    codes = {c for p in (var / "incoming").glob("*.jsonl") for c in HETU.findall(p.read_text())}
    assert codes
    lifted_text = "".join(p.read_text(encoding="utf-8") for p in (var / "client").glob("*.nq"))
    assert not HETU.search(lifted_text)
    assert result["identity_codes_in_clear"]["files_with_a_sample_code"] == []
    aggregate = result["aggregate"]
    assert aggregate["client_quads_loaded"] == lifted["quads"]
    assert f"{len(counties)} private client batches; published" in aggregate["notes"][0]
