"""Query workers never outlive the web process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

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
worker = pool._acquire(time.monotonic() + 60, 0.0)
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
    proc = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_SCRIPT, str(tmp_path / "store")],
        stdout=subprocess.PIPE,
        text=True,
    )
    with proc.stdout:  # read the pid only: a worker left behind would keep the pipe open
        pid = int(proc.stdout.readline())
    assert proc.wait(timeout=120) == -signal.SIGKILL  # the "web process" is gone
    deadline = time.monotonic() + 20
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _alive(pid)
    if alive:
        os.kill(pid, signal.SIGKILL)  # do not leave it running whatever the test says
    assert not alive
