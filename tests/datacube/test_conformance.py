"""The W3C Data Cube integrity constraints against the reference implementation's test cases.

``EXPECTED.tsv`` (shared/conformance/datacube-ic) transcribes the upstream TestWF.java: for each
merge of fixture files, one IC must fail or hold. The upstream fixtures are fragments, so some
other ICs fail too; ``collateral.tsv`` beside this file names each such IC with the reason, and
the tests require the violated set to be exactly "expected + collateral".
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from kgservice.config import Settings
from kgservice.errors import ValidationError
from kgservice.queries import load_query
from kgservice.store.embedded import EmbeddedStore
from kgservice.validation.datacube import IC_IDS, check_files, check_integrity, ic_query_name

HERE = Path(__file__).parent
SUITE = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "datacube-ic"


def _read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t"))[1:]


EXPECTED = _read_tsv(SUITE / "EXPECTED.tsv")
COLLATERAL = _read_tsv(HERE / "collateral.tsv")
COMBOS = sorted({row[1] for row in EXPECTED})


def _files(combo: str) -> list[Path]:
    return [SUITE / "testdata" / name for name in combo.split("+")]


def _ic(query_file: str) -> str:
    return "IC-" + query_file.removeprefix("integrity-").removesuffix(".rq")


@pytest.mark.parametrize(
    ("query_file", "combo", "expected"),
    [(q, f, e) for q, f, e, _label in EXPECTED],
    ids=[f"{r[0]}:{r[1]}" for r in EXPECTED],
)
def test_integrity_constraint_gives_the_reference_verdict(query_file, combo, expected):
    violated = {v.ic for v in check_files(_files(combo))}
    assert (_ic(query_file) in violated) == expected.startswith("violation")


@pytest.mark.parametrize("combo", COMBOS)
def test_only_expected_and_documented_constraints_fail(combo):
    must_fail = {_ic(q) for q, f, e, _ in EXPECTED if f == combo and e.startswith("violation")}
    also = {ic for f, ic, _why in COLLATERAL if f == combo}
    violated = {v.ic for v in check_files(_files(combo))}
    assert violated == must_fail | also


@pytest.mark.parametrize("combo", COMBOS)
def test_one_pass_ic12_agrees_with_the_pairwise_reference_query(combo):
    fast = [v for v in check_files(_files(combo)) if v.ic == "IC-12"]
    pairwise = [v for v in check_files(_files(combo), pairwise_ic12=True) if v.ic == "IC-12"]
    assert bool(fast) == bool(pairwise)


def test_every_reference_fixture_is_exercised():
    used = {name for combo in COMBOS for name in combo.split("+")}
    assert {p.name for p in (SUITE / "testdata").glob("*.ttl")} == used


def test_every_constraint_query_has_a_project_header_and_parses():
    settings = Settings()
    mem = EmbeddedStore(None)
    for ic in IC_IDS:
        q = load_query(ic_query_name(ic), settings.queries_dir)
        assert q.purpose.startswith(f"W3C RDF Data Cube integrity constraint IC-{ic}.")
        assert "VIOLATED" in q.returns
        assert mem.ask(q.text) is False  # parses, and an empty graph violates nothing


def test_duplicate_observation_is_reported_with_both_observation_iris():
    violations = check_files(_files("abbrv-cube.ttl+duplicate-observation.ttl"))
    ic12 = next(v for v in violations if v.ic == "IC-12")
    assert ic12.examples == (
        "http://example.com/abbrv-cube/dup = http://example.com/abbrv-cube/y1x3",
    )
    assert "No duplicate observations" in ic12.describe()


def _store_with(graph_files: dict[str, list[Path]]) -> EmbeddedStore:
    store = EmbeddedStore(None)
    for graph, paths in graph_files.items():
        for path in paths:
            store.load(path, RdfFormat.TURTLE, graph)
    return store


def test_checking_a_store_reads_it_without_writing(tmp_path):
    graph = "https://rake-kg.example/graph/source/example"
    store = _store_with({graph: _files("abbrv-cube.ttl+duplicate-observation.ttl")})
    before = store.dump(RdfFormat.N_QUADS)
    violated = [v.ic for v in check_integrity(store)]
    assert violated == ["IC-12", "IC-13"]
    assert store.dump(RdfFormat.N_QUADS) == before  # normalisation ran on a copy


def test_private_client_graphs_are_left_out_of_the_check():
    public = "https://rake-kg.example/graph/source/example"
    private = "https://rake-kg.example/graph/client/batch-1"
    store = _store_with(
        {public: _files("abbrv-cube.ttl"), private: [SUITE / "testdata" / "missing-ds.ttl"]}
    )
    assert check_integrity(store) == []
    assert [v.ic for v in check_integrity(store, graphs=[public, private])] == ["IC-1"]


def test_the_build_step_fails_on_a_violation_and_names_the_constraint():
    from kgservice.pipeline.build import datacube_integrity
    from kgservice.pipeline.steps import StepReport

    graph = "https://rake-kg.example/graph/source/example"
    bad = _store_with({graph: _files("abbrv-cube.ttl+duplicate-observation.ttl")})
    with pytest.raises(ValidationError) as info:
        datacube_integrity(Settings(), bad, StepReport("datacube-integrity"))
    assert info.value.rule == "datacube-ic"
    assert "[IC-12]" in info.value.message and "[IC-13]" in info.value.message
    good = _store_with({graph: _files("abbrv-cube.ttl")})
    report = StepReport("datacube-integrity")
    datacube_integrity(Settings(), good, report)
    assert report.notes == ["Data Cube ICs: all 22 hold"]
