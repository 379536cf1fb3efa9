"""The scripted edits a terminologist makes to a copy of the bundled ontology (add, deprecate with
replacement, relabel sv, move in the hierarchy, change a mapping) and the concepts they touch."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT
from kgservice.namespaces import DCT, OWL, SKOS
from kgservice.validation.shacl import QUALITY_SHAPES

C = "https://rake-kg.example/concept/"
STATUS = "https://rake-kg.example/ontology/status"
PREFIXES = {
    "skos": SKOS,
    "dct": DCT,
    "owl": OWL,
    "rake": "https://rake-kg.example/ontology/",
    "scheme": "https://rake-kg.example/scheme/",
}

#: The concepts the scripted edits touch.
ADDED = C + "phenomenon/yksinaisyys"
DEPRECATED = C + "population-group/muut-erityisryhmat"
REPLACEMENT = C + "population-group/muut-vaestoryhmat"
RELABELLED = C + "phenomenon/mielenterveys"
MOVED = C + "population-group/maahanmuuttajat"
NEW_PARENT = C + "population-group/tyoikaiset"
REMAPPED = C + "phenomenon/asunnottomuus"
YSO_HOMELESSNESS = "http://www.yso.fi/onto/yso/p10735"
NEW_SV_LABEL = "mental hälsa"


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    return done.stdout.decode()


def make_vocab_repo(root: Path) -> Path:
    """A rake-kg project tree in git: the bundled ontology/ and quality shapes, tag ``v1``."""
    shutil.copytree(PROJECT_ROOT / "ontology", root / "ontology")
    (root / "shapes").mkdir()
    for name in QUALITY_SHAPES:
        shutil.copy(PROJECT_ROOT / "shapes" / name, root / "shapes" / name)
    for marker in ("queries", "mappings"):
        (root / marker).mkdir()
        (root / marker / ".keep").write_text("")
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.invalid")
    git(root, "config", "user.name", "test")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "v1")
    git(root, "tag", "v1")
    return root


def cli_in(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``run(root, "diff", "v1", "ontology")``: the CLI as documented, run in ``root``."""

    def run(root: Path, *args: str) -> Result:
        monkeypatch.chdir(root)
        env = {"KG_PROJECT_DIR": str(root), "KG_VAR_DIR": str(root / "var")}
        return CliRunner().invoke(main, list(args), env=env)

    return run


def edit(path: Path, remove=(), add=()) -> None:
    """Rewrite one module with triples removed and added (comments are not kept)."""
    triples = {q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)}
    for t in remove:
        assert t in triples, f"{t} is not in {path.name}"
    triples = (triples - set(remove)) | set(add)
    path.write_bytes(
        ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    )


def scripted_edits(root: Path) -> None:
    """The five edits, each as the terminologist would make it in ontology/."""
    onto = root / "ontology"
    status_of = n(STATUS)
    valid, retired = n(C + "status/VALID"), n(C + "status/RETIRED")
    lit = ox.Literal
    edit(
        onto / "phenomena.ttl",
        remove=[
            ox.Triple(n(RELABELLED), n(SKOS + "prefLabel"), lit("psykisk hälsa", language="sv")),
            ox.Triple(n(REMAPPED), n(SKOS + "exactMatch"), n(YSO_HOMELESSNESS)),
        ],
        add=[
            ox.Triple(n(RELABELLED), n(SKOS + "prefLabel"), lit(NEW_SV_LABEL, language="sv")),
            ox.Triple(n(REMAPPED), n(SKOS + "closeMatch"), n(YSO_HOMELESSNESS)),
            ox.Triple(
                n(ADDED), n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n(SKOS + "Concept")
            ),
            ox.Triple(
                n(ADDED), n(SKOS + "inScheme"), n("https://rake-kg.example/scheme/phenomenon")
            ),
            ox.Triple(n(ADDED), n(SKOS + "prefLabel"), lit("yksinäisyys", language="fi")),
            ox.Triple(
                n(ADDED),
                n(SKOS + "definition"),
                lit("Testikäsite: koettu yksinäisyys.", language="fi"),
            ),
            ox.Triple(n(ADDED), status_of, valid),
        ],
    )
    groups = onto / "population-groups.ttl"
    edit(
        groups,
        remove=[
            ox.Triple(n(DEPRECATED), status_of, valid),
            ox.Triple(n(MOVED), n(SKOS + "broader"), n(REPLACEMENT)),
            ox.Triple(n(REPLACEMENT), n(SKOS + "narrower"), n(MOVED)),
        ],
        add=[
            ox.Triple(n(DEPRECATED), status_of, retired),
            ox.Triple(
                n(DEPRECATED),
                n(OWL + "deprecated"),
                lit("true", datatype=n("http://www.w3.org/2001/XMLSchema#boolean")),
            ),
            ox.Triple(n(DEPRECATED), n(DCT + "isReplacedBy"), n(REPLACEMENT)),
            ox.Triple(n(MOVED), n(SKOS + "broader"), n(NEW_PARENT)),
            ox.Triple(n(NEW_PARENT), n(SKOS + "narrower"), n(MOVED)),
        ],
    )


def delete_concept(path: Path, iri: str) -> None:
    """Delete every triple about ``iri`` from one module (what the gate's baseline forbids)."""
    triples = {q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)}
    edit(path, remove=[t for t in triples if t.subject == n(iri)])
