"""Step 3 of the quality gate: OWL consistency with owlready2's HermiT reasoner (runs on Java).

The union of the ontology modules is written as N-Triples into a temporary file, loaded into a
fresh owlready2 :class:`~owlready2.World` and classified. An inconsistent ontology becomes one
``owl-consistency`` violation; every unsatisfiable class (equivalent to ``owl:Nothing``) one
``owl-unsatisfiable-class`` violation, named by the file that defines it.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from kgservice.namespaces import OWL
from kgservice.validation.sources import SourceSet
from kgservice.validation.violations import Violation

CONSISTENCY = "owl-consistency"
UNSATISFIABLE = "owl-unsatisfiable-class"
OWL_NOTHING = OWL + "Nothing"


def check_consistency(data: SourceSet) -> list[Violation]:
    """Run HermiT over ``data.graph``; an empty list when the ontology is consistent."""
    import owlready2
    from rdflib import OWL, Graph, URIRef

    with tempfile.TemporaryDirectory(prefix="kg-reasoner-") as tmp:
        path = Path(tmp) / "ontology.nt"
        graph = Graph()
        for triple in data.graph:
            if triple[1] != OWL.imports:  # the modules are all here; never fetch over HTTP
                graph.add(triple)
        graph.serialize(destination=str(path), format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            with contextlib.redirect_stderr(io.StringIO()):  # owlready2 chats about punning
                onto = world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(
                [onto], infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
            )
        except owlready2.OwlReadyInconsistentOntologyError:
            files = sorted({loc.file for loc in data.locations.values()})
            return [
                Violation(
                    rule=CONSISTENCY,
                    message="the OWL ontology is inconsistent (HermiT found no model)",
                    file=", ".join(files),
                )
            ]
        except owlready2.OwlReadyError as exc:  # a construct the loader cannot read
            return [Violation(rule=CONSISTENCY, message=f"the reasoner failed: {exc}")]
        found: list[Violation] = []
        for cls in world.inconsistent_classes():
            iri = getattr(cls, "iri", "")
            if not iri or iri == OWL_NOTHING:
                continue
            location = data.location(URIRef(iri))
            found.append(
                Violation(
                    rule=UNSATISFIABLE,
                    message="the class is unsatisfiable: no individual can be a member of it",
                    file=location.file if location else "",
                    line=location.line if location else None,
                    focus=iri,
                )
            )
        world.close()
        return found
