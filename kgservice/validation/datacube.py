"""The W3C RDF Data Cube integrity constraints (IC-1 … IC-21) run against a store or RDF files.

The constraints are the ASK queries of ``queries/datacube-ic/`` (true = violated), taken from the
W3C Recommendation's reference implementation (spec section 11,
https://www.w3.org/TR/vocab-data-cube/#wf). They assume a *normalised* cube, so the data are first
copied into a private in-memory pyoxigraph store, where the normalisation updates of
``queries/datacube-ic/normalise/`` run (closure, flatten, and the hierarchy reachability that
instantiates the templated IC-20/21). The store being checked is never written to.

IC-12 (no two observations with the same dimension values) is pairwise in the Rec and takes hours
on real cubes; by default it is checked in one pass instead (``observation-keys.rq``, keys compared
here). ``pairwise_ic12=True`` runs the Rec's query (used by the conformance tests to show that both
agree).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import RdfFormat
from pyoxigraph import Store as OxStore

from kgservice.config import Settings
from kgservice.errors import ValidationError
from kgservice.iris import graph_iri
from kgservice.queries import load_query, select
from kgservice.sources.rdf import FORMATS
from kgservice.store.base import Store

#: The constraints in the order of the Rec (19 and 20/21 come in two variants each).
IC_IDS: tuple[str, ...] = (*(str(n) for n in range(1, 19)), "19a", "19b", "20", "21")
QUERY_DIR = "datacube-ic"
NORMALISE = ("closure.ru", "flatten.ru")
HIERARCHY_ROOTS = "hierarchy-roots.ru"
HIERARCHY_STEP = "hierarchy-step.ru"
#: Safety bound for the reachability fixpoint (a hierarchy deeper than this is not plausible).
MAX_HIERARCHY_DEPTH = 100
#: How many offending resources a violation lists.
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Violation:
    """One integrity constraint that does not hold."""

    ic: str  #: "IC-12"
    query: str  #: the query file that found it, e.g. "datacube-ic/integrity-12"
    explanation: str  #: what the constraint requires (from the query's ``# Purpose:`` header)
    examples: tuple[str, ...] = field(default=())  #: some offending resources, when known

    def describe(self) -> str:
        text = f"[{self.ic}] {self.explanation} ({self.query}.rq)"
        if self.examples:
            text += " e.g. " + ", ".join(self.examples)
        return text


def ic_query_name(ic: str) -> str:
    return f"{QUERY_DIR}/integrity-{ic}"


def normalised_copy(sources: Iterable[bytes], settings: Settings | None = None) -> OxStore:
    """An in-memory store with ``sources`` (N-Triples chunks) in its default graph, normalised.

    The chunks are a store's own dumps, so they are loaded without checking each IRI again
    (``lenient``: 40 % less time for the ~750,000 triples of a bundled build)."""
    settings = settings or Settings()
    mem = OxStore()
    for chunk in sources:
        if chunk:
            mem.load(chunk, format=RdfFormat.N_TRIPLES, lenient=True)
    normalise(mem, settings)
    return mem


def normalise(mem: OxStore, settings: Settings) -> None:
    """Run the Rec's normalisation (11.2) and the IC-20/21 reachability on an in-memory copy."""
    folder = settings.queries_dir / QUERY_DIR / "normalise"
    for name in NORMALISE:
        mem.update((folder / name).read_text(encoding="utf-8"))
    mem.update((folder / HIERARCHY_ROOTS).read_text(encoding="utf-8"))
    step = (folder / HIERARCHY_STEP).read_text(encoding="utf-8")
    size = len(mem)
    for _ in range(MAX_HIERARCHY_DEPTH):
        mem.update(step)
        grown = len(mem)
        if grown == size:
            break
        size = grown


def _query(mem: OxStore, settings: Settings, name: str):
    """A named query on the copy's default graph (where the copy keeps everything; querying it
    directly is several times faster than the union-of-named-graphs mode of the stores)."""
    return mem.query(load_query(name, settings.queries_dir).text)


def run_constraints(
    mem: OxStore, settings: Settings | None = None, *, pairwise_ic12: bool = False
) -> list[Violation]:
    """Every IC against an already normalised copy; the violated ones, in the Rec's order.

    The ICs are independent read-only queries: they run on one thread per core (Oxigraph
    evaluates a query without holding the GIL)."""
    settings = settings or Settings()

    def check(ic: str) -> Violation | None:
        name = ic_query_name(ic)
        purpose = load_query(name, settings.queries_dir).purpose
        if ic == "12" and not pairwise_ic12:
            duplicates = duplicate_observations(mem, settings)
            if duplicates:
                examples = tuple(" = ".join(group) for group in duplicates[:MAX_EXAMPLES])
                return Violation("IC-12", name, purpose, examples)
            return None
        return Violation(f"IC-{ic}", name, purpose) if bool(_query(mem, settings, name)) else None

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [v for v in pool.map(check, IC_IDS) if v is not None]


def duplicate_observations(mem: OxStore, settings: Settings) -> list[tuple[str, ...]]:
    """Groups of observations of one data set that IC-12 counts as the same point.

    Same rule as the Rec's pairwise query: two observations collide when they agree on every
    dimension both have a value for. Observations with one value per dimension of the data set
    are compared by key in one pass; the rest (already broken under IC-11) are compared pairwise.
    """
    values: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for dataset, obs, dim, value in _query(mem, settings, f"{QUERY_DIR}/observation-keys"):
        values[dataset.value][obs.value][str(dim)].add(str(value))
    groups: set[tuple[str, ...]] = set()
    for observations in values.values():
        dims = set().union(*(point.keys() for point in observations.values()))
        by_key: dict[tuple[tuple[str, str], ...], list[str]] = defaultdict(list)
        irregular: list[str] = []
        for obs, point in observations.items():
            if point.keys() == dims and all(len(v) == 1 for v in point.values()):
                by_key[tuple(sorted((d, next(iter(v))) for d, v in point.items()))].append(obs)
            else:
                irregular.append(obs)
        groups.update(tuple(sorted(g)) for g in by_key.values() if len(g) > 1)
        for obs in irregular:
            twins = [
                other
                for other, point in observations.items()
                if other != obs and _same_point(observations[obs], point)
            ]
            if twins:
                groups.add(tuple(sorted([obs, *twins])))
    return sorted(groups)


def _same_point(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
    common = a.keys() & b.keys()
    return bool(common) and all(len(a[d]) == 1 and a[d] == b[d] for d in common)


def observation_count(store: Store, settings: Settings | None = None) -> int:
    """Number of ``qb:Observation`` resources linked to a data set."""
    settings = settings or Settings()
    rows = select(store, settings.queries_dir, f"{QUERY_DIR}/observation-count")
    return int(rows[0]["observations"].value) if rows else 0


#: Graphs the build derives from the cubes (the region closure, the indicator values): they use
#: no Data Cube term, so the ICs have nothing to check in them.
DERIVED_GRAPHS = ("indicators", "indicator-values")


def check_integrity(
    store: Store,
    settings: Settings | None = None,
    *,
    graphs: Iterable[str] | None = None,
    pairwise_ic12: bool = False,
) -> list[Violation]:
    """The Data Cube ICs violated by ``store`` (empty list: every constraint holds).

    ``graphs`` names the graphs to check; by default every named graph except the private
    ``graph/client/…`` ones and those the build derives from the cubes for the views
    (:data:`DERIVED_GRAPHS`: no Data Cube terms in them). The store itself is only read.
    """
    settings = settings or Settings()
    private = graph_iri(settings, "client") + "/"
    derived = {graph_iri(settings, name) for name in DERIVED_GRAPHS}
    if graphs is None:
        chosen = [g for g in store.graphs() if not g.startswith(private) and g not in derived]
    else:
        chosen = list(graphs)
    mem = normalised_copy((store.dump(RdfFormat.N_TRIPLES, g) for g in chosen), settings)
    return run_constraints(mem, settings, pairwise_ic12=pairwise_ic12)


def check_files(
    paths: Iterable[Path], settings: Settings | None = None, *, pairwise_ic12: bool = False
) -> list[Violation]:
    """The ICs violated by RDF files merged into one graph (as the Rec's test harness does)."""
    settings = settings or Settings()
    mem = OxStore()
    for path in paths:
        mem.load(path=str(path), format=FORMATS[path.suffix.lower()])
    normalise(mem, settings)
    return run_constraints(mem, settings, pairwise_ic12=pairwise_ic12)


def require_integrity(store: Store, settings: Settings) -> int:
    """Raises :class:`~kgservice.errors.ValidationError` naming every IC ``store`` violates;
    returns how many constraints were checked (build step ``datacube-integrity``)."""
    violations = check_integrity(store, settings)
    if violations:
        raise ValidationError(
            "Data Cube integrity constraints violated: "
            + "; ".join(v.describe() for v in violations),
            file=str(settings.queries_dir / QUERY_DIR),
            rule="datacube-ic",
        )
    return len(IC_IDS)
