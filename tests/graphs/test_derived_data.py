"""A write over ``/graphs`` leaves the served store as a build would make it (issue 17): the
views' figures (``graph/indicator-values``) and the dump ``/dump/rake-kg.nq.gz`` follow the write
at once, a rule the build checks over the whole store (the Data Cube ICs) refuses a write, and a
rebuild from the files plus the journal gives the indicator values the write gave.

The figures come from the source graph the test reads and changes itself, never typed in.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import requests
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse
from test_graph_store import get, ntriples, triples_of, write

from kgservice.indicators.registry import load_registry
from kgservice.iris import graph_iri
from kgservice.namespaces import SDMX_DIMENSION, SDMX_MEASURE, SKOS, ontology_ns
from kgservice.store.served import served_dir, served_store
from kgservice.tokens import STATISTICS_LOADER, VOCABULARY_EDITOR

INDICATOR = "asunnottomat"  # homeless single people: a count, summed from the municipalities
OBS_VALUE = SDMX_MEASURE + "obsValue"
RAISE = 100


def municipal_source(settings) -> tuple[str, set[Triple], Triple]:
    """The smallest statistics source graph with municipal figures of the indicator's numerator,
    its triples and the ``obsValue`` triple of its largest municipal figure in the latest year."""
    with served_store(settings) as store:
        indicator = next(
            i for i in load_registry(store, settings).indicators.values() if i.slug == INDICATOR
        )
        variable = NamedNode(indicator.numerator)
        prefix = graph_iri(settings, "source") + "/"
        sizes = store.stats()
        for graph in sorted((g for g in sizes if g.startswith(prefix)), key=sizes.__getitem__):
            data = store.dump(RdfFormat.N_TRIPLES, graph)
            triples = {q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)}
            figure = largest_municipal_figure(triples, variable)
            if figure is not None:
                return graph, triples, figure
    raise AssertionError(f"no source graph holds municipal figures of {INDICATOR}")


def largest_municipal_figure(triples: set[Triple], variable: NamedNode) -> Triple | None:
    """The ``obsValue`` triple of the variable's largest municipal figure in the latest year."""
    by_obs: dict[object, dict[str, object]] = {}
    for t in triples:
        by_obs.setdefault(t.subject, {})[t.predicate.value] = t.object
    rows = [
        (p[SDMX_DIMENSION + "refPeriod"].value, float(p[OBS_VALUE].value), obs)  # type: ignore[union-attr]
        for obs, p in by_obs.items()
        if variable in p.values()
        and OBS_VALUE in p
        and "/kunta/" in p[SDMX_DIMENSION + "refArea"].value  # type: ignore[union-attr]
    ]
    if not rows:
        return None
    _, _, obs = max(rows, key=lambda r: (r[0], r[1]))
    return next(t for t in triples if t.subject == obs and t.predicate.value == OBS_VALUE)


def observation(triples: set[Triple], figure: Triple) -> dict[str, object]:
    return {t.predicate.value: t.object for t in triples if t.subject == figure.subject}


def view_figure(server, obs: dict[str, object]) -> dict:
    """The indicator's row for the observation's municipality and year in the phenomenon view."""
    area = obs[SDMX_DIMENSION + "refArea"].value.rsplit("/", 1)[-1]  # type: ignore[attr-defined]
    period = obs[SDMX_DIMENSION + "refPeriod"].value  # type: ignore[attr-defined]
    body = requests.get(
        server.base + "/api/views/phenomenon-view",
        params={"phenomenon": "asunnottomuus", "area": area, "year": period},
        timeout=120,
    ).json()
    rows = [r for r in body["rows"] if r["indicator"] == INDICATOR and r["area_code"] == area]
    assert len(rows) == 1, rows
    return rows[0]


def dump_lines(server) -> set[bytes]:
    resp = requests.get(server.base + "/dump/rake-kg.nq.gz", timeout=300)
    assert resp.status_code == 200
    return set(gzip.decompress(resp.content).splitlines())


def nquad(t: Triple, graph: str) -> bytes:
    return (ntriples([t]).rstrip(b"\n")[: -len(b" .")] + f" <{graph}> .".encode()).strip()


def indicator_values(settings) -> set[Triple]:
    """``graph/indicator-values`` as served, each ``rake:sliceRecords`` array with its records
    in a fixed order (the build lists them in set order, which differs between processes)."""
    with served_store(settings) as store:
        data = store.dump(RdfFormat.N_TRIPLES, graph_iri(settings, "indicator-values"))
    records = ontology_ns(settings) + "sliceRecords"
    out = set()
    for t in (q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)):
        if t.predicate.value == records and isinstance(t.object, Literal):
            listed = sorted(json.loads(t.object.value), key=lambda r: json.dumps(r, sort_keys=True))
            t = Triple(
                t.subject, t.predicate, Literal(json.dumps(listed), datatype=t.object.datatype)
            )
        out.add(t)
    return out


def test_a_write_that_breaks_a_data_cube_ic_over_the_whole_store_is_refused_and_changes_nothing(
    gsp_settings, gsp_server, tokens
):
    """A new source graph holding a source graph with one observation renamed is valid on its
    own (the statistics shapes and the ICs over the graph pass), but beside the source graph that
    observation is there twice (IC-12): only the build's ``datacube-integrity`` step over the
    whole store sees it."""
    graph, triples, figure = municipal_source(gsp_settings)
    copy = NamedNode(figure.subject.value + "-copy")
    duplicate = [
        Triple(copy, t.predicate, t.object) if t.subject == figure.subject else t for t in triples
    ]
    target = graph_iri(gsp_settings, "source", "gsp-duplicate")
    obs = observation(triples, figure)
    view_before = view_figure(gsp_server, obs)
    dump_before = hashlib.sha256(
        requests.get(gsp_server.base + "/dump/rake-kg.nq.gz", timeout=300).content
    ).hexdigest()
    etag_before = get(gsp_server, graph).headers["ETag"]
    served_before = served_dir(gsp_settings)

    resp = write(gsp_server, "POST", target, tokens[STATISTICS_LOADER], ntriples(duplicate))

    assert resp.status_code == 400, resp.text
    problem = resp.json()
    assert problem["rule"] == "graph-validation"
    assert [(r["source"], r["rule"]) for r in problem["results"]] == [
        ("datacube-integrity", "datacube-ic")
    ]
    assert "IC-12" in problem["results"][0]["message"]
    assert get(gsp_server, target).status_code == 404
    assert get(gsp_server, graph).headers["ETag"] == etag_before
    assert view_figure(gsp_server, obs) == view_before
    after = requests.get(gsp_server.base + "/dump/rake-kg.nq.gz", timeout=300).content
    assert hashlib.sha256(after).hexdigest() == dump_before
    assert served_dir(gsp_settings) == served_before


def test_statistics_put_shows_the_new_figure_in_the_view_and_the_dump_right_after_the_write(
    gsp_settings, gsp_server, tokens
):
    graph, triples, old = municipal_source(gsp_settings)
    obs = observation(triples, old)
    before = view_figure(gsp_server, obs)
    assert before["status"] == "ok" and before["value"] == float(old.object.value)  # type: ignore[union-attr]
    raised = Literal(str(float(old.object.value) + RAISE), datatype=old.object.datatype)  # type: ignore[union-attr]
    new = Triple(old.subject, old.predicate, raised)

    resp = write(
        gsp_server, "PUT", graph, tokens[STATISTICS_LOADER], ntriples(triples - {old} | {new})
    )

    assert resp.status_code == 204, resp.text
    after = view_figure(gsp_server, obs)
    assert after["status"] == "ok" and after["value"] == before["value"] + RAISE
    served = {t for t in triples_of(get(gsp_server, graph).content) if t.subject == old.subject}
    stored = next(t for t in served if t.predicate.value == OBS_VALUE)  # as the store writes it
    lines = dump_lines(gsp_server)
    assert nquad(stored, graph) in lines
    assert nquad(old, graph) not in lines


def test_a_label_only_vocabulary_write_keeps_the_indicator_values_and_updates_the_dump(
    gsp_settings, gsp_server, tokens
):
    graph = graph_iri(gsp_settings, "ontology", "methods")
    concept = next(
        t.subject
        for t in triples_of(get(gsp_server, graph).content)
        if t.predicate.value == SKOS + "inScheme"
    )
    label = Triple(concept, NamedNode(SKOS + "altLabel"), Literal("johdettu testi", language="fi"))
    values_before = indicator_values(gsp_settings)

    resp = write(gsp_server, "POST", graph, tokens[VOCABULARY_EDITOR], ntriples([label]))

    assert resp.status_code == 204, resp.text
    assert indicator_values(gsp_settings) == values_before
    assert nquad(label, graph) in dump_lines(gsp_server)


def test_a_rebuild_after_a_statistics_write_gives_the_indicator_values_the_write_gave(
    gsp_settings, gsp_server, tokens
):
    """``kgservice build`` (the files plus the journal of reviewed edits) after a write: the
    indicator-values graph is the one the write served, triple for triple."""
    from kgservice.pipeline.build import build

    graph, triples, old = municipal_source(gsp_settings)
    lowered = Literal(str(float(old.object.value) - RAISE / 2), datatype=old.object.datatype)  # type: ignore[union-attr]
    body = ntriples(triples - {old} | {Triple(old.subject, old.predicate, lowered)})
    assert write(gsp_server, "PUT", graph, tokens[STATISTICS_LOADER], body).status_code == 204
    written = indicator_values(gsp_settings)
    written_dir = served_dir(gsp_settings)

    build(gsp_settings)

    assert served_dir(gsp_settings) != written_dir
    rebuilt = indicator_values(gsp_settings)
    assert len(rebuilt) == len(written)
    assert rebuilt == written
