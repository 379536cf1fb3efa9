"""The regression guard against a git baseline, on a throw-away git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kgservice.validation.baseline import BaselineError, Snapshot, compare, snapshot_at, snapshot_of

ONTOLOGY = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rake: <https://rake-kg.example/ontology/> .
@prefix ex: <https://rake-kg.example/concept/fx-baseline/> .

<https://rake-kg.example/scheme/fx-baseline> a skos:ConceptScheme .
"""


def concept(n: int) -> str:
    return (
        f"ex:c{n} a skos:Concept ; "
        f"skos:inScheme <https://rake-kg.example/scheme/fx-baseline> ; "
        f'skos:prefLabel "Käsite {n}"@fi ; skos:definition "Testikäsite {n}."@fi ; '
        "rake:status <https://rake-kg.example/concept/status/VALID> .\n"
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path, project) -> Path:
    """A git repository whose first commit (tag ``v1``) has 20 concepts in ontology/."""
    project()  # the quality shapes beside ontology/
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "test@example.invalid")
    git(tmp_path, "config", "user.name", "test")
    write(tmp_path, range(20))
    git(tmp_path, "add", "ontology")
    git(tmp_path, "commit", "-q", "-m", "baseline")
    git(tmp_path, "tag", "v1")
    return tmp_path


def write(repo: Path, numbers) -> None:
    text = ONTOLOGY + "".join(concept(n) for n in numbers)
    (repo / "ontology" / "concepts.ttl").write_text(text, encoding="utf-8")


def test_unchanged_ontology_passes(repo, run_check_cli):
    result = run_check_cli(repo, "--no-reasoner", "--baseline", "v1")
    assert result.exit_code == 0, result.output
    assert "[baseline-" not in result.output


def test_removed_concept_fails_and_lists_the_vanished_iri(repo, run_check_cli):
    write(repo, range(19))  # c19 deleted
    result = run_check_cli(repo, "--no-reasoner", "--baseline", "v1")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    (gone,) = [x for x in lines if "[baseline-iri-removed]" in x]
    assert gone.startswith(
        "v1:ontology/concepts.ttl <https://rake-kg.example/concept/fx-baseline/c19>"
    )
    assert "IRI present at v1 is gone" in gone
    (drop,) = [x for x in lines if "[baseline-concept-drop]" in x]
    assert "concepts dropped from 20 at v1 to 19 (-5.00%, more than 0.1%)" in drop
    assert any("[baseline-triple-drop]" in x for x in lines)


def test_allow_removals_turns_the_findings_into_warnings(repo, run_check_cli):
    write(repo, range(19))
    result = run_check_cli(repo, "--no-reasoner", "--baseline", "v1", "--allow-removals")
    removed = [x for x in result.output.splitlines() if "[baseline-iri-removed]" in x]
    assert len(removed) == 1
    assert "[baseline-iri-removed] (warning)" in removed[0]
    assert all("(warning)" in x for x in result.output.splitlines() if "[baseline-" in x)
    assert result.exit_code == 0, result.output


def test_added_concepts_do_not_trip_the_guard(repo):
    write(repo, range(25))
    before = snapshot_at(repo / "ontology", "v1")
    now = snapshot_of([(repo / "ontology" / "concepts.ttl", "ontology/concepts.ttl")])
    assert len(before.concepts) == 20 and len(now.concepts) == 25
    assert compare(before, now, "v1", allow_removals=False) == []


def test_a_drop_within_a_tenth_of_a_percent_passes_the_counts_but_not_the_iri_check():
    before = Snapshot(triples=10_000, concepts={f"c{n}" for n in range(2000)})
    before.subjects = {c: "f.ttl" for c in before.concepts}
    now = Snapshot(triples=9_991, concepts=before.concepts - {"c0"})
    now.subjects = {c: "f.ttl" for c in now.concepts}
    found = compare(before, now, "v1", allow_removals=False)
    # 9 triples of 10,000 (0.09 %) and 1 concept of 2,000 (0.05 %) are tolerated, the IRI is not.
    assert [v.rule for v in found] == ["baseline-iri-removed"]
    assert found[0].focus == "c0"


def test_unknown_ref_is_a_clear_error(repo):
    with pytest.raises(BaselineError, match="no-such-ref"):
        snapshot_at(repo / "ontology", "no-such-ref")
