"""Lifting client documents without a build: the key is required, pseudonyms are keyed HMACs
(issue 6: client documents, privacy).

Everything that needs a store — quarantine, private graphs, derived attributes, the published
aggregate, and the scans for identity codes, names and pseudonyms in the store, logs, ``var/``
and every response — runs on the documented flow with the full build in
``test_client_flow.py`` (issue 11: no user-facing flow is tested on a subset of build steps).
"""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from kgservice.errors import ConfigError, ValidationError
from kgservice.sosmeta.lift import lift_files
from kgservice.sosmeta.pseudonym import pseudonym
from kgservice.sosmeta.synth import Synth

KEY = "test-key-only-for-tests"


def test_lift_refuses_without_a_key_and_writes_nothing(settings_factory, tmp_path, tyoikaisten):
    settings = settings_factory()
    path = tmp_path / "d.json"
    path.write_text(json.dumps(Synth(tyoikaisten).valid()))
    with pytest.raises(ConfigError) as err:
        lift_files(settings, [path])
    assert err.value.rule == "pseudonym-key"
    assert not (settings.var_dir / "client").exists()


def test_pseudonym_is_a_keyed_hmac_of_the_identity_code(tyoikaisten):
    doc = Synth(tyoikaisten, seed=5).valid()
    hetu = doc["tyoikaisten_palvelupaatos"]["asiakas"][0]["henkilotunnus"]["value"]
    expected = hmac.new(KEY.encode(), f"hetu:{hetu}".encode(), hashlib.sha256).hexdigest()
    assert pseudonym(KEY.encode(), hetu) == expected
    assert pseudonym(b"another key", hetu) != expected
    assert pseudonym(KEY.encode(), hetu, "temporary") != expected


def test_lift_writes_the_keyed_pseudonym_and_never_the_identity_code(
    settings_factory, tmp_path, tyoikaisten
):
    settings = settings_factory(pseudonym_key=KEY)
    doc = Synth(tyoikaisten, seed=11).valid()
    path = tmp_path / "one.json"
    path.write_text(json.dumps(doc, ensure_ascii=False))
    report = lift_files(settings, [path], county="90")
    assert report.lifted == 1 and report.path is not None
    text = report.path.read_text(encoding="utf-8")
    for client in doc["tyoikaisten_palvelupaatos"]["asiakas"]:
        if "henkilotunnus" in client:
            hetu = client["henkilotunnus"]["value"]
            assert pseudonym(KEY.encode(), hetu) in text
            assert hetu not in text


@pytest.mark.parametrize("county", ["99", "9", "HVA90", "00"])
def test_lift_refuses_an_unknown_county_and_names_the_valid_ones(
    settings_factory, tmp_path, tyoikaisten, county
):
    settings = settings_factory(pseudonym_key=KEY)
    path = tmp_path / "d.json"
    path.write_text(json.dumps(Synth(tyoikaisten).valid()))
    with pytest.raises(ValidationError) as err:
        lift_files(settings, [path], county=county)
    assert err.value.rule == "lift-county"
    assert "valid: 01, 02" in err.value.message and "90" in err.value.message
    assert not (settings.var_dir / "client").exists()


def _quads_by_document(path) -> dict[str, set[tuple[str, str]]]:
    """(predicate, object) pairs per document number of a lifted batch."""
    from pyoxigraph import RdfFormat, parse

    out: dict[str, set[tuple[str, str]]] = {}
    for q in parse(path.read_bytes(), format=RdfFormat.N_QUADS):
        number = q.subject.value.rsplit("/", 1)[-1]
        out.setdefault(number, set()).add((q.predicate.value, str(q.object)))
    return out


def test_a_batch_mixing_structures_lifts_each_document_as_it_would_be_lifted_alone(
    settings_factory, tmp_path, tyoikaisten, schema_dir
):
    from kgservice.sosmeta.model_rdf import version_iri
    from kgservice.sosmeta.schema import load_schema

    other = load_schema(schema_dir / "1.2.246.537.6.1506.11047.2023.9.27.json")
    docs = [
        (tyoikaisten, Synth(tyoikaisten, seed=21).valid()),
        (other, Synth(other, seed=22).valid()),
        (tyoikaisten, Synth(tyoikaisten, seed=23).valid()),
    ]
    settings = settings_factory(pseudonym_key=KEY)
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join(json.dumps(d, ensure_ascii=False) for _, d in docs) + "\n")
    report = lift_files(settings, [mixed], county="90")
    assert report.lifted == 3 and report.path is not None
    together = _quads_by_document(report.path)
    for n, (structure, doc) in enumerate(docs, start=1):
        alone = tmp_path / f"alone-{n}.json"
        alone.write_text(json.dumps(doc, ensure_ascii=False))
        single = lift_files(settings, [alone], county="90", batch=f"alone-{n}")
        assert single.path is not None
        entries = {p for p, _ in together[str(n)] if "/entry/" in p}
        own = version_iri(structure.oid) + "/entry/"
        assert entries and all(p.startswith(own) for p in entries)
        assert together[str(n)] == _quads_by_document(single.path)["1"]
