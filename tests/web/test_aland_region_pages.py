"""Åland on the region pages (issue 16): its own group beside the five cooperation areas, while its
place in the hierarchy (directly under the whole country), which the indicator closure and the
suppression groups rely on, stays as it is.

Which areas stand outside the cooperation areas is read from the classification file itself: the
county whose "cooperation area" in the key is the county itself (code 91, Ahvenanmaa).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from pyoxigraph import NamedNode

from kgservice.config import PROJECT_ROOT
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir
from kgservice.texts import translate

RAKE = "https://rake-kg.example/"
COUNTRY = RAKE + "region/koko-suomi"
KEY = PROJECT_ROOT / "data" / "regions" / "kunta_hyvinvointialue_yhteistyoalue_2025.csv"


def key_rows() -> list[dict[str, str]]:
    with KEY.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def outside_counties() -> dict[str, str]:
    """County code → Finnish name of the counties the key puts in a cooperation area of their own
    name (not one of the five)."""
    return {
        r["hyvinvointialue_code"]: r["hyvinvointialue_fi"]
        for r in key_rows()
        if r["yhteistyoalue_fi"] == r["hyvinvointialue_fi"]
    }


def cooperation_areas() -> dict[str, str]:
    names = {r["yhteistyoalue_code"]: r["yhteistyoalue_fi"] for r in key_rows()}
    outside = set(outside_counties().values())
    return {code: name for code, name in names.items() if name not in outside}


def page(client, iri: str, lang: str = "fi") -> str:
    resp = client.get(f"/page?uri={quote(iri, safe='')}&lang={lang}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def block(html: str, pattern: str) -> str:
    m = re.search(pattern, html, re.S)
    assert m, f"no {pattern!r} on the page"
    return m.group(1)


@pytest.fixture(scope="module")
def store(built_settings) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield s
    s.close()


def test_the_key_has_five_cooperation_areas_and_aland_outside_them():
    assert len(cooperation_areas()) == 5 and outside_counties() == {"91": "Ahvenanmaa"}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_country_page_lists_the_cooperation_areas_and_aland_as_its_own_group(client, lang):
    html = page(client, COUNTRY, lang)
    narrower = block(html, r'<ul class="plain narrower">(.*?)</ul>')
    group = block(html, r'<ul class="plain narrower-group">(.*?)</ul>')
    assert all(f"yhteistyoalue%2F{code}&" in narrower for code in cooperation_areas())
    assert narrower.count("<li>") == 5
    assert group.count("<li>") == 1 and "hyvinvointialue%2F91" in group
    assert "hyvinvointialue%2F91" not in narrower
    heading = block(html, r'<dt data-group="yhteistyoalueiden-ulkopuolella">(.*?)</dt>')
    assert translate("narrower", lang) in heading


@pytest.mark.parametrize(
    ("lang", "group", "note"),
    [
        ("fi", "Yhteistyöalueiden ulkopuolella", "Itsehallinnollinen maakunta"),
        ("sv", "Utanför samarbetsområdena", "Självstyrt landskap"),
        ("en", "Outside the cooperation areas", "Autonomous region"),
    ],
)
def test_alands_page_names_its_group_and_says_why_in_the_pages_language(client, lang, group, note):
    html = page(client, RAKE + "region/hyvinvointialue/91", lang)
    member_of = block(html, r'<dd class="member-of">(.*?)</dd>')
    assert group in member_of
    assert note in html
    # still directly under the whole country
    assert "region%2Fkoko-suomi" in block(html, r'<ul class="plain broader">(.*?)</ul>')


def test_a_wellbeing_services_county_page_has_no_group(client):
    html = page(client, RAKE + "region/hyvinvointialue/13")
    assert 'class="member-of"' not in html and "narrower-group" not in html


def test_alands_place_in_the_hierarchy_and_closure_is_unchanged(store):
    rows = store.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?b ?in WHERE { ?aland skos:broader ?b ; ?inArea ?in }",
        {
            "aland": NamedNode(RAKE + "region/hyvinvointialue/91"),
            "inArea": NamedNode(RAKE + "ontology/inArea"),
        },
    )
    pairs = {(r["b"].value, r["in"].value) for r in rows}
    assert {b for b, _ in pairs} == {COUNTRY}
    assert COUNTRY in {i for _, i in pairs}
