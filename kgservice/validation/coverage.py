"""The coverage report: what terminologists still have to write, per concept scheme.

For each scheme: how many concepts, which share has a ``skos:prefLabel`` and a
``skos:definition`` in Finnish, Swedish and English, and how many concepts are in each lifecycle
status. Concepts belong to a scheme by ``skos:inScheme`` or ``skos:topConceptOf``.

Statistical variables (``data/variable/<source>/<code>``) are not concepts: their Finnish label
and definitions come from the publishers at build time; ``ontology/`` adds Swedish and English
labels (``ontology/statistical-variables.ttl``). :func:`variable_coverage` reports those per
source: variables described, the share with a ``skos:prefLabel`` in sv and en, with the Finnish
label they were made from (``rake:translationOf``) and with a ``skos:editorialNote`` saying whose
terms they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS

from kgservice.namespaces import CANONICAL, RDFS

RAKE = Namespace(CANONICAL.ontology)
LANGUAGES = ("fi", "sv", "en")
NO_SCHEME = "(no scheme)"
NO_STATUS = "(none)"


@dataclass
class SchemeCoverage:
    scheme: str
    label: str
    concepts: int = 0
    pref_label: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LANGUAGES, 0))
    definition: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LANGUAGES, 0))
    status: dict[str, int] = field(default_factory=dict)

    def share(self, count: int) -> float:
        return count / self.concepts if self.concepts else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "label": self.label,
            "concepts": self.concepts,
            "prefLabel": {
                lang: {"count": n, "share": round(self.share(n), 4)}
                for lang, n in self.pref_label.items()
            },
            "definition": {
                lang: {"count": n, "share": round(self.share(n), 4)}
                for lang, n in self.definition.items()
            },
            "status": dict(sorted(self.status.items())),
        }


def _languages(graph: Graph, concept: URIRef, predicate: URIRef) -> set[str]:
    return {
        (o.language or "").lower().split("-")[0]
        for o in graph.objects(concept, predicate)
        if isinstance(o, Literal) and str(o).strip()
    }


def _label(graph: Graph, node: URIRef) -> str:
    labels = {
        (o.language or ""): str(o)
        for p in (SKOS.prefLabel, URIRef(RDFS + "label"))
        for o in graph.objects(node, p)
        if isinstance(o, Literal)
    }
    return labels.get("fi") or labels.get("en") or next(iter(labels.values()), "")


def coverage(graph: Graph) -> list[SchemeCoverage]:
    """One row per scheme (sorted by IRI), plus ``(no scheme)`` for concepts outside any."""
    members: dict[str, set[URIRef]] = {}
    concepts = {c for c in graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}
    for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
        members.setdefault(str(scheme), set())
    for concept in concepts:
        schemes = {str(s) for s in graph.objects(concept, SKOS.inScheme)}
        schemes |= {str(s) for s in graph.objects(concept, SKOS.topConceptOf)}
        for name in schemes or {NO_SCHEME}:
            members.setdefault(name, set()).add(concept)
    rows: list[SchemeCoverage] = []
    for name in sorted(members):
        row = SchemeCoverage(
            scheme=name,
            label="" if name == NO_SCHEME else _label(graph, URIRef(name)),
        )
        for concept in members[name]:
            row.concepts += 1
            labels = _languages(graph, concept, SKOS.prefLabel)
            definitions = _languages(graph, concept, SKOS.definition)
            for lang in LANGUAGES:
                row.pref_label[lang] += lang in labels
                row.definition[lang] += lang in definitions
            statuses = [
                str(s).rstrip("/").rsplit("/", 1)[-1] for s in graph.objects(concept, RAKE.status)
            ]
            for status in statuses or [NO_STATUS]:
                row.status[status] = row.status.get(status, 0) + 1
        rows.append(row)
    return rows


def render_table(rows: list[SchemeCoverage]) -> str:
    """A plain-text table: one line per scheme, percentages per language, status counts."""
    headers = ["scheme", "concepts"]
    headers += [f"label {lang}" for lang in LANGUAGES]
    headers += [f"def {lang}" for lang in LANGUAGES]
    headers += ["status"]
    table = [headers]
    for row in rows:
        name = row.scheme.rsplit("/", 1)[-1] if row.scheme != NO_SCHEME else NO_SCHEME
        cells = [name, str(row.concepts)]
        cells += [f"{row.share(row.pref_label[lang]):.0%}" for lang in LANGUAGES]
        cells += [f"{row.share(row.definition[lang]):.0%}" for lang in LANGUAGES]
        cells.append(" ".join(f"{k}={v}" for k, v in sorted(row.status.items())) or "-")
        table.append(cells)
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    lines = []
    for index, cells in enumerate(table):
        padded = [
            c.ljust(w) if i in (0, len(headers) - 1) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        lines.append("  ".join(padded).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


@dataclass
class VariableCoverage:
    source: str
    variables: int = 0
    pref_label: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("sv", "en"), 0))
    translation_of: int = 0
    noted: int = 0

    def share(self, count: int) -> float:
        return count / self.variables if self.variables else 0.0

    def as_dict(self) -> dict[str, Any]:
        counts = {**{f"prefLabel_{k}": v for k, v in self.pref_label.items()}}
        counts |= {"translationOf": self.translation_of, "editorialNote": self.noted}
        return {
            "source": self.source,
            "variables": self.variables,
            **{k: {"count": n, "share": round(self.share(n), 4)} for k, n in counts.items()},
        }


def variable_coverage(graph: Graph) -> list[VariableCoverage]:
    """One row per source slug of the statistical variables ``ontology/`` describes (subjects
    ``<base>data/variable/<source>/<code>``)."""
    variables: dict[URIRef, str] = {}
    for subject in set(graph.subjects()):
        _, marker, rest = str(subject).partition("/data/variable/")
        if isinstance(subject, URIRef) and marker and "/" in rest:
            variables[subject] = rest.split("/", 1)[0]
    rows: dict[str, VariableCoverage] = {}
    for var, source in variables.items():
        row = rows.setdefault(source, VariableCoverage(source))
        row.variables += 1
        labels = _languages(graph, var, SKOS.prefLabel)
        for lang in row.pref_label:
            row.pref_label[lang] += lang in labels
        row.translation_of += "fi" in _languages(graph, var, RAKE.translationOf)
        row.noted += bool(_languages(graph, var, SKOS.editorialNote))
    return [rows[k] for k in sorted(rows)]


def render_variable_table(rows: list[VariableCoverage]) -> str:
    headers = ["source", "variables", "label sv", "label en", "from fi", "note"]
    table = [headers]
    for row in rows:
        counts = [row.pref_label["sv"], row.pref_label["en"], row.translation_of, row.noted]
        table.append([row.source, str(row.variables)] + [f"{row.share(n):.0%}" for n in counts])
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    lines = []
    for index, cells in enumerate(table):
        padded = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        lines.append("  ".join(padded).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
