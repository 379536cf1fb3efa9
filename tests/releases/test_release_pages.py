"""The round trip as docs/terminologists.md documents it — release → edit → release → diff — on a
git copy of the bundled ontology, then what the term browser and the REST API show of it: the
release pages, each concept's history, the concept as a release had it, ``/rest/v1/{vocab}/changes``
and ``/rest/v1/{vocab}/data?release=``.

The expected changes are never written out here: they come from ``kgservice diff --format json``
run on the two releases' files, so the pages are checked against the command's own reading.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from fixtures.vocab_edits import (
    ADDED,
    DEPRECATED,
    MOVED,
    NEW_PARENT,
    NEW_SV_LABEL,
    RELABELLED,
    REMAPPED,
    REPLACEMENT,
    WHY,
    YSO_HOMELESSNESS,
)

from kgservice.config import PROJECT_ROOT
from kgservice.namespaces import RDF, SKOS
from kgservice.releases.record import list_releases
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import release_store_path
from kgservice.terms.history import load_history
from kgservice.texts import translate

OLD_SV_LABEL = "psykisk hälsa"
NT = {"Accept": "application/n-triples"}


@pytest.fixture(scope="module")
def web(round_trip, app_factory):
    settings, expected = round_trip
    return app_factory(settings).test_client(), expected


def quoted(iri: str) -> str:
    return iri.replace(":", "%3A").replace("/", "%2F")


def labels_table(html: str) -> str:
    return html[html.index('<table class="labels">') :].split("</table>")[0]


def changed(expected: dict) -> set[tuple[str, str]]:
    return {(c["kind"], c["concept"]) for s in expected["schemes"] for c in s["concepts"]}


def test_the_release_page_lists_exactly_the_changes_kgservice_diff_reports(web):
    client, expected = web
    page = client.get("/releases/1.1.0?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    shown = set(re.findall(r'<li data-uri="([^"]+)" data-kind="([^"]+)"', html))
    assert {(kind, iri) for iri, kind in shown} == changed(expected)
    for kind, count in expected["counts"].items():
        assert f'<span data-kind="{kind}">{count}</span>' in html
    # the edits themselves, as the terminologist made them
    assert {ADDED, DEPRECATED, RELABELLED} <= {iri for iri, _ in shown}
    assert f"/page?uri={quoted(REPLACEMENT)}" in html
    assert f"<del>{OLD_SV_LABEL}</del>" in html and f"<ins>{NEW_SV_LABEL}</ins>" in html


def test_the_release_list_shows_both_releases_newest_first_with_their_counts(web):
    client, expected = web
    html = client.get("/releases/?lang=sv").get_data(as_text=True)
    assert html.index('data-version="1.1.0"') < html.index('data-version="1.0.0"')
    row = html[html.index('data-version="1.1.0"') :].split("</tr>")[0]
    cells = re.findall(r"<td>([^<]*)</td>", row)
    assert cells == ["2026-12-08", *(str(expected["counts"][k]) for k in expected["counts"])]
    assert translate("releases_title", "sv") in html


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_release_page_speaks_the_readers_language(web, lang):
    client, _ = web
    html = client.get(f"/releases/1.1.0?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for key in ("release_added", "release_deprecated", "release_changed", "replaced_by"):
        assert translate(key, lang) in html


def test_a_concept_page_shows_its_history_with_links_to_each_release(web):
    client, _ = web
    html = client.get(f"/page?uri={RELABELLED}&lang=en").get_data(as_text=True)
    history = html[html.index('class="release-history"') :]
    assert '<li data-version="1.1.0" data-kind="changed">' in history
    assert '<li data-version="1.0.0" data-kind="added">' in history
    assert history.index('data-version="1.1.0"') < history.index('data-version="1.0.0"')
    assert "release=1.0.0" in history and "release=1.1.0" in history
    assert f"<del>{OLD_SV_LABEL}</del>" in history


def test_the_concept_as_released_shows_that_release_and_only_that(web):
    client, _ = web
    old = client.get(f"/page?uri={RELABELLED}&release=1.0.0&lang=sv").get_data(as_text=True)
    assert 'data-release="1.0.0"' in old and 'id="as-released"' in old
    old_labels = labels_table(old)
    assert OLD_SV_LABEL in old_labels and NEW_SV_LABEL not in old_labels
    live = client.get(f"/page?uri={RELABELLED}&lang=sv").get_data(as_text=True)
    # the frozen releases in the store do not leak into the live page
    live_labels = labels_table(live)
    assert NEW_SV_LABEL in live_labels and OLD_SV_LABEL not in live_labels


def test_the_live_hierarchy_and_mappings_ignore_the_frozen_releases(web):
    client, _ = web
    moved = client.get(f"/page?uri={MOVED}&lang=fi").get_data(as_text=True)
    broader = moved[moved.index('<ul class="plain broader">') :].split("</ul>")[0]
    assert quoted(NEW_PARENT) in broader and quoted(REPLACEMENT) not in broader
    remapped = client.get(f"/rest/v1/phenomenon/data?uri={REMAPPED}", headers=NT)
    assert f"<{REMAPPED}> <{SKOS}closeMatch> <{YSO_HOMELESSNESS}>" in remapped.get_data(
        as_text=True
    )
    assert f"<{SKOS}exactMatch> <{YSO_HOMELESSNESS}>" not in remapped.get_data(as_text=True)
    as_was = client.get(f"/rest/v1/phenomenon/data?uri={REMAPPED}&release=1.0.0", headers=NT)
    assert f"<{SKOS}exactMatch> <{YSO_HOMELESSNESS}>" in as_was.get_data(as_text=True)


def test_a_concept_added_later_is_not_in_the_earlier_release(web):
    client, _ = web
    added = client.get(f"/page?uri={ADDED}&release=1.0.0&lang=fi")
    assert added.status_code == 404
    assert client.get(f"/page?uri={ADDED}&release=1.1.0&lang=fi").status_code == 200


def test_a_deprecated_concept_says_in_which_release_and_why(web):
    client, _ = web
    html = client.get(f"/page?uri={DEPRECATED}&lang=en").get_data(as_text=True)
    banner = html[html.index('id="deprecated-banner"') :].split("</div>")[0]
    assert translate("release_deprecated_in", "en") in banner
    assert "/releases/1.1.0?lang=en" in banner
    assert WHY in banner
    assert quoted(REPLACEMENT) in banner


@pytest.mark.parametrize("path", ["/releases/9.9", "/page?uri={uri}&release=9.9"])
def test_an_unknown_release_is_a_404_page_naming_the_releases(web, path):
    client, _ = web
    resp = client.get(path.format(uri=RELABELLED), headers={"Accept-Language": "sv"})
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert '<html lang="sv">' in html and translate("release_unknown", "sv") in html
    assert ">1.0.0</a>" in html and ">1.1.0</a>" in html


def test_rest_changes_gives_each_concept_with_its_kind_and_property_changes(web):
    client, expected = web
    resp = client.get("/rest/v1/phenomenon/changes?from=1.0.0&to=1.1.0&lang=en")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    scheme = next(s for s in expected["schemes"] if s["scheme"] == body["uri"])
    assert {(c["type"], c["uri"]) for c in body["changeList"]} == {
        (c["kind"], c["concept"]) for c in scheme["concepts"]
    }
    relabelled = next(c for c in body["changeList"] if c["uri"] == RELABELLED)
    assert {
        "property": "prefLabel",
        "lang": "sv",
        "removed": [OLD_SV_LABEL],
        "added": [NEW_SV_LABEL],
    } in relabelled["changes"]
    assert body["from"] == {"version": "1.0.0", "issued": "2026-12-07"}
    assert body["to"]["version"] == "1.1.0"


@pytest.mark.parametrize(
    ("query", "status", "parameter"),
    [("from=1.0.0&to=2.0", 404, "to"), ("from=x&to=1.1.0", 404, "from"), ("to=1.1.0", 400, "from")],
)
def test_rest_changes_with_an_unknown_or_missing_version_names_the_valid_ones(
    web, query, status, parameter
):
    client, _ = web
    resp = client.get(f"/rest/v1/phenomenon/changes?{query}")
    assert resp.status_code == status
    assert resp.mimetype == "application/problem+json"
    problem = resp.get_json()
    assert parameter in problem["detail"]
    if status == 404:
        assert problem["valid"] == ["1.0.0", "1.1.0"]


def test_rest_data_of_a_release_is_the_scheme_as_released(web):
    client, _ = web
    accept = {"Accept": "application/n-triples"}
    old = client.get("/rest/v1/phenomenon/data?release=1.0.0", headers=accept)
    new = client.get("/rest/v1/phenomenon/data?release=1.1.0", headers=accept)
    assert old.status_code == new.status_code == 200
    old_text, new_text = old.get_data(as_text=True), new.get_data(as_text=True)
    assert f'"{OLD_SV_LABEL}"@sv' in old_text and f'"{NEW_SV_LABEL}"@sv' not in old_text
    assert f'"{NEW_SV_LABEL}"@sv' in new_text and f"<{ADDED}>" in new_text
    assert f"<{ADDED}>" not in old_text
    unknown = client.get("/rest/v1/phenomenon/data?release=0.1")
    assert unknown.status_code == 404 and unknown.get_json()["valid"] == ["1.0.0", "1.1.0"]


def test_the_bundled_build_serves_the_committed_releases(client):
    """The repository's own releases (``releases/``), as the bundled build serves them."""
    recorded = list_releases(PROJECT_ROOT / "releases")
    assert recorded, "the repository records at least one release"
    html = client.get("/releases/?lang=en").get_data(as_text=True)
    for r in recorded:
        assert f'data-version="{r.version}"' in html
    first = recorded[0]
    concepts = {
        q.subject.value
        for path in first.dir.glob("*.ttl")
        for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        if q.predicate == ox.NamedNode(RDF + "type") and q.object == ox.NamedNode(SKOS + "Concept")
    }
    page = client.get(f"/releases/{first.version}?lang=en").get_data(as_text=True)
    assert f'<span data-kind="added">{len(concepts)}</span>' in page
    some = sorted(concepts)[0]
    history = client.get(f"/page?uri={some}&lang=en").get_data(as_text=True)
    assert f'<li data-version="{first.version}" data-kind="added">' in history


def test_a_build_without_a_release_store_lists_no_release(round_trip):
    """A build made before the release store existed: its releases' metadata alone makes no
    history (rather than releases that seem to remove every concept)."""
    settings, _ = round_trip
    build_dir = settings.store_path.resolve()
    store = EmbeddedStore(build_dir, read_only=True, base_iri=settings.base_iri)
    releases = EmbeddedStore(release_store_path(build_dir), read_only=True)
    assert load_history(store, settings, releases).versions == ["1.0.0", "1.1.0"]
    assert load_history(store, settings, None).versions == []
    releases.close()
    store.close()


def test_the_bundled_builds_release_graphs_hold_the_committed_files(client, built_settings):
    """Each module of each committed release, as ``/sparql`` counts its graph, against the file."""
    expected = {
        f"{built_settings.base_iri}graph/release/{r.version}/{path.stem}": len(
            {q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)}
        )
        for r in list_releases(PROJECT_ROOT / "releases")
        for path in r.dir.glob("*.ttl")
        if path.name != "release.ttl"
    }
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    resp = client.post(
        "/sparql",
        data={"query": query, "named-graph-uri": sorted(expected)},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert resp.status_code == 200, resp.get_data(as_text=True)
    counted = {
        b["g"]["value"]: int(b["n"]["value"]) for b in resp.get_json()["results"]["bindings"]
    }
    assert expected and counted == expected


def test_an_ordinary_query_on_the_bundled_build_reaches_no_release_graph(client, built_settings):
    """``GRAPH ?g`` without a release graph named sees the live graphs only (the round trip's
    tests count the labels: ``tests/releases/test_release_graphs.py``)."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    resp = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert resp.status_code == 200
    graphs = {b["g"]["value"] for b in resp.get_json()["results"]["bindings"]}
    assert built_settings.base_iri + "graph/releases" in graphs  # the metadata is live
    assert not {g for g in graphs if g.startswith(built_settings.base_iri + "graph/release/")}
