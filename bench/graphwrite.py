"""How long a write over ``/graphs`` takes (:func:`kgservice.pipeline.graphwrite.apply_write`),
measured in this run on a private copy of the served build.

Two writes, each ``--repeat`` times, the median and the spread printed:

* vocabulary: a POST of one ``skos:altLabel`` to ``graph/ontology/methods`` (a documentation-only
  change: no indicator values to recompute, the dump rewritten);
* statistics: a PUT of the smallest statistics source graph with one observation's figure
  raised by one (the indicator values recomputed, the Data Cube ICs checked, the dump rewritten).

The baseline is the copy of the generation alone (pyoxigraph's ``backup``, what every write
starts with), measured in the same run; the ratio of each write to it is printed too.

    .venv/bin/python bench/graphwrite.py [--build] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse  # noqa: E402
from pyoxigraph import Store as OxStore  # noqa: E402

from kgservice.config import Settings  # noqa: E402
from kgservice.graphaccess import GraphWrite  # noqa: E402
from kgservice.iris import graph_iri  # noqa: E402
from kgservice.namespaces import SDMX_MEASURE, SKOS  # noqa: E402
from kgservice.pipeline.graphwrite import apply_write  # noqa: E402
from kgservice.store.embedded import EmbeddedStore  # noqa: E402
from kgservice.store.releases import release_store_path  # noqa: E402
from kgservice.store.served import served_dir  # noqa: E402

OBS_VALUE = SDMX_MEASURE + "obsValue"


def private_copy(settings: Settings, var: Path) -> Settings:
    """The served build copied into ``var`` (as tests/graphs/conftest.py does)."""
    source = served_dir(settings)
    assert source is not None
    build = var / "stores" / "build-copy"
    build.parent.mkdir(parents=True)
    OxStore.read_only(str(source)).backup(str(build))
    if release_store_path(source).is_dir():
        OxStore.read_only(str(release_store_path(source))).backup(str(release_store_path(build)))
    os.symlink(os.path.relpath(build, var), var / "store")
    return settings.with_(var_dir=var, store_path=var / "store")


def smallest_source(settings: Settings) -> tuple[str, list[Triple]]:
    """The smallest statistics source graph with an observation figure, and its triples."""
    directory = served_dir(settings)
    assert directory is not None
    store = EmbeddedStore(directory, read_only=True, base_iri=settings.base_iri)
    try:
        prefix = graph_iri(settings, "source") + "/"
        sizes = sorted((n, g) for g, n in store.stats().items() if g.startswith(prefix))
        for _, graph in sizes:
            data = store.dump(RdfFormat.N_TRIPLES, graph)
            triples = [q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)]
            if any(t.predicate.value == OBS_VALUE for t in triples):
                return graph, triples
    finally:
        store.close()
    raise SystemExit("no statistics source graph with observations")


def first_concept(settings: Settings, graph: str) -> NamedNode:
    """A concept of ``graph`` in the served build (the one the altLabel goes to)."""
    directory = served_dir(settings)
    assert directory is not None
    store = EmbeddedStore(directory, read_only=True, base_iri=settings.base_iri)
    try:
        data = store.dump(RdfFormat.N_TRIPLES, graph)
    finally:
        store.close()
    triples = [q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)]
    concepts = [
        t.subject
        for t in triples
        if t.predicate.value == SKOS + "inScheme" and isinstance(t.subject, NamedNode)
    ]
    return min(concepts, key=str)


def raised(triples: list[Triple], step: int) -> list[Triple]:
    """``triples`` with the first observation's figure raised by ``step``."""
    out, done = [], False
    for t in sorted(triples, key=str):
        if not done and t.predicate.value == OBS_VALUE and isinstance(t.object, Literal):
            value = Literal(str(float(t.object.value) + step), datatype=t.object.datatype)
            t, done = Triple(t.subject, t.predicate, value), True
        out.append(t)
    return out


def median(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build a fresh store first")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    settings = Settings.from_env()
    if args.build or served_dir(settings) is None:
        from kgservice.pipeline.build import build

        build(settings)
    graph, triples = smallest_source(settings)
    methods = graph_iri(settings, "ontology", "methods")
    concept = first_concept(settings, methods)
    with tempfile.TemporaryDirectory() as tmp:
        copy = private_copy(settings, Path(tmp) / "var")
        times: dict[str, list[float]] = {"copy": [], "vocabulary": [], "statistics": []}
        for i in range(args.repeat):
            started = time.perf_counter()
            target = Path(tmp) / f"copy-{i}"
            OxStore.read_only(str(served_dir(copy))).backup(str(target))
            times["copy"].append(time.perf_counter() - started)
            label = Triple(
                concept, NamedNode(SKOS + "altLabel"), Literal(f"bench {i}", language="en")
            )
            for kind, write in (
                ("vocabulary", GraphWrite(methods, "POST", (label,), "bench")),
                ("statistics", GraphWrite(graph, "PUT", tuple(raised(triples, i + 1)), "bench")),
            ):
                started = time.perf_counter()
                apply_write(copy, write)
                times[kind].append(time.perf_counter() - started)
    base = statistics.median(times["copy"])
    print(f"statistics graph: <{graph}> ({len(triples)} triples)")
    for kind, values in times.items():
        print(f"{kind:>10}: {median(values)}  ({statistics.median(values) / base:.0f}x the copy)")


if __name__ == "__main__":
    main()
