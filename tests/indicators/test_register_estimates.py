"""THL's register estimates of social-welfare clients in a full build, against the raw CSV.

Every raw row is one client figure (a value, or a range kept as lower and upper bound) and, where
published, one share; each is an estimate (SDMX obsStatus E) of the whole country for the
reference period October 2022 – September 2023, and names the Sosmeta document structures that
feed it through the service tasks it counts (``queries/trace/structures-feeding-figure.rq``).
The expected structures are read from the bundled Sosmeta files' document subjects here.
"""

from __future__ import annotations

import csv
import gzip
import re
from decimal import Decimal

import pytest
from indicator_raw import DATA, RAW
from pyoxigraph import NamedNode, RdfFormat, parse

from kgservice.queries import select
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

DATASET = "https://rake-kg.example/data/dataset/thl-seurantarekisteri-arviot"
OBS = "https://rake-kg.example/data/obs/thl-seurantarekisteri-arviot/"
COMMON = "Sosiaalihuollon palvelutehtäville yhteiset asiakasasiakirjat"

QUERY = (
    """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rake: <https://rake-kg.example/ontology/>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
SELECT ?obs ?type ?value ?low ?high ?status ?area ?period ?start ?versionLabel ?unit
WHERE {
  { ?obs qb:dataSet <%(ds)s> } UNION { ?obs rake:gapInDataSet <%(ds)s> }
  ?obs a ?type ; sdmx-attribute:obsStatus ?status ; sdmx-dimension:refArea ?area ;
       sdmx-dimension:refPeriod ?period ; rake:periodStart ?start ;
       sdmx-attribute:unitMeasure ?unit ; rake:estimateVersion/rdfs:label ?versionLabel .
  OPTIONAL { ?obs sdmx-measure:obsValue ?value }
  OPTIONAL { ?obs rake:lowerBound ?low ; rake:upperBound ?high }
}
""".replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>")
    % {"ds": DATASET}
)


@pytest.fixture(scope="module")
def store(built_settings):
    s = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield s
    s.close()


@pytest.fixture(scope="module")
def figures(store) -> dict[str, dict]:
    out = {}
    for row in store.query(QUERY):
        out[row["obs"].value] = {k: (row[k].value if row.get(k) is not None else None) for k in (
            "type", "value", "low", "high", "status", "area", "period", "start", "versionLabel",
            "unit")}  # fmt: skip
    return out


def raw_rows() -> list[dict[str, str]]:
    path = RAW / "indicators" / "thl_sosiaalihuollon_seurantarekisteri_asiakasmaara_arviot_2024.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_raw_figure_is_one_national_estimate_with_its_reference_period(figures):
    rows = raw_rows()
    shares = [r for r in rows if r["share_pct"]]
    assert len(figures) == len(rows) + len(shares)
    for fig in figures.values():
        assert fig["area"] == "https://rake-kg.example/region/koko-suomi"
        assert (fig["start"], fig["period"]) == ("2022-10", "2023-09")
        assert fig["status"] == "http://purl.org/linked-data/sdmx/2009/code#obsStatus-E"


def test_client_counts_and_shares_are_the_raw_values(figures):
    counts = sorted(
        Decimal(f["value"]) for f in figures.values() if f["unit"] == "henkilöä" and f["value"]
    )
    shares = sorted(Decimal(f["value"]) for f in figures.values() if f["unit"] == "%")
    rows = raw_rows()
    assert counts == sorted(Decimal(r["clients_estimate"]) for r in rows if r["clients_estimate"])
    assert shares == sorted(Decimal(r["share_pct"]) for r in rows if r["share_pct"])


def test_a_published_range_keeps_its_bounds_and_gets_no_invented_value(figures):
    ranges = [f for f in figures.values() if f["low"] is not None]
    raw = [r for r in raw_rows() if r["clients_low"]]
    assert sorted((Decimal(f["low"]), Decimal(f["high"])) for f in ranges) == sorted(
        (Decimal(r["clients_low"]), Decimal(r["clients_high"])) for r in raw
    )
    assert all(f["value"] is None for f in ranges)
    assert {f["type"] for f in ranges} == {"https://rake-kg.example/ontology/RangeObservation"}
    substance = figures[OBS + "tarkennettu-arvio/paihde-kaikki-asiakkaat"]
    assert (substance["low"], substance["high"]) == ("30000", "50000")


def bundled_subjects() -> dict[str, str]:
    """OID of each bundled Sosmeta structure version → its document subject (spaces collapsed),
    read from the bundled N-Triples (data/sosmeta/structures.nt.gz)."""
    subject = NamedNode("https://rake-kg.example/ontology/documentSubject")
    with gzip.open(DATA / "sosmeta" / "structures.nt.gz") as fh:
        triples = parse(fh, RdfFormat.N_TRIPLES)
        return {
            t.subject.value.rsplit("/", 1)[-1]: re.sub(" +", " ", t.object.value)
            for t in triples
            if t.predicate == subject and t.object.language == "fi"
        }


def _structures(store, settings, figure: str) -> set[str]:
    rows = select(
        store,
        settings.queries_dir,
        "trace/structures-feeding-figure",
        figure=NamedNode(OBS + figure),
    )
    return {r["oid"].value for r in rows}


def test_the_substance_figure_is_fed_by_its_own_and_the_common_document_structures(
    store, built_settings
):
    subjects = bundled_subjects()
    own = "Päihde- ja riippuvuustyön erityisten palvelujen asiakasasiakirjat"
    expected = {oid for oid, s in subjects.items() if s in (own, COMMON)}
    assert any(s == own for s in subjects.values())
    assert _structures(store, built_settings, "tarkennettu-arvio/paihde-kaikki-asiakkaat") == (
        expected
    )


def test_a_service_task_without_bundled_structures_of_its_own_names_only_the_common_ones(
    store, built_settings
):
    common = {oid for oid, s in bundled_subjects().items() if s == COMMON}
    assert common
    found = _structures(store, built_settings, "tarkennettu-arvio/vammaispalvelut-kaikki-asiakkaat")
    assert found == common


def test_the_total_is_fed_by_the_structures_of_every_service_task(store, built_settings):
    subjects = bundled_subjects()
    task_subjects = {s for s in subjects.values() if s.endswith("asiakasasiakirjat")}
    task_subjects.discard("Täydentävän ja ehkäisevän toimeentulotuen asiakasasiakirjat")
    expected = {oid for oid, s in subjects.items() if s in task_subjects}
    assert _structures(store, built_settings, "kokonaismaaran-arvio/yhteensa-kaikki-asiakkaat") == (
        expected
    )
