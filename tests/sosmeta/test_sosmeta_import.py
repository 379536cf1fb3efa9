"""Importing Sosmeta JSON Schemas into ontology data (issue 6: document structures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Quad, Store

from kgservice.config import PROJECT_ROOT
from kgservice.errors import ParseError
from kgservice.sosmeta.importer import (
    ALL_STRUCTURES,
    classification_name,
    import_structures,
)
from kgservice.sosmeta.model_rdf import entry_iri, structure_from_triples, structure_triples
from kgservice.sosmeta.schema import load_schema, load_schema_dir
from kgservice.sources.rdf import read_quads

FIXTURES = Path(__file__).parent / "fixtures"
DATA = PROJECT_ROOT / "data" / "sosmeta"
RAKE = "https://rake-kg.example/ontology/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.mark.slow
def test_all_202_structures_import_and_read_back_identically(schema_dir):
    structures = load_schema_dir(schema_dir)
    assert len(structures) == 202
    assert sum(len(s.entries()) for s in structures) > 16000
    for s in structures:
        assert structure_from_triples(structure_triples(s), s.oid) == s, s.oid


def test_tyoikaisten_palvelupaatos_header_is_imported(tyoikaisten):
    s = tyoikaisten
    assert s.names == {
        "fi": "Työikäisten palvelupäätös",
        "sv": "Beslut om service för personer i arbetsför ålder",
    }
    assert (s.base_oid, s.version_date) == ("1.2.246.537.6.1506.11052", "2023-09-08")
    assert (s.status, s.document_type, s.author) == ("Valmis", "Päätös", "ammattihenkilö")
    assert s.subject == "Työikäisten palvelujen asiakasasiakirjat"


def test_entries_carry_row_obligation_repetition_datatype_and_code_list(tyoikaisten):
    store = Store()
    store.extend(Quad(t.subject, t.predicate, t.object) for t in structure_triples(tyoikaisten))
    oid = tyoikaisten.oid

    def value(path: str, prop: str) -> str:
        subject = _n(entry_iri(oid, path.split("/")))
        quads = list(store.quads_for_pattern(subject, _n(RAKE + prop), None, None))
        assert len(quads) == 1, (path, prop)
        return quads[0].object.value

    root = "tyoikaisten_palvelupaatos"
    assert value(f"{root}/asiakas", "rowNumber") == "1"
    assert value(f"{root}/asiakas", "repeatable") == "true"
    assert value(f"{root}/asiakas", "obligation").endswith("/obligation/pakollinen")
    hetu = f"{root}/asiakas/henkilotunnus"
    assert value(hetu, "obligation").endswith("/obligation/ehdollisesti-pakollinen")
    assert value(hetu, "dataType").endswith("/sosmeta/datatype/tunnus")
    assert value(hetu, "identifierSystem") == "urn:oid:1.2.246.21"
    assert value(f"{root}/paatos/ratkaisun_laji", "codeList") == "urn:oid:1.2.246.537.6.1248"
    assert value(f"{root}/allekirjoitus", "rowNumber") == "85"
    # nested components keep their sibling order
    assert value(f"{root}/asiakas/etunimet", "order") == "2"


def test_versions_are_distinct_resources_of_one_structure(tyoikaisten):
    triples = structure_triples(tyoikaisten)
    version = "https://rake-kg.example/sosmeta/1.2.246.537.6.1506.11052.2023.9.8"
    structure = "https://rake-kg.example/sosmeta/structure/1.2.246.537.6.1506.11052"
    assert any(
        t.subject.value == version
        and t.predicate.value == RAKE + "versionOf"
        and t.object.value == structure
        for t in triples
    )


def test_unsupported_json_schema_keyword_is_refused_naming_file_and_path():
    with pytest.raises(ParseError) as err:
        load_schema(FIXTURES / "unsupported-keyword.json")
    assert err.value.rule == "sosmeta-schema-subset"
    assert "unsupported-keyword.json" in (err.value.file or "")
    assert "koe/luku" in err.value.message and "maximum" in err.value.message


@pytest.mark.slow
def test_bundle_of_all_202_structures_is_what_the_importer_makes_now(tmp_path, schema_dir):
    report = import_structures(schema_dir, tmp_path, None)
    assert report.structures == 202
    fresh = (tmp_path / ALL_STRUCTURES).read_bytes()
    assert (DATA / ALL_STRUCTURES).read_bytes() == fresh, "stale: data/sosmeta/structures.nt.gz"


def test_bundle_holds_every_structure_version_and_is_compact(schema_dir):
    quads = read_quads(DATA / ALL_STRUCTURES)
    versions = {
        q.subject.value
        for q in quads
        if q.predicate.value == RDF_TYPE and q.object.value == RAKE + "DocumentStructureVersion"
    }
    oids = {p.stem for p in schema_dir.glob("*.json")}
    assert {v.rsplit("/", 1)[-1] for v in versions} == oids
    assert (DATA / ALL_STRUCTURES).stat().st_size < 5_000_000


def test_classifications_are_resources_with_oid_name_and_the_entries_that_use_them():
    store = Store()
    store.extend(Quad(q.subject, q.predicate, q.object) for q in read_quads(DATA / ALL_STRUCTURES))
    c = _n("urn:oid:1.2.246.537.6.1285")
    assert [q.object.value for q in store.quads_for_pattern(c, _n(RAKE + "oid"), None)] == [
        "1.2.246.537.6.1285"
    ]
    labels = {
        q.object.language: q.object.value
        for q in store.quads_for_pattern(c, _n(SKOS + "prefLabel"), None)
    }
    assert labels["fi"] == "Sosiaalihuolto - Asunnottomuuden muodot"
    users = [q.subject.value for q in store.quads_for_pattern(None, _n(RAKE + "codeList"), c)]
    assert users == [
        "https://rake-kg.example/sosmeta/1.2.246.537.6.1505.1.2023.6.1/entry/"
        "asiakkuusasiakirja/asiakas/asunnottomuus"
    ]


def test_classification_name_drops_the_code_server_prefix_and_the_oid():
    text = (
        "Koodistopalvelin: Pompidou/Tietosisältö - Huumehoidon tiedonkeruu 1.2.246.537.6.886.\n"
        "2001 Missä asiakas asuu?: 1.2.246.537.6.886.2001"
    )
    name = classification_name(text, "1.2.246.537.6.886.2001")
    assert name.startswith("Pompidou/Tietosisältö - Huumehoidon tiedonkeruu")
    assert "Koodistopalvelin" not in name and not name.endswith("2001")


def _n(iri: str):
    from pyoxigraph import NamedNode

    return NamedNode(iri)


def test_import_command_writes_one_compressed_bundle_of_the_structures(tmp_path, schema_dir):
    import shutil

    from click.testing import CliRunner

    from kgservice.cli import main

    source = tmp_path / "schemas"
    source.mkdir()
    for oid in ("1.2.246.537.6.1506.11052.2023.9.8", "1.2.246.537.6.1505.2.2022.6.28"):
        shutil.copy(schema_dir / f"{oid}.json", source / f"{oid}.json")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["import", "sosmeta", str(source), "-o", str(out), "--no-shapes"]
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 Sosmeta structures" in result.output
    assert sorted(p.name for p in out.iterdir()) == [ALL_STRUCTURES]
    oids = {
        q.subject.value.rsplit("/", 1)[-1]
        for q in read_quads(out / ALL_STRUCTURES)
        if q.object.value == RAKE + "DocumentStructureVersion"
    }
    assert oids == {"1.2.246.537.6.1505.2.2022.6.28", "1.2.246.537.6.1506.11052.2023.9.8"}
