"""Phenomenon ↔ Sosmeta entry links as data (issue 15): the rules, the reviewed mapping file, the
traceability queries over the built store and the term pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, parse

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT
from kgservice.queries import select
from kgservice.sosmeta.importer import import_structures
from kgservice.sosmeta.phenomena import (
    SPEC,
    EntryInfo,
    Reviewed,
    find_links,
    link_iri,
    link_triples,
    load_spec,
    matches,
    read_reviewed,
)
from kgservice.store.served import served_store

B = "https://rake-kg.example/"
RAKE = B + "ontology/"
LINKS = PROJECT_ROOT / "ontology" / "phenomenon-entries.ttl"
PHENOMENA = ("asunnottomuus", "mielenterveys", "paihteet-ja-riippuvuudet",
             "taloudellinen-tilanne-ja-toimeentulo")  # fmt: skip
HOMELESSNESS_ENTRY = (
    B + "sosmeta/1.2.246.537.6.1505.1.2023.6.1/entry/asiakkuusasiakirja/asiakas/asunnottomuus"
)


def _spec():
    return load_spec(PROJECT_ROOT / "mappings" / SPEC)


def _entry(path: str, name: str, **kw) -> EntryInfo:
    return EntryInfo(
        iri=f"{B}sosmeta/1.2.3.2024.1.1/entry/{path}",
        oid="1.2.3.2024.1.1",
        structure_oid="1.2.3",
        path=path,
        name=name,
        structure_name=kw.pop("structure_name", "Testirakenne"),
        **kw,
    )


def _uses(path: Path) -> set[tuple[str, str]]:
    """(entry, phenomenon slug) of every ``rake:usesConcept`` in the file."""
    return {
        (q.subject.value, q.object.value.rsplit("/", 1)[-1])
        for q in parse(path=str(path), format=RdfFormat.TURTLE)
        if q.predicate.value == RAKE + "usesConcept"
    }


def _file_links(path: Path = LINKS) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(entry, phenomenon slug) → {property local name: values} of each link in the file."""
    by_link: dict[str, dict[str, list[str]]] = {}
    for q in parse(path=str(path), format=RdfFormat.TURTLE):
        if q.subject.value.startswith(B + "data/phenomenon-entry/"):
            prop = q.predicate.value.rsplit("/", 1)[-1]
            by_link.setdefault(q.subject.value, {}).setdefault(prop, []).append(q.object.value)
    return {
        (p["linkedEntry"][0], p["linkedPhenomenon"][0].rsplit("/", 1)[-1]): p
        for p in by_link.values()
    }


def test_the_homelessness_forms_entry_is_linked_by_its_classification_rule():
    link = _file_links()[(HOMELESSNESS_ENTRY, "asunnottomuus")]
    assert link["foundBy"] == ["rule"]
    assert "homelessness-forms-classification" in link["linkRule"]


def test_every_phenomenon_is_recorded_by_entries_and_every_link_says_how_it_was_found():
    links = _file_links()
    for slug in PHENOMENA:
        assert any(p == slug for _, p in links), slug
    for (entry, slug), props in links.items():
        assert props["foundBy"] in (["rule"], ["review"]), (entry, slug)
        if props["foundBy"] == ["rule"]:
            rules = {r.name for r in _spec().rules if r.phenomenon == slug}
            assert set(props["linkRule"]) <= rules, (entry, slug)


def test_reviewed_links_in_the_file_override_the_rules():
    links = _file_links()
    rejected = [k for k, p in links.items() if p.get("accepted") == ["false"]]
    assert rejected, "the file carries at least one rejected link"
    uses = _uses(LINKS)
    for key in rejected:
        assert key not in uses
    accepted = [k for k, p in links.items() if p["foundBy"] == ["review"] and k not in rejected]
    assert accepted and all(k in uses for k in accepted)


def test_a_rule_holds_only_when_all_its_tests_hold():
    rules = {r.name: r for r in _spec().rules}
    housing = rules["housing-entry-names"]
    assert matches(housing, _entry("arvio/asuminen", "Asuminen"))
    # place in the structure: the child's housing in a custody agreement is not homelessness
    assert not matches(
        housing, _entry("lapsen_huolto__ja_tapaamisoikeussopimus/asuminen", "Asuminen")
    )
    forms = rules["homelessness-forms-classification"]
    coded = _entry("a/asunnottomuus", "X", code_lists=frozenset({"urn:oid:1.2.246.537.6.1285"}))
    assert matches(forms, coded)
    assert not matches(forms, _entry("a/asunnottomuus", "X"))


def test_value_list_rules_read_thls_internal_lists():
    rule = {r.name: r for r in _spec().rules}["support-need-mental-health"]
    value_set = "1 = Jokapäiväisestä elämästä selviytymiseen liittyvä tuen tarve,\n9 = Mielenterveyden ongelmista aiheutuva tuen tarve,\n99 = Muu tuen tarve"  # noqa: E501
    assert matches(rule, _entry("a/syyt", "Syyt", value_sets=(value_set,)))
    assert not matches(rule, _entry("a/syyt", "Syyt", value_sets=("1 = Muu",)))


def test_rule_links_are_made_afresh_and_reviewed_ones_are_kept(tmp_path):
    a = _entry("a/asuminen", "Asuminen")
    b = _entry("b/asuminen", "Asuminen")
    links = find_links(_spec(), [a, b])
    assert (a.iri, "asunnottomuus") in links and (b.iri, "asunnottomuus") in links
    review = tmp_path / "links.ttl"
    review.write_text(
        "@prefix rake: <https://rake-kg.example/ontology/> .\n"
        f'<{link_iri(b.iri, "asunnottomuus")}> rake:foundBy "review" ; rake:accepted false ;\n'
        f"  rake:linkedEntry <{b.iri}> ;\n"
        f"  rake:linkedPhenomenon <{B}concept/phenomenon/asunnottomuus> .\n",
        encoding="utf-8",
    )
    reviewed = read_reviewed(review)
    assert reviewed.accepted == {(b.iri, "asunnottomuus"): False}
    uses = {
        t.subject.value
        for t in link_triples(links, reviewed)
        if t.predicate.value.endswith("usesConcept")
    }
    assert uses == {a.iri}
    assert {t.subject.value for t in link_triples(links, Reviewed())} >= {a.iri, b.iri}


def test_link_command_writes_the_file_from_the_bundled_structures_and_keeps_reviews(
    tmp_path, schema_dir
):
    data = tmp_path / "data" / "sosmeta"
    source = tmp_path / "schemas"
    source.mkdir()
    for oid in ("1.2.246.537.6.1505.1.2023.6.1", "1.2.246.537.6.1506.11047.2023.9.27"):
        (source / f"{oid}.json").write_bytes((schema_dir / f"{oid}.json").read_bytes())
    import_structures(source, data, None)
    out = tmp_path / "links.ttl"
    env = {"KG_DATA_DIR": str(tmp_path / "data"), "KG_VAR_DIR": str(tmp_path / "var")}
    args = ["sosmeta", "link-phenomena", "-o", str(out)]
    first = CliRunner().invoke(main, args, env=env)
    assert first.exit_code == 0, first.output
    assert re.search(r"asunnottomuus \d+", first.output), first.output
    assert (HOMELESSNESS_ENTRY, "asunnottomuus") in _uses(out)
    # a terminologist rejects the link; the next run keeps the rejection
    out.write_text(
        out.read_text()
        + f'\n<{link_iri(HOMELESSNESS_ENTRY, "asunnottomuus")}> rake:foundBy "review" ; '
        f"rake:accepted false ; rake:linkedEntry <{HOMELESSNESS_ENTRY}> ; "
        f"rake:linkedPhenomenon phen:asunnottomuus .\n"
    )
    second = CliRunner().invoke(main, args, env=env)
    assert second.exit_code == 0, second.output
    assert "1 links from review" in second.output
    assert (HOMELESSNESS_ENTRY, "asunnottomuus") not in _uses(out)
    assert (HOMELESSNESS_ENTRY, "asunnottomuus") in _file_links(out)


# -- over the built store --------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(built_settings):
    with served_store(built_settings) as store:  # read-only: a writer would compact the
        yield built_settings, store  # shared build under the other tests' readers


def _cli_query(settings, *args: str) -> list[dict]:
    env = {
        "KG_STORE": str(settings.store_path),
        "KG_VAR_DIR": str(settings.var_dir),
        "KG_SPARQL_ENDPOINT": "",
    }
    res = CliRunner().invoke(main, ["query", *args, "--format", "json"], env=env)
    assert res.exit_code == 0, res.output
    return json.loads(res.output)["results"]["bindings"]


def test_entries_feeding_each_client_data_indicator_come_from_the_named_query(built):
    settings, _ = built
    for ind in _spec().indicators:
        rows = _cli_query(
            settings,
            "-n",
            "trace/entries-feeding-indicator",
            "-p",
            f"indicator=<{B}concept/indicator/{ind.slug}>",
        )
        oids = {r["oid"]["value"].rsplit(".", 3)[0] for r in rows}
        wanted = set(ind.documents) | {c.structure for c in ind.counts}
        assert oids == wanted, ind.slug


def test_the_reverse_query_gives_the_indicators_and_phenomena_of_an_entry(built):
    settings, _ = built
    rows = _cli_query(
        settings, "-n", "trace/indicators-of-entry", "-p", f"entry=<{HOMELESSNESS_ENTRY}>"
    )
    indicators = {r["indicator"]["value"] for r in rows if "indicator" in r}
    concepts = {r["concept"]["value"] for r in rows if "concept" in r}
    assert indicators == {B + "concept/indicator/asiakkaat-joilla-kirjattu-asunnottomuus"}
    assert concepts == {B + "concept/phenomenon/asunnottomuus"}


def test_which_structures_code_homelessness_with_the_forms_of_homelessness(built):
    settings, store = built
    rows = select(
        store,
        settings.queries_dir,
        "sosmeta/structures-coding-phenomenon",
        phenomenon=NamedNode(B + "concept/phenomenon/asunnottomuus"),
        classification=NamedNode("urn:oid:1.2.246.537.6.1285"),
    )
    assert [(r["structureLabel"].value, r["path"].value) for r in rows] == [
        ("Asiakkuusasiakirja", "asiakkuusasiakirja/asiakas/asunnottomuus")
    ]


def test_a_phenomenon_page_shows_where_it_is_recorded_and_an_entry_page_what_it_records(client):
    page = client.get(f"/page?uri={B}concept/phenomenon/asunnottomuus&lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    section = html[
        html.index('id="recorded-h"') : html.index("</section>", html.index('id="recorded-h"'))
    ]
    assert "Recorded in the client documents" in section
    assert "Asiakkuusasiakirja" in section and "Asunnottomuus" in section
    entry = client.get(f"/page?uri={HOMELESSNESS_ENTRY}&lang=en").get_data(as_text=True)
    served = entry[entry.index('id="serves-h"') :]
    assert "homelessness" in served[: served.index("</section>")]


@pytest.mark.slow
def test_the_mapping_file_is_what_the_command_makes_now(tmp_path):
    copy = tmp_path / "links.ttl"
    copy.write_bytes(LINKS.read_bytes())
    res = CliRunner().invoke(main, ["sosmeta", "link-phenomena", "-o", str(copy)])
    assert res.exit_code == 0, res.output
    assert copy.read_bytes() == LINKS.read_bytes(), "stale: run `kgservice sosmeta link-phenomena`"
