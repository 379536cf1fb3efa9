"""Fixtures of the fetch tests: a local stand-in for the Sotkanet, PxWeb and Statistics Finland
classification APIs that serves ``recorded/`` at the real paths.

Runs ``http.server`` in a thread on a free loopback port. ``fail_next(path, 503, 503)`` makes the
next requests to ``path`` answer those statuses first (to test retries), ``respond_next`` answers
a given document once, ``delay_next(path, seconds)`` answers late (to test timeouts);
``requests`` logs what the clients sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

RECORDED = Path(__file__).parent / "recorded"
SOTKANET = "/rest/1.1"
PXWEB = "/PxWeb/api/v1/fi/StatFin"
CLASSIFICATIONS = "/api/classifications/v2"
TABLE_FILES = {
    "tjt/statfin_tjt_pxt_14ww.px": "14ww",
    "tyonv/statfin_tyonv_pxt_12r5.px": "12r5",
    "vaerak/statfin_vaerak_pxt_11s5.px": "11s5",
}
TABLE_FORMATS = {"14ww": "json", "12r5": "json", "11s5": "json-stat2"}


@dataclass
class Logged:
    method: str
    path: str
    query: dict[str, list[str]]
    body: object
    headers: dict[str, str]


class ApiServer:
    def __init__(self) -> None:
        self.requests: list[Logged] = []
        #: path → scripted answers: (status, document) or (None, seconds to wait first)
        self._scripted: dict[str, deque[tuple[int | None, object]]] = defaultdict(deque)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep pytest output clean
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ApiServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail_next(self, path: str, *statuses: int) -> None:
        self._scripted[path].extend((s, {"error": f"scripted {s}"}) for s in statuses)

    def respond_next(self, path: str, status: int, doc: object) -> None:
        self._scripted[path].append((status, doc))

    def delay_next(self, path: str, seconds: float, times: int = 1) -> None:
        self._scripted[path].extend((None, seconds) for _ in range(times))

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    # -- routing -------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        body = None
        if method == "POST":
            raw = h.rfile.read(int(h.headers.get("Content-Length", 0)))
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw
        self.requests.append(
            Logged(method, parts.path, parse_qs(parts.query), body, dict(h.headers.items()))
        )
        if self._scripted[parts.path]:
            status, doc = self._scripted[parts.path].popleft()
            if status is not None:
                return self._send(h, status, doc)
            time.sleep(float(doc))  # type: ignore[arg-type]
        status, doc = self._route(method, parts.path, parse_qs(parts.query), body)
        try:
            self._send(h, status, doc)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (timeout tests)

    def _route(self, method, path, query, body):
        if path.startswith(SOTKANET + "/") and method == "GET":
            return self._sotkanet(path[len(SOTKANET) :], query)
        if path.startswith(CLASSIFICATIONS + "/") and method == "GET":
            return self._classifications(path[len(CLASSIFICATIONS) :], query)
        if path.startswith(PXWEB + "/"):
            table = TABLE_FILES.get(path[len(PXWEB) + 1 :])
            if table is None:
                return 404, {"error": "no such table"}
            if method == "GET":
                return 200, RECORDED / "statfin" / f"{table}-metadata.json"
            ok = (
                isinstance(body, dict)
                and isinstance(body.get("query"), list)
                and body.get("response", {}).get("format") == TABLE_FORMATS[table]
            )
            if not ok:
                return 400, {"error": "bad query"}
            return 200, RECORDED / "statfin" / f"{table}.json"
        return 404, {"error": "not found"}

    def _sotkanet(self, rest: str, query):
        if rest == "/indicators":
            return 200, RECORDED / "sotkanet" / "indicators.json"
        if rest.startswith("/indicators/"):
            f = RECORDED / "sotkanet" / "indicators" / f"{rest.rsplit('/', 1)[1]}.json"
            return (200, f) if f.is_file() else (404, {"error": "unknown indicator"})
        if rest == "/regions":
            return 200, RECORDED / "sotkanet" / "regions.json"
        if rest == "/json":
            ind = query.get("indicator", [""])[0]
            years = {int(y) for y in query.get("years", [])}
            if not years:
                return 400, {"error": "years required"}
            genders = set(query.get("genders", ["total", "male", "female"]))
            f = RECORDED / "sotkanet" / "json" / f"{ind}.json"
            rows = _load(f) if f.is_file() else []
            return 200, [r for r in rows if r["year"] in years and r["gender"] in genders]
        return 404, {"error": "not found"}

    @staticmethod
    def _classifications(rest: str, query):
        """``/classifications/<id>/classificationItems`` (one file per language) and
        ``/correspondenceTables/<a>%23<b>/maps``; both need ``content=data``."""
        folder = RECORDED / "classifications"
        if query.get("content") != ["data"] or query.get("format") != ["json"]:
            return 400, {"error": "content=data and format=json expected"}
        parts = rest.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "classifications" and parts[2] == "classificationItems":
            lang = query.get("lang", [""])[0]
            f = folder / "classifications" / parts[1] / f"classificationItems.{lang}.json"
            return (200, f) if f.is_file() else (404, {"error": "unknown classification"})
        if len(parts) == 3 and parts[0] == "correspondenceTables" and parts[2] == "maps":
            f = folder / "correspondenceTables" / (parts[1].replace("%23", "#") + ".json")
            return (200, f) if f.is_file() else (404, {"error": "unknown correspondence table"})
        return 404, {"error": "not found"}

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, doc: object) -> None:
        if isinstance(doc, Path):  # a recorded response: its bytes as they are
            data = doc.read_bytes()
        else:
            data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)


def _load(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture()
def api():
    server = ApiServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def module_api():
    """One server for a whole module (tests that share one expensive fetch and build)."""
    server = ApiServer().start()
    yield server
    server.stop()
