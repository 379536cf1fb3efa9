"""``kgservice release VERSION`` and the changelog rule of ``kgservice check --baseline``, run as
docs/terminologists.md documents them on a git copy of the bundled ontology."""

from __future__ import annotations

import re

import pyoxigraph as ox
import rdflib
from fixtures.vocab_edits import (
    ADDED,
    DEPRECATED,
    MOVED,
    NEW_PARENT,
    RELABELLED,
    REMAPPED,
    REPLACEMENT,
    edit,
    git,
    n,
    scripted_edits,
)
from rdflib.compare import isomorphic

from kgservice.config import Settings
from kgservice.namespaces import DCT, OWL, RDF, SKOS, VOID
from kgservice.pipeline.build import load_ontology, load_releases, release_store
from kgservice.pipeline.steps import StepReport
from kgservice.releases.record import VOCABULARY, release_iri
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import release_store_path

GATE = "--no-reasoner"  # the OWL reasoner has its own tests; the gate's SHACL rules still run


def release(kgservice, root, version, *args):
    return kgservice(root, "release", version, "--date", "2026-12-07", GATE, *args)


def test_release_freezes_every_scheme_module_with_void_dcat_metadata(vocab_repo, kgservice):
    result = release(kgservice, vocab_repo, "1.0.0")
    assert result.exit_code == 0, result.output
    frozen = vocab_repo / "releases" / "1.0.0"
    schemes_in_ontology = sorted(
        p.name
        for p in (vocab_repo / "ontology").glob("*.ttl")
        if "a skos:ConceptScheme" in p.read_text()
    )
    assert set(schemes_in_ontology) <= {p.name for p in frozen.glob("*.ttl")}
    for name in schemes_in_ontology:
        assert (frozen / name).read_bytes() == (vocab_repo / "ontology" / name).read_bytes()
    meta = {q.triple for q in ox.parse(path=frozen / "release.ttl", format=ox.RdfFormat.TURTLE)}
    node = n(release_iri("1.0.0"))
    assert ox.Triple(node, n(OWL + "versionInfo"), ox.Literal("1.0.0")) in meta
    assert ox.Triple(node, n(DCT + "isVersionOf"), n(VOCABULARY)) in meta
    assert ox.Triple(n(VOCABULARY), n(DCT + "hasVersion"), node) in meta
    issued = [t.object for t in meta if t.predicate == n(DCT + "issued")]
    assert [i.value for i in issued] == ["2026-12-07"]
    # the first changelog lists every concept as added
    concepts = {
        q.subject.value
        for p in (vocab_repo / "ontology").glob("*.ttl")
        for q in ox.parse(path=p, format=ox.RdfFormat.TURTLE)
        if q.predicate == n(RDF + "type") and q.object == n(SKOS + "Concept")
    }
    notes = (frozen / "CHANGELOG.md").read_text(encoding="utf-8")
    assert notes.startswith("Release 1.0.0 (2026-12-07)")
    assert all(f"<{iri}>" in notes for iri in concepts)
    assert f"{len(concepts)} added, 0 deprecated, 0 removed, 0 changed" in notes


def test_an_existing_version_is_refused(vocab_repo, kgservice):
    assert release(kgservice, vocab_repo, "1.0.0").exit_code == 0
    again = release(kgservice, vocab_repo, "1.0.0")
    assert again.exit_code == 1
    assert "[release-exists] release 1.0.0 exists already" in again.output
    assert "recorded: 1.0.0" in again.output


def test_a_bad_version_or_date_names_the_rule(vocab_repo, kgservice):
    bad = release(kgservice, vocab_repo, "../x")
    assert bad.exit_code == 1 and "[release-version]" in bad.output
    date = kgservice(vocab_repo, "release", "1.0.0", "--date", "7.12.2026", GATE)
    assert date.exit_code == 1 and "give YYYY-MM-DD" in date.output
    assert not (vocab_repo / "releases").exists()


def test_a_tree_that_fails_the_gate_is_not_released(vocab_repo, kgservice):
    groups = vocab_repo / "ontology" / "population-groups.ttl"
    boolean = n("http://www.w3.org/2001/XMLSchema#boolean")
    # deprecated without a replacement: rule deprecated-needs-replacement
    edit(
        groups,
        add=[ox.Triple(n(DEPRECATED), n(OWL + "deprecated"), ox.Literal("true", datatype=boolean))],
    )
    result = release(kgservice, vocab_repo, "1.0.0")
    assert result.exit_code == 1
    assert "[release-gate] release 1.0.0 refused" in result.output
    assert "deprecated-needs-replacement" in result.output
    assert not (vocab_repo / "releases" / "1.0.0").exists()


def test_release_edit_release_changelog_names_exactly_the_edits(vocab_repo, kgservice):
    assert release(kgservice, vocab_repo, "1.0.0").exit_code == 0
    scripted_edits(vocab_repo)
    result = kgservice(vocab_repo, "release", "1.1.0", "--date", "2026-12-08", GATE)
    assert result.exit_code == 0, result.output
    assert "1 added, 1 deprecated, 0 removed, 5 changed" in result.output
    notes = (vocab_repo / "releases" / "1.1.0" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"<{DEPRECATED}>) → replaced by <{REPLACEMENT}>" in notes
    assert f"yksinäisyys (<{ADDED}>)" in notes
    named = set(re.findall(r"^- .* \(<([^>]+)>\)", notes, re.M))
    edited = {ADDED, DEPRECATED, RELABELLED, MOVED, NEW_PARENT, REPLACEMENT, REMAPPED}
    assert named == edited  # exactly the concepts the edits touched, nothing else
    # diff between the two releases by their versions gives the same counts
    between = kgservice(vocab_repo, "diff", "1.0.0", "1.1.0", "--format", "json")
    assert '"deprecated": 1' in between.stdout and '"changed": 5' in between.stdout


def test_check_baseline_fails_when_a_changelog_omits_a_deprecated_concept(vocab_repo, kgservice):
    assert release(kgservice, vocab_repo, "1.0.0").exit_code == 0
    scripted_edits(vocab_repo)
    assert release(kgservice, vocab_repo, "1.1.0").exit_code == 0
    git(vocab_repo, "add", ".")
    git(vocab_repo, "commit", "-q", "-m", "release 1.1.0")
    complete = kgservice(vocab_repo, "check", GATE, "--baseline", "v1")
    assert complete.exit_code == 0, complete.output
    notes = vocab_repo / "releases" / "1.1.0" / "CHANGELOG.md"
    kept = [line for line in notes.read_text().splitlines() if DEPRECATED not in line]
    notes.write_text("\n".join(kept), encoding="utf-8")
    incomplete = kgservice(vocab_repo, "check", GATE, "--baseline", "v1")
    assert incomplete.exit_code == 1
    assert "[release-changelog-incomplete]" in incomplete.output
    assert (
        f"release 1.1.0: the changelog does not mention the deprecated concept <{DEPRECATED}>"
        in (incomplete.output)
    )
    assert "releases/1.1.0/CHANGELOG.md" in incomplete.output


def test_the_build_keeps_each_release_in_its_own_graphs_in_the_release_store(
    vocab_repo, kgservice, tmp_path
):
    assert release(kgservice, vocab_repo, "1.0.0").exit_code == 0
    settings = Settings.for_project(vocab_repo)
    store = EmbeddedStore(tmp_path / "store", base_iri=settings.base_iri)
    load_ontology(settings, store, StepReport("ontology"))
    report = StepReport("releases")
    load_releases(settings, store, report)
    release_store(settings, store, StepReport("release-store"))
    base = settings.base_iri + "graph/"
    # the metadata in the store; the frozen modules in the release store, out of the live union
    assert base + "releases" in store.graphs()
    assert not [g for g in store.graphs() if g.startswith(base + "release/")]
    assert report.notes == ["1 release(s): 1.0.0"]
    releases = EmbeddedStore(release_store_path(tmp_path / "store"), read_only=True)
    frozen = ox.parse(path=vocab_repo / "releases/1.0.0/phenomena.ttl", format=ox.RdfFormat.TURTLE)
    held = ox.parse(
        releases.dump(ox.RdfFormat.N_TRIPLES, base + "release/1.0.0/phenomena"),
        format=ox.RdfFormat.N_TRIPLES,
    )
    assert {q.triple for q in held} == {q.triple for q in frozen}
    # beside them, the live vocabulary graphs as the build has them, and nothing else
    vocabulary = [g for g in store.graphs() if g.startswith(base + "ontology/")]
    assert vocabulary and [g for g in releases.graphs() if not g.startswith(base + "release/")] == (
        vocabulary
    )
    for graph in vocabulary:
        copied, live = (
            rdflib.Graph().parse(data=s.dump(ox.RdfFormat.N_TRIPLES, graph), format="nt")
            for s in (releases, store)
        )
        assert isomorphic(copied, live)
    releases.close()
    store.close()


def test_the_releases_graph_lists_each_frozen_graph_as_a_subset_of_its_release(
    vocab_repo, kgservice, tmp_path
):
    assert release(kgservice, vocab_repo, "1.0.0").exit_code == 0
    settings = Settings.for_project(vocab_repo)
    store = EmbeddedStore(None, base_iri=settings.base_iri)
    load_releases(settings, store, StepReport("releases"))
    listed = {
        (t.subject.value, t.object.value)
        for t in ox.parse(
            store.dump(ox.RdfFormat.N_TRIPLES, settings.base_iri + "graph/releases"),
            format=ox.RdfFormat.N_TRIPLES,
        )
        if t.predicate == n(VOID + "subset")
    }
    modules = sorted(
        p.stem for p in (vocab_repo / "releases/1.0.0").glob("*.ttl") if p.name != "release.ttl"
    )
    assert modules and listed == {
        (release_iri("1.0.0"), settings.base_iri + f"graph/release/1.0.0/{m}") for m in modules
    }
    store.close()
