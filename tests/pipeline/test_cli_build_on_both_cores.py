"""``kgservice build`` as the README runs it uses the second core: the cube sources are mapped in
forked worker processes and the dump and Data Cube ICs run beside ``persist`` — and the store it
makes holds what a build in one process makes (the session's build, run inside pytest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kgservice.config import PROJECT_ROOT, Settings
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

KGSERVICE = Path(sys.executable).parent / "kgservice"


def _stats(settings_dir: Path) -> dict[str, int]:
    store = EmbeddedStore(settings_dir, read_only=True)
    try:
        return store.stats()
    finally:
        store.close()


def test_kgservice_build_maps_on_every_core_and_checks_beside_persist(
    tmp_path: Path, built_settings: Settings
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["KG_VAR_DIR"] = str(tmp_path / "var")
    done = subprocess.run(
        [str(KGSERVICE), "build"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout + done.stderr  # the step lines go to stderr, the summary to stdout
    processes = min(os.cpu_count() or 1, 2)
    if processes > 1:
        assert "→ persist, beside it: dump, datacube-integrity" in out
        assert "→ dump (beside persist)" in out
        assert "→ datacube-integrity (beside persist)" in out
        assert f"sources mapped and checked in {processes} forked worker processes" in out
    else:  # one core: every step in order, in this process
        assert "beside persist" not in out
        assert "sources mapped and checked in the build's own process" in out
    cli = Settings.from_env({"KG_VAR_DIR": env["KG_VAR_DIR"]}, cwd=PROJECT_ROOT)
    # the same graphs with the same number of triples as the build made in one process
    assert _stats(served_dir(cli)) == _stats(served_dir(built_settings))
