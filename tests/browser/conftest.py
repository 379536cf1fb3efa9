"""Browser-test fixtures: the app on a real WSGI server (waitress) and a real headless Chromium.

* ``live_server_factory(settings, port=0)`` → base URL (``http://127.0.0.1:<port>``) of ``create_app
  (settings)`` served by waitress in a background thread on a free loopback port; one server per
  settings object, all stopped at the end of the session.
* ``live_server`` → base URL of the app on the shared full build (``built_settings``).
* ``browser`` → a Playwright Chromium (Debian ``/usr/bin/chromium``, never downloaded).
* ``page`` → a fresh page (own context, Finnish locale) per test, closed afterwards.

Chromium is started with the project's recorded flags (see /work/shared/design/RECIPES.md).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from kgservice.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class LiveServer:
    """An app on waitress in a daemon thread."""

    def __init__(self, app: Flask, port: int = 0) -> None:
        from waitress.server import create_server

        self.app = app
        self.server = create_server(self.app, host="127.0.0.1", port=port, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.closing = False
        self.thread = threading.Thread(target=self._run, daemon=True, name="live-server")
        self.thread.start()

    def _run(self) -> None:
        try:
            self.server.run()
        except OSError:  # the loop's select() on sockets closed by close()
            if not self.closing:
                raise

    def close(self) -> None:
        self.closing = True
        self.server.close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server_factory(app_factory) -> Iterator[Callable[..., str]]:
    servers: dict[int, LiveServer] = {}

    def start(settings: Settings, port: int = 0) -> str:
        key = id(settings)
        if key not in servers:
            servers[key] = LiveServer(app_factory(settings, testing=False), port)
        return servers[key].url

    yield start
    for server in servers.values():
        server.close()


@pytest.fixture(scope="session")
def live_server(live_server_factory, built_settings) -> str:
    """Base URL of the app serving the full build of the bundled sources."""
    return live_server_factory(built_settings)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        raise RuntimeError(
            "Debian chromium is missing: run `bash scripts/ensure-system-packages.sh` as root"
        )
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture()
def page(browser):
    context = browser.new_context(locale="fi-FI", accept_downloads=True)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()
