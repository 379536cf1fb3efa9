"""``kgservice diff A B`` as docs/terminologists.md documents it: every change kind of the scripted
edits in every output format, between a git tag and the working tree."""

from __future__ import annotations

import io
import json

import openpyxl
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
    YSO_HOMELESSNESS,
    delete_concept,
    git,
    scripted_edits,
)

from kgservice.releases.render import CS


@pytest.fixture()
def edited(vocab_repo):
    scripted_edits(vocab_repo)
    return vocab_repo


def test_markdown_changelog_names_every_edit_under_its_scheme(edited, kgservice):
    result = kgservice(edited, "diff", "v1", "ontology/")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "1 added, 1 deprecated, 0 removed" in text
    phenomena = text.split("## Ilmiöt")[1].split("\n## ")[0]
    assert f"### Added\n\n- yksinäisyys (<{ADDED}>)" in phenomena
    assert f"prefLabel@sv: removed “psykisk hälsa”; added “{NEW_SV_LABEL}”" in phenomena
    assert f"exactMatch: removed “{YSO_HOMELESSNESS}”" in phenomena
    assert f"closeMatch: added “{YSO_HOMELESSNESS}”" in phenomena
    groups = text.split("## Väestöryhmät")[1].split("\n## ")[0]
    assert f"<{DEPRECATED}>) → replaced by <{REPLACEMENT}>" in groups
    assert f"broader: removed “{REPLACEMENT}”; added “{NEW_PARENT}”" in groups
    assert f"narrower: added “{MOVED}”" in groups  # on the new parent


def test_json_lists_each_kind_with_property_and_language(edited, kgservice):
    result = kgservice(edited, "diff", "v1", "ontology/", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    changes = {c["concept"]: c for s in document["schemes"] for c in s["concepts"]}
    assert changes[ADDED]["kind"] == "added"
    assert changes[DEPRECATED]["kind"] == "deprecated"
    assert changes[DEPRECATED]["replacedBy"] == [REPLACEMENT]
    status = [p for p in changes[DEPRECATED]["changes"] if p["property"] == "status"]
    assert status[0]["added"] == ["https://rake-kg.example/concept/status/RETIRED"]
    relabel = changes[RELABELLED]["changes"]
    assert relabel == [
        {
            "property": "prefLabel",
            "lang": "sv",
            "removed": ["psykisk hälsa"],
            "added": [NEW_SV_LABEL],
        }
    ]
    moved = {p["property"]: p for p in changes[MOVED]["changes"]}
    assert moved["broader"]["added"] == [NEW_PARENT]
    mapping = {p["property"]: p for p in changes[REMAPPED]["changes"]}
    assert mapping["exactMatch"]["removed"] == mapping["closeMatch"]["added"] == [YSO_HOMELESSNESS]
    assert document["counts"] == {"added": 1, "deprecated": 1, "removed": 0, "changed": 5}


def test_excel_sheet_has_a_row_per_property_change(edited, kgservice):
    out = edited / "var" / "changes.xlsx"
    result = kgservice(edited, "diff", "v1", "ontology/", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["changes"]
    rows = list(book["changes"].iter_rows(values_only=True))
    assert rows[0] == ("scheme", "kind", "concept", "label", "property", "lang", "removed", "added")
    by_key = {(r[2], r[4], r[5] or ""): r for r in rows[1:]}
    assert [r[1] for r in rows[1:] if r[2] == ADDED] == ["added"]
    assert by_key[(DEPRECATED, "isReplacedBy", "")][7] == REPLACEMENT
    assert by_key[(RELABELLED, "prefLabel", "sv")][6:] == ("psykisk hälsa", NEW_SV_LABEL)
    assert by_key[(MOVED, "broader", "")][7] == NEW_PARENT
    assert by_key[(REMAPPED, "closeMatch", "")][7] == YSO_HOMELESSNESS


def test_rdf_changeset_parses_and_reifies_additions_and_removals(edited, kgservice):
    result = kgservice(edited, "diff", "v1", "ontology/", "--format", "rdf")
    assert result.exit_code == 0, result.output
    store = ox.Store()
    store.load(result.stdout_bytes, format=ox.RdfFormat.TURTLE)
    reasons = {
        q.object.value: q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(CS + "subjectOfChange"), None)
    }
    assert set(reasons) == {ADDED, DEPRECATED, RELABELLED, MOVED, NEW_PARENT, REPLACEMENT, REMAPPED}

    def statements(concept: str, link: str) -> set[tuple[str, str]]:
        found = set()
        for q in store.quads_for_pattern(reasons[concept], ox.NamedNode(CS + link), None):
            p = next(store.quads_for_pattern(q.object, ox.NamedNode(ox_rdf("predicate")), None))
            o = next(store.quads_for_pattern(q.object, ox.NamedNode(ox_rdf("object")), None))
            found.add((p.object.value, o.object.value))
        return found

    skos = "http://www.w3.org/2004/02/skos/core#"
    assert (skos + "prefLabel", NEW_SV_LABEL) in statements(RELABELLED, "addition")
    assert (skos + "prefLabel", "psykisk hälsa") in statements(RELABELLED, "removal")
    assert (skos + "closeMatch", YSO_HOMELESSNESS) in statements(REMAPPED, "addition")
    assert (skos + "prefLabel", "yksinäisyys") in statements(ADDED, "addition")
    reason = next(
        store.quads_for_pattern(reasons[DEPRECATED], ox.NamedNode(CS + "changeReason"), None)
    )
    assert reason.object.value == "deprecated"


def ox_rdf(name: str) -> str:
    return "http://www.w3.org/1999/02/22-rdf-syntax-ns#" + name


def test_two_git_refs_and_a_removed_concept(edited, kgservice):
    git(edited, "commit", "-q", "-am", "edits")
    delete_concept(edited / "ontology" / "phenomena.ttl", ADDED)
    result = kgservice(edited, "diff", "HEAD", "ontology/", "--format", "json")
    assert result.exit_code == 0, result.output
    kinds = {
        c["concept"]: c["kind"] for s in json.loads(result.stdout)["schemes"] for c in s["concepts"]
    }
    assert kinds == {ADDED: "removed"}
    between_tags = kgservice(edited, "diff", "v1", "HEAD", "--format", "json")
    counts = json.loads(between_tags.stdout)["counts"]
    assert counts == {"added": 1, "deprecated": 1, "removed": 0, "changed": 5}


def test_unknown_version_is_a_clear_error_naming_the_three_choices(vocab_repo, kgservice):
    result = kgservice(vocab_repo, "diff", "no-such-release", "ontology/")
    assert result.exit_code == 1
    assert "neither a release under" in result.output
    assert "git revision" in result.output


def test_excel_without_an_output_file_is_refused(vocab_repo, kgservice):
    result = kgservice(vocab_repo, "diff", "v1", "ontology/", "--format", "xlsx")
    assert result.exit_code == 1
    assert "give -o FILE.xlsx" in result.output


def test_two_turtle_files_compare_only_what_they_hold(edited, kgservice):
    old = edited / "old-phenomena.ttl"
    old.write_text(git(edited, "show", "v1:ontology/phenomena.ttl"), encoding="utf-8")
    result = kgservice(edited, "diff", str(old), "ontology/phenomena.ttl", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    kinds = {c["concept"]: c["kind"] for s in document["schemes"] for c in s["concepts"]}
    assert kinds == {ADDED: "added", RELABELLED: "changed", REMAPPED: "changed"}
    assert [s["label"] for s in document["schemes"]] == ["Ilmiöt"]
