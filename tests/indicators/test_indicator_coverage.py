"""``kgservice check --indicator-coverage`` on a full build of the bundled data.

The expected counts are made here from the sources themselves: the indicators of the ontology
(``ontology/*.ttl``, read with rdflib) and the verified catalogue rows of the raw Sotkanet metadata
(``../shared/data-raw``); the years of the Diak time series from its bundled CSV.
"""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest
from click.testing import CliRunner
from indicator_raw import DATA, RAW
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT

RAKE = Namespace("https://rake-kg.example/ontology/")
PHEN = "https://rake-kg.example/concept/phenomenon/"
TAGS = {
    "mielenterveys": "mielenterveys",
    "päihteet ja riippuvuudet": "paihteet-ja-riippuvuudet",
    "asunnottomuus": "asunnottomuus",
    "toimeentulo (konteksti)": "taloudellinen-tilanne-ja-toimeentulo",
}


def env(settings) -> dict[str, str]:
    """The command reads its settings from the environment: the test build's store."""
    return {"KG_VAR_DIR": str(settings.var_dir), "KG_STORE": str(settings.store_path)}


@pytest.fixture(scope="module")
def report(built_settings) -> dict[str, dict]:
    result = CliRunner().invoke(
        main, ["check", "--indicator-coverage", "--format", "json"], env=env(built_settings)
    )
    assert result.exit_code == 0, result.output
    return {row["phenomenon"]: row for row in json.loads(result.output)}


def expected_indicators() -> Counter:
    graph = Graph()
    for path in (PROJECT_ROOT / "ontology").glob("*.ttl"):
        graph.parse(path, format="turtle")
    counts: Counter = Counter()
    for ind in graph.subjects(RDF.type, RAKE.Indicator):
        for phen in graph.objects(ind, RAKE.measures):
            counts[str(phen)] += 1
    listed = json.loads(
        (RAW / "indicators" / "sotkanet_rest11_indicators_list_2015-10_oskari.json").read_text()
    )
    ids = {e["id"] for e in listed}
    path = (
        RAW / "indicators" / "sotkanet_indicator_metadata_mielenterveys_paihteet_asunnottomuus.csv"
    )
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["phenomenon"] and int(row["indicator_id"]) in ids:
                counts[PHEN + TAGS[row["phenomenon"]]] += 1
    return counts


def test_each_phenomenon_counts_its_ontology_and_catalogue_indicators(report):
    assert {p: r["indicators"] for p, r in report.items()} == dict(expected_indicators())


def test_every_indicator_is_linked_to_a_view_and_the_catalogue_to_no_need(report):
    graph = Graph()  # every ontology module: the indicators are in several (indicators*.ttl, …)
    for module in sorted((PROJECT_ROOT / "ontology").glob("*.ttl")):
        graph.parse(module, format="turtle")
    for phen, row in report.items():
        assert row["linked"]["view"] == row["indicators"]
        needs = {
            i
            for i in graph.subjects(RAKE.measures, URIRef(phen))
            if (i, RAKE.answersNeed, None) in graph
        }
        assert row["linked"]["concept"] == len(needs), phen


def test_mental_health_figures_are_the_diak_series_years_at_county_level(report):
    with (
        DATA / "diak" / "diak_huono_osaisuus_indeksit_aikasarja_2011_2020_v20230224_ilmiot.csv"
    ).open(encoding="utf-8") as fh:
        years = sorted({row["aika"] for row in csv.DictReader(fh)})
    county = report[PHEN + "mielenterveys"]["with_figures"]["wellbeing-county"]
    assert (county["first_year"], county["last_year"]) == (years[0], years[-1])
    assert county["indicators"] >= 1
    assert report[PHEN + "mielenterveys"]["with_figures"]["country"]["indicators"] == 0


def test_the_markdown_table_has_one_row_per_phenomenon(built_settings, report):
    result = CliRunner().invoke(main, ["check", "--indicator-coverage"], env=env(built_settings))
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.startswith("| ")]
    assert lines[0].startswith("| phenomenon | indicators | with figures: country |")
    assert len(lines) == 1 + len(report)
    homelessness = next(line for line in lines if line.startswith("| homelessness |"))
    expected = report[PHEN + "asunnottomuus"]["indicators"]
    assert homelessness.startswith(f"| homelessness | {expected} |")
