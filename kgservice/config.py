"""All configuration in one typed place, read from ``KG_*`` environment variables.

Nothing else in the package reads ``os.environ``. Tests build :class:`Settings` explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from kgservice.errors import ConfigError

#: The namespace the Turtle sources in ``ontology/`` are written in. A deployment that sets a
#: different ``KG_BASE_IRI`` gets every IRI under this namespace rewritten at build time.
CANONICAL_BASE_IRI = "https://rake-kg.example/"

#: The project tree the package was installed from (for an editable install, its checkout).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The directories that make a directory a rake-kg project tree.
PROJECT_MARKERS = ("ontology", "shapes", "queries", "mappings")


#: The SHACL engines the quality gate can run its shapes with (``KG_SHACL_ENGINE``), and the
#: default: pyshacl-turbo (Rust) gives pySHACL's results 20-25x faster on the bundled ontology
#: (docs/scaling.md, "SHACL engines").
SHACL_ENGINES = ("pyshacl-turbo", "pyshacl")
DEFAULT_SHACL_ENGINE = "pyshacl-turbo"


def is_project_tree(path: Path) -> bool:
    """Whether ``path`` holds a rake-kg project (every directory of :data:`PROJECT_MARKERS`)."""
    return all((path / name).is_dir() for name in PROJECT_MARKERS)


def find_project_root(environ: Mapping[str, str], cwd: Path) -> Path:
    """The project tree the commands work on: ``KG_PROJECT_DIR`` when set; else ``cwd`` or its
    nearest parent that is a rake-kg tree (a second checkout, a git worktree); else the tree the
    package was installed from."""
    if environ.get("KG_PROJECT_DIR"):
        root = Path(environ["KG_PROJECT_DIR"]).expanduser().resolve()
        if not is_project_tree(root):
            raise ConfigError(
                f"KG_PROJECT_DIR={environ['KG_PROJECT_DIR']!r} is not a rake-kg project tree: "
                f"it needs the directories {', '.join(PROJECT_MARKERS)}",
                rule="config-project-dir",
            )
        return root
    here = cwd.resolve()
    for candidate in (here, *here.parents):
        if is_project_tree(candidate):
            return candidate
    return PROJECT_ROOT


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Runtime settings. Build with :meth:`from_env` or construct directly in tests."""

    #: Directory of the embedded pyoxigraph store (used when ``sparql_endpoint`` is empty).
    store_path: Path = PROJECT_ROOT / "var" / "store"
    #: SPARQL 1.1 query endpoint of a remote store (e.g. ``http://127.0.0.1:7878/query``).
    sparql_endpoint: str = ""
    #: Update endpoint; derived from ``sparql_endpoint`` (``/query`` → ``/update``) when empty.
    sparql_update_endpoint: str = ""
    #: Graph Store Protocol endpoint; derived (``/query`` → ``/store``) when empty.
    graph_store_endpoint: str = ""
    #: The engine behind ``sparql_endpoint`` (:data:`SPARQL_ENGINES`): picks the remote
    #: backend's dialect (kgservice/store/dialects.py) and how the endpoints above are derived.
    sparql_engine: str = "oxigraph"
    #: User and password for the update and Graph Store endpoints (Virtuoso: HTTP digest).
    sparql_user: str = ""
    sparql_password: str = field(default="", repr=False)
    #: The project tree the paths below default to (``KG_PROJECT_DIR``, see :func:`from_env`).
    project_dir: Path = PROJECT_ROOT
    #: Base namespace every IRI of the service lives under.
    base_iri: str = CANONICAL_BASE_IRI
    #: Where the sources live.
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    shapes_dir: Path = PROJECT_ROOT / "shapes"
    mappings_dir: Path = PROJECT_ROOT / "mappings"
    queries_dir: Path = PROJECT_ROOT / "queries"
    data_dir: Path = PROJECT_ROOT / "data"
    #: Working directory for build artefacts, quarantine reports, logs.
    var_dir: Path = PROJECT_ROOT / "var"
    #: Web server.
    host: str = "127.0.0.1"
    port: int = 5000
    #: Free-form SPARQL limits.
    query_timeout_s: float = 30.0
    query_row_limit: int = 10_000
    #: Worker processes for free-form SPARQL, and each client's share of them: queries running
    #: (kept below the pool size, so one client always leaves a worker to the others), queries
    #: waiting for those, and worker seconds per sliding minute (0: no budget).
    query_workers: int = 3
    query_client_running: int = 1
    query_client_waiting: int = 1
    query_client_budget_s: float = 30.0
    #: Longest free-form query text accepted (UTF-8 bytes) and deepest bracket nesting
    #: (``{ ( [``); both refused with 400 before any parser sees the query.
    query_max_bytes: int = 65_536
    query_max_depth: int = 64
    #: Key for pseudonymising identity codes (HMAC-SHA-256). Empty: client data cannot be lifted.
    pseudonym_key: str = field(default="", repr=False)
    #: Share of rows a source may quarantine before the build fails (0.0–1.0).
    quarantine_threshold: float = 0.05
    #: Finished builds kept under ``stores/`` (the served one always among them); at least 1.
    keep_builds: int = 3
    #: Processes a build may use: 2 maps the cube sources in forked worker processes and runs
    #: its read-only last steps (dump, Data Cube ICs) beside ``persist`` in a forked process
    #: (faster, more memory at that moment); 1 runs every step in order in one process
    #: (kgservice/pipeline/overlap.py, kgservice/pipeline/lift.py).
    build_processes: int = 2
    #: Default UI language.
    default_lang: str = "fi"
    debug: bool = False
    #: Production web server (``kgservice serve``; docs/operators.md).
    #: Worker threads answering requests (waitress).
    threads: int = 8
    #: Open connections the server accepts at once; idle ones cost a socket, not a thread.
    connection_limit: int = 2000
    #: Seconds a silent connection (idle keep-alive, half-sent request) stays open.
    idle_timeout_s: int = 30
    #: Seconds a client has to send a whole request (header and body), however it trickles.
    request_read_timeout_s: int = 30
    #: Bytes of request line + headers; more is refused with 431.
    max_request_header_bytes: int = 65_536
    #: Bytes of request body; more is refused with 413 problem+json (the server itself stops
    #: reading at twice this, a second layer that holds without the app's check).
    max_request_body_bytes: int = 1_048_576
    #: Reverse proxies in front that set X-Forwarded-For/-Proto (0: trust no such header).
    trusted_proxies: int = 0
    #: Reviewed edits over HTTP (issue 17): the file of hashed API tokens for ``/graphs``
    #: (``None``: ``var_dir/tokens.json``; see :mod:`kgservice.tokens`).
    tokens_file: Path | None = None
    #: The quality gate's SHACL engine (``kgservice check``), one of :data:`SHACL_ENGINES`.
    shacl_engine: str = DEFAULT_SHACL_ENGINE

    def __post_init__(self) -> None:
        if self.sparql_engine not in SPARQL_ENGINES:
            raise ConfigError(
                f"KG_SPARQL_ENGINE={self.sparql_engine!r}: expected one of "
                f"{', '.join(SPARQL_ENGINES)}",
                rule="config-sparql-engine",
            )
        if self.query_workers < 1:
            raise ConfigError(
                f"KG_QUERY_WORKERS must be at least 1, not {self.query_workers}",
                rule="config-query-workers",
            )
        most = max(1, self.query_workers - 1)
        if not 1 <= self.query_client_running <= most:
            raise ConfigError(
                f"KG_QUERY_CLIENT_RUNNING must be between 1 and {most} (one less than "
                f"KG_QUERY_WORKERS={self.query_workers}, so one client cannot take every "
                f"worker), not {self.query_client_running}",
                rule="config-query-client-running",
            )
        if self.shacl_engine not in SHACL_ENGINES:
            raise ConfigError(
                f"KG_SHACL_ENGINE={self.shacl_engine!r}: expected one of "
                f"{', '.join(SHACL_ENGINES)}",
                rule="config-shacl-engine",
            )
        if self.query_client_waiting < 0 or self.query_client_budget_s < 0:
            raise ConfigError(
                "KG_QUERY_CLIENT_WAITING and KG_QUERY_CLIENT_BUDGET must be 0 or more",
                rule="config-query-client-limits",
            )

    @property
    def remote(self) -> bool:
        return bool(self.sparql_endpoint)

    @property
    def update_endpoint(self) -> str:
        return self.sparql_update_endpoint or _derive(
            self.sparql_endpoint, "update", self.sparql_engine
        )

    @property
    def store_endpoint(self) -> str:
        return self.graph_store_endpoint or _derive(
            self.sparql_endpoint, "store", self.sparql_engine
        )

    @classmethod
    def for_project(cls, root: Path) -> Settings:
        """Default settings with every source and working directory under ``root``."""
        return cls(
            project_dir=root,
            ontology_dir=root / "ontology",
            shapes_dir=root / "shapes",
            mappings_dir=root / "mappings",
            queries_dir=root / "queries",
            data_dir=root / "data",
            var_dir=root / "var",
            store_path=root / "var" / "store",
        )

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, cwd: Path | None = None
    ) -> Settings:
        """Settings from ``KG_*`` variables; paths default to the project tree that
        :func:`find_project_root` finds from ``cwd`` (default: the current directory)."""
        env = os.environ if environ is None else environ
        root = find_project_root(env, Path.cwd() if cwd is None else cwd)
        s = cls.for_project(root)
        paths = {
            "KG_STORE": "store_path",
            "KG_ONTOLOGY_DIR": "ontology_dir",
            "KG_SHAPES_DIR": "shapes_dir",
            "KG_MAPPINGS_DIR": "mappings_dir",
            "KG_QUERIES_DIR": "queries_dir",
            "KG_DATA_DIR": "data_dir",
            "KG_VAR_DIR": "var_dir",
            "KG_TOKENS_FILE": "tokens_file",  # issue 17: hashed API tokens for /graphs
        }
        changes: dict[str, object] = {}
        for var, attr in paths.items():
            if env.get(var):
                changes[attr] = Path(env[var]).expanduser()
        if "KG_VAR_DIR" in env and "KG_STORE" not in env:
            changes["store_path"] = Path(env["KG_VAR_DIR"]).expanduser() / "store"
        strings = {
            "KG_SPARQL_ENDPOINT": "sparql_endpoint",
            "KG_SPARQL_UPDATE_ENDPOINT": "sparql_update_endpoint",
            "KG_GRAPH_STORE_ENDPOINT": "graph_store_endpoint",
            "KG_SPARQL_ENGINE": "sparql_engine",
            "KG_SPARQL_USER": "sparql_user",
            "KG_SPARQL_PASSWORD": "sparql_password",
            "KG_BASE_IRI": "base_iri",
            "KG_HOST": "host",
            "KG_PSEUDONYM_KEY": "pseudonym_key",
            "KG_DEFAULT_LANG": "default_lang",
        }
        for var, attr in strings.items():
            if env.get(var):
                changes[attr] = env[var]
        for var, (attr, kind, minimum) in _NUMBERS.items():
            if env.get(var):
                changes[attr] = _number(env, var, kind, minimum)
        if env.get("KG_SHACL_ENGINE"):
            changes["shacl_engine"] = env["KG_SHACL_ENGINE"].strip().lower()
        if env.get("KG_DEBUG"):
            changes["debug"] = _bool(env["KG_DEBUG"])
        s = replace(s, **changes)  # type: ignore[arg-type]
        if not s.base_iri.endswith(("/", "#")):
            s = replace(s, base_iri=s.base_iri + "/")
        return s


#: Numeric settings: variable → (attribute, type, smallest valid value). Relations between them
#: (a client's share of the query workers) are checked in ``Settings.__post_init__``.
_NUMBERS: dict[str, tuple[str, type[int] | type[float], float]] = {
    "KG_PORT": ("port", int, 0),
    "KG_QUERY_TIMEOUT": ("query_timeout_s", float, 0.001),
    "KG_QUERY_ROW_LIMIT": ("query_row_limit", int, 1),
    "KG_QUERY_WORKERS": ("query_workers", int, 1),
    "KG_QUERY_CLIENT_RUNNING": ("query_client_running", int, 1),
    "KG_QUERY_CLIENT_WAITING": ("query_client_waiting", int, 0),
    "KG_QUERY_CLIENT_BUDGET": ("query_client_budget_s", float, 0),
    "KG_QUERY_MAX_BYTES": ("query_max_bytes", int, 1),
    "KG_QUERY_MAX_DEPTH": ("query_max_depth", int, 1),
    "KG_QUARANTINE_THRESHOLD": ("quarantine_threshold", float, 0),
    "KG_KEEP_BUILDS": ("keep_builds", int, 1),
    "KG_BUILD_PROCESSES": ("build_processes", int, 1),
    "KG_THREADS": ("threads", int, 1),
    "KG_CONNECTION_LIMIT": ("connection_limit", int, 1),
    "KG_IDLE_TIMEOUT": ("idle_timeout_s", int, 1),
    "KG_REQUEST_READ_TIMEOUT": ("request_read_timeout_s", int, 1),
    "KG_MAX_REQUEST_HEADER_SIZE": ("max_request_header_bytes", int, 1024),
    "KG_MAX_REQUEST_BODY_SIZE": ("max_request_body_bytes", int, 1024),
    "KG_TRUSTED_PROXIES": ("trusted_proxies", int, 0),
}


def _number(
    env: Mapping[str, str], var: str, kind: type[int] | type[float], minimum: float
) -> int | float:
    """``env[var]`` as a number of ``kind``, at least ``minimum``; else a :class:`ConfigError`
    naming the variable, what it got and the valid range (rule ``bad-setting``)."""
    from kgservice.errors import ConfigError

    try:
        value = kind(env[var])
    except ValueError:
        value = None
    if value is None or value < minimum:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{var}={env[var]!r}: expected {what} >= {minimum:g}", rule="bad-setting")
    return value


#: The engines ``KG_SPARQL_ENGINE`` names (the remote backend has one dialect each).
SPARQL_ENGINES = ("oxigraph", "virtuoso", "generic")
#: Virtuoso's update and Graph Store endpoints beside its ``/sparql`` (both need a user).
_VIRTUOSO_PATHS = {"update": "sparql-auth", "store": "sparql-graph-crud-auth"}


def _derive(endpoint: str, kind: str, engine: str = "oxigraph") -> str:
    if not endpoint:
        return ""
    if engine == "virtuoso" and endpoint.rstrip("/").endswith("/sparql"):
        return endpoint.rstrip("/")[: -len("sparql")] + _VIRTUOSO_PATHS[kind]
    if endpoint.rstrip("/").endswith("/query"):
        return endpoint.rstrip("/")[: -len("query")] + kind
    if endpoint.rstrip("/").endswith("/sparql"):
        return endpoint.rstrip("/")[: -len("sparql")] + kind
    return endpoint.rstrip("/") + "/" + kind
