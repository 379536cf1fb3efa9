"""Phenomenon in brief opens on the phenomenon's headline rate (issue 13): the indicators of a
phenomenon carry an explicit order in the ontology (``rake:orderInPhenomenon``, which a
terminologist edits in ``ontology/indicators.ttl``); the brief shows rates and indices first in
that order, then the counts, and its title names the selected area.

The expected order is read from the Turtle file itself (pyoxigraph's parser), not from the
registry under test."""

from __future__ import annotations

import re
from html import unescape

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from kgservice.config import PROJECT_ROOT
from kgservice.texts import LANGUAGES, translate

B = "https://rake-kg.example/"
ECON = "taloudellinen-tilanne-ja-toimeentulo"
KAINUU = "20"


@pytest.fixture(scope="module")
def ontology_order() -> dict[str, dict[str, int]]:
    """phenomenon slug → indicator slug → its ``rake:orderInPhenomenon``, as in the ontology."""
    paths = [
        PROJECT_ROOT / "ontology" / f for f in ("indicators.ttl", "indicators-homelessness.ttl")
    ]
    triples = [t for p in paths for t in parse(path=str(p), format=RdfFormat.TURTLE)]
    order = {t.subject.value: int(t.object.value) for t in triples if t.predicate == ORDER}
    out: dict[str, dict[str, int]] = {}
    for t in triples:
        if t.predicate == MEASURES and t.subject.value in order:
            phen = t.object.value.rsplit("/", 1)[-1]
            out.setdefault(phen, {})[t.subject.value.rsplit("/", 1)[-1]] = order[t.subject.value]
    return out


ORDER = NamedNode(B + "ontology/orderInPhenomenon")
MEASURES = NamedNode(B + "ontology/measures")


def brief_json(client, query: str) -> dict:
    r = client.get(f"/api/views/phenomenon-in-brief?{query}&format=json")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    return r.get_json()


def test_every_indicator_of_a_phenomenon_has_its_own_place(ontology_order):
    assert set(ontology_order) == {
        "asunnottomuus",
        "mielenterveys",
        "paihteet-ja-riippuvuudet",
        ECON,
    }
    for phen, places in ontology_order.items():
        assert sorted(places.values()) == list(range(1, len(places) + 1)), phen


def test_the_brief_opens_on_the_headline_rate_not_the_alphabetically_first(
    fixture_client, ontology_order
):
    headline = min(ontology_order[ECON], key=ontology_order[ECON].__getitem__)
    assert headline == "pienituloisuusaste"  # not "perusturvan-varassa-olevien-osuus"
    data = brief_json(fixture_client, f"phenomenon={ECON}&area={KAINUU}")
    assert data["indicators"][0]["id"] == headline
    html = fixture_client.get(
        f"/views/phenomenon-in-brief?phenomenon={ECON}&area={KAINUU}&lang=fi"
    ).get_data(as_text=True)
    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S)
    assert caption and "Pienituloisuusaste (%)" in unescape(caption.group(1))  # the map


@pytest.mark.parametrize("phenomenon", ["mielenterveys", ECON])
def test_rates_and_indices_come_first_in_the_ontologys_order(
    fixture_client, ontology_order, phenomenon
):
    data = brief_json(fixture_client, f"phenomenon={phenomenon}&level=wellbeing-county")
    places = ontology_order[phenomenon]
    shown = [i["id"] for i in data["indicators"]]
    counts = [
        i["id"]
        for i in data["indicators"]
        if i["aggregation_rule"] == "AggregateBySum" and not i["is_index"]
    ]
    rates = [s for s in shown if s not in counts]
    assert shown == rates + counts  # rates and indices first…
    assert rates == sorted(rates, key=places.__getitem__)  # …each group in the ontology's order
    assert counts == sorted(counts, key=places.__getitem__)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_brief_title_names_the_selected_area(fixture_client, lang):
    data = brief_json(fixture_client, f"phenomenon={ECON}&area={KAINUU}&lang={lang}")
    phenomenon = data["indicators"][0]["phenomena"][0]
    want = " – ".join(
        [
            translate("view.phenomenon-in-brief", lang),
            phenomenon,
            data["area"]["name"],
            translate("level.wellbeing-county", lang),
            translate("latest", lang),
        ]
    )
    assert data["title"] == want
    assert "Kainuu" in data["area"]["name"]
    html = fixture_client.get(
        f"/views/phenomenon-in-brief?phenomenon={ECON}&area={KAINUU}&lang={lang}"
    ).get_data(as_text=True)
    assert f"<h1>{want}</h1>" in unescape(html)


def test_a_brief_without_an_area_names_none(fixture_client):
    data = brief_json(fixture_client, f"phenomenon={ECON}&level=wellbeing-county&year=2024")
    assert data["title"] == " – ".join(
        [
            translate("view.phenomenon-in-brief", "fi"),
            data["indicators"][0]["phenomena"][0],
            translate("level.wellbeing-county", "fi"),
            "2024",
        ]
    )
