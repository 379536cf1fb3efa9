"""A killed build leaves nothing that counts: its directory is unfinished, removed by the next
build, never counted as a kept build — and a build that is still running is never touched.

Builds are killed for real (SIGKILL to another process) while they write their store.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgservice.config import Settings
from kgservice.errors import ConfigError
from kgservice.pipeline import swap
from kgservice.pipeline.build import build, load_ontology
from kgservice.pipeline.steps import Step
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

# What is built does not matter here: the ontology alone keeps the finished builds fast.
ONTOLOGY = [Step("ontology", load_ontology)]
KGSERVICE = Path(sys.executable).parent / "kgservice"

#: A real build (the real code path, a real store on disk) that stops after its first step and
#: waits to be killed.
BLOCKED_BUILDER = textwrap.dedent(
    """
    import sys, time
    from kgservice.config import Settings
    from kgservice.pipeline.build import build, load_ontology
    from kgservice.pipeline.steps import Step

    def wait(settings, store, report):
        store.flush()
        print("writing", flush=True)
        time.sleep(600)

    build(Settings.from_env(), steps=[Step("ontology", load_ontology), Step("wait", wait)])
    """
)


def _env(settings: Settings) -> dict[str, str]:
    return {**os.environ, "KG_VAR_DIR": str(settings.var_dir), "KG_STORE": str(settings.store_path)}


def _wait_for_line(proc: subprocess.Popen, stream, wanted: str, timeout: float = 180.0) -> None:
    """Read ``stream`` until a line containing ``wanted`` (generous: the machine may be loaded)."""
    sel = selectors.DefaultSelector()
    sel.register(stream, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        if not sel.select(timeout=1.0):
            if proc.poll() is not None:
                break
            continue
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if wanted in line:
            return
    raise AssertionError(f"never saw {wanted!r}; the process said: {''.join(seen)[-2000:]}")


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture()
def builders() -> Iterator[list[subprocess.Popen]]:
    procs: list[subprocess.Popen] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _start(
    builders, settings: Settings, cmd: list[str], wanted: str, timeout: float = 180.0
) -> subprocess.Popen:
    """Start ``cmd`` (a build) in another process; return it once its output shows ``wanted``."""
    proc = subprocess.Popen(
        cmd, env=_env(settings), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    builders.append(proc)
    _wait_for_line(proc, proc.stdout, wanted, timeout)
    return proc


@pytest.fixture()
def start_blocked_build(builders):
    """Start a build in another process; return it once it is writing its store."""

    def start(settings: Settings) -> subprocess.Popen:
        before = set(swap.stores_dir(settings).glob("build-*"))
        proc = _start(builders, settings, [sys.executable, "-c", BLOCKED_BUILDER], "writing")
        proc.build_dir = _new_dirs(settings, before)  # type: ignore[attr-defined]
        return proc

    return start


def _new_dirs(settings: Settings, before: set[Path]) -> Path:
    new = [p for p in swap.stores_dir(settings).glob("build-*") if p.is_dir() and p not in before]
    assert len(new) == 1, new
    return new[0]


def _triples(path: Path) -> int:
    store = EmbeddedStore(path, read_only=True)
    try:
        return store.stats()["total"]
    finally:
        store.close()


def test_a_build_killed_by_sigkill_is_removed_by_the_next_build_and_never_served(
    settings_factory, builders
):
    settings = settings_factory()
    served = build(settings, steps=ONTOLOGY).store_dir
    triples = _triples(served)

    # The full build: killed in the middle of writing its build directory. A build is staged in
    # memory and written to its directory at the end, so it is killed once it has written the
    # dump file (step ``dump``) and is checking the Data Cube ICs, before its store is written.
    cmd = [str(KGSERVICE), "build"]
    proc = _start(builders, settings, cmd, "→ datacube-integrity", timeout=540.0)
    assert served_dir(settings) == served.resolve()
    _kill(proc)

    partial = _new_dirs(settings, {served})
    assert any(partial.iterdir()), "the killed build had written part of its store"
    assert swap.lock_file(partial).exists()
    assert not swap.is_finished(partial)
    assert swap.finished_builds(settings) == [served]
    assert served_dir(settings) == served.resolve()
    assert _triples(served) == triples

    after = build(settings, steps=ONTOLOGY).store_dir
    assert not partial.exists()
    assert not swap.lock_file(partial).exists()
    assert swap.finished_builds(settings) == [served, after]
    assert served_dir(settings) == after.resolve()
    assert _triples(served) == triples


def test_a_build_still_running_is_never_removed_by_a_concurrent_build(
    settings_factory, start_blocked_build
):
    settings = settings_factory()
    running = start_blocked_build(settings)

    first = build(settings, steps=ONTOLOGY).store_dir
    second = build(settings, steps=ONTOLOGY).store_dir
    assert running.poll() is None
    assert running.build_dir.is_dir() and swap.lock_file(running.build_dir).exists()
    assert swap.finished_builds(settings) == [first, second]

    _kill(running)
    third = build(settings, steps=ONTOLOGY).store_dir
    assert not running.build_dir.exists()
    assert swap.finished_builds(settings) == [first, second, third]


@pytest.mark.parametrize("keep", [1, 3])
def test_killed_builds_never_count_towards_the_builds_kept(
    settings_factory, start_blocked_build, keep
):
    settings = settings_factory(keep_builds=keep)
    finished = [build(settings, steps=ONTOLOGY).store_dir for _ in range(3)]
    kept_before = finished[-keep:]
    assert swap.finished_builds(settings) == kept_before

    # Two builds, newer than every finished one (the old rule kept these instead), both running
    # (a new build removes killed ones at its start), then both killed.
    procs = [start_blocked_build(settings) for _ in range(2)]
    for proc in procs:
        _kill(proc)
    killed = [proc.build_dir for proc in procs]
    assert all(p.is_dir() for p in killed)
    assert swap.finished_builds(settings) == kept_before

    newest = build(settings, steps=ONTOLOGY).store_dir
    assert not any(p.exists() for p in killed)
    assert swap.finished_builds(settings) == [*finished, newest][-keep:]
    assert sorted(p.name for p in swap.stores_dir(settings).iterdir()) == sorted(
        p.name for p in [*finished, newest][-keep:]
    )
    assert served_dir(settings) == newest.resolve()


def test_a_failed_build_leaves_no_lock_behind(settings_factory):
    settings = settings_factory()

    def explode(settings, store, report):
        raise RuntimeError("on purpose")

    with pytest.raises(Exception, match="on purpose"):
        build(settings, steps=[*ONTOLOGY, Step("explode", explode)])
    assert list(swap.stores_dir(settings).iterdir()) == []


def test_keep_builds_is_read_from_kg_keep_builds_and_must_be_at_least_one():
    assert Settings().keep_builds == 3
    assert Settings.from_env({"KG_KEEP_BUILDS": "5"}).keep_builds == 5
    for bad in ("0", "-2", "three"):
        with pytest.raises(ConfigError) as info:
            Settings.from_env({"KG_KEEP_BUILDS": bad})
        assert info.value.rule == "bad-setting"
        assert "KG_KEEP_BUILDS" in info.value.message and ">= 1" in info.value.message
