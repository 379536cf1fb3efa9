"""Blueprint ``sparql``: the read-only SPARQL 1.1 Protocol endpoint ``/sparql`` and its query page.

* Query operation by GET ``query=``, POST form and POST ``application/sparql-query``, with
  ``default-graph-uri`` / ``named-graph-uri`` (they override the query's FROM clauses).
* Results by Accept (or ``format=``): SPARQL JSON, XML, CSV, TSV; graphs as Turtle, N-Triples,
  JSON-LD, RDF/XML. A browser (``text/html``) gets the query page with a results table.
* GET without a query: the service description (RDF) or, for browsers, the query page.
* Updates (400, the protocol's status for a request that is not a valid *query*) and ``SERVICE``
  are refused before anything runs, in three layers: a token scan with size and depth limits
  (:mod:`kgservice.web.sparqlguard`), the parsed query (:mod:`kgservice.web.sparqlalgebra`) and
  workers without network (:mod:`kgservice.web.sparqlsandbox`); queries run in killable worker
  processes with a time limit and a row limit (:mod:`kgservice.web.sparqlworker`), each client
  within its share of the workers (429 beyond it, :mod:`kgservice.web.sparqlquota`).
* ``HEAD`` is ``GET`` without the body.
* Only public graphs exist here: ``graph/client/…`` is outside every dataset a query can name.
* A query naming a frozen release graph ``graph/release/<version>/<module>`` runs on the release
  store (:func:`kgservice.web.sparqlworker.execute_on_releases`, :mod:`kgservice.store.releases`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    serialize,
)
from werkzeug.exceptions import NotAcceptable, UnsupportedMediaType

from kgservice.config import Settings
from kgservice.errors import (
    KgError,
    QueryError,
    QueryLimited,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
)
from kgservice.iris import graph_iri
from kgservice.namespaces import FORMATS, RDF, RDFS, SD, STANDARD_PREFIXES, ontology_ns
from kgservice.queries import all_queries
from kgservice.queryfile import NamedQuery
from kgservice.store.releases import release_prefix, vocabulary_prefix
from kgservice.web.conneg import problem_response, wants_html
from kgservice.web.sparqlguard import QueryInfo, analyse
from kgservice.web.sparqlquota import QueryQuota, Slot, client_id
from kgservice.web.sparqlworker import Answer, Job, QueryPool, serialize_limited
from kgservice.web.storeaccess import get_settings, served_build

bp = Blueprint("sparql", __name__)

_POOL_LOCK = threading.Lock()

RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "application/json": QueryResultsFormat.JSON,
    "application/xml": QueryResultsFormat.XML,
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
#: ``format=`` short names (the override for links and browsers).
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
DEFAULT_QUERY = """SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n)
LIMIT 20"""


def get_pool(app: Flask | None = None) -> QueryPool:
    """The app's query worker pool, created (and its workers started) on first use."""
    app = app or current_app
    pool = app.extensions.get("kg.sparqlpool")
    if pool is None:
        with _POOL_LOCK:  # two first requests at once must not start two pools
            pool = app.extensions.get("kg.sparqlpool")
            if pool is None:
                settings: Settings = app.config["KG_SETTINGS"]
                # Running and waiting queries together hold at most half the server's threads
                # (never fewer waiting places than workers): the rest always serve the pages.
                # Light clients (little query time in the last minute) may also take the places
                # up to one thread short of all of them, so a burst of cheap queries behind a
                # heavy one is not refused.
                waiting = max(
                    settings.query_workers, settings.threads // 2 - settings.query_workers
                )
                light = max(0, settings.threads - 1 - settings.query_workers - waiting)
                pool = QueryPool(
                    settings.query_workers,
                    settings.query_timeout_s,
                    max_waiting=waiting,
                    light_waiting=light,
                )
                app.extensions["kg.sparqlpool"] = pool
                pool.warm()
    return pool


def get_quota(app: Flask | None = None) -> QueryQuota:
    """The app's per-client admission of free-form queries (:mod:`~kgservice.web.sparqlquota`)."""
    app = app or current_app
    quota = app.extensions.get("kg.sparqlquota")
    if quota is None:
        with _POOL_LOCK:
            quota = app.extensions.setdefault(
                "kg.sparqlquota", QueryQuota.from_settings(app.config["KG_SETTINGS"])
            )
    return quota


# -- request parsing ---------------------------------------------------------------------------
class ProtocolRequest:
    """The query operation's parameters, read per SPARQL 1.1 Protocol §2.1."""

    def __init__(self) -> None:
        self.query: str | None = None
        self.default_graphs: list[str] = request.args.getlist("default-graph-uri")
        self.named_graphs: list[str] = request.args.getlist("named-graph-uri")
        if request.method in ("GET", "HEAD"):
            if "update" in request.args:
                raise QueryError(
                    "SPARQL Update is not accepted: this endpoint is read-only",
                    rule="update-refused",
                )
            self.query = _single(request.args.getlist("query"))
            return
        mimetype = request.mimetype
        if mimetype == "application/x-www-form-urlencoded":
            if "update" in request.form:
                raise QueryError(
                    "SPARQL Update is not accepted: this endpoint is read-only",
                    rule="update-refused",
                )
            self.query = _single(request.form.getlist("query") + request.args.getlist("query"))
            self.default_graphs += request.form.getlist("default-graph-uri")
            self.named_graphs += request.form.getlist("named-graph-uri")
        elif mimetype == "application/sparql-query":
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise QueryError(
                    f"the query must be sent as UTF-8, not {charset}", rule="protocol-encoding"
                )
            try:
                self.query = request.get_data().decode("utf-8")
            except UnicodeDecodeError as exc:
                raise QueryError("the query is not valid UTF-8", rule="protocol-encoding") from exc
        elif mimetype == "application/sparql-update":
            raise QueryError(
                "SPARQL Update is not accepted: this endpoint is read-only", rule="update-refused"
            )
        else:
            raise UnsupportedMediaType(
                "POST a query as application/x-www-form-urlencoded or application/sparql-query"
            )
        if not self.query:
            raise QueryError("the request carries no query", rule="protocol-query-missing")


def _single(values: list[str]) -> str | None:
    if len(values) > 1:
        raise QueryError("more than one query in the request", rule="protocol-multiple-queries")
    return values[0] if values else None


def _wants_page() -> bool:
    """The query page, unless ``format=`` names a data format or ``Accept`` prefers data."""
    return not request.args.get("format") and wants_html((*RESULT_TYPES, *GRAPH_TYPES))


def negotiate(info: QueryInfo) -> str:
    """The media type of the answer: ``format=`` first, then Accept (werkzeug's q-values)."""
    offered = list(GRAPH_TYPES if info.is_graph_result else RESULT_TYPES)
    if fmt := request.values.get("format"):
        media = FORMAT_NAMES.get(fmt.lower(), fmt)
        if media not in offered:
            raise NotAcceptable(f"format {fmt!r} is not offered; offered: {', '.join(offered)}")
        return media
    if not request.accept_mimetypes:
        return offered[0]
    best = request.accept_mimetypes.best_match(offered)
    if best is None:
        raise NotAcceptable(f"none of the accepted types is offered; offered: {', '.join(offered)}")
    return best


# -- running -----------------------------------------------------------------------------------
def run_query(settings: Settings, text: str, info: QueryInfo, media: str, pr: Any) -> Answer:
    """Run a checked query within the client's share (429 beyond it) on the public graphs."""
    with get_quota().slot(client_id(request)) as slot:
        return _run_query(settings, text, info, media, pr, slot)


def _run_query(settings, text, info, media, pr, slot: Slot) -> Answer:
    """Run a checked query on the public graphs; honours the protocol dataset, then FROM."""
    # The query's own FROM / FROM NAMED are read from the parsed query (sparqlalgebra).
    if pr is not None and (pr.default_graphs or pr.named_graphs):
        default: list[str] | None = pr.default_graphs
        named: list[str] | None = pr.named_graphs
    else:
        default = named = None
    private = graph_iri(settings, "client") + "/"
    job = Job(
        store_dir="",
        query=text,
        media_type=media,
        default_graphs=default,
        named_graphs=named,
        private_prefix=private,
        row_limit=settings.query_row_limit,
        base_iri=request.base_url,
        max_depth=settings.query_max_depth,
        release_prefix=release_prefix(settings),
        vocabulary_prefix=vocabulary_prefix(settings),
    )
    if settings.remote:
        on_releases = _remote_release_job(settings, job)
        if on_releases is not None:
            return get_pool().run(on_releases, priority=slot.priority, on_start=slot.start)
        slot.start()
        return _run_remote(settings, text, info, media, default, named, private)
    served = served_build()  # the finished build this request is answered from
    job = replace(job, store_dir=str(served.directory), build_id=served.version.id)
    found = current_app.extensions["kg.releases"].get_with_path(served)
    if found is not None:
        job = replace(job, release_store_dir=str(found[0]))
    return get_pool().run(job, priority=slot.priority, on_start=slot.start)


def _remote_release_job(settings: Settings, job: Job) -> Job | None:
    """With a remote store, a query naming a frozen release graph runs in a worker on the
    release store the web process made (:class:`kgservice.store.releases.ReleaseStores`), with
    the same checks; ``None`` for every other query (and when there is no release store)."""
    from kgservice.web.sparqlalgebra import check_parsed
    from kgservice.web.sparqlworker import names_release

    parsed = check_parsed(job.query, job.base_iri, max_depth=settings.query_max_depth)
    if job.default_graphs is None and job.named_graphs is None and parsed.has_dataset:
        job = replace(job, default_graphs=parsed.from_graphs, named_graphs=parsed.from_named_graphs)
    if not names_release(job, parsed.graph_iris):
        return None
    found = current_app.extensions["kg.releases"].get_with_path(served_build())
    if found is None:
        return None
    where = str(found[0])
    # the release store is the only store this job opens (keyed on its directory)
    return replace(job, store_dir=where, release_store_dir=where, build_id="")


def _run_remote(settings, text, info, media, default, named, private) -> Answer:
    """A remote store: the same checks, then the protocol request with an explicit dataset.

    The remote server must itself stop long queries (``oxigraph serve --timeout-s``; Virtuoso
    is asked per request); this side stops waiting after ``query_timeout_s``.
    """
    from kgservice.store import open_store
    from kgservice.store.remote import RemoteStore
    from kgservice.web.sparqlalgebra import check_parsed

    parsed = check_parsed(text, request.base_url, max_depth=settings.query_max_depth)  # layer 2
    protocol_dataset = default is not None or named is not None
    if not protocol_dataset and parsed.has_dataset:
        default, named = parsed.from_graphs, parsed.from_named_graphs
    with open_store(settings) as store:
        assert isinstance(store, RemoteStore)
        public = [g for g in store.graphs() if not g.startswith(private)]
        allowed = set(public)
        if parsed.has_dataset and not store.dialect.protocol_dataset_wins:
            _refuse_text_dataset(parsed, allowed, protocol_dataset)
        params: list[tuple[str, str]] = []
        for key, iris in (("default-graph-uri", default), ("named-graph-uri", named)):
            chosen = public if iris is None else [g for g in iris if g in allowed]
            params += [(key, g) for g in (chosen or ["urn:x-rake-kg:empty-graph"])]
        result = store.run(
            text, params, graph_result=info.is_graph_result, timeout_s=settings.query_timeout_s
        )
        return serialize_limited(result, media, settings.query_row_limit)


def _refuse_text_dataset(parsed: Any, allowed: set[str], protocol_dataset: bool) -> None:
    """An engine that lets a query's own FROM / FROM NAMED win over the request's dataset
    (Virtuoso) would read the graphs the text names, whatever this side sends: the text may
    name public graphs only, and not beside a dataset given in the request."""
    if protocol_dataset:
        raise QueryError(
            "give the dataset either in the query (FROM / FROM NAMED) or in the request "
            "(default-graph-uri / named-graph-uri), not both: this endpoint's engine would "
            "read the query's",
            rule="dataset-refused",
        )
    hidden = [g for g in (*parsed.from_graphs, *parsed.from_named_graphs) if g not in allowed]
    if hidden:
        raise QueryError(
            f"FROM / FROM NAMED may name the public graphs only, not <{hidden[0]}>; the "
            "public graphs are listed by SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            rule="dataset-refused",
        )


def _respond(answer: Answer) -> Response:
    resp = Response(answer.body, mimetype=answer.media_type)
    if "charset" not in resp.content_type and answer.media_type.startswith("text/"):
        resp.content_type = answer.media_type + "; charset=utf-8"
    resp.headers["X-Result-Rows"] = str(answer.rows)
    if answer.truncated:
        resp.headers["X-Result-Truncated"] = "true"
        resp.headers["X-Row-Limit"] = str(get_settings().query_row_limit)
    resp.vary.add("Accept")
    return resp


# -- routes ------------------------------------------------------------------------------------
@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    settings = get_settings()
    html = _wants_page()
    if request.method in ("GET", "HEAD") and not {"query", "update"} & set(request.args):
        if html or "example" in request.args:
            return _page(settings)
        return service_description(settings)
    try:
        pr = ProtocolRequest()
        text = pr.query or ""
        info = analyse(text, max_bytes=settings.query_max_bytes, max_depth=settings.query_max_depth)
    except KgError as exc:
        if html:
            return _page(settings, query=request.values.get("query", ""), error=exc)
        raise
    if html:
        return _page_with_results(settings, text, info, pr)
    media = negotiate(info)
    return _respond(run_query(settings, text, info, media, pr))


@bp.errorhandler(QueryTimeout)
def timeout_or_busy(exc: QueryTimeout):
    """503 as problem+json; a refusal for lack of workers says when to come back."""
    retry = {"Retry-After": "1"} if exc.rule == "query-busy" else {}
    return problem_response(exc.problem(), exc.status, retry)


@bp.errorhandler(QueryLimited)
def over_client_share(exc: QueryLimited):
    """429 as problem+json with ``Retry-After``: the client is over its share of the workers."""
    return problem_response(exc.problem(), exc.status, {"Retry-After": str(exc.retry_after_s)})


@bp.after_request
def cors(resp: Response) -> Response:
    if request.path == "/sparql":
        resp.headers["Access-Control-Allow-Origin"] = "*"
        if request.method == "OPTIONS":
            resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
    return resp


# -- the HTML page -----------------------------------------------------------------------------
#: The folder of ``queries/`` whose queries the page offers users first (in file-name order);
#: the page's title and text of each come from ``kgservice/texts.py`` (``sparql_ex.<name>``).
USER_EXAMPLES = "examples/"


def examples(settings: Settings) -> list[NamedQuery]:
    try:
        return all_queries(settings.queries_dir)
    except OSError:
        return []


def _page(settings: Settings, *, query: str | None = None, error: KgError | None = None, **kw):
    exs = examples(settings)
    if query is None:
        chosen = request.args.get("example")
        match = next((q for q in exs if q.name == chosen), None)
        query = match.text if match else _prefix_lines(settings) + DEFAULT_QUERY
    status = error.status if error else 200
    body = render_template(
        "sparql.html",
        query=query,
        user_examples=[q for q in exs if q.name.startswith(USER_EXAMPLES)],
        examples=[q for q in exs if not q.name.startswith(USER_EXAMPLES)],
        error=error,
        timeout=settings.query_timeout_s,
        row_limit=settings.query_row_limit,
        **kw,
    )
    resp = Response(body, status=status, mimetype="text/html")
    if isinstance(error, QueryLimited):
        resp.headers["Retry-After"] = str(error.retry_after_s)
    return resp


def _page_with_results(settings: Settings, text: str, info: QueryInfo, pr: ProtocolRequest):
    media = "text/turtle" if info.is_graph_result else "application/sparql-results+json"
    started = time.perf_counter()
    try:
        answer = run_query(settings, text, info, media, pr)
    except StoreUnavailable:
        raise  # no store built yet: the page that says how to build, with Retry-After
    except KgError as exc:
        return _page(settings, query=text, error=exc)
    seconds = time.perf_counter() - started
    table = None
    boolean = None
    graph_text = None
    if info.is_graph_result:
        graph_text = answer.body.decode("utf-8")
    else:
        import json

        doc = json.loads(answer.body)
        if "boolean" in doc:
            boolean = doc["boolean"]
        else:
            head = doc["head"]["vars"]
            rows = [[_cell(b.get(v)) for v in head] for b in doc["results"]["bindings"]]
            table = {"head": head, "rows": rows}
    return _page(
        settings,
        query=text,
        table=table,
        boolean=boolean,
        graph_text=graph_text,
        answer=answer,
        seconds=seconds,
    )


def _cell(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    cell = {"value": value["value"], "type": value["type"], "lang": value.get("xml:lang")}
    # Only web IRIs become links: a query can mint any IRI, e.g. a javascript: one.
    if value["type"] == "uri" and value["value"].startswith(("http://", "https://")):
        cell["href"] = value["value"]
    return cell


# -- the service description -------------------------------------------------------------------
RDF_TYPE = NamedNode(RDF + "type")


def _prefix_lines(settings: Settings) -> str:
    """``PREFIX`` lines of the query page's first query: ``rake:`` and the standard ones."""
    prefixes = {"rake": ontology_ns(settings), **STANDARD_PREFIXES}
    return "".join(f"PREFIX {name}: <{ns}>\n" for name, ns in prefixes.items())


def service_description(settings: Settings) -> Response:
    """SPARQL 1.1 Service Description of this endpoint (RDF, by Accept)."""
    offered = list(GRAPH_TYPES)
    media = request.accept_mimetypes.best_match(offered) if request.accept_mimetypes else None
    if request.accept_mimetypes and media is None:
        raise NotAcceptable(f"offered: {', '.join(offered)}")
    media = media or "text/turtle"
    endpoint_iri = NamedNode(request.base_url)
    service = BlankNode()
    dataset = BlankNode()
    default_graph = BlankNode()

    def sd(name: str) -> NamedNode:
        return NamedNode(SD + name)

    triples = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, sd("endpoint"), endpoint_iri),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, sd("Graph")),
        Triple(
            service,
            NamedNode(RDFS + "comment"),
            Literal(
                "Read-only. The default graph is the union of the public named graphs, "
                "the frozen releases (graph/release/...) aside: a query naming one of them "
                "runs on the releases' own dataset, with the vocabulary graphs as its default "
                f"graph. Queries stop after {settings.query_timeout_s:g} s and return at most "
                f"{settings.query_row_limit} rows. SERVICE and updates are refused.",
                language="en",
            ),
        ),
    ]
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        triples.append(Triple(service, sd("resultFormat"), NamedNode(FORMATS + name)))
    for g in _public_graph_names(settings):
        named = BlankNode()
        triples += [
            Triple(dataset, sd("namedGraph"), named),
            Triple(named, RDF_TYPE, sd("NamedGraph")),
            Triple(named, sd("name"), NamedNode(g)),
        ]
    body = serialize(triples, format=GRAPH_TYPES[media]) or b""
    resp = Response(body, mimetype=media)
    resp.vary.add("Accept")
    return resp


def _public_graph_names(settings: Settings) -> list[str]:
    """The public graphs of the store, then the frozen release graphs (a query naming one runs
    on the release store, :func:`kgservice.web.sparqlworker.execute_on_releases`)."""
    from kgservice.store.releases import frozen_graphs
    from kgservice.web.storeaccess import get_store, release_store

    private = graph_iri(settings, "client") + "/"
    try:
        public = [g for g in get_store().graphs() if not g.startswith(private)]
        return public + frozen_graphs(settings, release_store())
    except StoreError:
        return []
