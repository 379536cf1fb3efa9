"""Store directories and the atomic swap.

``settings.store_path`` (``var/store``) is a symbolic link to one finished build directory under
``var/stores/``. A build writes a *new* directory; only when every step has passed is the link
replaced with ``os.replace`` (atomic on POSIX). A failed build deletes its directory and the link —
and so the store being served — is untouched. Finished build directories are never written again,
so any number of processes may open them read-only.

**Unfinished builds.** Before a build creates ``stores/build-<id>/`` it creates the lock file
``stores/build-<id>.lock`` (holding the builder's pid) and takes an exclusive ``fcntl.flock`` on
it for as long as it writes. The lock file is removed only once the store is complete and closed,
so a directory with a lock file beside it is unfinished: either its builder is still running (the
lock is held) or it was killed (nobody holds the lock — the kernel drops a dead process's locks).
Every build starts by deleting the killed builds' directories, never one whose lock is held, so
two concurrent builds cannot delete each other's work. Unfinished directories never count
towards the ``settings.keep_builds`` finished builds kept after a swap.

This module writes; reading the link and naming the served build's version is
:mod:`kgservice.store.served`.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import time
from pathlib import Path

from kgservice.config import Settings
from kgservice.errors import ConfigError
from kgservice.store.served import served_dir

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"
TMP_SUFFIX = ".tmp"

#: Lock files this process holds for the builds it is writing: build directory → open descriptor.
_held: dict[Path, int] = {}


def stores_dir(settings: Settings) -> Path:
    return settings.store_path.parent / "stores"


def lock_file(build_dir: Path) -> Path:
    """The lock file beside a build directory; while it exists, the build is unfinished."""
    return build_dir.with_name(build_dir.name + LOCK_SUFFIX)


def new_store_dir(settings: Settings, name: str | None = None) -> Path:
    """A fresh, locked build directory, after removing the directories of killed builds.

    ``name`` keeps the build id of a build made elsewhere (a replica loading a published build,
    :mod:`kgservice.pipeline.replica`); by default a new id is made."""
    root = stores_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    remove_killed_builds(settings)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    name = name or f"build-{stamp}-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}"
    path = root / name
    # The lock first, then the directory: a directory never exists without its lock file. The
    # lock file is locked before it gets its name, so nobody can see it unlocked.
    lock = lock_file(path)
    tmp = lock.with_name(lock.name + TMP_SUFFIX)
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, f"{os.getpid()}\n".encode())
    os.rename(tmp, lock)
    _held[path] = fd
    path.mkdir()
    return path


def close_locks_in_child() -> None:
    """In a process forked from a builder (:mod:`kgservice.pipeline.overlap`): close the
    inherited descriptors of the build locks without unlocking them. An ``flock`` lives as long
    as any descriptor of it is open, so the lock then ends with the builder itself, as before:
    a killed builder's directory is removed by the next build even if the child still runs."""
    for fd in _held.values():
        os.close(fd)
    _held.clear()


def is_finished(build_dir: Path) -> bool:
    return build_dir.is_dir() and not lock_file(build_dir).exists()


def finished_builds(settings: Settings) -> list[Path]:
    """The finished build directories, oldest first."""
    builds = [p for p in stores_dir(settings).glob("build-*") if is_finished(p)]
    return sorted(builds, key=lambda p: (p.stat().st_mtime, p.name))


def _lock_if_abandoned(lock: Path) -> int | None:
    """An open, exclusively locked descriptor of ``lock`` if no live process holds it."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return None  # finished (or cleaned up) meanwhile
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None  # its builder is still writing
    try:
        # The builder may have finished (unlinked the file) between our open and our lock.
        same = os.path.samestat(os.fstat(fd), os.stat(lock))
    except FileNotFoundError:
        same = False
    if not same:
        os.close(fd)
        return None
    return fd


def remove_killed_builds(settings: Settings) -> list[Path]:
    """Delete unfinished build directories whose builder is gone; return what was removed."""
    removed = []
    for lock in sorted(stores_dir(settings).glob("build-*" + LOCK_SUFFIX)):
        build_dir = lock.with_name(lock.name[: -len(LOCK_SUFFIX)])
        if build_dir in _held:
            continue
        fd = _lock_if_abandoned(lock)
        if fd is None:
            continue
        try:
            if build_dir.exists():
                log.warning("removing the unfinished build %s (its builder was stopped)", build_dir)
                shutil.rmtree(build_dir, ignore_errors=True)
                removed.append(build_dir)
            lock.unlink(missing_ok=True)
        finally:
            os.close(fd)
    for tmp in stores_dir(settings).glob("build-*" + LOCK_SUFFIX + TMP_SUFFIX):
        fd = _lock_if_abandoned(tmp)  # a builder killed before it named its lock file
        if fd is not None:
            tmp.unlink(missing_ok=True)
            os.close(fd)
    return removed


def _release(build_dir: Path) -> None:
    """Mark ``build_dir`` as no longer being written: remove its lock file, then unlock."""
    fd = _held.pop(build_dir, None)
    if fd is None:
        return
    try:
        lock_file(build_dir).unlink(missing_ok=True)
    finally:
        os.close(fd)


def swap_in(settings: Settings, new_dir: Path) -> None:
    """Mark ``new_dir`` finished, point the store link at it atomically, then prune old builds."""
    link = settings.store_path
    if link.exists() and not link.is_symlink():
        raise ConfigError(
            f"{link} is a directory, not a link made by `kgservice build`; move it away first",
            file=str(link),
            rule="store-layout",
        )
    _release(new_dir)
    tmp = link.with_name(link.name + f".swap-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(new_dir, link.parent), tmp)
    os.replace(tmp, link)
    prune(settings)


def prune(settings: Settings, keep: int | None = None) -> None:
    """Keep the newest ``keep`` finished builds (and always the served one); unfinished ones are
    neither counted nor touched."""
    keep = settings.keep_builds if keep is None else keep
    current = served_dir(settings)
    builds = finished_builds(settings)
    for old in builds[: max(len(builds) - keep, 0)]:
        if current is None or old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    _release(path)
