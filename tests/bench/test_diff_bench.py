"""Smoke test of the diff benchmark: a small vocabulary, every scripted change found."""

from __future__ import annotations

import re
import subprocess
import sys

from kgservice.config import PROJECT_ROOT


def test_diff_benchmark_finds_every_scripted_change_and_prints_the_ratios():
    proc = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "diff.py"), "--concepts", "600"]
        + ["--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr  # exit 1 when a change is missed
    out = proc.stdout
    scripted = int(re.search(r"(\d+) scripted changes", out).group(1))
    found = re.search(r"the diff reports (\d+) concepts", out).group(1)
    assert scripted == int(found) == 30  # 5 % of 600 concepts, counted from the 10th
    for fmt in ("markdown", "json", "xlsx", "rdf"):
        assert re.search(rf"diff A B \+ {fmt} +[\d.]+ s +[\d.]+x", out), out
    assert re.search(r"goal \(diff with any output under 2 s\): (met|NOT MET)", out)
