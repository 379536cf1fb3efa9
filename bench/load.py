"""Load benchmark: the real server under many concurrent clients, one of them abusive.

Everything runs on this machine, on loopback, bounded in time:

1. **Store**: a build of the bundled data (``kgservice build`` into a temporary directory, or
   into ``--keep DIR`` and reused from there on the next run).
2. **Server**: a real ``kgservice serve`` subprocess (waitress) on a free loopback port.
3. **URL mix**, drawn from the served data through ``/sparql`` before the load starts: concept
   pages of every vocabulary (``/page?uri=…`` in fi/sv/en), ``/search?q=`` with the first word
   or a prefix of real Finnish labels, ``/api/views/…`` (the three views for several areas,
   levels and phenomena) and cheap SPARQL (``ASK`` and ``SELECT … LIMIT 10`` via GET). Every URL
   is requested once first: each must answer 200 (that also warms the server up).
4. **Baseline**, measured in this run: the same mix from **one** client (``--baseline``
   seconds, default 10).
5. **Load**: ``--clients`` clients (default 32) for ``--duration`` seconds (default 60), each
   sending the mix back to back with no think time, plus **one heavy client** sending a SPARQL
   cross product that runs to the query timeout, over and over. The heavy client's answers (503
   ``query-timeout``/``query-busy``, 429 from per-client limits) are counted on their own, never
   as errors of the mix.

Each simulated client connects from its own loopback address (127.0.0.10, .11, …; the heavy one
from 127.0.0.2), so per-client limits on the server see distinct clients, as they would in
production. The load generator is locust (``HttpUser``), used as a library; every request's
latency is recorded and the percentiles are exact (nearest rank), per kind and for the whole
non-heavy mix, with the ratio to the one-client baseline and the load average of the machine.
Goal (issue 11): 0 errors and p99 < 500 ms for the non-heavy mix.

    .venv/bin/python bench/load.py                         # 32 clients, 60 s, fresh build
    .venv/bin/python bench/load.py --keep /tmp/loadbench   # build once, reuse afterwards
    .venv/bin/python bench/load.py --quick --keep /tmp/loadbench        # ~10 s smoke run
    .venv/bin/python bench/load.py --clients 16 --duration 30 --no-heavy

Exit status 1 when a request of the mix failed (an error is a bug, not a slow answer).
"""

from __future__ import annotations

# locust patches the standard library for gevent when imported: import it before anything
# that opens sockets (requests, ssl, subprocess).
from locust import HttpUser, constant, task  # isort: skip
from locust.env import Environment  # isort: skip
from locust.event import Events  # isort: skip

import argparse  # noqa: E402
import itertools  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the tests' free loopback port

from fixtures.processes import free_port  # noqa: E402

from kgservice.config import Settings  # noqa: E402
from kgservice.store.served import served_dir  # noqa: E402

KINDS = ("page", "search", "views", "sparql")
#: How often each kind is picked by a client of the mix.
WEIGHTS = {"page": 4, "search": 3, "views": 2, "sparql": 1}
LANGS = ("fi", "sv", "en")
PHENOMENA_SCHEME = "scheme/phenomenon"
HEAVY_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PREFIX = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
GOAL_P99_MS = 500.0


# -- store and server -----------------------------------------------------------------------
def store_settings(var_dir: Path) -> Settings:
    return Settings(var_dir=var_dir, store_path=var_dir / "store")


def server_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_VAR_DIR=str(var_dir), KG_STORE=str(var_dir / "store"), KG_HOST="127.0.0.1")
    return env


def ensure_build(var_dir: Path) -> None:
    if served_dir(store_settings(var_dir)) is not None:
        print(f"store: reusing the build in {var_dir}")
        return
    print(f"store: building the bundled data into {var_dir} …", flush=True)
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kgservice.cli", "build"],
        env=server_env(var_dir),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"store: built in {time.perf_counter() - t0:.1f} s")


def start_server(var_dir: Path, threads: int, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgservice.cli", "serve", "--host", "127.0.0.1"]
        + ["--port", str(port), "--threads", str(threads)],
        env=server_env(var_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with its query workers
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}): {log_path.read_text()}")
        try:
            if requests.get(url + "/", timeout=30).status_code == 200:
                return proc, url
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the server did not answer within 300 s: {log_path.read_text()}")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server and every process of its group (query workers, resource tracker)."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:  # the group is gone already
        pass


# -- the URL mix ----------------------------------------------------------------------------
def sparql_rows(url: str, query: str) -> list[dict[str, str]]:
    resp = requests.get(
        url + "/sparql",
        params={"query": PREFIX + query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    resp.raise_for_status()
    return [{k: v["value"] for k, v in b.items()} for b in resp.json()["results"]["bindings"]]


def url_mix(url: str, base_iri: str, rng: random.Random) -> dict[str, list[str]]:
    """Request paths of each kind, drawn from what the served store holds."""
    rows = sparql_rows(
        url,
        "SELECT ?scheme ?concept ?label WHERE { ?concept skos:inScheme ?scheme ; "
        'skos:prefLabel ?label FILTER(LANG(?label) = "fi") } ORDER BY ?scheme ?concept',
    )
    by_scheme: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in rows:
        by_scheme[r["scheme"]].append((r["concept"], r["label"]))
    concepts: list[tuple[str, str]] = []
    for members in by_scheme.values():
        concepts += rng.sample(members, min(12, len(members)))
    mix: dict[str, list[str]] = {}
    mix["page"] = ["/page?" + urlencode({"uri": c, "lang": rng.choice(LANGS)}) for c, _ in concepts]

    terms: list[str] = []
    for _, label in rng.sample(concepts, min(40, len(concepts))):
        first = label.split()[0].strip("(),").lower()
        terms.append(first if len(terms) % 2 else first[:5])
    mix["search"] = ["/search?" + urlencode({"q": t}) for t in dict.fromkeys(terms) if t]

    def tails(kind: str) -> list[str]:
        prefix = f"{base_iri}region/{kind}/"
        return sorted(
            {c[len(prefix) :] for members in by_scheme.values() for c, _ in members if
             c.startswith(prefix)}
        )  # fmt: skip

    counties, municipalities = tails("hyvinvointialue"), tails("kunta")
    phenomena = [
        c.rsplit("/", 1)[1]
        for scheme, members in by_scheme.items()
        if scheme == base_iri + PHENOMENA_SCHEME
        for c, _ in members
    ]
    if not counties or not municipalities or not phenomena:
        raise RuntimeError(
            "the store has no wellbeing services counties, municipalities or phenomena"
        )
    views = []
    for area in ["SSS", *rng.sample(counties, min(6, len(counties))),
                 *rng.sample(municipalities, min(6, len(municipalities)))]:  # fmt: skip
        views.append("/api/views/situation-picture?" + urlencode({"area": area}))
    for phen in phenomena:
        for level in ("country", "wellbeing-county"):
            views.append(
                "/api/views/phenomenon-in-brief?" + urlencode({"phenomenon": phen, "level": level})
            )
        views.append(
            "/api/views/phenomenon-view?"
            + urlencode({"phenomenon": phen, "area": rng.choice(counties)})
        )
    mix["views"] = views

    queries = []
    for c, _ in rng.sample(concepts, min(8, len(concepts))):
        queries.append(f"ASK {{ <{c}> skos:prefLabel ?label }}")
        queries.append(f"SELECT ?p ?o WHERE {{ <{c}> ?p ?o }} LIMIT 10")
    for scheme in rng.sample(sorted(by_scheme), min(4, len(by_scheme))):
        queries.append(
            f"SELECT ?c ?label WHERE {{ ?c skos:inScheme <{scheme}> ; skos:prefLabel ?label }} "
            "LIMIT 10"
        )
    mix["sparql"] = ["/sparql?" + urlencode({"query": PREFIX + q}) for q in queries]
    return mix


def check_mix(url: str, mix: dict[str, list[str]]) -> None:
    """Every path of the mix answers 200 once (and the server is warm afterwards)."""
    http = requests.Session()
    for kind, paths in mix.items():
        for path in paths:
            resp = http.get(url + path, timeout=60)
            if resp.status_code != 200:
                raise RuntimeError(f"{kind} {path} answered {resp.status_code}: {resp.text[:300]}")


# -- the load generator ---------------------------------------------------------------------
class SourceAddressAdapter(HTTPAdapter):
    """Connects from one given local address (a distinct loopback address per client)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(pool_connections=1, pool_maxsize=1)

    def init_poolmanager(self, connections, maxsize, block=False, **kwargs):  # type: ignore[override]
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(connections, maxsize, block, **kwargs)


_client_numbers = itertools.count()


class MixClient(HttpUser):
    """One client sending the mix back to back (no think time)."""

    wait_time = constant(0)
    mix: dict[str, list[str]] = {}

    def on_start(self) -> None:
        n = next(_client_numbers)
        address = f"127.0.{10 + n // 240}.{10 + n % 240}"
        self.client.mount("http://", SourceAddressAdapter(address))
        self.rng = random.Random(n)

    @task
    def request(self) -> None:
        kind = self.rng.choices(KINDS, weights=[WEIGHTS[k] for k in KINDS])[0]
        self.client.get(self.rng.choice(self.mix[kind]), name=kind, timeout=120)


class HeavyClient(HttpUser):
    """One client sending a query that runs to the timeout, again and again."""

    wait_time = constant(0)
    fixed_count = 1

    def on_start(self) -> None:
        self.client.mount("http://", SourceAddressAdapter("127.0.0.2"))

    @task
    def request(self) -> None:
        with self.client.get(
            "/sparql?" + urlencode({"query": HEAVY_QUERY}),
            name="heavy",
            timeout=120,
            catch_response=True,
        ) as resp:
            resp.success()  # its status is recorded by the Recorder, never as a failure


@dataclass
class Sample:
    ms: float
    status: int
    failed: bool
    #: The problem+json ``rule`` of an error answer (which limit or check said no).
    rule: str = ""


@dataclass
class Recorder:
    samples: dict[str, list[Sample]] = field(default_factory=lambda: defaultdict(list))
    open: bool = True
    #: CPU seconds the load generator itself used (it shares the machine with the server).
    client_cpu: float = 0.0

    def on_request(self, name, response_time, response=None, exception=None, **_kw) -> None:
        if not self.open:
            return
        status = getattr(response, "status_code", 0) or 0
        rule = ""
        if status >= 400 and "problem+json" in response.headers.get("Content-Type", ""):
            try:
                rule = str(response.json().get("rule") or "")
            except ValueError:
                rule = "unreadable problem document"
        self.samples[name].append(Sample(response_time, status, exception is not None, rule))


def run_phase(
    url: str, clients: int, seconds: float, heavy: bool
) -> tuple[Recorder, float, tuple[float, float]]:
    """Run the mix from ``clients`` clients (+ the heavy one) for ``seconds``; bounded."""
    recorder = Recorder()
    events = Events()
    events.request.add_listener(recorder.on_request)
    classes: list[type[HttpUser]] = [MixClient] + ([HeavyClient] if heavy else [])
    env = Environment(user_classes=classes, host=url, events=events)
    runner = env.create_local_runner()
    load_before = os.getloadavg()[0]
    users = clients + (1 if heavy else 0)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    runner.start(users, spawn_rate=users)
    gevent.sleep(seconds)
    recorder.open = False  # requests cut off by the stop are not counted
    elapsed = time.perf_counter() - t0
    recorder.client_cpu = time.process_time() - cpu0
    runner.quit()
    runner.greenlet.join(timeout=30)
    return recorder, elapsed, (load_before, os.getloadavg()[0])


# -- the report -----------------------------------------------------------------------------
def percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return math.nan
    return sorted_ms[max(0, math.ceil(p / 100 * len(sorted_ms)) - 1)]


@dataclass
class Stats:
    count: int
    rate: float
    p50: float
    p95: float
    p99: float
    max: float
    errors: int

    @classmethod
    def of(cls, samples: list[Sample], seconds: float) -> Stats:
        ms = sorted(s.ms for s in samples)
        return cls(
            len(ms),
            len(ms) / seconds,
            percentile(ms, 50),
            percentile(ms, 95),
            percentile(ms, 99),
            ms[-1] if ms else math.nan,
            sum(1 for s in samples if s.failed or s.status >= 400 or s.status == 0),
        )


def table(
    recorder: Recorder, seconds: float, baseline: dict[str, Stats] | None
) -> dict[str, Stats]:
    rows: dict[str, Stats] = {}
    for kind in KINDS:
        rows[kind] = Stats.of(recorder.samples.get(kind, []), seconds)
    rows["mix"] = Stats.of([s for k in KINDS for s in recorder.samples.get(k, [])], seconds)
    head = f"  {'kind':8} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
    head += f"{'p99 ms':>8} {'max ms':>8} {'errors':>6}"
    if baseline:
        head += f" {'p50/base':>9} {'p99/base':>9}"
    print(head)
    for kind, st in rows.items():
        line = f"  {kind:8} {st.count:8d} {st.rate:7.1f} {st.p50:8.1f} {st.p95:8.1f} "
        line += f"{st.p99:8.1f} {st.max:8.1f} {st.errors:6d}"
        if baseline:
            base = baseline[kind]
            line += f" {st.p50 / base.p50:8.1f}x {st.p99 / base.p50:8.1f}x"
        print(line)
    failed = Counter(
        (kind, f"{s.status or 'no answer'}{' ' + s.rule if s.rule else ''}")
        for kind in KINDS
        for s in recorder.samples.get(kind, [])
        if s.failed or s.status >= 400 or s.status == 0
    )
    if failed:
        print(
            "  errors: "
            + ", ".join(f"{k} {code}: {n}" for (k, code), n in sorted(failed.items(), key=str))
        )
    return rows


def report_heavy(recorder: Recorder) -> None:
    samples = recorder.samples.get("heavy", [])
    statuses = Counter(s.status for s in samples)
    spelled = ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(statuses.items()))
    longest = max((s.ms for s in samples), default=math.nan)
    print(f"  heavy client: {len(samples)} answers ({spelled or 'none'}); longest {longest:.0f} ms")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=32, help="concurrent clients of the mix")
    ap.add_argument("--duration", type=float, default=None, help="seconds of load (default 60)")
    ap.add_argument("--baseline", type=float, default=None, help="seconds of 1-client baseline")
    ap.add_argument("--quick", action="store_true", help="10 s of load, 3 s of baseline")
    ap.add_argument("--no-heavy", action="store_true", help="leave the heavy client out")
    ap.add_argument("--threads", type=int, default=8, help="waitress threads of the server")
    ap.add_argument("--keep", type=Path, help="build into (or reuse the build in) this directory")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    duration = args.duration or (10.0 if args.quick else 60.0)
    base_seconds = args.baseline or (min(3.0, duration) if args.quick else 10.0)

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        var_dir = (args.keep or Path(tmp) / "var").resolve()
        ensure_build(var_dir)
        proc, url = start_server(var_dir, args.threads, Path(tmp) / "server.log")
        try:
            mix = url_mix(url, store_settings(var_dir).base_iri, random.Random(args.seed))
            print(
                f"server: {url} (waitress, {args.threads} threads); URL mix: "
                + ", ".join(f"{len(v)} {k}" for k, v in mix.items())
            )
            check_mix(url, mix)
            MixClient.mix = mix

            rec, secs, load = run_phase(url, 1, base_seconds, heavy=False)
            print(
                f"\nbaseline: 1 client, {secs:.1f} s, no heavy client "
                f"(load average {load[0]:.1f} → {load[1]:.1f})"
            )
            baseline = table(rec, secs, None)

            rec, secs, load = run_phase(url, args.clients, duration, heavy=not args.no_heavy)
            heavy = "" if args.no_heavy else " + 1 heavy"
            print(
                f"\nload: {args.clients} clients{heavy}, {secs:.1f} s "
                f"(load average {load[0]:.1f} → {load[1]:.1f}; {os.cpu_count()} CPUs)"
            )
            rows = table(rec, secs, baseline)
            print(
                f"  load generator: {rec.client_cpu:.1f} s CPU "
                f"({rec.client_cpu / secs * 100:.0f} % of one core)"
            )
            if not args.no_heavy:
                report_heavy(rec)
        finally:
            stop_server(proc)

    mix_row = rows["mix"]
    print(
        f"\nthroughput {mix_row.rate / baseline['mix'].rate:.1f}x the 1-client baseline; "
        f"goal (0 errors, mix p99 < {GOAL_P99_MS:.0f} ms): "
        + ("met" if mix_row.errors == 0 and mix_row.p99 < GOAL_P99_MS else "NOT MET")
    )
    return 1 if mix_row.errors or baseline["mix"].errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
