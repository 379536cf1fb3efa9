"""Lifting client documents: pseudonyms, quarantine, private graphs, suppressed aggregates,
and nothing identifying anywhere (issue 6: client documents, privacy)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re

import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from kgservice.config import PROJECT_ROOT
from kgservice.errors import ConfigError
from kgservice.pipeline.build import build, default_steps
from kgservice.sosmeta.lift import lift_files
from kgservice.sosmeta.pseudonym import age_group, birth_date, pseudonym
from kgservice.sosmeta.synth import Synth
from kgservice.store.embedded import EmbeddedStore

HETU = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]")
KEY = "test-key-only-for-tests"
STEPS = {"ontology", "sosmeta-structures", "sosmeta-clients"}
DATASET = "https://rake-kg.example/data/dataset/sosmeta-client-decisions"


def _documents(structure, seed: int, count: int, year: int) -> list[dict]:
    synth = Synth(structure, seed=seed)
    docs = []
    for _ in range(count):
        doc = synth.valid()
        while "paatos" not in doc["tyoikaisten_palvelupaatos"]:  # optional in the structure
            doc = synth.valid()
        doc["tyoikaisten_palvelupaatos"]["paatos"]["paatospaivamaara"] = f"{year}-05-02"
        doc["tyoikaisten_palvelupaatos"]["asiakas"] = doc["tyoikaisten_palvelupaatos"]["asiakas"][
            :1
        ]
        docs.append(doc)
    return docs


def _people(docs: list[dict]) -> tuple[set[str], set[str]]:
    hetus, names = set(), set()
    for doc in docs:
        for client in doc["tyoikaisten_palvelupaatos"]["asiakas"]:
            hetus.add(client["henkilotunnus"]["value"])
            names.update([client["sukunimi"], client["etunimet"]])
    return hetus, names


@pytest.fixture(scope="module")
def lifted(tmp_path_factory, settings_factory, tyoikaisten):
    """Two batches (county 90: seven decisions of 2024 and two broken documents; county 06:
    three decisions of 2024), lifted and built into a store, with the logs captured."""
    settings = settings_factory(pseudonym_key=KEY)
    work = tmp_path_factory.mktemp("client-docs")
    big = _documents(tyoikaisten, seed=90, count=7, year=2024)
    small = _documents(tyoikaisten, seed=6, count=3, year=2024)
    broken = [
        Synth(tyoikaisten, seed=1).broken("hetu-checksum"),
        Synth(tyoikaisten, seed=2).broken("missing-required"),
    ]
    (work / "hva90.jsonl").write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in big + broken) + "\n"
    )
    (work / "hva06.jsonl").write_text(
        "\n".join(json.dumps(d, ensure_ascii=False) for d in small) + "\n"
    )
    handler = _Capture()
    logger = logging.getLogger("kgservice")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        reports = [
            lift_files(settings, [work / "hva90.jsonl"], county="90"),
            lift_files(settings, [work / "hva06.jsonl"], county="06"),
        ]
        build(settings, [s for s in default_steps() if s.name in STEPS])
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    hetus, names = _people(big + small + broken[1:])
    hetus.add(broken[0]["tyoikaisten_palvelupaatos"]["asiakas"][0]["henkilotunnus"]["value"])
    return settings, reports, hetus, names, handler.lines, big


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _dump(settings) -> str:
    store = EmbeddedStore(settings.store_path, read_only=True)
    try:
        return store.dump(RdfFormat.N_QUADS).decode("utf-8")
    finally:
        store.close()


def test_lift_refuses_without_a_key_and_writes_nothing(settings_factory, tmp_path, tyoikaisten):
    settings = settings_factory()
    path = tmp_path / "d.json"
    path.write_text(json.dumps(Synth(tyoikaisten).valid()))
    with pytest.raises(ConfigError) as err:
        lift_files(settings, [path])
    assert err.value.rule == "pseudonym-key"
    assert not (settings.var_dir / "client").exists()


def test_invalid_documents_are_quarantined_and_never_loaded(lifted):
    settings, reports, hetus, _, _, _ = lifted
    big = reports[0]
    assert (big.lifted, len(big.quarantined)) == (7, 2)
    rules = {p.rule for r in big.quarantined for p in r.problems}
    assert {"hetu-checksum", "min-count"} <= rules
    quads = list(parse(path=str(big.path), format=RdfFormat.N_QUADS))
    documents = {q.subject.value for q in quads}
    assert len(documents) == 7
    report = (settings.var_dir / "quarantine" / "sosmeta-hva90.json").read_text()
    assert not any(h in report for h in hetus)


def test_pseudonym_is_a_keyed_hmac_of_the_identity_code(lifted):
    settings, reports, _, _, _, big = lifted
    hetu = big[0]["tyoikaisten_palvelupaatos"]["asiakas"][0]["henkilotunnus"]["value"]
    expected = hmac.new(KEY.encode(), f"hetu:{hetu}".encode(), hashlib.sha256).hexdigest()
    assert pseudonym(KEY.encode(), hetu) == expected
    assert pseudonym(b"another key", hetu) != expected
    assert expected in reports[0].path.read_text()


def test_derived_attributes_are_kept(lifted):
    _, reports, _, _, _, big = lifted
    text = reports[0].path.read_text()
    hetu = big[0]["tyoikaisten_palvelupaatos"]["asiakas"][0]["henkilotunnus"]["value"]
    group = age_group(birth_date(hetu), __import__("datetime").date(2024, 5, 2))
    assert f'<https://rake-kg.example/ontology/ageGroup> "{group}"' in text
    assert '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>' in text
    assert "<https://rake-kg.example/region/hyvinvointialue/90>" in text


@pytest.mark.slow
def test_no_identity_code_or_name_in_store_logs_or_var(lifted):
    settings, _, hetus, names, logs, _ = lifted
    dump = _dump(settings)
    assert "/graph/client/hva90>" in dump  # the private data is in the dump being scanned
    names = _names_not_in_public_sources(names)
    assert len(names) >= 10
    names_re = _word_regex(names)
    texts = {"store dump": dump, "logs": "\n".join(logs)}
    for path in settings.var_dir.rglob("*"):
        if path.is_file() and path.suffix in {".nq", ".json", ".log"}:
            texts[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    for where, text in texts.items():
        assert not HETU.search(text), (where, HETU.search(text))
        assert not any(h in text for h in hetus), where
        leaked = names_re.search(text)
        assert not leaked, (where, leaked)


@pytest.mark.slow
def test_no_identity_code_or_name_in_any_http_response(app_factory, lifted):
    settings, _, hetus, names, _, _ = lifted
    names_re = _word_regex(_names_not_in_public_sources(names))
    app = app_factory(settings)
    client = app.test_client()
    urls = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
    ]
    everything = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    urls += [f"/sparql?query={everything}", "/search?q=a", "/rest/v1/search?query=*"]
    urls += [f"/entity?uri={DATASET}", "/vocab/sosmeta-structures/"]
    private = [
        "https://rake-kg.example/data/client/hva90/document/1",
        "https://rake-kg.example/graph/client/hva90",
    ]
    private_urls = [f"/entity?uri={iri}" for iri in private]
    private_urls += ["/data/client/hva90/document/1", f"/rest/v1/data?uri={private[0]}"]
    pseudonyms = set(re.findall(r'clientPseudonym> "([0-9a-f]{64})"', _dump(settings)))
    assert len(pseudonyms) == 10
    seen = 0
    for url in urls + private_urls:
        response = client.get(url)
        body = response.get_data(as_text=True)
        seen += len(body)
        assert not HETU.search(body), (url, HETU.search(body))
        assert not names_re.search(body), (url, names_re.search(body))
        assert not any(p in body for p in pseudonyms), url
        if url in private_urls:
            assert response.status_code == 404, url
    assert len(urls) >= 5 and seen > 0


def test_client_graphs_are_private_named_graphs(lifted):
    settings, _, _, _, _, _ = lifted
    store = EmbeddedStore(settings.store_path, read_only=True)
    try:
        rows = store.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a ?type } }",
            {"type": NamedNode("https://rake-kg.example/ontology/ClientDocument")},
        )
    finally:
        store.close()
    graphs = sorted(r["g"].value for r in rows)
    assert graphs == [
        "https://rake-kg.example/graph/client/hva06",
        "https://rake-kg.example/graph/client/hva90",
    ]


def test_only_suppressed_aggregates_are_published(lifted):
    settings, _, _, _, _, _ = lifted
    store = EmbeddedStore(settings.store_path, read_only=True)
    query = """
        PREFIX rake: <https://rake-kg.example/ontology/>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?g ?area ?year ?value ?status WHERE { GRAPH ?g {
          ?obs sdmx-dimension:refArea ?area ; sdmx-dimension:refPeriod ?year ;
               rake:obsStatus ?status .
          OPTIONAL { ?obs sdmx-measure:obsValue ?value } } }
    """
    try:
        rows = store.select(query)
    finally:
        store.close()
    by_area = {r["area"].value.rsplit("/", 1)[-1]: r for r in rows}
    assert set(by_area) == {"90", "06"}
    assert all(
        r["g"].value == "https://rake-kg.example/graph/source/sosmeta-client-decisions"
        for r in rows
    )
    assert by_area["90"]["value"].value == "7" and by_area["90"]["status"].value.endswith("/ok")
    assert "value" not in by_area["06"]
    assert by_area["06"]["status"].value.endswith("/suppressed")


def _word_regex(words: set[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words))) + r")\b")


def _names_not_in_public_sources(names: set[str]) -> set[str]:
    """The input names minus those that occur in the public sources (ontology/, data/): a
    synthetic name that also occurs there (a surname in a citation, say) cannot tell a leak
    from public data."""
    names_re = _word_regex(names)
    found: set[str] = set()
    for folder in ("ontology", "data"):
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".ttl", ".csv", ".json", ".md"}:
                found.update(names_re.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names - found
