"""The README's two screenshots: the situation picture of one county and the phenomenon view of
its municipalities, taken in headless Chromium (Debian ``chromium``, as the browser tests use it)
from the app served by waitress on 127.0.0.1.

    .venv/bin/kgservice build                     # a built store in var/ (or --build here)
    .venv/bin/python scripts/screenshots.py [--var DIR] [--build] [--area 20]

Writes ``docs/img/situation-picture.png`` and ``docs/img/phenomenon-view.png``: the top 900 px
of each page at 1280 px wide (the files stay small).
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kgservice.config import Settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTH, HEIGHT = 1280, 900
ECON = "taloudellinen-tilanne-ja-toimeentulo"


def shots(area: str) -> dict[str, tuple[str, str | None]]:
    """File name → the page it shows (path and query) and the element the picture starts at
    (``None``: the top of the page). The situation picture starts at its economic section:
    homelessness, the first section, has no data in the bundled snapshot."""
    return {
        "situation-picture.png": (
            f"/views/situation-picture?area={area}&lang=fi",
            f"section[data-phenomenon='{ECON}']",
        ),
        "phenomenon-view.png": (
            f"/views/phenomenon-view?phenomenon={ECON}&area={area}&lang=fi",
            None,
        ),
    }


def serve(settings: Settings):
    """The app on waitress on a free loopback port, in a daemon thread: (server, base URL)."""
    from waitress.server import create_server

    from kgservice.web import create_app

    server = create_server(create_app(settings), host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True, name="screenshots").start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def take(base: str, out: Path, area: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, locale="fi-FI")
        for name, (path, start) in shots(area).items():
            response = page.goto(base + path, wait_until="load")
            if response is None or response.status != 200:
                raise SystemExit(f"{path}: HTTP {response.status if response else '?'}")
            top = 0.0
            if start is not None:
                box = page.locator(start).bounding_box()  # in the viewport, at scroll 0
                top = max(box["y"] - 16, 0) if box else 0.0
            clip = {"x": 0, "y": top, "width": WIDTH, "height": HEIGHT}
            page.screenshot(path=str(out / name), full_page=True, clip=clip)
            written.append(out / name)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--var", type=Path, default=ROOT / "var", help="var/ with a built store")
    ap.add_argument("--build", action="store_true", help="build the store there first")
    ap.add_argument("--area", default="20", help="county code (default 20, Kainuu)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = ap.parse_args(argv)
    settings = Settings(var_dir=args.var, store_path=args.var / "store")
    if args.build:
        from kgservice.pipeline.build import build

        build(settings)
    server, base = serve(settings)
    try:
        for path in take(base, args.out, args.area):
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} kB")
    finally:
        server.close()


if __name__ == "__main__":
    main()
