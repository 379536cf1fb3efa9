"""Work done in the background while the server starts, so that the first visitor does not wait.

A failure is logged, not raised: with no store built yet the first request simply does the
work itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


def in_background(app, name: str, work: Callable[[], object]) -> threading.Thread:
    """Run ``work()`` inside ``app``'s context in a daemon thread called ``name``."""

    def run() -> None:
        with app.app_context():
            try:
                work()
            except Exception:  # noqa: BLE001 - e.g. no store built yet: the first request retries
                log.warning("%s did not finish at start-up", name, exc_info=True)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
