"""What the release store costs and how fast a query on an old release is, measured in this run.

On the served build (``var/store``; ``--build``, or a build without a release store, makes a
fresh one):

* making the release store (build step ``release-store``: the frozen graphs of ``releases/`` and a
  copy of the vocabulary graphs) into a temporary directory, its triples and bytes on disk;
* the same comparison query — the Swedish labels of module ``phenomena`` that differ between two
  graphs — run as ``/sparql``'s worker runs it (:func:`kgservice.web.sparqlworker.execute`,
  in-process): on the main store between two live graphs (the baseline: union default graph) and
  on the release store between the oldest release and the live vocabulary (default graph: the
  listed vocabulary graphs). Median of ``--repeat`` runs; the ratio is against the baseline.
* why the releases are not in the main store: a join over the live data with Oxigraph's union
  default graph against the same with the live graphs listed (what the main store would need
  if it held the releases too).

    .venv/bin/python bench/releases.py [--build] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import Store  # noqa: E402

from kgservice.config import Settings  # noqa: E402
from kgservice.iris import graph_iri  # noqa: E402
from kgservice.releases.record import list_releases, releases_dir  # noqa: E402
from kgservice.store.embedded import EmbeddedStore  # noqa: E402
from kgservice.store.releases import (  # noqa: E402
    frozen_quads,
    release_prefix,
    release_store_path,
    vocabulary_prefix,
    write_release_store,
)
from kgservice.store.served import served_dir  # noqa: E402
from kgservice.web.sparqlworker import Job, execute  # noqa: E402

MODULE = "phenomena"


#: Each concept's sv label in the named graph beside its sv label in the default graph: what a
#: changed-labels query reads before its ``FILTER(?new != ?old)``. Which graphs those are is the
#: request's dataset (``named-graph-uri``, ``default-graph-uri``), never spliced into the text.
COMPARE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?old ?new WHERE {
  GRAPH ?g { ?s skos:prefLabel ?old FILTER(LANG(?old) = "sv") }
  ?s skos:prefLabel ?new FILTER(LANG(?new) = "sv")
}"""


#: A join over the live data: each concept's sv label with its broader concept's.
LABELS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s ?l ?up WHERE {
  ?s skos:broader ?b . ?s skos:prefLabel ?l . ?b skos:prefLabel ?up
  FILTER(LANG(?l) = "sv" && LANG(?up) = "sv")
}"""


def timed(store: Store, job: Job, releases: Store | None, repeat: int) -> tuple[float, int]:
    runs, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = execute(store, job, releases=releases).rows
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="build a fresh store first")
    parser.add_argument("--repeat", type=int, default=11)
    args = parser.parse_args()
    settings = Settings.from_env()
    directory = served_dir(settings)
    if args.build or directory is None or not release_store_path(directory).is_dir():
        from kgservice.pipeline.build import build

        build(settings)  # also when the served build has no release store (made before one)
        directory = served_dir(settings)
        assert directory is not None
    releases = list_releases(releases_dir(settings))
    if not releases:
        sys.exit("no release under releases/")
    main_store = EmbeddedStore(directory, read_only=True, base_iri=settings.base_iri)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        frozen = frozen_quads(settings)
        made = write_release_store(settings, Path(tmp) / "releases", frozen, main_store)
        seconds = time.perf_counter() - started
        triples = made.stats()["total"]
        made.close()
        size = sum(p.stat().st_size for p in (Path(tmp) / "releases").rglob("*") if p.is_file())
    print(
        f"release store: {len(frozen)} frozen + {triples - len(frozen)} vocabulary triples, "
        f"{size / 1e6:.1f} MB on disk, made in {seconds:.2f} s"
    )
    ox_main = Store.read_only(str(directory))
    ox_releases = Store.read_only(str(release_store_path(directory)))
    live = graph_iri(settings, "ontology", MODULE)
    old = graph_iri(settings, "release", releases[0].version, MODULE)
    base = Job(
        store_dir=str(directory),
        query="",
        media_type="application/sparql-results+json",
        default_graphs=None,
        named_graphs=None,
        private_prefix=graph_iri(settings, "client") + "/",
        row_limit=10_000,
        release_prefix=release_prefix(settings),
        vocabulary_prefix=vocabulary_prefix(settings),
    )
    public = [
        g.value for g in ox_main.named_graphs() if not g.value.startswith(base.private_prefix)
    ]
    # name: (query, the store answering it, default graphs, named graphs)
    cases = {
        "main store, two live graphs (baseline)": (COMPARE, None, [live], [live]),
        f"release store, {releases[0].version} vs live module": (
            COMPARE,
            ox_releases,
            [live],
            [old],
        ),
        f"release store, {releases[0].version} vs live default graph": (
            COMPARE,
            ox_releases,
            None,
            [old],
        ),
        "main store, labels with broader, union default graph": (LABELS, None, None, None),
        f"main store, labels with broader, the {len(public)} graphs listed (not chosen)": (
            LABELS,
            None,
            public,
            None,
        ),
    }
    medians: list[float] = []
    for name, (query, on, default, named) in cases.items():
        job = Job(
            **{**base.__dict__, "query": query, "default_graphs": default, "named_graphs": named}
        )
        median, rows = timed(ox_main, job, on, args.repeat)
        medians.append(median)
        ratio = median / medians[0]
        print(f"{name}: {median * 1000:.1f} ms, {rows} rows, {ratio:.2f}× baseline")
    print(f"the live graphs listed instead of the union: {medians[-1] / medians[-2]:.1f}× slower")


if __name__ == "__main__":
    main()
