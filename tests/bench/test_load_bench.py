"""Smoke test of the load benchmark: a short run against the session's build of the bundled data."""

from __future__ import annotations

import re
import subprocess
import sys

from kgservice.config import PROJECT_ROOT


def test_load_benchmark_runs_on_loopback_stops_by_itself_and_prints_every_kind(built_settings):
    proc = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "load.py"), "--quick"]
        + ["--duration", "3", "--baseline", "1", "--clients", "2"]
        + ["--keep", str(built_settings.var_dir)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert re.search(r"server: http://127\.0\.0\.1:\d+ ", out)
    assert "load: 2 clients + 1 heavy" in out
    for kind in ("page", "search", "views", "sparql", "mix"):
        row = re.findall(rf"^  {kind} +(\d+) .* (\d+)(?: +[\d.]+x +[\d.]+x)?$", out, re.M)
        assert len(row) == 2, f"no baseline and load row for {kind}:\n{out}"
        assert all(int(requests) > 0 and int(errors) == 0 for requests, errors in row), out
    assert "heavy client:" in out
    assert re.search(r"goal \(0 errors, mix p99 < 500 ms\): (met|NOT MET)", out)
