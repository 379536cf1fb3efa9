"""The client-data level of the phenomenon view (issue 13): the last step of the drill-down shows
the county's own client documents as suppressed aggregates beside the open data.

The documented client flow runs once for the module (``client_flow_fixture.py``: synthetic
documents → ``kgservice lift`` → ``kgservice build``); the page's cells are compared with the
fixture's own count of the input files: a count of 1–4 is shown as "under 5" with its reason, a
larger one as the count itself (or hidden by complementary suppression, said so), and a county
without lifted documents says in words that its client data is not loaded.
"""

from __future__ import annotations

import pytest
from client_flow_fixture import INCOME_SUPPORT, Flow, run_client_flow, structure_oid
from lxml import html as lxml_html

PHENOMENON = "taloudellinen-tilanne-ja-toimeentulo"
INDICATOR = "toimeentulotukipaatoksen-saaneet-asiakkaat"
AREA_3 = ("07", "08", "16")  # cooperation area 3: every county lifted
KAINUU = "20"  # few documents: every cell 1–4 or empty
NOT_LIFTED = "19"  # no documents


@pytest.fixture(scope="module")
def client_flow(tmp_path_factory, schema_dir) -> Flow:
    return run_client_flow(tmp_path_factory.mktemp("client-data-level"), schema_dir)


@pytest.fixture(scope="module")
def flow_client(client_flow, app_factory):
    return app_factory(client_flow.settings).test_client()


def counts(flow: Flow) -> dict[tuple[str, str], int]:
    """(county, year) → distinct clients with an income-support decision, counted here."""
    structure = structure_oid(INCOME_SUPPORT)
    return {(c, y): n for (s, c, y), n in flow.expected.items() if s == structure}


def client_section(client, query: str):
    r = client.get(f"/views/phenomenon-view?phenomenon={PHENOMENON}&{query}")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    doc = lxml_html.fromstring(r.get_data(as_text=True))
    return doc.xpath('//section[@data-section="client-data"]')[0]


def cells(section) -> dict[tuple[str, str], object]:
    """(county, year) → the cell of the client-data table."""
    table = section.xpath(f'.//table[@data-indicator="{INDICATOR}"]')[0]
    years = [th.text_content().strip() for th in table.xpath(".//thead/tr/th")[1:]]
    out = {}
    for tr in table.xpath(".//tbody/tr"):
        for year, td in zip(years, tr.xpath("./td"), strict=True):
            out[(tr.get("data-area"), year)] = td
    return out


def test_each_county_shows_its_counts_and_hides_small_ones_as_under_five(client_flow, flow_client):
    expected = counts(client_flow)
    section = client_section(flow_client, "area=3&lang=fi")
    assert section.xpath(".//h2")[0].text_content() == "Asiakastietojen taso"
    got = cells(section)
    compared = {"shown": 0, "small": 0}
    for (county, year), n in expected.items():
        if county not in AREA_3:
            continue
        td = got[(county, year)]
        if 1 <= n <= 4:
            assert td.get("data-status") == "suppressed" and td.get("data-reason") == "small-count"
            assert td.text_content() == "alle 5 (salattu)"
            compared["small"] += 1
        elif td.get("data-status") == "suppressed":  # hidden so a small one cannot be worked out
            assert td.get("data-reason") == "complementary"
            assert td.text_content() == "salattu (vastinsalaus)"
        else:
            assert float(td.get("data-value")) == n
            assert td.text_content().replace("\u00a0", "") == str(n)
            compared["shown"] += 1
    assert compared["shown"] > 0 and compared["small"] > 0
    rule = section.xpath('.//*[@data-client="rule"]')[0].text_content()
    assert "alle 5" in rule and "vastinsalaus" in rule  # the rule is stated beside the figures


def test_no_client_figure_is_shown_for_a_cell_of_one_to_four(client_flow, flow_client):
    small = [(c, y) for (c, y), n in counts(client_flow).items() if c == KAINUU and 1 <= n <= 4]
    assert small
    section = client_section(flow_client, f"area={KAINUU}&lang=en")
    got = cells(section)
    for key in small:
        assert got[key].text_content() == "under 5 (suppressed)"
        assert got[key].get("data-value") is None


def test_a_county_without_lifted_documents_says_its_client_data_is_not_loaded(flow_client):
    name = flow_client.get(f"/api/views/situation-picture?area={NOT_LIFTED}&lang=en").get_json()
    section = client_section(flow_client, f"area={NOT_LIFTED}&lang=en")
    note = section.xpath('.//*[@data-client="not-loaded"]')[0].text_content()
    assert "not loaded" in note and name["area"]["name"] in note
    assert not section.xpath(".//table")
    assert "kgservice" not in section.text_content()  # no command line on the page


def test_the_municipal_table_of_a_lifted_county_has_its_client_level_below(flow_client):
    section = client_section(flow_client, "area=08&lang=sv")
    rows = section.xpath(f'.//table[@data-indicator="{INDICATOR}"]//tbody/tr/@data-area')
    assert rows == ["08"]
    assert not section.xpath('.//*[@data-client="not-loaded"]')
