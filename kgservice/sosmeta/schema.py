"""Reads one Sosmeta JSON Schema download into a :class:`Structure` (header + entry tree).

The JSON Schema form (draft-07) uses a small subset of the standard: ``type``, ``properties``,
``required``, ``additionalProperties: false``, ``items``/``minItems``, ``minLength``, ``pattern``
and ``enum``; every Sosmeta element also carries a ``sosmeta`` block (fi/sv names, obligation,
repetition, row number, representation, code lists). Anything outside that subset is refused with
a :class:`~kgservice.errors.ParseError` naming the file and the JSON path, so a new feature of
the download format is never silently ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgservice.errors import ParseError

_OID = re.compile(r"^\d+(\.\d+)+$")
_VERSION_TAIL = re.compile(r"^(?P<base>.+?)\.(?P<y>\d{4})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})$")
_KNOWN_KEYS = {
    "$schema",
    "title",
    "type",
    "additionalProperties",
    "required",
    "properties",
    "items",
    "minItems",
    "minLength",
    "pattern",
    "enum",
    "sosmeta",
}
_JSON_TYPES = {"string", "object", "array", "boolean", "number"}

LangText = dict[str, str]


@dataclass
class Entry:
    """One element of a structure: a data entry, a data component or a technical sub-field."""

    path: tuple[str, ...]  # JSON keys from the root key down (array items are transparent)
    json_type: str  # string | object | array | boolean | number
    required: bool  # listed in the parent's JSON ``required``
    item_type: str | None = None  # for arrays: the type of the items
    min_items: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    names: LangText = field(default_factory=dict)
    descriptions: LangText = field(default_factory=dict)
    titles: LangText = field(default_factory=dict)
    representation: LangText = field(default_factory=dict)
    notes: LangText = field(default_factory=dict)
    row: int | None = None
    sosmeta_required: bool = False
    repeatable: bool = False
    conditional: bool = False
    hidden: bool = False
    hidden_title: bool = False
    nationwide: bool = False
    system_uri: str | None = None
    code_list: str | None = None  # urn:oid:<classification OID>
    code_list_name: LangText = field(default_factory=dict)
    code_list_link: str | None = None
    value_set: LangText = field(default_factory=dict)  # an internal value list: "8 = …" lines
    children: list[Entry] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.path[-1]

    @property
    def rel(self) -> str:
        return "/".join(self.path)

    @property
    def has_sosmeta(self) -> bool:
        return bool(self.names)

    @property
    def obligation(self) -> str:
        if self.sosmeta_required:
            return "pakollinen"
        if self.conditional:
            return "ehdollisesti-pakollinen"
        return "ei-pakollinen"

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Structure:
    """The header of a structure version and its root entry."""

    oid: str  # full OID with the version tail
    base_oid: str  # OID without the version tail (one per structure, shared by its versions)
    version_date: str  # ISO date
    names: LangText
    status: str
    document_type: str
    author: str | None
    subject: str | None
    component_library_version: str | None
    root: Entry
    source: str = ""  # file name the structure was read from

    def entries(self) -> list[Entry]:
        return list(self.root.walk())


def split_oid(oid: str, file: str = "") -> tuple[str, str]:
    """``1.2.246.537.6.1506.11052.2023.9.8`` → (``…1506.11052``, ``2023-09-08``)."""
    m = _VERSION_TAIL.match(oid)
    if not m or not _OID.match(oid):
        raise ParseError(
            f"OID {oid!r} does not end in a version date", file=file, rule="sosmeta-oid"
        )
    return m["base"], f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"


#: Anything shaped like a Finnish identity code. Sosmeta's own notes contain example codes;
#: identity codes never reach the store, so they are masked at import.
HETU_SHAPED = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]")
HETU_MASK = "PPKKVV-NNNT"


def _texts(block: dict[str, Any], key: str) -> LangText:
    out: LangText = {}
    for item in block.get(key) or []:
        value = HETU_SHAPED.sub(HETU_MASK, (item.get("value") or "").strip())
        if value and value != "-":
            out.setdefault(item.get("lang") or "", value)
    return out


def _first(block: dict[str, Any], key: str) -> str | None:
    texts = _texts(block, key)
    return next(iter(texts.values()), None)


def _check_keys(node: dict[str, Any], file: str, where: str) -> None:
    unknown = set(node) - _KNOWN_KEYS
    if unknown:
        raise ParseError(
            f"unsupported JSON Schema keywords {sorted(unknown)} at {where or '/'}",
            file=file,
            rule="sosmeta-schema-subset",
        )
    if node.get("additionalProperties", False) is not False:
        raise ParseError(
            f"additionalProperties must be false at {where}",
            file=file,
            rule="sosmeta-schema-subset",
        )


def _entry(node: dict[str, Any], path: tuple[str, ...], required: bool, file: str) -> Entry:
    where = "/".join(path)
    _check_keys(node, file, where)
    jtype = node.get("type")
    if jtype not in _JSON_TYPES:
        raise ParseError(f"unsupported type {jtype!r} at {where}", file=file, rule="sosmeta-type")
    body = node
    item_type = None
    if jtype == "array":
        body = node.get("items") or {}
        _check_keys(body, file, where + "/items")
        item_type = body.get("type")
        if item_type not in _JSON_TYPES - {"array"}:
            raise ParseError(
                f"unsupported item type {item_type!r} at {where}", file=file, rule="sosmeta-type"
            )
    sm = body.get("sosmeta") or node.get("sosmeta") or {}
    oid = _first(sm, "classificationOid")
    entry = Entry(
        path=path,
        json_type=jtype,
        required=required,
        item_type=item_type,
        min_items=node.get("minItems"),
        min_length=body.get("minLength"),
        pattern=body.get("pattern"),
        enum=tuple(body["enum"]) if "enum" in body else None,
        names=_texts(sm, "name"),
        descriptions=_texts(sm, "description"),
        titles=_texts(sm, "title"),
        representation=_texts(sm, "representation"),
        notes=_texts(sm, "implementationNote"),
        row=sm.get("rowNumber"),
        sosmeta_required=bool(sm.get("required")),
        repeatable=bool(sm.get("repeatable")),
        conditional=bool(sm.get("conditionalRequired")),
        hidden=bool(sm.get("hiddenField")),
        hidden_title=bool(sm.get("hiddenTitle")),
        nationwide=bool(sm.get("nationwideRecordedInformation")),
        system_uri=_first(sm, "systemUri"),
        code_list=f"urn:oid:{oid}" if oid and _OID.match(oid) else None,
        code_list_name=_texts(sm, "classification"),
        code_list_link=_first(sm, "classificationLink"),
        value_set=_texts(sm, "valueSet"),
    )
    req = set(body.get("required") or [])
    props = body.get("properties") or {}
    missing = req - set(props)
    if missing:
        raise ParseError(
            f"required keys {sorted(missing)} have no properties at {where}",
            file=file,
            rule="sosmeta-required",
        )
    for key, child in props.items():
        entry.children.append(_entry(child, (*path, key), key in req, file))
    return entry


def parse_schema(data: dict[str, Any], file: str = "") -> Structure:
    """A parsed JSON Schema document → :class:`Structure`."""
    _check_keys(data, file, "")
    head = data.get("sosmeta") or {}
    oid = head.get("oid")
    if not oid:
        raise ParseError("root sosmeta block has no oid", file=file, rule="sosmeta-header")
    base, date = split_oid(oid, file)
    props = data.get("properties") or {}
    if len(props) != 1 or data.get("required") != list(props):
        raise ParseError(
            "a structure has exactly one required root key", file=file, rule="sosmeta-root"
        )
    ((root_key, root_node),) = props.items()
    root = _entry(root_node, (root_key,), True, file)
    return Structure(
        oid=oid,
        base_oid=base,
        version_date=date,
        names=root.names or {"fi": root_key},
        status=head.get("status") or "",
        document_type=head.get("documentType") or "",
        author=head.get("documentAuthor"),
        subject=head.get("documentSubject"),
        component_library_version=head.get("dataComponentLibraryVersion"),
        root=root,
        source=Path(file).name if file else "",
    )


def load_schema(path: Path) -> Structure:
    """Read and parse one ``<OID>.json`` file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ParseError(exc.msg, file=str(path), line=exc.lineno, rule="json-syntax") from exc
    return parse_schema(data, str(path))


def load_schema_dir(directory: Path) -> list[Structure]:
    """Every ``*.json`` schema of ``directory``, sorted by OID."""
    files = sorted(directory.glob("*.json"))
    if not files:
        raise ParseError("no *.json Sosmeta schemas found", file=str(directory), rule="sosmeta")
    return sorted((load_schema(p) for p in files), key=lambda s: s.oid)
