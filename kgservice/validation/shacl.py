"""Step 2 of the quality gate: run the SHACL shapes with pySHACL and turn results into violations.

Every shape in ``shapes/vocabulary.ttl`` and ``shapes/owl-model.ttl`` carries ``rks:ruleId``; a
result of a property shape inherits the id of the node shape it belongs to. See the SHACL
recommendation, §3.6 validation reports: https://www.w3.org/TR/shacl/#validation-report
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Node

from kgservice import namespaces
from kgservice.config import DEFAULT_SHACL_ENGINE
from kgservice.errors import ValidationError
from kgservice.validation.names import display_node
from kgservice.validation.sources import SourceSet
from kgservice.validation.violations import VIOLATION, WARNING, Violation

SH = Namespace(namespaces.SH)
RKS = Namespace("https://rake-kg.example/shapes/")

#: The shapes files of the quality gate (below ``Settings.shapes_dir``). Other files there
#: (``statistics.ttl``, ``generated/``) validate data, not the ontology.
QUALITY_SHAPES = ("vocabulary.ttl", "owl-model.ttl")


def quality_shape_files(shapes_dir: Path) -> list[Path]:
    return [shapes_dir / name for name in QUALITY_SHAPES if (shapes_dir / name).is_file()]


def rule_ids(shapes: Graph) -> list[str]:
    """Every rule id the shapes declare, sorted."""
    return sorted({str(o) for o in shapes.objects(None, RKS.ruleId)})


class _PreparedQueryGraph(Graph):
    """An rdflib graph that parses each distinct SPARQL text once.

    pySHACL sends the same SPARQL constraint text for every focus node (with ``$this`` bound by
    ``initBindings``); rdflib would parse it each time, which dominates the run time.
    """

    def __init__(self, source: Graph) -> None:
        super().__init__(store=source.store, identifier=source.identifier)
        self._prepared: dict[str, Query] = {}

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            prepared = self._prepared.get(query_object)
            if prepared is None:
                prepared = self._prepared[query_object] = prepareQuery(query_object)
            query_object = prepared
        return super().query(query_object, *args, **kwargs)


def run_shapes(
    data: SourceSet, shapes: Graph, engine: str = DEFAULT_SHACL_ENGINE
) -> list[Violation]:
    """Validate ``data.graph`` against ``shapes``; each result becomes a :class:`Violation`.

    ``engine`` (``KG_SHACL_ENGINE``): ``pyshacl``, or ``pyshacl-turbo``, a Rust engine behind
    pySHACL's ``validate`` that returns the same report graph (tests/validation compare the two
    on the bundled ontology and on every broken fixture). pyshacl-turbo refuses generalised RDF
    (a literal as a subject, which an RDFS or OWL-RL closure can add; Turtle sources cannot hold
    one): such a graph goes to pySHACL."""
    if engine == "pyshacl-turbo" and not _generalised(data.graph):
        from pyshacl_turbo import validate

        graph = data.graph
    else:
        from pyshacl import validate

        graph = _PreparedQueryGraph(data.graph)
    _conforms, results, _text = validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
    )
    if not isinstance(results, Graph):  # pySHACL reports a broken shapes graph as text
        raise ValidationError(
            f"the SHACL shapes cannot be run: {results}",
            file=", ".join(QUALITY_SHAPES),
            rule="shacl",
        )
    found: list[Violation] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        found.append(_violation(result, results, shapes, data))
    return found


def _generalised(graph: Graph) -> bool:
    """Whether ``graph`` has a literal in subject position (not RDF 1.1, but rdflib allows it)."""
    return any(isinstance(s, Literal) for s in graph.subjects(unique=True))


def _violation(result: Node, results: Graph, shapes: Graph, data: SourceSet) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    shape = results.value(result, SH.sourceShape)
    severity = results.value(result, SH.resultSeverity)
    constraint = results.value(result, SH.sourceConstraint)
    messages = _declared_messages(shapes, constraint, shape)
    if not messages:
        for reported in results.objects(result, SH.resultMessage):
            if isinstance(reported, Literal):
                messages.setdefault(reported.language or "", str(reported))
    names = {
        "{?value}": display_node(term_text(value)),
        "{$value}": display_node(term_text(value)),
        "{?path}": display_node(term_text(path)),
        "{$path}": display_node(term_text(path)),
        "{$this}": display_node(term_text(focus)),
        "{?this}": display_node(term_text(focus)),
    }
    for lang, template in messages.items():
        for placeholder, replacement in names.items():
            template = template.replace(placeholder, replacement)
        messages[lang] = template
    text = messages.get("en") or messages.get("") or next(iter(messages.values()), "")
    location = data.location(focus)
    return Violation(
        rule=_rule_of(shape, shapes),
        message=text,
        file=location.file if location else "",
        line=location.line if location else None,
        focus=term_text(focus),
        path=term_text(path),
        value=term_text(value),
        severity=VIOLATION if severity in (None, SH.Violation) else WARNING,
        messages=messages,
    )


def _declared_messages(shapes: Graph, *nodes: Node | None) -> dict[str, str]:
    """``sh:message`` of the SPARQL constraint or the shape, by language (pySHACL keeps one)."""
    for node in nodes:
        if node is None:
            continue
        found = {
            (m.language or ""): str(m)
            for m in shapes.objects(node, SH.message)
            if isinstance(m, Literal)
        }
        if found:
            return found
    return {}


def _rule_of(shape: Node | None, shapes: Graph) -> str:
    seen: set[Node] = set()
    while shape is not None and shape not in seen:
        seen.add(shape)
        rule = shapes.value(shape, RKS.ruleId)
        if rule is not None:
            return str(rule)
        shape = next(iter(shapes.subjects(SH.property, shape)), None)
    return "shacl"


def term_text(term: Node | None) -> str:
    """An IRI as is, a literal in Turtle form, a blank node as ``_:id``, nothing as ``""``."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return term.n3()
    return str(term)
