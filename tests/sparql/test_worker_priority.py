"""Query workers yield the CPU to the web process and never outlive it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from kgservice.web.sparqlworker import WORKER_NICENESS, QueryPool


def test_query_workers_run_at_lower_priority_than_the_web_process():
    pool = QueryPool(1, 30.0)
    try:
        worker = pool._acquire(time.monotonic() + 60)
        try:
            parent = os.getpriority(os.PRIO_PROCESS, 0)
            child = os.getpriority(os.PRIO_PROCESS, worker.process.pid)
            assert child == min(parent + WORKER_NICENESS, 19)
            assert child > parent
        finally:
            worker.kill()
    finally:
        pool.close()


ORPHAN_SCRIPT = """
import os, signal, sys, time
from pyoxigraph import Literal, NamedNode, Quad, Store
from kgservice.web.sparqlworker import Job, QueryPool

store_dir = sys.argv[1]
store = Store(store_dir)
g = NamedNode("urn:g")
store.extend(Quad(NamedNode(f"urn:s{i}"), NamedNode("urn:p"), Literal(i), g) for i in range(60))
store.flush()
del store
pool = QueryPool(1, 600.0)
worker = pool._acquire(time.monotonic() + 60)
patterns = " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(6))
heavy = "SELECT (COUNT(*) AS ?n) WHERE { " + patterns + " }"
worker.conn.send(Job(store_dir, heavy, "application/sparql-results+json", None, None, "urn:x/", 10))
print(worker.process.pid, flush=True)
time.sleep(0.5)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False


def test_a_worker_ends_when_the_web_process_is_killed_mid_query(tmp_path):
    """A killed server must not leave a worker behind burning a CPU on a query without end."""
    proc = subprocess.run(
        [sys.executable, "-c", ORPHAN_SCRIPT, str(tmp_path / "store")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    pid = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 20
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _alive(pid)
    if alive:
        os.kill(pid, signal.SIGKILL)  # do not leave it running whatever the test says
    assert not alive
