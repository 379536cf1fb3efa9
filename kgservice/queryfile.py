"""One SPARQL file and its header: the format of ``queries/*.rq`` and ``mappings/**/*.rq``.

Every file starts with a header comment::

    # Purpose: what the query answers, in one or more lines.
    # @param ?area iri  The region (a skos:Concept in the region scheme).
    # @param ?year literal  The year, xsd:gYear or xsd:integer.
    # @returns ?indicator ?value ... one row per ...

:class:`NamedQuery` holds the text with its purpose, declared parameters and returns, and checks
a set of bindings against the declared parameters. Reading a file needs no store: the mapping
engine reads its templates with it, :mod:`kgservice.queries` the query catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kgservice.errors import QueryError
from kgservice.store.base import Bindings

_PARAM = re.compile(r"^#\s*@param\s+\?(\w+)\s+(\w+)\s*(.*)$")
_RETURNS = re.compile(r"^#\s*@returns\s*(.*)$")
_PURPOSE = re.compile(r"^#\s*Purpose:\s*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    purpose: str
    params: dict[str, tuple[str, str]]  # variable → (kind, description)
    returns: str

    def check_bindings(self, bindings: Bindings) -> None:
        missing = set(self.params) - set(bindings)
        extra = set(bindings) - set(self.params)
        if missing or extra:
            raise QueryError(
                f"query {self.name!r}: missing parameters {sorted(missing)}, "
                f"undeclared parameters {sorted(extra)}",
                file=str(self.path),
                rule="query-parameters",
            )


def parse_header(name: str, path: Path, text: str) -> NamedQuery:
    purpose: list[str] = []
    params: dict[str, tuple[str, str]] = {}
    returns: list[str] = []
    section = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if m := _PARAM.match(line):
            params[m.group(1)] = (m.group(2).lower(), m.group(3).strip())
            section = None
        elif m := _RETURNS.match(line):
            returns.append(m.group(1).strip())
            section = "returns"
        elif m := _PURPOSE.match(line):
            purpose.append(m.group(1).strip())
            section = "purpose"
        elif section == "purpose":
            purpose.append(line.lstrip("#").strip())
        elif section == "returns":
            returns.append(line.lstrip("#").strip())
    return NamedQuery(
        name=name,
        path=path,
        text=text,
        purpose=" ".join(p for p in purpose if p),
        params=params,
        returns=" ".join(r for r in returns if r),
    )
