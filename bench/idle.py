"""Benchmark: a view's latency on a real ``kgservice serve`` while idle connections pile up.

Same run, same server: the situation picture (``/api/views/situation-picture?area=20&year=2024``)
is requested ``--repeat`` times on fresh connections with no other connection open (the baseline,
measured before and after), and while 500 connections (250 silent, 250 with half a request
header) and then 1100 silent ones are held open; the ratio is median / baseline median. Last, a
server with waitress's old limits (100 connections, 120 s idle) gets 101 silent connections and
the same request (it times out). Loopback only.

    .venv/bin/python bench/idle.py            # the current build (var/store); else builds one
    .venv/bin/python bench/idle.py --build    # a fresh build in a temporary directory
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the server tests' fixtures: the same server, sockets

import requests  # noqa: E402
from fixtures.idle_sockets import VIEW, idle_connections  # noqa: E402
from fixtures.kgservice_server import kgservice_serve  # noqa: E402

from kgservice.config import Settings  # noqa: E402
from kgservice.store.served import served_dir  # noqa: E402


@contextmanager
def idle(port: int, silent: int, half: int = 0) -> Iterator[None]:
    with idle_connections(port, silent, half):
        time.sleep(1.0)  # let the server accept them all
        yield


def timings(base: str, repeat: int, timeout: float = 30) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        requests.get(base + VIEW, timeout=timeout).raise_for_status()
        out.append(time.perf_counter() - start)
    return out


def row(name: str, times: list[float], baseline: float) -> str:
    med = statistics.median(times)
    return (
        f"{name:<34} median {med * 1000:7.1f} ms  max {max(times) * 1000:7.1f} ms  "
        f"{med / baseline:5.2f}× baseline"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build a fresh store first")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, 4096), hard), hard))
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory(prefix="bench-idle-") as tmp:
        if args.build or served_dir(settings) is None:
            from kgservice.pipeline.build import build

            settings = settings.with_(var_dir=Path(tmp), store_path=Path(tmp) / "store")
            print("building the store …", file=sys.stderr)
            build(settings)
        with kgservice_serve(settings) as server:
            base, port = server.base, server.port
            timings(base, 20)  # warm
            baseline = timings(base, args.repeat)
            with idle(port, silent=250, half=250):
                mixed = timings(base, args.repeat)
            with idle(port, silent=1100):
                many = timings(base, args.repeat)
            baseline += timings(base, args.repeat)  # before and after, against drift
            b = statistics.median(baseline)
            print(row("no idle connections (before+after)", baseline, b))
            print(row("250 silent + 250 half-header", mixed, b))
            print(row("1100 silent", many, b))
        old = {"KG_CONNECTION_LIMIT": "100", "KG_IDLE_TIMEOUT": "120"}
        with kgservice_serve(settings, env=old) as server:
            base, port = server.base, server.port
            with idle(port, silent=101):
                try:
                    t = timings(base, 1, timeout=10)[0]
                    print(f"{'old limits, 101 silent':<34} answered in {t * 1000:.1f} ms")
                except requests.Timeout:
                    print(f"{'old limits, 101 silent':<34} no answer within 10 s")


if __name__ == "__main__":
    main()
