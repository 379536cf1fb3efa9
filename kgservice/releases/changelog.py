"""The release note must be complete: every removed or deprecated concept named in it.

For each release under ``releases/`` (oldest first) the diff against the release before it is
computed from the frozen files; a removed or deprecated concept whose IRI does not occur in
``releases/<version>/CHANGELOG.md`` is an omission. ``kgservice check --baseline`` reports each
as ``release-changelog-incomplete``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kgservice.releases.diff import DEPRECATED, REMOVED, diff
from kgservice.releases.record import CHANGELOG, list_releases
from kgservice.releases.snapshot import Snapshot, read_files

RULE = "release-changelog-incomplete"


@dataclass(frozen=True)
class Omission:
    """A removed or deprecated concept the changelog of ``version`` does not mention."""

    version: str
    changelog: Path
    concept: str
    kind: str


def omissions(releases_root: Path) -> list[Omission]:
    """Every omission in every release's changelog (empty when there are no releases)."""
    found: list[Omission] = []
    previous = Snapshot("(none)")
    for release in list_releases(releases_root):
        current = read_files(release.version, release.dir)
        path = release.dir / CHANGELOG
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        for change in diff(previous, current).all():
            if change.kind in (REMOVED, DEPRECATED) and change.iri not in text:
                found.append(Omission(release.version, path, change.iri, change.kind))
        previous = current
    return found
