"""SHACL generated from the structures (issue 6: generated shapes, not stale)."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

from kgservice.config import PROJECT_ROOT
from kgservice.sosmeta.importer import bundled_oids, shapes_for
from kgservice.sosmeta.schema import load_schema

GENERATED = PROJECT_ROOT / "shapes" / "generated"
OID = "1.2.246.537.6.1506.11052.2023.9.8"
ENTRY = f"https://rake-kg.example/sosmeta/{OID}/entry/tyoikaisten_palvelupaatos/"
SHAPE = f"https://rake-kg.example/sosmeta/{OID}/shape/tyoikaisten_palvelupaatos/"
SH = "http://www.w3.org/ns/shacl#"


def test_generated_shapes_are_not_stale(schema_dir):
    files = sorted(GENERATED.glob("*.ttl"))
    assert {p.stem for p in files} == bundled_oids(PROJECT_ROOT / "data" / "sosmeta")
    for path in files:
        fresh = shapes_for(load_schema(schema_dir / f"{path.stem}.json"))
        assert path.read_bytes() == fresh, f"stale shapes: {path.name}; run kgservice import"


@pytest.fixture(scope="module")
def shapes() -> Store:
    store = Store()
    store.load(path=str(GENERATED / f"{OID}.ttl"), format=RdfFormat.TURTLE)
    return store


def _value(store: Store, subject: str, prop: str):
    objects = [
        q.object
        for q in store.quads_for_pattern(NamedNode(subject), NamedNode(SH + prop), None, None)
    ]
    assert len(objects) == 1, (subject, prop, objects)
    return objects[0]


def test_required_entry_becomes_min_count_with_finnish_message(shapes):
    shape = SHAPE + "allekirjoitus#min-count"
    assert _value(shapes, shape, "minCount").value == "1"
    assert _value(shapes, shape, "path").value == ENTRY + "allekirjoitus"
    message = _value(shapes, shape, "message")
    assert message.language == "fi"
    assert "Pakollinen tieto puuttuu" in message.value and "Allekirjoitus" in message.value
    assert "Sosmeta-rivi 85" in message.value


def test_non_repeatable_entry_has_max_count_one_and_repeatable_has_none(shapes):
    assert _value(shapes, SHAPE + "paatos#max-count", "maxCount").value == "1"
    repeatable = list(
        shapes.quads_for_pattern(NamedNode(SHAPE + "asiakas#max-count"), None, None, None)
    )
    assert repeatable == []


def test_dates_get_pattern_and_codes_get_their_system_pattern(shapes):
    date = _value(shapes, SHAPE + "paatos/paatospaivamaara#pattern", "pattern").value
    assert date.startswith("^-?[0-9]{4}")
    system = _value(shapes, SHAPE + "paatos/ratkaisun_laji/system#pattern", "pattern").value
    assert "1\\.2\\.246\\.537\\.6\\.1248" in system
    dtype = _value(
        shapes,
        SHAPE + "paatos/sosiaalipalvelu_jota_paatos_koskee/palvelu_on_pitkaaikaista#datatype",
        "datatype",
    )
    assert dtype.value.endswith("#boolean")


def test_identity_code_or_temporary_identifier_is_an_sh_or_naming_both_entries(shapes):
    shape = SHAPE + "asiakas#identifier-alternatives"
    assert _value(shapes, shape, "targetObjectsOf").value == ENTRY + "asiakas"
    alternatives = _value(shapes, shape, "or")
    assert alternatives is not None
    message = _value(shapes, shape, "message").value
    assert "Henkilötunnus" in message and "Tilapäinen yksilöintitunnus" in message
    assert "Sosmeta-rivi 4" in message and "Sosmeta-rivi 5" in message


def test_enumerations_become_sh_in(schema_dir):
    # Pöytäkirja synnyttäneen äidin äitiyden selvittämisestä has an enum-valued entry
    s = load_schema(schema_dir / "1.2.246.537.6.1506.12015.2024.11.1.json")
    store = Store()
    store.load(shapes_for(s), format=RdfFormat.TURTLE)
    rows = list(store.query("SELECT ?s WHERE { ?s <http://www.w3.org/ns/shacl#in> ?l }"))
    assert rows, "no sh:in generated for an enum"
