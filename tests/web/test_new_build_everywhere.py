"""A new build is picked up by every surface at the same moment: the next request after the swap
is answered from the new build by the term browser, the views, ``/api/views`` and ``/sparql``,
with new validators (an old ``ETag`` no longer matches)."""

from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest
from indicators.indicator_fixture import load_fixture_graphs
from pyoxigraph import QueryResultsFormat, parse_query_results

from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step
from kgservice.store.served import served_dir
from kgservice.web import create_app
from kgservice.web.sparqlworker import QueryPool

OLD = "Pienituloisuusaste"
NEW = "Pienituloisuusaste toisessa koonnissa"  # "... in the second build"
ECON = "taloudellinen-tilanne-ja-toimeentulo"
VIEW = (
    f"/views/phenomenon-view?phenomenon={ECON}&level=wellbeing-county&indicator=pienituloisuusaste"
)
API = "/api/views/situation-picture?area=20&year=2024&lang=fi"
SUGGEST = "/search/suggest?q=koonnissa&lang=fi"
HTML = {"Accept": "text/html"}


def _fixture_step() -> Step:
    return Step("indicator-fixture", lambda s, store, _r: load_fixture_graphs(store, s))


def _term_page(base: str) -> str:
    return f"/page?uri={quote(base + 'concept/indicator/pienituloisuusaste', safe='')}&lang=fi"


def _sparql_labels(client, base: str) -> list[str]:
    query = (
        "SELECT ?l WHERE { <" + base + "concept/indicator/pienituloisuusaste> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'fi') }"
    )
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return [s["l"].value for s in parse_query_results(r.data, format=QueryResultsFormat.JSON)]


def _api_label(resp) -> str:
    body = resp.get_json()
    return next(
        x["indicator_label"] for x in body["rows"] if x["indicator"] == "pienituloisuusaste"
    )


@pytest.fixture()
def serving(settings_factory, tmp_path):
    """An app serving a first build, and a way to run a second one with a changed label."""
    settings = settings_factory()
    build(settings, [_fixture_step()])
    changed = tmp_path / "ontology"
    shutil.copytree(settings.ontology_dir, changed)
    module = changed / "indicators.ttl"
    text = module.read_text(encoding="utf-8")
    assert f'"{OLD}"@fi' in text
    module.write_text(text.replace(f'"{OLD}"@fi', f'"{NEW}"@fi'), encoding="utf-8")

    def second_build() -> None:
        build(settings.with_(ontology_dir=changed), [_fixture_step()])

    app = create_app(settings)
    app.config["TESTING"] = True
    pool = QueryPool(1, settings.query_timeout_s)
    app.extensions["kg.sparqlpool"] = pool
    try:
        yield app.test_client(), settings, second_build
    finally:
        pool.close()


def test_every_surface_answers_from_the_new_build_on_the_next_request(serving):
    client, settings, second_build = serving
    base = settings.base_iri
    term = client.get(_term_page(base), headers=HTML)
    view = client.get(VIEW)
    api = client.get(API)
    assert term.status_code == view.status_code == api.status_code == 200
    assert OLD in term.get_data(as_text=True) and NEW not in term.get_data(as_text=True)
    assert f"{OLD} (%)</figcaption>" in view.get_data(as_text=True)
    assert _api_label(api) == OLD
    assert _sparql_labels(client, base) == [OLD]
    assert client.get(SUGGEST).get_json() == []
    first_dir = served_dir(settings)

    second_build()
    assert served_dir(settings) != first_dir  # the swap happened; nothing else was waited for

    # The next request of each surface, revalidating with the validators of the first build.
    term2 = client.get(_term_page(base), headers={**HTML, "If-None-Match": term.headers["ETag"]})
    assert term2.status_code == 200 and NEW in term2.get_data(as_text=True)
    assert term2.headers["ETag"] != term.headers["ETag"]
    view2 = client.get(VIEW)
    assert f"{NEW} (%)</figcaption>" in view2.get_data(as_text=True)
    api2 = client.get(API, headers={"If-None-Match": api.headers["ETag"]})
    assert api2.status_code == 200 and _api_label(api2) == NEW
    assert api2.headers["ETag"] != api.headers["ETag"]
    assert _sparql_labels(client, base) == [NEW]
    assert [h["label"] for h in client.get(SUGGEST).get_json()] == [NEW]


def test_the_old_validators_still_match_while_the_first_build_is_served(serving):
    """The counterpart: without a new build, the same revalidation is a 304 on both surfaces,
    so the 200s above come from the new build and not from validators that never match."""
    client, settings, _ = serving
    term = client.get(_term_page(settings.base_iri), headers=HTML)
    api = client.get(API)
    again = client.get(
        _term_page(settings.base_iri), headers={**HTML, "If-None-Match": term.headers["ETag"]}
    )
    assert again.status_code == 304
    assert client.get(API, headers={"If-None-Match": api.headers["ETag"]}).status_code == 304
