"""``kgservice lift FILES…``: client documents → pseudonymised triples in a private batch graph.

For each document: structure found (root key or ``--structure``), checked against the generated
shapes, identity codes checked with python-stdnum. A document that fails any check is
*quarantined* (listed in ``var/quarantine/sosmeta-<batch>.json`` with its violations, never its
values) and contributes nothing. The accepted ones become, per document:

* ``rake:ClientDocument``, ``rake:conformsTo`` the structure version;
* ``rake:clientPseudonym`` = HMAC-SHA-256(``KG_PSEUDONYM_KEY``, identity code) per client
  (a temporary identifier is pseudonymised the same way with its own prefix);
* derived attributes: ``rake:ageGroup`` (from the birth date in the identity code, on the
  document date), ``rake:residenceMunicipality`` (a municipality code inside a *Kotikunta*
  entry → ``region/kunta/<code>``),
  ``rake:recordingCounty`` (``--county``, the wellbeing county that recorded the documents),
  ``rake:year`` (``xsd:gYear`` of the document date);
* coded values (``<entry> "code"``), booleans and numbers; names, free text, addresses, dates and
  identifiers are dropped unless their entry path is listed in ``keep``.

The batch is written to ``var/client/<batch>.nq`` (graph ``graph/client/<batch>``) in one atomic
rename and loaded by the next ``kgservice build`` (which, with a remote store, pushes it there
like every other graph). Nothing is written when the key is missing.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from kgservice.config import CANONICAL_BASE_IRI, Settings
from kgservice.errors import ValidationError
from kgservice.iris import graph_iri, rebase
from kgservice.sosmeta.documents import StructureResolver, read_documents
from kgservice.sosmeta.model_rdf import RAKE, RDF, XSD, version_iri
from kgservice.sosmeta.pseudonym import (
    age_group,
    birth_date,
    check_hetu,
    pseudonym,
    require_key,
)
from kgservice.sosmeta.validate import DocumentResult, validate_document

log = logging.getLogger("kgservice.sosmeta")
B = CANONICAL_BASE_IRI
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_BATCH = re.compile(r"[^A-Za-z0-9_-]+")
#: Keys of the document date used for the year and the age, in order of preference. A client
#: relationship document (Asiakkuusasiakirja) has no date of its own: its year is that of the
#: first start of a client relationship it records (``asiakkuuden_alkamispvm``).
DATE_KEYS = (
    "paatospaivamaara",
    "paivamaara",
    "laatimispaivamaara",
    "vireilletulopaivamaara",
    "asiakkuuden_alkamispvm",
)


@dataclass
class LiftReport:
    batch: str
    lifted: int = 0
    quarantined: list[DocumentResult] = field(default_factory=list)
    quads: int = 0
    path: Path | None = None

    def summary(self) -> str:
        return (
            f"batch {self.batch}: {self.lifted} documents lifted ({self.quads} quads, "
            f"graph/client/{self.batch}), {len(self.quarantined)} quarantined"
        )


def batch_name(files: Iterable[Path], explicit: str | None = None) -> str:
    name = explicit or next(iter(files)).stem
    return _BATCH.sub("-", name).strip("-") or "batch"


def _walk(value: Any, path: tuple[str, ...]):
    """(path, key, value, parent object) for every key of the document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*path, k), k, v, value
            yield from _walk(v, (*path, k))
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)


def _document_date(doc: Any) -> date | None:
    found: dict[str, date] = {}
    for _, key, value, _ in _walk(doc, ()):
        if key in DATE_KEYS and isinstance(value, str) and (m := _DATE.match(value)):
            try:
                found.setdefault(key, date(int(m[1]), int(m[2]), int(m[3])))
            except ValueError:
                continue
    for key in DATE_KEYS:
        if key in found:
            return found[key]
    return None


def document_quads(
    doc: Any,
    oid: str,
    doc_iri: str,
    graph: str,
    key: bytes,
    county: str | None,
    keep: set[str],
    code_entries: set[str],
) -> list[Quad]:
    """The private, pseudonymised description of one valid document."""
    g = NamedNode(graph)
    subject = NamedNode(doc_iri)
    out: list[Quad] = []

    def add(pred: str, obj) -> None:
        out.append(Quad(subject, NamedNode(pred), obj, g))

    add(RDF + "type", NamedNode(RAKE + "ClientDocument"))
    add(RAKE + "conformsTo", NamedNode(version_iri(oid)))
    on = _document_date(doc)
    if on is not None:
        add(RAKE + "year", Literal(str(on.year), datatype=NamedNode(XSD + "gYear")))
    if county:
        add(RAKE + "recordingCounty", NamedNode(f"{B}region/hyvinvointialue/{county}"))
    entry_base = version_iri(oid) + "/entry/"
    for path, k, value, _parent in _walk(doc, ()):
        rel = "/".join(path)
        if k == "value" and path[-2:-1] == ("henkilotunnus",) and isinstance(value, str):
            compact = check_hetu(value)
            add(RAKE + "clientPseudonym", Literal(pseudonym(key, compact)))
            if on is not None:
                add(RAKE + "ageGroup", Literal(age_group(birth_date(compact), on)))
        elif k == "value" and path[-2:-1] == ("tilapainen_yksilointitunnus",):
            add(RAKE + "clientPseudonym", Literal(pseudonym(key, str(value), "temporary")))
        elif k == "code" and "/".join(path[:-1]) in code_entries and isinstance(value, str):
            add(entry_base + "/".join(path[:-1]), Literal(value))
            if "kotikunta" in path[:-1] and re.fullmatch(r"\d{3}", value):
                add(RAKE + "residenceMunicipality", NamedNode(f"{B}region/kunta/{value}"))
        elif rel in keep and not isinstance(value, dict | list):
            add(entry_base + rel, Literal(str(value)))
        elif isinstance(value, bool):
            add(entry_base + rel, Literal("true" if value else "false", datatype=_BOOL))
        elif isinstance(value, int | float):
            add(entry_base + rel, Literal(str(value), datatype=NamedNode(XSD + "decimal")))
    return out


_BOOL = NamedNode(XSD + "boolean")


def _code_entries(resolver: StructureResolver, oid: str) -> set[str]:
    """JSON paths of coded entries (objects with a ``code`` sub-entry) of a structure."""
    checker = resolver.checker(oid)
    base = version_iri(oid) + "/entry/"
    return {
        ps.path[len(base) : -len("/code")]
        for shape in checker.shapes
        for ps in shape.properties
        if ps.path.startswith(base) and ps.path.endswith("/code")
    }


def _check_county(settings: Settings, county: str) -> None:
    """``--county`` must be a county of the region code list: a batch recorded for an unknown
    county would otherwise make every later build fail at the aggregate's shapes."""
    from kgservice.mappings.regions import load_region_index

    known = sorted(
        p.split("/", 1)[1]
        for p in load_region_index(settings).years
        if p.startswith("hyvinvointialue/")
    )
    if not re.fullmatch(r"\d{2}", county) or county not in known:
        raise ValidationError(
            f"--county {county[:20]!r} is not a wellbeing services county code of the region "
            f"code list; valid: {', '.join(known)}",
            rule="lift-county",
        )


def lift_files(
    settings: Settings,
    files: Iterable[Path],
    structure: str | None = None,
    batch: str | None = None,
    county: str | None = None,
    keep: Iterable[str] = (),
) -> LiftReport:
    """Lift ``files`` into ``var/client/<batch>.nq``; invalid documents are quarantined."""
    key = require_key(settings)
    files = list(files)
    if county is not None:
        _check_county(settings, county)
    name = batch_name(files, batch)
    report = LiftReport(name)
    graph = graph_iri(settings.with_(base_iri=CANONICAL_BASE_IRI), "client", name)
    resolver = StructureResolver(settings.shapes_dir / "generated")
    quads: list[Quad] = []
    keep_set = set(keep)
    code_entries: dict[str, set[str]] = {}  # per structure, found once (not per document)
    number = 0
    for path in files:
        for doc in read_documents(path):
            result, _ = validate_document(doc, resolver, structure)
            if not result.conforms:
                report.quarantined.append(result)
                continue
            number += 1
            doc_iri = f"{B}data/client/{name}/document/{number}"
            oid = result.structure or ""
            if oid not in code_entries:
                code_entries[oid] = _code_entries(resolver, oid)
            quads.extend(
                document_quads(
                    doc.data, oid, doc_iri, graph, key, county, keep_set, code_entries[oid]
                )
            )
            report.lifted += 1
    quads = list(rebase(quads, settings))
    report.quads = len(quads)
    _write_atomically(settings, name, quads, report)
    log.info(
        "lifted batch %s: %d documents, %d quarantined",
        name,
        report.lifted,
        len(report.quarantined),
    )
    return report


def _write_atomically(settings: Settings, name: str, quads: list[Quad], report: LiftReport):
    client_dir = settings.var_dir / "client"
    client_dir.mkdir(parents=True, exist_ok=True)
    target = client_dir / f"{name}.nq"
    tmp = client_dir / f".{name}.nq.tmp"
    tmp.write_bytes(serialize(quads, format=RdfFormat.N_QUADS) or b"")
    os.replace(tmp, target)
    report.path = target
    qdir = settings.var_dir / "quarantine"
    qdir.mkdir(parents=True, exist_ok=True)
    body = [
        {
            "document": r.document,
            "structure": r.structure,
            "violations": [p.__dict__ for p in r.problems],
        }
        for r in report.quarantined
    ]
    (qdir / f"sosmeta-{name}.json").write_text(
        json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def client_batches(settings: Settings) -> list[Path]:
    return sorted((settings.var_dir / "client").glob("*.nq"))


def run_lift_command(
    settings: Settings,
    files: tuple[Path, ...],
    structure: str | None,
    batch: str | None = None,
    county: str | None = None,
    keep: tuple[str, ...] = (),
) -> str:
    return lift_files(settings, files, structure, batch, county, keep).summary()
