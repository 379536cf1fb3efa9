"""Specification of the ontology's content, read back from a built store.

Everything here is what the seeds say (see ontology/README.md for the sources); the tests query the
built store the way the service does, through the named queries of ``queries/``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from pyoxigraph import Literal, NamedNode

from kgservice.iris import graph_iri
from kgservice.queries import select
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import served_dir

B = "https://rake-kg.example/"
RAKE = B + "ontology/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PREFIXES = f"PREFIX rake: <{RAKE}>\nPREFIX skos: <{SKOS}>\n"
SEED_VERSION = B + "sosmeta/1.2.246.537.6.1506.11052.2022.6.28"


@pytest.fixture(scope="module")
def store(built_settings) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(served_dir(built_settings), read_only=True)
    yield s
    s.close()


def rows(store: EmbeddedStore, body: str, **bindings) -> list[dict]:
    """Run an ad-hoc test query (text fixed in this file, parameters bound as terms)."""
    return store.select(PREFIXES + body, bindings)


def concepts_of(store: EmbeddedStore, scheme: str) -> dict[str, dict[str, str]]:
    """IRI → {lang: prefLabel} for every concept of ``scheme/<scheme>``."""
    out: dict[str, dict[str, str]] = {}
    for r in rows(
        store,
        "SELECT ?c ?l WHERE { ?c skos:inScheme ?s ; skos:prefLabel ?l }",
        s=NamedNode(B + "scheme/" + scheme),
    ):
        out.setdefault(r["c"].value, {})[r["l"].language] = r["l"].value
    return out


def test_each_module_is_loaded_into_its_own_ontology_graph(built_settings, store):
    graphs = set(store.graphs())
    for module in ("core", "phenomena", "views", "levels", "sosmeta-model", "sosmeta-seed"):
        assert graph_iri(built_settings, "ontology", module) in graphs


def test_four_phenomena_with_finnish_swedish_and_english_labels(store):
    phenomena = concepts_of(store, "phenomenon")
    assert phenomena == {
        B + "concept/phenomenon/asunnottomuus": {
            "fi": "asunnottomuus",
            "sv": "hemlöshet",
            "en": "homelessness",
        },
        B + "concept/phenomenon/mielenterveys": {
            "fi": "mielenterveys",
            "sv": "psykisk hälsa",
            "en": "mental health",
        },
        B + "concept/phenomenon/paihteet-ja-riippuvuudet": {
            "fi": "päihteet ja riippuvuudet",
            "sv": "rusmedel och beroenden",
            "en": "substances and addictions",
        },
        B + "concept/phenomenon/taloudellinen-tilanne-ja-toimeentulo": {
            "fi": "taloudellinen tilanne ja toimeentulo",
            "sv": "ekonomisk situation och utkomst",
            "en": "economic situation and livelihood",
        },
    }


def test_phenomena_are_typed_with_their_class_and_are_top_concepts(store):
    found = rows(
        store,
        "SELECT ?c WHERE { ?c a skos:Concept , rake:Phenomenon ; skos:topConceptOf ?s }",
        s=NamedNode(B + "scheme/phenomenon"),
    )
    assert len(found) == 4


def test_exact_matches_point_only_to_yso_concepts_of_the_bundled_subset(store, shared_dir):
    import csv

    path = shared_dir / "data-raw/vocab/yso_2017_social_welfare_subset_fi_sv_en.csv"
    with path.open(encoding="utf-8") as f:
        yso = {row["uri"]: row["prefLabel_fi"] for row in csv.DictReader(f)}
    matches = rows(store, "SELECT ?c ?m WHERE { ?c skos:exactMatch ?m }")
    assert matches, "some concepts have a YSO exactMatch"
    assert {r["m"].value for r in matches} <= set(yso)
    homelessness = {
        r["m"].value for r in matches if r["c"].value == B + "concept/phenomenon/asunnottomuus"
    }
    assert {yso[m] for m in homelessness} == {"asunnottomuus"}


def test_three_views_drill_down_from_situation_picture_to_phenomenon_view(store):
    views = concepts_of(store, "view")
    assert {labels["fi"] for labels in views.values()} == {
        "tilannekuva",
        "ilmiöstä tiiviisti",
        "ilmiönäkymä",
    }
    chain = rows(
        store,
        "SELECT ?to WHERE { ?from rake:drillDownTo+ ?to }",
        **{"from": NamedNode(B + "concept/view/tilannekuva")},
    )
    assert {r["to"].value for r in chain} == {
        B + "concept/view/ilmiosta-tiiviisti",
        B + "concept/view/ilmionakyma",
    }


def test_only_the_phenomenon_view_is_available_at_municipality_level(store):
    found = rows(
        store,
        "SELECT ?view (COUNT(?level) AS ?n) WHERE { ?view rake:availableAtLevel ?level } "
        "GROUP BY ?view",
    )
    levels = {r["view"].value.rsplit("/", 1)[1]: int(r["n"].value) for r in found}
    assert levels == {"tilannekuva": 3, "ilmiosta-tiiviisti": 3, "ilmionakyma": 4}
    municipal = rows(
        store,
        "SELECT ?view WHERE { ?view rake:availableAtLevel ?l }",
        l=NamedNode(B + "concept/level/kunta"),
    )
    assert [r["view"].value for r in municipal] == [B + "concept/view/ilmionakyma"]


def test_four_regional_levels_in_drill_down_order(store):
    levels = concepts_of(store, "level")
    assert {labels["fi"] for labels in levels.values()} == {
        "koko Suomi",
        "yhteistyöalue",
        "hyvinvointialue",
        "kunta",
    }
    cells = rows(
        store,
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> "
        "SELECT ?head ?node ?first ?rest WHERE { ?coll skos:memberList ?head . "
        "?head rdf:rest* ?node . ?node rdf:first ?first ; rdf:rest ?rest }",
        coll=NamedNode(B + "concept/level/drill-down-order"),
    )
    links = {r["node"]: (r["first"], r["rest"]) for r in cells}
    node, order = cells[0]["head"], []
    while node in links:
        first, node = links[node]
        order.append({"member": first})
    assert [r["member"].value.rsplit("/", 1)[1] for r in order] == [
        "koko-suomi",
        "yhteistyoalue",
        "hyvinvointialue",
        "kunta",
    ]


def test_other_population_groups_have_the_three_sub_groups_both_ways(store):
    other = NamedNode(B + "concept/population-group/muut-vaestoryhmat")
    narrower = {
        r["n"].value for r in rows(store, "SELECT ?n WHERE { ?g skos:narrower ?n }", g=other)
    }
    broader = {r["n"].value for r in rows(store, "SELECT ?n WHERE { ?n skos:broader ?g }", g=other)}
    expected = {
        B + "concept/population-group/" + s
        for s in ("vammaiset-ja-kehitysvammaiset-henkilot", "maahanmuuttajat", "muut-erityisryhmat")
    }
    assert narrower == broader == expected


def test_group_theme_relation_of_the_seed_table_is_queryable(store):
    found = rows(
        store,
        "SELECT ?theme WHERE { ?need rake:forPopulationGroup ?g ; rake:hasTheme ?theme }",
        g=NamedNode(B + "concept/population-group/ikaantyneet"),
    )
    themes = {r["theme"].value.rsplit("/", 1)[1] for r in found}
    # Seed 002: the column "Ikääntyneet" of the table of information needs by population group.
    assert themes == {
        "asiakkuus-ja-palveluprosessit",
        "palvelutarpeet",
        "palvelujen-kaytto",
        "vaikuttavuus",
        "paihteet-ja-mielenterveys",
        "toimeentulo",
        "sosiaaliset-suhteet-ja-osallisuus",
        "vakivalta-ja-kaltoinkohtelu",
        "asuminen",
        "toimintakyky-ja-terveys",
        "asiakkaiden-kokemukset",
    }


def test_every_summary_theme_of_the_seed_table_has_a_need_in_some_group(store):
    themes = concepts_of(store, "information-need-theme")
    tops = rows(
        store,
        "SELECT ?t WHERE { ?t skos:topConceptOf ?s }",
        s=NamedNode(B + "scheme/information-need-theme"),
    )
    assert len(tops) == 15
    used = {r["t"].value for r in rows(store, "SELECT DISTINCT ?t WHERE { ?n rake:hasTheme ?t }")}
    assert {r["t"].value for r in tops} <= used | {
        b["t"].value
        for b in rows(store, "SELECT DISTINCT ?t WHERE { ?n rake:hasTheme/skos:broader ?t }")
    }
    assert set(used) <= set(themes)


def test_information_sources_have_the_five_survey_kinds_with_examples_below(store):
    tops = rows(
        store,
        "SELECT ?t (COUNT(?n) AS ?examples) WHERE { ?t skos:topConceptOf ?s . "
        "OPTIONAL { ?n skos:broader ?t } } GROUP BY ?t",
        s=NamedNode(B + "scheme/information-source"),
    )
    counts = {r["t"].value.rsplit("/", 1)[1]: int(r["examples"].value) for r in tops}
    assert set(counts) == {
        "ammattilaisten-tuottama-tieto",
        "asiakkaiden-tuottama-tieto",
        "tutkimus-ja-arviointi",
        "asiakastietojarjestelmat",
        "muut-tietojarjestelmat",
    }
    assert all(n >= 4 for n in counts.values())


def test_methods_service_tasks_and_phases_are_complete(store):
    assert len(concepts_of(store, "method")) == 7
    assert len(concepts_of(store, "service-task")) == 7
    phases = rows(
        store,
        "SELECT ?top (COUNT(?p) AS ?n) WHERE { ?top skos:topConceptOf ?s . ?p skos:broader ?top }"
        " GROUP BY ?top",
        s=NamedNode(B + "scheme/production-phase"),
    )
    by_top = {r["top"].value.rsplit("/", 1)[1]: int(r["n"].value) for r in phases}
    assert by_top == {
        "tietotuotannon-muutostyovaiheet": 3,
        "tietotuotannon-jatkuvat-tyovaiheet": 4,
        "tietotuotannon-poikkileikkaavat-aihealueet": 3,
    }


def test_legal_provisions_are_the_sections_the_seeds_name_under_their_acts(store):
    found = rows(
        store,
        "SELECT ?n ?act WHERE { ?p a rake:LegalProvision ; skos:notation ?n ; skos:broader ?act }",
    )
    by_act: dict[str, set[str]] = {}
    for r in found:
        by_act.setdefault(r["act"].value.rsplit("/", 1)[1], set()).add(r["n"].value)
    assert by_act == {
        "sosiaalihuoltolaki-1301-2014": {f"1301/2014 {n} §" for n in (7, 8, 9, 10, 35, 48)},
        "jarjestamislaki-612-2021": {"612/2021 29 §", "612/2021 30 §"},
    }


def test_acts_link_only_to_their_real_finlex_addresses(store):
    links = rows(
        store,
        "SELECT ?p ?url WHERE { ?p a rake:LegalProvision ; "
        "<http://www.w3.org/2000/01/rdf-schema#seeAlso> ?url }",
    )
    assert {r["url"].value for r in links} == {
        "https://finlex.fi/fi/laki/ajantasa/2014/20141301",
        "https://finlex.fi/fi/laki/ajantasa/2021/20210612",
    }


def test_lifecycle_status_scheme_has_the_interoperability_platform_codes(store):
    codes = {
        r["n"].value
        for r in rows(
            store,
            "SELECT ?n WHERE { ?c skos:inScheme ?s ; skos:notation ?n }",
            s=NamedNode(B + "scheme/status"),
        )
    }
    assert codes == {
        "DRAFT",
        "INCOMPLETE",
        "SUGGESTED",
        "VALID",
        "SUPERSEDED",
        "RETIRED",
        "INVALID",
    }


def test_every_concept_of_these_modules_has_a_status_and_a_finnish_definition(store):
    missing = rows(
        store,
        "SELECT ?c WHERE { GRAPH ?g { ?c a skos:Concept } "
        "FILTER (STRSTARTS(STR(?g), ?prefix) && !CONTAINS(STR(?g), 'indicators')) "
        "FILTER NOT EXISTS { ?c rake:status ?st } }",
        prefix=Literal(B + "graph/ontology/"),
    )
    no_definition = rows(
        store,
        "SELECT ?c WHERE { GRAPH ?g { ?c a skos:Concept } "
        "FILTER (STRSTARTS(STR(?g), ?prefix) && !CONTAINS(STR(?g), 'indicators')) "
        "FILTER NOT EXISTS { ?c skos:definition ?d . FILTER (LANG(?d) = 'fi') } }",
        prefix=Literal(B + "graph/ontology/"),
    )
    assert [r["c"].value for r in missing] == []
    assert [r["c"].value for r in no_definition] == []


def test_rake_classes_and_properties_have_finnish_and_english_labels_and_definitions(store):
    found = rows(
        store,
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?t WHERE { VALUES ?k { owl:Class owl:ObjectProperty owl:DatatypeProperty } "
        "GRAPH ?g { ?t a ?k } FILTER (?g IN (?core, ?sosmeta) && STRSTARTS(STR(?t), STR(rake:))) "
        "FILTER NOT EXISTS { ?t rdfs:label ?fi . FILTER (LANG(?fi) = 'fi') "
        "  ?t rdfs:label ?en . FILTER (LANG(?en) = 'en') "
        "  ?t skos:definition ?dfi . FILTER (LANG(?dfi) = 'fi') "
        "  ?t skos:definition ?den . FILTER (LANG(?den) = 'en') } }",
        core=NamedNode(B + "graph/ontology/core"),
        sosmeta=NamedNode(B + "graph/ontology/sosmeta-model"),
    )
    assert [r["t"].value for r in found] == []
    terms = rows(
        store,
        "SELECT ?t WHERE { GRAPH ?g { ?t a ?k } }",
        g=NamedNode(B + "graph/ontology/core"),
        k=NamedNode("http://www.w3.org/2002/07/owl#Class"),
    )
    assert len(terms) >= 15


def test_object_properties_of_the_core_model_declare_domain_and_range(store):
    for prop in (
        "measures",
        "answersNeed",
        "influences",
        "showsPhenomenon",
        "availableAtLevel",
        "forPopulationGroup",
        "hasTheme",
        "hasInformationSource",
        "legalBasis",
        "regionalLevel",
        "shownIn",
        "usesConcept",
        "feedsIndicator",
        "status",
    ):
        found = rows(
            store,
            "ASK { ?p a <http://www.w3.org/2002/07/owl#ObjectProperty> ; "
            "<http://www.w3.org/2000/01/rdf-schema#domain> ?d ; "
            "<http://www.w3.org/2000/01/rdf-schema#range> ?r }".replace("ASK", "SELECT ?d WHERE"),
            p=NamedNode(RAKE + prop),
        )
        assert found, prop


# --------------------------------------------------------------------------------------------
# The seed's Sosmeta structure
# --------------------------------------------------------------------------------------------


def test_seed_structure_has_exactly_the_rows_the_seed_shows(store):
    found = rows(
        store,
        "SELECT ?row ?label ?obligation ?repeatable WHERE { ?v rake:hasEntry ?e . "
        "?e rake:rowNumber ?row ; <http://www.w3.org/2000/01/rdf-schema#label> ?label ; "
        "rake:obligation ?obligation ; rake:repeatable ?repeatable } ORDER BY ?row",
        v=NamedNode(SEED_VERSION),
    )
    table = [
        (
            int(r["row"].value),
            r["label"].value,
            r["obligation"].value.rsplit("/", 1)[1],
            r["repeatable"].value == "true",
        )
        for r in found
    ]
    assert table == [
        (1, "Asiakas", "pakollinen", True),
        (2, "Sukunimi", "pakollinen", False),
        (3, "Etunimet", "pakollinen", False),
        (4, "Henkilötunnus", "ehdollisesti-pakollinen", False),
        (5, "Tilapäinen yksilöintitunnus", "ehdollisesti-pakollinen", False),
        (6, "Kenttää ei näytetä", "ei-pakollinen", False),
        (84, "Lisätiedot", "ei-pakollinen", False),
        (85, "Allekirjoitus", "ei-pakollinen", False),
    ]


def test_seed_structure_version_header_is_the_seeds(store):
    found = rows(
        store,
        "SELECT DISTINCT ?oid ?date ?st ?partial ?structure ?doctype WHERE { ?v rake:oid ?oid ; "
        "rake:versionDate ?date ; rake:sosmetaStatus ?st ; rake:partial ?partial ; "
        "rake:versionOf ?structure ; rake:documentType ?dt . "
        "?dt <http://www.w3.org/2000/01/rdf-schema#label> ?doctype . "
        "FILTER (LANG(?doctype) = 'fi') }",
        v=NamedNode(SEED_VERSION),
    )
    assert len(found) == 1
    r = found[0]
    assert r["oid"] == Literal("1.2.246.537.6.1506.11052.2022.6.28")
    assert r["date"].value == "2022-06-28"
    assert r["st"].value == "VALMIS"
    assert r["partial"].value == "true"
    assert r["structure"] == NamedNode(B + "sosmeta/structure/1.2.246.537.6.1506.11052")
    assert r["doctype"].value == "Päätös"


def test_seed_rows_use_the_seeds_data_types_and_components(store):
    found = rows(
        store,
        "SELECT ?row ?kind WHERE { ?v rake:hasEntry ?e . ?e rake:rowNumber ?row . "
        "{ ?e rake:dataType ?k } UNION { ?e rake:dataComponent ?k } "
        "?k <http://www.w3.org/2000/01/rdf-schema#label> ?kind . FILTER (LANG(?kind) = 'fi') }",
        v=NamedNode(SEED_VERSION),
    )
    kinds = {int(r["row"].value): r["kind"].value for r in found}
    assert kinds == {
        1: "Yksityishenkilö (TK)",
        2: "Nimi",
        3: "Nimi",
        4: "Tunnus",
        5: "Tunnus",
        6: "Päätös (TK)",
        84: "Teksti",
        85: "Allekirjoitustiedot (TK)",
    }


def test_the_hidden_row_is_marked_hidden(store):
    hidden = rows(
        store,
        "SELECT ?row WHERE { ?v rake:hasEntry ?e . ?e rake:hidden true ; rake:rowNumber ?row }",
        v=NamedNode(SEED_VERSION),
    )
    assert [int(r["row"].value) for r in hidden] == [6]


def test_every_concept_and_structure_carries_exactly_one_status(store):
    counts = rows(
        store,
        "SELECT ?x (COUNT(DISTINCT ?st) AS ?n) WHERE { "
        "GRAPH ?g { { ?x a skos:Concept } UNION { ?x a rake:DocumentStructure } } "
        "FILTER (STRSTARTS(STR(?g), ?prefix) && !CONTAINS(STR(?g), 'indicators')) "
        "OPTIONAL { ?x rake:status ?st } } GROUP BY ?x HAVING (COUNT(DISTINCT ?st) != 1)",
        prefix=Literal(B + "graph/ontology/"),
    )
    assert counts == []
    structure = rows(
        store,
        "SELECT DISTINCT ?st WHERE { ?s rake:status ?st }",
        s=NamedNode(B + "sosmeta/structure/1.2.246.537.6.1506.11052"),
    )
    assert [r["st"].value for r in structure] == [B + "concept/status/VALID"]


def test_the_seed_version_is_superseded_by_the_later_version_and_stays(store):
    found = rows(
        store,
        "SELECT DISTINCT ?st ?by ?dep WHERE { ?v rake:status ?st ; "
        "<http://purl.org/dc/terms/isReplacedBy> ?by ; "
        "<http://www.w3.org/2002/07/owl#deprecated> ?dep }",
        v=NamedNode(SEED_VERSION),
    )
    assert [(r["st"].value, r["by"].value, r["dep"].value) for r in found] == [
        (B + "concept/status/SUPERSEDED", B + "sosmeta/1.2.246.537.6.1506.11052.2023.9.8", "true")
    ]


def test_notations_are_unique_within_each_scheme(store):
    found = rows(store, "SELECT ?s ?n WHERE { ?c skos:inScheme ?s ; skos:notation ?n }")
    dupes = [k for k, v in Counter((r["s"].value, r["n"].value) for r in found).items() if v > 1]
    assert dupes == []


# --------------------------------------------------------------------------------------------
# Traceability: concept ↔ entry ↔ indicator ↔ view, one named query each way
# --------------------------------------------------------------------------------------------


def test_indicators_using_a_phenomenon_are_found_with_their_views(built_settings, store):
    found = select(
        store,
        built_settings.queries_dir,
        "trace/indicators-using-concept",
        concept=NamedNode(B + "concept/phenomenon/mielenterveys"),
    )
    measured = {r["indicator"].value for r in found if r["via"].value == RAKE + "measures"}
    direct = {
        r["i"].value
        for r in rows(
            store,
            "SELECT ?i WHERE { ?i rake:measures ?p }",
            p=NamedNode(B + "concept/phenomenon/mielenterveys"),
        )
    }
    assert measured == direct
    shown = {
        (r["i"].value, r["v"].value)
        for r in rows(
            store,
            "SELECT ?i ?v WHERE { ?i rake:measures ?p ; rake:shownIn ?v }",
            p=NamedNode(B + "concept/phenomenon/mielenterveys"),
        )
    }
    assert shown <= {(r["indicator"].value, r["view"].value) for r in found if "view" in r}


def test_entries_feeding_an_indicator_query_runs_on_the_built_store(built_settings, store):
    any_indicator = rows(store, "SELECT ?i WHERE { ?i a rake:Indicator } LIMIT 1")
    indicator = any_indicator[0]["i"] if any_indicator else NamedNode(B + "concept/indicator/x")
    found = select(
        store, built_settings.queries_dir, "trace/entries-feeding-indicator", indicator=indicator
    )
    fed = rows(store, "SELECT ?e WHERE { ?e rake:feedsIndicator ?i }", i=indicator)
    assert {r["entry"].value for r in found} == {r["e"].value for r in fed}


# --------------------------------------------------------------------------------------------
# Dataset metadata
# --------------------------------------------------------------------------------------------


def test_the_knowledge_graph_is_described_with_void_and_dcat_under_cc_by(store):
    found = rows(
        store,
        "PREFIX dct: <http://purl.org/dc/terms/> "
        "PREFIX owl: <http://www.w3.org/2002/07/owl#> "
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
        "SELECT DISTINCT ?version ?publisher WHERE { "
        "?kg a <http://rdfs.org/ns/void#Dataset> , <http://www.w3.org/ns/dcat#Dataset> ; "
        "owl:versionInfo ?version ; dct:publisher/foaf:name ?publisher ; "
        "<http://rdfs.org/ns/void#subset> ?vocab . "
        "?vocab dct:license <https://creativecommons.org/licenses/by/4.0/> }",
        kg=NamedNode(B + "data/knowledge-graph"),
    )
    assert [(r["version"].value, r["publisher"].value) for r in found] == [
        ("0.1.0", "rake-kg project")
    ]
    titles = rows(
        store,
        "SELECT DISTINCT ?t WHERE { ?kg <http://purl.org/dc/terms/title> ?t }",
        kg=NamedNode(B + "data/knowledge-graph"),
    )
    assert {r["t"].language for r in titles} == {"fi", "sv", "en"}


def test_the_ontology_and_its_modules_carry_a_version(store):
    found = rows(
        store,
        "SELECT DISTINCT ?o ?v WHERE { ?o a <http://www.w3.org/2002/07/owl#Ontology> ; "
        "<http://www.w3.org/2002/07/owl#versionInfo> ?v }",
    )
    versions = {r["o"].value: r["v"].value for r in found}
    for ontology in ("ontology", "ontology/core", "ontology/sosmeta-model"):
        assert versions[B + ontology] == "0.1.0"
