"""``kgservice release VERSION``: freeze the concept schemes of ``ontology/`` as a release.

A release is a directory ``releases/<version>/`` in the repository (so the history survives
rebuilds) holding

* a verbatim copy of every ``ontology/`` module that declares a concept or a concept scheme;
* ``release.ttl``: the release as a VoID/DCAT dataset — ``owl:versionInfo``, ``dct:issued``,
  ``dct:isVersionOf`` the vocabulary dataset (which gets ``dct:hasVersion``), and
  ``void:rootResource`` its schemes;
* ``CHANGELOG.md``: the diff against the previous release in Markdown, for the terminologist to
  edit; ``kgservice check --baseline`` fails when it no longer names every removed or deprecated
  concept (:mod:`kgservice.releases.changelog`).

The build loads every ``release.ttl`` into ``graph/releases`` and each module as the graph
``graph/release/<version>/<module>`` into the release store (:mod:`kgservice.store.releases`).
The quality gate runs before (in the CLI): a failing tree is refused.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kgservice.config import Settings
from kgservice.namespaces import DCAT, DCT, OWL, VOID, XSD
from kgservice.releases import diff as diffs
from kgservice.releases.render import to_markdown
from kgservice.releases.snapshot import (
    CONCEPT,
    SCHEME,
    TYPE,
    ReleaseError,
    Snapshot,
    from_sources,
    read_files,
)

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")
#: The VoID/DCAT dataset of the vocabularies (``ontology/metadata.ttl``), canonical base.
VOCABULARY = "https://rake-kg.example/data/knowledge-graph/vocabulary"
XSD_DATE = ox.NamedNode(XSD + "date")
METADATA = "release.ttl"
CHANGELOG = "CHANGELOG.md"


@dataclass(frozen=True)
class Release:
    """A recorded release: its version, issue date and directory."""

    version: str
    issued: str
    dir: Path


def releases_dir(settings: Settings) -> Path:
    return settings.project_dir / "releases"


def release_iri(version: str) -> str:
    return f"{VOCABULARY}/release/{version}"


def list_releases(root: Path) -> list[Release]:
    """Every release under ``root``, oldest first (by ``dct:issued``, then version)."""
    found = []
    for meta in sorted(root.glob(f"*/{METADATA}")):
        if meta.parent.name.startswith("."):
            continue  # a release being written (or left by a crash)
        issued = ""
        for q in ox.parse(path=meta, format=ox.RdfFormat.TURTLE):
            if q.predicate.value == DCT + "issued":
                issued = q.object.value
        found.append(Release(meta.parent.name, issued, meta.parent))
    return sorted(found, key=lambda r: (r.issued, r.version))


def _metadata(version: str, issued: date, schemes: list[str]) -> bytes:
    node, vocabulary = ox.NamedNode(release_iri(version)), ox.NamedNode(VOCABULARY)
    triples = [
        ox.Triple(node, TYPE, ox.NamedNode(VOID + "Dataset")),
        ox.Triple(node, TYPE, ox.NamedNode(DCAT + "Dataset")),
        ox.Triple(node, ox.NamedNode(OWL + "versionInfo"), ox.Literal(version)),
        ox.Triple(
            node, ox.NamedNode(DCT + "issued"), ox.Literal(issued.isoformat(), datatype=XSD_DATE)
        ),
        ox.Triple(node, ox.NamedNode(DCT + "isVersionOf"), vocabulary),
        ox.Triple(vocabulary, ox.NamedNode(DCT + "hasVersion"), node),
        *(ox.Triple(node, ox.NamedNode(VOID + "rootResource"), ox.NamedNode(s)) for s in schemes),
    ]
    prefixes = {"dct": DCT, "owl": OWL, "void": VOID, "dcat": DCAT}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def _released_modules(ontology_dir: Path, version: str) -> tuple[list[Path], Snapshot]:
    """The modules with a concept or scheme, and the snapshot of them all."""
    modules = []
    for path in sorted(ontology_dir.glob("*.ttl")):
        parsed = ox.parse(path=path, format=ox.RdfFormat.TURTLE)
        if any(q.predicate == TYPE and q.object in (CONCEPT, SCHEME) for q in parsed):
            modules.append(path)
    return modules, from_sources(version, [(p, str(p)) for p in modules])


def record_release(settings: Settings, version: str, issued: date) -> tuple[Release, diffs.Diff]:
    """Write ``releases/<version>/`` (see the module docstring); the diff against the last one."""
    if not VERSION.fullmatch(version):
        raise ReleaseError(
            f"version {version!r} must be letters, digits, '.', '_' or '-' "
            "(starting with a letter or digit, at most 64), e.g. 1.0.0 or 2026.1",
            rule="release-version",
        )
    root = releases_dir(settings)
    target = root / version
    if target.exists():
        known = ", ".join(r.version for r in list_releases(root))
        raise ReleaseError(
            f"release {version} exists already ({target}); choose a new version "
            f"(recorded: {known})",
            rule="release-exists",
            status=409,
        )
    modules, current = _released_modules(settings.ontology_dir, version)
    earlier = list_releases(root)
    previous = read_files(earlier[-1].version, earlier[-1].dir) if earlier else Snapshot("(none)")
    result = diffs.diff(previous, current)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=root))
    for path in modules:
        shutil.copyfile(path, staging / path.name)
    schemes = sorted(t[1:-1].decode() for t in current.typed(SCHEME))
    (staging / METADATA).write_bytes(_metadata(version, issued, schemes))
    notes = f"Release {version} ({issued.isoformat()})\n\n" + to_markdown(result)
    (staging / CHANGELOG).write_text(notes, encoding="utf-8")
    staging.rename(target)
    return Release(version, issued.isoformat(), target), result
