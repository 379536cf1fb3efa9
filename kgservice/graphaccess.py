"""Who may read and write which named graph over ``/graphs`` (issue 17), and the errors saying no.

Graphs fall into kinds by their IRI under the base ``B`` (:func:`graph_kind`):

==============  ===============================  ===========================================
kind            graphs                           read / write
==============  ===============================  ===========================================
vocabulary      ``B graph/ontology/<module>``    anyone / ``vocabulary-editor``
statistics      ``B graph/source/<slug>``        anyone / ``statistics-loader``
client          ``B graph/client`` and below     ``client-data-reader`` / nobody (the build)
changelog       ``B graph/changelog``            anyone / nobody (each write adds its entry)
release         ``B graph/release/<v>/<m>``      anyone / nobody (frozen: ``kgservice release``)
other           every other graph                anyone / nobody (the build derives them)
==============  ===============================  ===========================================

The roles are those of :mod:`kgservice.tokens`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import RdfFormat, Triple

from kgservice.config import Settings
from kgservice.errors import KgError
from kgservice.iris import graph_iri
from kgservice.store.base import Store
from kgservice.tokens import CLIENT_DATA_READER, STATISTICS_LOADER, VOCABULARY_EDITOR

VOCABULARY = "vocabulary"
STATISTICS = "statistics"
CLIENT = "client"
CHANGELOG = "changelog"
RELEASE = "release"
OTHER = "other"

#: The role that may write each writable kind.
WRITER_ROLE = {VOCABULARY: VOCABULARY_EDITOR, STATISTICS: STATISTICS_LOADER}
#: The role that may read each kind that is not public.
READER_ROLE = {CLIENT: CLIENT_DATA_READER}

_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class GraphWrite:
    """One write: the graph, the method, the triples sent (PUT/POST), who and why."""

    graph: str
    method: str
    triples: tuple[Triple, ...]
    who: str
    comment: str = ""
    #: The client's ``If-Match`` (the graph's ETag as it read it; ``"*"``: any existing version).
    if_match: str | None = None


@dataclass(frozen=True)
class WriteOutcome:
    """What a write did: whether it made the graph, its new version and its change set."""

    created: bool
    etag: str
    change: str
    added: int
    removed: int


def change_log_graph(settings: Settings) -> str:
    """The graph every accepted write records itself in (``cs:ChangeSet`` entries)."""
    return graph_iri(settings, "changelog")


def graph_kind(settings: Settings, iri: str) -> str:
    """The kind of the named graph ``iri`` (see the module docstring)."""
    client = graph_iri(settings, "client")
    if iri == client or iri.startswith(client + "/"):
        return CLIENT
    if iri == change_log_graph(settings) or iri.startswith(change_log_graph(settings) + "/"):
        return CHANGELOG
    if iri.startswith(graph_iri(settings, "release") + "/"):
        return RELEASE  # the frozen releases, in the release store (kgservice.store.releases)
    for area, kind in (("ontology", VOCABULARY), ("source", STATISTICS)):
        prefix = graph_iri(settings, area) + "/"
        if iri.startswith(prefix) and _SEGMENT.match(iri[len(prefix) :]):
            return kind
    return OTHER


def writable_areas(settings: Settings) -> list[str]:
    """The graph IRI patterns a token may write, with the role each needs (for error messages)."""
    return [
        graph_iri(settings, "ontology") + "/<module>  (vocabulary-editor)",
        graph_iri(settings, "source") + "/<slug>  (statistics-loader)",
    ]


@dataclass
class Unauthorized(KgError):
    """No token, or one that is malformed, unknown or revoked (RFC 6750 ``401``)."""

    status: int = 401
    #: RFC 6750's ``error`` parameter of the challenge (empty when no token was sent).
    error: str = ""


@dataclass
class Forbidden(KgError):
    """A valid token whose role does not allow this graph or method (``403``)."""

    status: int = 403
    valid: list[str] = field(default_factory=list)

    def problem(self) -> dict[str, Any]:
        return {**super().problem(), "valid": self.valid}


@dataclass
class Conflict(KgError):
    """The graph changed since the client read it, or another write to it is in progress
    (``409``); the client reads the graph again and retries."""

    status: int = 409
    #: The graph's ``ETag`` now (empty while the graph does not exist).
    current: str = ""

    def problem(self) -> dict[str, Any]:
        return {**super().problem(), "current_etag": self.current}


@dataclass
class UnsupportedMediaType(KgError):
    """The request body is in a format ``/graphs`` does not read (``415``)."""

    status: int = 415
    valid: list[str] = field(default_factory=list)

    def problem(self) -> dict[str, Any]:
        return {**super().problem(), "valid": self.valid}


@dataclass
class GraphInvalid(KgError):
    """The graph as it would be after the write breaks the rules that govern it (``400``);
    ``report`` lists the results (SHACL results, Data Cube ICs) and nothing was changed."""

    report: list[dict[str, Any]] = field(default_factory=list)

    def problem(self) -> dict[str, Any]:
        return {**super().problem(), "conforms": False, "results": self.report}


def graph_etag(store: Store, graph: str) -> str:
    """The version of ``graph`` in ``store``: a hash of its sorted N-Triples (``""`` when the
    graph does not exist). The same content gives the same tag in every store generation."""
    if graph not in store.graphs():
        return ""
    return lines_etag(set(store.dump(RdfFormat.N_TRIPLES, graph).splitlines()))


def lines_etag(lines: set[bytes]) -> str:
    """:func:`graph_etag` of a graph given as its set of N-Triples lines."""
    return hashlib.sha256(b"\n".join(sorted(lines))).hexdigest()[:32]
