"""Query workers yield the CPU to the web process: a heavy query cannot starve the pages."""

from __future__ import annotations

import os
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
