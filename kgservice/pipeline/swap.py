"""Store directories and the atomic swap.

``settings.store_path`` (``var/store``) is a symbolic link to one finished build directory under
``var/stores/``. A build writes a *new* directory; only when every step has passed is the link
replaced with ``os.replace`` (atomic on POSIX). A failed build deletes its directory and the link —
and so the store being served — is untouched. Finished build directories are never written again,
so any number of processes may open them read-only.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from kgservice.config import Settings
from kgservice.errors import ConfigError

KEEP_BUILDS = 3


def stores_dir(settings: Settings) -> Path:
    return settings.store_path.parent / "stores"


def new_store_dir(settings: Settings) -> Path:
    root = stores_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    path = root / f"build-{stamp}-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}"
    path.mkdir()
    return path


def current_store_dir(settings: Settings) -> Path | None:
    """The finished build the store link points to, or ``None`` before the first build."""
    link = settings.store_path
    if link.is_symlink():
        return link.resolve()
    if link.is_dir():
        return link  # a plain directory (e.g. made by hand); served as is
    return None


def swap_in(settings: Settings, new_dir: Path) -> None:
    """Point the store link at ``new_dir`` atomically, then prune old builds."""
    link = settings.store_path
    if link.exists() and not link.is_symlink():
        raise ConfigError(
            f"{link} is a directory, not a link made by `kgservice build`; move it away first",
            file=str(link),
            rule="store-layout",
        )
    tmp = link.with_name(link.name + f".swap-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(new_dir, link.parent), tmp)
    os.replace(tmp, link)
    prune(settings)


def prune(settings: Settings, keep: int = KEEP_BUILDS) -> None:
    current = current_store_dir(settings)
    builds = sorted(stores_dir(settings).glob("build-*"), key=lambda p: p.stat().st_mtime)
    for old in builds[:-keep]:
        if current is None or old.resolve() != current:
            shutil.rmtree(old, ignore_errors=True)


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
