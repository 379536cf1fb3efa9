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
