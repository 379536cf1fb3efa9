"""One exception hierarchy for the CLI and the web.

Every error says where the problem is (file, line or row) and which rule was broken. The CLI prints
:meth:`KgError.describe`; the web turns :meth:`KgError.problem` into ``application/problem+json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class KgError(Exception):
    """Base of every error a user can cause. Never shown as a bare traceback."""

    message: str
    file: str | None = None
    line: int | None = None
    rule: str | None = None
    status: int = 400

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def where(self) -> str:
        if self.file and self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def describe(self) -> str:
        """``file:line: [rule] message`` with the parts that are known."""
        text = f"[{self.rule}] {self.message}" if self.rule else self.message
        where = self.where()
        return f"{where}: {text}" if where else text

    def __str__(self) -> str:
        return self.describe()

    def problem(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": type(self).__name__,
            "status": self.status,
            "detail": self.message,
        }
        if self.file:
            body["file"] = self.file
        if self.line is not None:
            body["line"] = self.line
        if self.rule:
            body["rule"] = self.rule
        return body


class ConfigError(KgError):
    """Configuration is missing or contradictory."""


class ParseError(KgError):
    """A source file cannot be parsed (names the file and line)."""


class ValidationError(KgError):
    """Data breaks a SHACL shape or another rule."""


@dataclass
class BuildError(KgError):
    """A build step failed; the previous store keeps serving."""

    status: int = 500


@dataclass
class StoreError(KgError):
    """The triple store refused or failed an operation."""

    status: int = 502


@dataclass
class StoreUnavailable(StoreError):
    """No finished build to serve: none built yet, or the store link points at nothing usable.

    ``file`` names the store for the operator (CLI, logs); web responses never show it.
    """

    status: int = 503


class QueryError(KgError):
    """A query is malformed, forbidden, or its parameters are wrong."""


@dataclass
class QueryTimeout(KgError):
    """A query ran past its time limit and was stopped."""

    status: int = 503


@dataclass
class QueryLimited(KgError):
    """A client is over its share of the query workers (RFC 6585 ``429 Too Many Requests``)."""

    status: int = 429
    #: Whole seconds after which the same request would be admitted (the ``Retry-After``).
    retry_after_s: int = 1
    #: The limits that applied and what the client used, for the problem document.
    limits: dict[str, float] = field(default_factory=dict)

    def problem(self) -> dict[str, Any]:
        return {**super().problem(), **self.limits, "retry_after": self.retry_after_s}


@dataclass
class NotFound(KgError):
    """No such resource."""

    status: int = 404


#: At most this many characters of a caller's value are echoed back in an error.
ECHO_LIMIT = 80


def shown(value: str, limit: int = ECHO_LIMIT) -> str:
    """``value`` cut to ``limit`` characters (with ``…``), safe to echo in an error message."""
    return value if len(value) <= limit else value[:limit] + "…"


@dataclass
class ParameterError(QueryError):
    """A request parameter breaks its rule. Carries the parameter, the caller's value (cut to
    :data:`ECHO_LIMIT`) and the valid choices: a list of values, or a dict such as
    ``{"minimum": 1, "maximum": 50}`` or ``{"maxLength": 200}``.

    ``kind`` names the rule for translated error pages: ``choice``, ``range``, ``integer``,
    ``length``, ``syntax``, ``iri`` or ``required``.
    """

    parameter: str = ""
    value: str | None = None
    valid: list[str] | dict[str, Any] | None = None
    kind: str = "choice"

    def __post_init__(self) -> None:
        if self.value is not None:
            self.value = shown(self.value)
        super().__post_init__()

    def problem(self) -> dict[str, Any]:
        body = super().problem()
        body["parameter"] = self.parameter
        if self.value is not None:
            body["value"] = self.value
        if self.valid is not None:
            body["valid"] = self.valid
        return body
