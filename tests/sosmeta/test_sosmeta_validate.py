"""Validating client documents against the generated shapes (issue 6: client documents)."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ET

import jsonschema
import pytest
import rdflib
from click.testing import CliRunner
from pyoxigraph import RdfFormat, parse, serialize

from kgservice.cli import main
from kgservice.sosmeta import docgraph
from kgservice.sosmeta.checker import compile_shapes
from kgservice.sosmeta.importer import shapes_for
from kgservice.sosmeta.schema import load_schema
from kgservice.sosmeta.synth import BREAKAGES, Synth, with_valid_identities

OID = "1.2.246.537.6.1506.11052.2023.9.8"

#: breakage → the rule (shape IRI fragment) that must report it in Työikäisten palvelupäätös
EXPECTED_RULE = {
    "missing-required": "min-count",
    "unknown-key": "closed",
    "wrong-type": "datatype",
    "pattern": "pattern",
    "empty-string": "min-length",
    "empty-required-array": "min-count",
    "array-for-object": "closed",
    "object-for-array": "array-index",
    "null": "datatype",
    "missing-identifier": "identifier-alternatives",
    "hetu-format": "hetu",
}


def checker_for(structure):
    return compile_shapes(parse(shapes_for(structure), format=RdfFormat.TURTLE), structure.oid)


@pytest.fixture(scope="module")
def checker(tyoikaisten):
    return checker_for(tyoikaisten)


def test_valid_synthetic_documents_pass(tyoikaisten, checker):
    synth = Synth(tyoikaisten, seed=7)
    for _ in range(25):
        assert checker.check(synth.valid()) == []


@pytest.mark.parametrize("kind", sorted(EXPECTED_RULE))
def test_each_kind_of_broken_document_fails_with_its_rule(tyoikaisten, checker, kind):
    doc = Synth(tyoikaisten, seed=11).broken(kind)
    assert doc is not None
    violations = checker.check(doc)
    assert EXPECTED_RULE[kind] in {v.rule for v in violations}, [v.rule for v in violations]
    for v in violations:
        assert v.message and ("«" in v.message), v  # Finnish message naming the entry


def test_missing_identifier_message_names_both_entries(tyoikaisten, checker):
    doc = Synth(tyoikaisten, seed=3).broken("missing-identifier")
    (v,) = [v for v in checker.check(doc) if v.rule == "identifier-alternatives"]
    assert "Henkilötunnus" in v.message and "Tilapäinen yksilöintitunnus" in v.message


def test_temporary_identifier_alone_satisfies_the_condition(tyoikaisten, checker):
    doc = Synth(tyoikaisten, seed=5).valid()
    for client in doc["tyoikaisten_palvelupaatos"]["asiakas"]:
        client.pop("henkilotunnus")
        client["tilapainen_yksilointitunnus"] = {"value": "112233-445a"}
    assert checker.check(doc) == []


def _write_batch(tmp_path, tyoikaisten):
    synth = Synth(tyoikaisten, seed=21)
    (tmp_path / "ok.json").write_text(json.dumps(synth.valid(), ensure_ascii=False))
    lines = [json.dumps(synth.valid()), json.dumps(synth.broken("missing-required")), "{oops"]
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n")
    return tmp_path / "ok.json", tmp_path / "batch.jsonl"


def test_cli_exits_zero_only_when_all_documents_conform(tmp_path, tyoikaisten):
    ok, batch = _write_batch(tmp_path, tyoikaisten)
    runner = CliRunner()
    good = runner.invoke(main, ["validate", str(ok)])
    assert good.exit_code == 0, good.output
    assert "ok.json: OK" in good.output
    bad = runner.invoke(main, ["validate", str(ok), str(batch)])
    assert bad.exit_code == 1
    assert "batch.jsonl:2: tyoikaisten_palvelupaatos/" in bad.output
    assert "[json-syntax]" in bad.output and "batch.jsonl:3" in bad.output


def test_cli_json_and_junit_reports_list_document_entry_rule_message(tmp_path, tyoikaisten):
    _, batch = _write_batch(tmp_path, tyoikaisten)
    runner = CliRunner()
    out = runner.invoke(main, ["validate", "--structure", OID, "--format", "json", str(batch)])
    report = json.loads(out.output)
    assert [r["conforms"] for r in report["results"]] == [True, False, False]
    violation = report["results"][1]["violations"][0]
    assert {"entry", "rule", "message"} <= set(violation)
    junit = runner.invoke(main, ["validate", "--format", "junit", str(batch)])
    suite = ET.fromstring(junit.output.split("\n", 1)[1])
    assert suite.get("tests") == "3" and suite.get("failures") == "2"


def test_reports_never_echo_identity_codes(tmp_path, tyoikaisten):
    doc = Synth(tyoikaisten, seed=2).broken("hetu-checksum")
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc))
    hetu = doc["tyoikaisten_palvelupaatos"]["asiakas"][0]["henkilotunnus"]["value"]
    out = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert out.exit_code == 1 and "hetu-checksum" in out.output
    assert hetu not in out.output


def _structures(schema_dir, count: int, seed: int):
    files = sorted(schema_dir.glob("*.json"))
    return random.Random(seed).sample(files, count)


@pytest.mark.slow
def test_shapes_agree_with_json_schema_on_jsf_documents_across_40_structures(schema_dir):
    """jsf makes schema-valid documents; identity codes are made valid; Synth breaks copies.
    Valid by the JSON Schema ⇒ passes the shapes; rejected by the JSON Schema ⇒ fails."""
    from jsf import JSF

    checked = {"valid": 0, "invalid": 0}
    for path in _structures(schema_dir, 40, seed=2026):
        structure = load_schema(path)
        schema = json.loads(path.read_text(encoding="utf-8"))
        validator = jsonschema.Draft7Validator(schema)
        checker = checker_for(structure)
        docs = [
            with_valid_identities(d, structure, i) for i, d in enumerate(JSF(schema).generate(3))
        ]
        synth = Synth(structure, seed=len(path.name))
        docs += [synth.broken(k) for k, (breaks_schema, _) in BREAKAGES.items() if breaks_schema]
        for doc in docs:
            if doc is None:
                continue
            schema_ok = validator.is_valid(doc)
            violations = checker.check(doc)
            if schema_ok:
                assert violations == [], (path.name, violations[:2])
                checked["valid"] += 1
            else:
                assert violations, (path.name, doc)
                checked["invalid"] += 1
    assert checked["valid"] >= 100 and checked["invalid"] >= 300, checked


def _pyshacl_results(doc, structure, shapes_graph):
    import pyshacl

    triples = docgraph.to_triples(doc, structure.oid, "d0")
    data = rdflib.Graph().parse(
        data=serialize(triples, format=RdfFormat.N_TRIPLES).decode(), format="nt"
    )
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = {
        (
            str(results.value(r, sh.sourceShape)),
            str(results.value(r, sh.sourceConstraintComponent)).split("#")[1],
        )
        for r in results.subjects(rdflib.RDF.type, sh.ValidationResult)
    }
    return conforms, found


@pytest.mark.slow
def test_compiled_checker_reports_exactly_what_pyshacl_reports(schema_dir):
    for path in _structures(schema_dir, 6, seed=7):
        structure = load_schema(path)
        ttl = shapes_for(structure)
        shapes_graph = rdflib.Graph().parse(data=ttl.decode(), format="turtle")
        checker = checker_for(structure)
        synth = Synth(structure, seed=1)
        docs = [synth.valid()] + [
            synth.broken(k)
            for k in (
                "missing-required",
                "unknown-key",
                "null",
                "array-for-object",
                "object-for-array",
            )
        ]
        for doc in docs:
            if doc is None:
                continue
            conforms, expected = _pyshacl_results(doc, structure, shapes_graph)
            mine = {(v.shape, v.component) for v in checker.check(doc)}
            assert conforms == (not mine)
            assert mine == expected, (path.name, mine ^ expected)


def test_synthetic_batch_validates_to_exactly_its_valid_documents(tmp_path, tyoikaisten):
    from kgservice.config import Settings
    from kgservice.sosmeta.synth import write_batch
    from kgservice.sosmeta.validate import validate_files

    out = tmp_path / "batch.jsonl"
    kinds = write_batch(tyoikaisten, out, count=60, broken_share=0.4, seed=9)
    assert sum(kinds.values()) == 60 and kinds["valid"] < 60
    results = validate_files(Settings(), [out], None)
    assert sum(r.conforms for r in results) == kinds["valid"]
