"""The SPARQL page in the reader's language: the user examples (``queries/examples/``) first,
the project's other named queries under a collapsed "for maintainers" heading."""

from __future__ import annotations

import csv
import json
import re
from html import unescape

import pytest
import rdflib

from kgservice.config import PROJECT_ROOT
from kgservice.queries import all_queries
from kgservice.texts import LANGUAGES, STRINGS, translate

HTML = {"Accept": "text/html"}
USER = sorted(
    q.name for q in all_queries(PROJECT_ROOT / "queries") if q.name.startswith("examples/")
)
RAKE = rdflib.Namespace("https://rake-kg.example/ontology/")


def test_the_four_user_examples_are_query_files_with_titles_in_every_language():
    assert [name.split("/")[1].split("-", 1)[1] for name in USER] == [
        "indicators-of-a-phenomenon",
        "county-figures-in-2024",
        "entries-feeding-an-indicator",
        "concepts-changed-since",
    ]
    for name in USER:
        key = "sparql_ex." + name.split("/")[1].split("-", 1)[1]
        assert set(STRINGS[key]) == set(LANGUAGES) == set(STRINGS[key + ".about"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_user_examples_come_before_the_collapsed_maintainers_section(small_client, lang):
    html = unescape(small_client.get(f"/sparql?lang={lang}", headers=HTML).get_data(as_text=True))
    user = re.findall(r'data-example="([^"]+)"', html)
    assert user[: len(USER)] == USER
    details = html.index('<details class="sparql-maintainers"')
    assert all(html.index(f'data-example="{n}"') < details for n in USER)
    assert html.index('data-example="datacube-ic/integrity-1"') > details
    assert "<details" in html and "<details open" not in html
    assert translate("sparql.maintainers", lang) in html
    for name in USER:
        assert translate("sparql_ex." + name.split("/")[1].split("-", 1)[1], lang) in html


def test_the_swedish_page_has_no_english_sentence_of_the_page(small_client):
    html = unescape(small_client.get("/sparql?lang=sv", headers=HTML).get_data(as_text=True))
    for key in ("sparql.heading", "sparql.run", "sparql.examples", "sparql.show_as"):
        assert translate(key, "sv") in html
        assert translate(key, "en") not in html
    assert '<input type="hidden" name="lang" value="sv">' in html  # a run keeps the language


def run(client, name: str) -> list[dict]:
    text = (PROJECT_ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    r = client.get("/sparql", query_string={"query": text, "format": "json"})
    assert r.status_code == 200, r.get_data(as_text=True)
    return json.loads(r.data)["results"]["bindings"]


def test_the_indicators_example_lists_the_indicators_that_measure_the_phenomenon(client):
    g = rdflib.Graph()
    for module in ("indicators.ttl", "indicators-homelessness.ttl", "client-indicators.ttl"):
        g.parse(PROJECT_ROOT / "ontology" / module)
    phenomenon = rdflib.URIRef(
        "https://rake-kg.example/concept/phenomenon/taloudellinen-tilanne-ja-toimeentulo"
    )
    expected = {str(s) for s in g.subjects(RAKE.measures, phenomenon)}
    # and the Sotkanet catalogue's indicators of the phenomenon (ids Sotkanet's list confirms)
    path = PROJECT_ROOT / "data" / "sotkanet" / "sotkanet_catalogue_metadata.csv"
    with path.open(encoding="utf-8") as fh:
        expected |= {
            f"https://rake-kg.example/concept/indicator/sotkanet-{row['indicator_id']}"
            for row in csv.DictReader(fh)
            if row["phenomenon"] == "toimeentulo (konteksti)"
            and row["in_sotkanet_list_2015"] == "yes"
        }
    rows = run(client, USER[0])
    assert {r["indicator"]["value"] for r in rows} == expected


def test_the_county_and_change_examples_answer_on_the_bundled_data(client):
    county = run(client, USER[1])
    assert county and all(r["value"]["value"] for r in county if "value" in r)
    changed = run(client, USER[3])
    assert changed and all(r["changed"]["value"] >= "2023-01-01" for r in changed)
    # the entries feeding an indicator: the client-data indicators' document entries
    # (ontology/phenomenon-entries.ttl), with no client documents lifted in the bundled build
    fed = run(client, USER[2])
    assert fed and all(
        r["entry"]["value"].startswith("https://rake-kg.example/sosmeta/") for r in fed
    )
