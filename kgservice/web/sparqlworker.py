"""Free-form SPARQL in killable worker processes: the time limit that really stops the work.

pyoxigraph's ``Store.query`` can be neither interrupted nor timed out, so the SPARQL endpoint never
runs a user's query in the web process. A small pool of worker processes (``spawn``-started, so no
web-server threads or locks are inherited) each opens the *finished* build directory read-only —
finished builds are never written again, so any number of readers is safe — and answers one job at
a time over a pipe. The web thread waits at most ``timeout_s`` for the answer; past that it kills
the worker (SIGKILL: the work stops at once) and starts a replacement. A request waits at most
``wait_s`` (5 s) for a free worker, and at most ``size`` requests may wait at all — beyond that a
request gets a 503 at once — so a burst of expensive queries costs callers a 503 but never ties up
every server thread; everything else in the app (term pages, REST, views) does not use the pool.
Waiting requests are served by priority (the endpoint passes the client's recent query time, see
:mod:`kgservice.web.sparqlquota`), then in order of arrival.

Each job carries the dataset (default graph and named graphs) the query may see — the endpoint
computes it from public graphs only — and the row limit. Results are serialised with pyoxigraph;
a SELECT cut at the row limit is written as SPARQL JSON, parsed back and serialised by pyoxigraph
in the requested format, and flagged ``truncated``.
"""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from kgservice.errors import KgError, QueryError, QueryTimeout, StoreError
from kgservice.namespaces import XSD
from kgservice.web import sparqlsandbox
from kgservice.web.sparqlalgebra import check_parsed

log = logging.getLogger(__name__)
if log.level == logging.NOTSET:
    # The confinement line at start-up is INFO; waitress configures the root logger at WARNING.
    log.setLevel(logging.INFO)

#: Placeholder graph for "an empty default graph": pyoxigraph treats an empty list as "no
#: restriction", so an empty selection is expressed as a graph that cannot exist.
EMPTY_GRAPH = "urn:x-rake-kg:empty-graph"


@dataclass(frozen=True)
class Job:
    store_dir: str
    query: str
    #: Media type of a QueryResultsFormat (SELECT/ASK) or an RdfFormat (CONSTRUCT/DESCRIBE).
    media_type: str
    #: Graph IRIs forming the default graph; ``None`` means "every public graph".
    default_graphs: list[str] | None
    #: Graph IRIs usable in GRAPH; ``None`` means "every public graph".
    named_graphs: list[str] | None
    #: Prefix of private graph IRIs, never visible (``<base>graph/client/``).
    private_prefix: str
    row_limit: int
    #: Base IRI for relative IRIs in the query (the endpoint's URL, as the protocol suggests).
    base_iri: str | None = None
    #: Nesting limit layer 1 enforced (KG_QUERY_MAX_DEPTH); sizes layer 2's recursion limit.
    max_depth: int = 64
    #: The id of the build in ``store_dir`` (:mod:`kgservice.store.served`): a worker keeps one
    #: build open and reopens when a job names another.
    build_id: str = ""
    #: The build's release store (:mod:`kgservice.store.releases`), ``""`` when it has none; a
    #: query naming a graph under ``release_prefix`` runs there (:func:`execute_on_releases`).
    release_store_dir: str = ""
    #: ``<base>graph/release/``: the frozen graphs' IRIs start with it.
    release_prefix: str = ""
    #: ``<base>graph/ontology/``: the vocabulary graphs, the release store's default graph.
    vocabulary_prefix: str = ""


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str
    truncated: bool
    rows: int


# -- worker side ------------------------------------------------------------------------------
def _exit_with_parent() -> None:
    """End this worker as soon as the web process is gone.

    A web process killed without closing its pool (SIGTERM, SIGKILL, a crash) would otherwise
    leave its workers behind, each finishing a query that may never end. The query runs
    without the GIL, so a thread can watch the parent meanwhile.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="sparql-worker-parent-watch").start()


#: How often a worker checks that the web process still exists.
PARENT_CHECK_S = 0.5


def _worker_main(conn: Connection) -> None:  # pragma: no cover - runs in a child process
    confinement = sparqlsandbox.confine()  # layer 3: no network from here on
    from pyoxigraph import Store

    _exit_with_parent()
    check_parsed("ASK {}")  # imports and builds rdflib's grammar before the first job
    # build id → the build open, its graphs, and its release store (or None)
    stores: dict[str, tuple[Any, Dataset, Any]] = {}
    # imports done: the parent's clock for a query starts now
    conn.send(("ready", confinement.describe()))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            key = job.build_id or job.store_dir
            opened = stores.get(key)
            if opened is None:
                stores.clear()
                store = Store.read_only(job.store_dir)
                releases = Store.read_only(job.release_store_dir) if job.release_store_dir else None
                opened = stores[key] = (store, dataset_of(store, job.private_prefix), releases)
            conn.send(("ok", execute(opened[0], job, opened[1], opened[2])))
        except KgError as exc:
            conn.send(("refused", (exc.rule, exc.message)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except Exception as exc:  # noqa: BLE001 - reported to the caller, worker lives on
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


def public_graphs(store: Any, private_prefix: str) -> list[Any]:
    from pyoxigraph import NamedNode

    return [
        g
        for g in store.named_graphs()
        if isinstance(g, NamedNode) and not g.value.startswith(private_prefix)
    ]


@dataclass
class Dataset:
    """What a worker knows of the (read-only, never changing) build it has open."""

    public: list[Any]  # the public named graphs
    #: Every quad of the store is in a public named graph: no private graph, nothing in the
    #: default graph. The whole store is then exactly the public dataset.
    all_public: bool


def dataset_of(store: Any, private_prefix: str) -> Dataset:
    from pyoxigraph import DefaultGraph

    public = public_graphs(store, private_prefix)
    in_default = next(iter(store.quads_for_pattern(None, None, None, DefaultGraph())), None)
    every = sum(1 for _ in store.named_graphs())
    return Dataset(public, in_default is None and every == len(public))


def execute(store: Any, job: Job, dataset: Dataset | None = None, releases: Any = None) -> Answer:
    """Run ``job`` on a pyoxigraph store (in the worker; also usable in-process in tests).

    Without a dataset in the request or the query, the default graph is the union of the
    public graphs. When those are all the store holds, Oxigraph's own union default graph is
    used: the same dataset, and far faster than a default graph given as a list of graphs
    (Oxigraph evaluates each pattern in each listed graph: 2.2 s against 0.05 s for one query
    over the 227 graphs of the synthetic scale-up). Otherwise the graphs are listed and the
    private ones left out.

    The query is checked first by layer 2 (:func:`kgservice.web.sparqlalgebra.check_parsed`:
    no ``SERVICE``, SPARQL 1.1 only); its ``FROM`` / ``FROM NAMED`` apply when the request names
    no dataset. Whatever the checks saw, only public graphs are ever passed to Oxigraph, and
    passing them overrides the query's own dataset clauses. A query that names a frozen release
    graph runs on the release store ``releases`` instead (:func:`execute_on_releases`).
    """
    from pyoxigraph import NamedNode

    parsed = check_parsed(job.query, job.base_iri, max_depth=job.max_depth)
    if job.default_graphs is None and job.named_graphs is None and parsed.has_dataset:
        job = replace(job, default_graphs=parsed.from_graphs, named_graphs=parsed.from_named_graphs)
    if releases is not None and names_release(job, parsed.graph_iris):
        return execute_on_releases(releases, job, parsed.graph_iris)
    dataset = dataset or dataset_of(store, job.private_prefix)
    if job.default_graphs is None and job.named_graphs is None and dataset.all_public:
        result = store.query(job.query, base_iri=job.base_iri, use_default_graph_as_union=True)
        return serialize_limited(result, job.media_type, job.row_limit)
    public = dataset.public
    allowed = {g.value for g in public}

    def restrict(iris: list[str] | None) -> list[Any]:
        if iris is None:
            return public
        return [NamedNode(i) for i in iris if i in allowed]

    default = restrict(job.default_graphs) or [NamedNode(EMPTY_GRAPH)]
    named = restrict(job.named_graphs) or [NamedNode(EMPTY_GRAPH)]
    result = store.query(
        job.query, base_iri=job.base_iri, default_graph=default, named_graphs=named
    )
    return serialize_limited(result, job.media_type, job.row_limit)


def names_release(job: Job, graph_iris: list[str]) -> bool:
    """Whether the job's dataset or the query's ``GRAPH <iri>`` patterns name a frozen graph."""
    named = [*(job.default_graphs or []), *(job.named_graphs or []), *graph_iris]
    return bool(job.release_prefix) and any(g.startswith(job.release_prefix) for g in named)


def execute_on_releases(releases: Any, job: Job, graph_iris: list[str]) -> Answer:
    """Run ``job`` on the release store: one dataset whose named graphs are every frozen release
    graph and every live vocabulary graph, and whose default graph is the vocabulary graphs
    (listed: they are few and small) unless the job names one. A graph the release store lacks
    (statistics, client data, the build's derived graphs) cannot be combined with a release:
    ``dataset-mixes-releases``."""
    from pyoxigraph import NamedNode

    held = sorted(g.value for g in releases.named_graphs() if isinstance(g, NamedNode))
    named = [*(job.default_graphs or []), *(job.named_graphs or []), *graph_iris]
    foreign = sorted({g for g in named if g not in held})
    if foreign:
        versions = sorted(
            {
                g[len(job.release_prefix) :].split("/")[0]
                for g in held
                if g.startswith(job.release_prefix)
            }
        )
        combines = (
            f"it combines the frozen graphs <{job.release_prefix}<version>/<module>> (versions: "
            f"{', '.join(versions) or 'none'}) with the live vocabulary graphs "
            f"<{job.vocabulary_prefix}<module>> only"
        )
        if all(g.startswith(job.release_prefix) for g in foreign):
            raise QueryError(
                f"no release graph <{foreign[0]}> (an unknown version or module): {combines}",
                rule="release-graph-unknown",
            )
        raise QueryError(
            f"a query that names a release graph runs on the releases' dataset, which has no "
            f"<{foreign[0]}>: {combines}; query other graphs separately",
            rule="dataset-mixes-releases",
        )
    vocabulary = [NamedNode(g) for g in held if g.startswith(job.vocabulary_prefix)]

    def listed(iris: list[str] | None, otherwise: list[Any]) -> list[Any]:
        chosen = otherwise if iris is None else [NamedNode(i) for i in iris]
        return chosen or [NamedNode(EMPTY_GRAPH)]

    result = releases.query(
        job.query,
        base_iri=job.base_iri,
        default_graph=listed(job.default_graphs, vocabulary),
        named_graphs=listed(job.named_graphs, [NamedNode(g) for g in held]),
    )
    return serialize_limited(result, job.media_type, job.row_limit)


def serialize_limited(result: Any, media_type: str, row_limit: int) -> Answer:
    """Serialise a query result (solutions, boolean or triples) with at most ``row_limit`` rows."""
    from pyoxigraph import (
        QueryBoolean,
        QueryResultsFormat,
        QuerySolutions,
        RdfFormat,
        parse_query_results,
        serialize,
    )

    if isinstance(result, QueryBoolean):
        fmt = QueryResultsFormat.from_media_type(media_type)
        return Answer(result.serialize(format=fmt) or b"", media_type, False, 1)
    if isinstance(result, QuerySolutions):
        fmt = QueryResultsFormat.from_media_type(media_type)
        names = [v.value for v in result.variables]
        bindings: list[dict[str, Any]] = []
        truncated = False
        for solution in result:
            if len(bindings) >= row_limit:
                truncated = True
                break
            bindings.append({n: _term_json(solution[n]) for n in names if solution[n] is not None})
        doc = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}).encode()
        if fmt == QueryResultsFormat.JSON:
            body = doc
        else:
            parsed = parse_query_results(doc, format=QueryResultsFormat.JSON)
            body = parsed.serialize(format=fmt) or b""
        return Answer(body, media_type, truncated, len(bindings))
    rdf_fmt = RdfFormat.from_media_type(media_type)
    triples: list[Any] = []
    truncated = False
    for triple in result:
        if len(triples) >= row_limit:
            truncated = True
            break
        triples.append(triple)
    return Answer(serialize(triples, format=rdf_fmt) or b"", media_type, truncated, len(triples))


def _term_json(term: Any) -> dict[str, Any]:
    """A pyoxigraph term in the SPARQL 1.1 Query Results JSON shape."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    # RDF-star quoted triple
    return {
        "type": "triple",
        "value": {
            "subject": _term_json(term.subject),
            "predicate": _term_json(term.predicate),
            "object": _term_json(term.object),
        },
    }


# -- parent side ------------------------------------------------------------------------------
#: How long a new worker may take to start (interpreter + imports), separate from query time.
START_TIMEOUT_S = 60.0


_LOGGED: set[str] = set()


def _log_confinement(description: str) -> None:
    """Log once per process which confinement the query workers run under."""
    if description in _LOGGED:
        return
    _LOGGED.add(description)
    if description.startswith("NOT"):
        log.warning("SPARQL query workers: %s", description)
    else:
        log.info("SPARQL query workers: %s", description)


class _Worker:
    """One worker process; the constructor returns once it is ready to take a job."""

    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.process.start()
        child.close()
        try:
            hello = self.conn.recv() if self.conn.poll(START_TIMEOUT_S) else None
        except (EOFError, OSError):
            hello = None
        if not hello or hello[0] != "ready":
            self.kill()
            raise RuntimeError(f"query worker did not start within {START_TIMEOUT_S:g} s")
        #: What keeps this worker off the network (:mod:`kgservice.web.sparqlsandbox`).
        self.confinement: str = hello[1]
        _log_confinement(self.confinement)

    def kill(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes; each job gets one worker or a 503 after the timeout."""

    def __init__(
        self,
        size: int,
        timeout_s: float,
        *,
        max_waiting: int | None = None,
        wait_s: float = 5.0,
        light_waiting: int = 0,
        light_usage_s: float = 1.0,
    ) -> None:
        self.size = size
        self.timeout_s = timeout_s
        #: Requests allowed to wait for a busy pool (default: as many as there are workers);
        #: beyond that a request is refused at once, so queries never tie up every server thread.
        self.max_waiting = size if max_waiting is None else max_waiting
        #: Further waiting places only for *light* requests: those whose client used less than
        #: ``light_usage_s`` of query time in the quota's window (the ``priority`` of
        #: :meth:`run`). A dashboard's cheap query is then not refused because heavy queries and
        #: a burst briefly fill the pool; a client that runs heavy queries stays within
        #: ``max_waiting``.
        self.light_waiting = light_waiting
        self.light_usage_s = light_usage_s
        #: How long a request waits for a free worker before a 503.
        self.wait_s = min(wait_s, timeout_s)
        self._inside = 0  # requests running or waiting (the gate), under _gate_lock
        self._gate_lock = threading.Lock()
        self._ctx = mp.get_context("spawn")
        self._lock = threading.Lock()
        #: Signalled whenever a worker becomes idle or a waiter leaves.
        self._cond = threading.Condition(self._lock)
        self._idle: list[_Worker] = []
        #: Requests waiting for a worker, a heap of (priority, arrival): lowest first.
        self._waiting: list[tuple[float, int]] = []
        self._arrivals = itertools.count()
        self._started = 0
        self._closed = False
        self.killed = 0  # workers stopped for running past the limit (for tests and logs)

    def _acquire(self, deadline: float, priority: float) -> _Worker:
        with self._lock:
            start = not self._idle and self._started < self.size
            if start:
                self._started += 1
        if start:
            try:
                return _Worker(self._ctx)
            except Exception as exc:
                with self._lock:
                    self._started -= 1
                raise StoreError(
                    f"cannot start a query worker: {exc}", rule="query-worker"
                ) from exc
        with self._cond:
            ticket = (priority, next(self._arrivals))
            heapq.heappush(self._waiting, ticket)
            try:
                while not (self._idle and self._waiting[0] == ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise QueryTimeout(
                            f"all {self.size} query workers are busy; try again later",
                            rule="query-busy",
                        )
                    self._cond.wait(remaining)
                heapq.heappop(self._waiting)
                return self._idle.pop()
            finally:
                if ticket in self._waiting:  # gave up: the next one may be first now
                    self._waiting.remove(ticket)
                    heapq.heapify(self._waiting)
                self._cond.notify_all()

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify_all()

    def _replace(self) -> None:
        """Start a worker in the background; on failure the next request starts one itself."""

        def start() -> None:
            if self._closed:
                return
            try:
                self._release(_Worker(self._ctx))
            except Exception:  # noqa: BLE001 - the next _acquire retries and reports it
                with self._lock:
                    self._started -= 1

        threading.Thread(target=start, daemon=True, name="sparql-worker-start").start()

    def warm(self) -> None:
        """Start every worker now (in the background) instead of on first use."""
        with self._lock:
            missing = self.size - self._started
            self._started = self.size
        for _ in range(missing):
            self._replace()

    def wait_ready(self, timeout_s: float = 30.0) -> bool:
        """Start every worker and wait until all are idle (readiness checks, tests)."""
        self.warm()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._lock:
                if len(self._idle) >= self.size:
                    return True
            time.sleep(0.05)
        return False

    def run(
        self,
        job: Job,
        *,
        priority: float = 0.0,
        on_start: Callable[[], None] | None = None,
    ) -> Answer:
        """Answer ``job`` on a worker; ``priority`` orders waiting requests (lowest first), and
        ``on_start`` is called when the job gets its worker (where its query time starts)."""
        places = self.size + self.max_waiting
        if priority < self.light_usage_s:
            places += self.light_waiting
        with self._gate_lock:
            admitted = self._inside < places
            if admitted:
                self._inside += 1
        if not admitted:
            raise QueryTimeout(
                f"{places} queries are already running or waiting; try again later",
                rule="query-busy",
            )
        try:
            return self._run(job, priority, on_start)
        finally:
            with self._gate_lock:
                self._inside -= 1

    def _run(self, job: Job, priority: float, on_start: Callable[[], None] | None) -> Answer:
        worker = self._acquire(time.monotonic() + self.wait_s, priority)
        if on_start is not None:
            on_start()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.timeout_s):
                raise TimeoutError
            status, payload = worker.conn.recv()
        except TimeoutError:
            worker.kill()
            self.killed += 1
            self._replace()
            raise QueryTimeout(
                f"the query ran longer than {self.timeout_s:g} s and was stopped",
                rule="query-timeout",
            ) from None
        except (EOFError, OSError, BrokenPipeError) as exc:
            worker.kill()
            self._replace()
            raise StoreError(f"query worker failed: {exc}", rule="query-worker") from exc
        self._release(worker)
        if status == "ok":
            return payload
        if status == "refused":
            rule, message = payload
            raise QueryError(message, rule=rule)
        if status == "syntax":
            raise QueryError(f"SPARQL syntax error: {payload}", rule="sparql-syntax")
        raise QueryError(f"query failed: {payload}", rule="sparql-evaluation")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()
