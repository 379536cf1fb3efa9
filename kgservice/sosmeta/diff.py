"""Change history between two versions of a structure: entries added, removed or changed.

Entries are matched by their JSON path (the part of the entry IRI after ``/entry/``) and compared
on the fields both versions describe: Finnish label, row number, obligation, repetition, data
type and code list. When the older version is only partially described (``rake:partial true``,
e.g. the seed's 2022-06-28 listing of rows 1–6, 84, 85), entries missing from it are *not*
reported as added — nothing is known about them — and the result says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from kgservice.config import Settings
from kgservice.namespaces import RDF, RDFS, SKOS, Project
from kgservice.queries import select
from kgservice.store.base import Store

FIELDS = ("labelFi", "row", "obligation", "repeatable", "dataType", "codeList")
FIELD_NAMES_FI = {
    "labelFi": "nimi",
    "row": "rivinumero",
    "obligation": "pakollisuus",
    "repeatable": "toistuvuus",
    "dataType": "tietotyyppi",
    "codeList": "koodisto",
}


def _short(value: str | None) -> str:
    if not value:
        return "–"
    return value.rsplit("/", 1)[-1] if value.startswith(("http://", "https://")) else value


@dataclass
class Change:
    path: str
    kind: str  # added | removed | changed
    fields: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)

    def comment(self) -> str:
        if self.kind == "added":
            return f"Lisätty tietosisältö {self.path}"
        if self.kind == "removed":
            return f"Poistettu tietosisältö {self.path}"
        parts = [
            f"{FIELD_NAMES_FI[k]}: {_short(old)} → {_short(new)}"
            for k, (old, new) in self.fields.items()
        ]
        return f"Muutettu tietosisältö {self.path}: " + "; ".join(parts)


@dataclass
class VersionDiff:
    old: str
    new: str
    old_partial: bool
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)  # in new, absent from a partial old

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def summary(self) -> str:
        text = (
            f"{len(self.of_kind('added'))} added, {len(self.of_kind('removed'))} removed, "
            f"{len(self.of_kind('changed'))} changed, {self.unchanged} unchanged"
        )
        if self.old_partial:
            text += (
                f"; the older version is only partially described, so {len(self.unknown)} "
                "entries of the newer one cannot be compared"
            )
        return text


def _entries(store: Store, settings: Settings, version: str) -> dict[str, dict[str, str]]:
    rows = select(
        store, settings.queries_dir, "sosmeta/structure-entries", version=NamedNode(version)
    )
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        path = row["entry"].value.split("/entry/", 1)[1]
        values = out.setdefault(path, {})
        for key in FIELDS:
            if key in row and key not in values:
                values[key] = row[key].value
    return out


def _is_partial(store: Store, settings: Settings, version: str, structure: str) -> bool:
    rows = select(
        store, settings.queries_dir, "sosmeta/structure-versions", structure=NamedNode(structure)
    )
    return any(
        r["version"].value == version and "partial" in r and r["partial"].value == "true"
        for r in rows
    )


def diff_versions(
    store: Store, settings: Settings, structure: str, old: str, new: str
) -> VersionDiff:
    """Compare version ``old`` with version ``new`` of ``structure`` (all IRIs)."""
    a, b = _entries(store, settings, old), _entries(store, settings, new)
    result = VersionDiff(old, new, _is_partial(store, settings, old, structure))
    for path in sorted(set(a) | set(b)):
        if path not in a:
            if result.old_partial:
                result.unknown.append(path)
            else:
                result.changes.append(Change(path, "added"))
        elif path not in b:
            result.changes.append(Change(path, "removed"))
        else:
            fields = {
                k: (a[path].get(k), b[path].get(k))
                for k in FIELDS
                if k in a[path] and k in b[path] and a[path][k] != b[path][k]
            }
            if fields:
                result.changes.append(Change(path, "changed", fields))
            else:
                result.unchanged += 1
    return result


def versions_of(store: Store, settings: Settings, structure: str) -> list[tuple[str, str]]:
    """(version IRI, date) of a structure, oldest first."""
    rows = select(
        store, settings.queries_dir, "sosmeta/structure-versions", structure=NamedNode(structure)
    )
    return [(r["version"].value, r["date"].value if "date" in r else "") for r in rows]


def change_triples(d: VersionDiff) -> list[Triple]:
    """The diff as ``rake:ChangeHistoryEntry`` resources of the newer version."""
    rake = Project(d.new.split("/sosmeta/", 1)[0] + "/").ontology  # the base of the version
    new = NamedNode(d.new)
    out = [Triple(new, NamedNode(rake + "previousVersion"), NamedNode(d.old))]
    for c in d.changes:
        node = NamedNode(f"{d.new}/change/{c.kind}/{c.path}")
        out += [
            Triple(new, NamedNode(rake + "hasChange"), node),
            Triple(
                node,
                NamedNode(RDF + "type"),
                NamedNode(rake + "ChangeHistoryEntry"),
            ),
            Triple(node, NamedNode(rake + "changeType"), Literal(c.kind)),
            Triple(
                node,
                NamedNode(rake + "affectsEntry"),
                NamedNode(f"{d.new if c.kind != 'removed' else d.old}/entry/{c.path}"),
            ),
            Triple(
                node,
                NamedNode(RDFS + "comment"),
                Literal(c.comment(), language="fi"),
            ),
        ]
    if d.old_partial:
        out.append(
            Triple(
                new,
                NamedNode(SKOS + "note"),
                Literal(
                    f"Muutoshistoria on laskettu osittain kuvattuun edelliseen versioon "
                    f"verrattuna: {len(d.unknown)} tietosisältöä puuttuu vanhasta kuvauksesta, "
                    "joten niiden lisäämistä tai muuttumista ei voida todeta.",
                    language="fi",
                ),
            )
        )
    return out
