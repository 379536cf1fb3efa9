"""The ``diff`` and ``release`` commands (issue 17): parse, call the releases package, print."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import click

from kgservice.config import Settings
from kgservice.releases.snapshot import ReleaseError


def run_diff_command(settings: Settings, old: str, new: str, fmt: str, output: Path | None) -> None:
    """Resolve both versions, diff them, write the report to ``output`` or stdout."""
    from kgservice.releases.diff import diff
    from kgservice.releases.record import releases_dir
    from kgservice.releases.render import render
    from kgservice.releases.snapshot import resolve

    if fmt == "xlsx" and output is None:
        raise ReleaseError("--format xlsx writes a file: give -o FILE.xlsx", rule="diff-output")
    root = releases_dir(settings)
    result = diff(
        resolve(old, root, settings.ontology_dir), resolve(new, root, settings.ontology_dir)
    )
    data = render(result, fmt)
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    click.echo(
        f"diff {old} → {new}: {counts}" + (f" (report: {output})" if output else ""), err=True
    )


def _issue_date(text: str | None) -> date:
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ReleaseError(
            f"--date {text!r} is not a date; give YYYY-MM-DD, e.g. 2026-12-07",
            rule="release-date",
        ) from exc


def run_release_command(
    settings: Settings, version: str, issued: str | None, reasoner: bool
) -> None:
    """Refuse a failing tree (the quality gate), then record the release and print its path."""
    from kgservice.releases.record import record_release
    from kgservice.validation.check import run_check
    from kgservice.validation.report import render_text

    when = _issue_date(issued)
    gate = run_check(settings, reasoner=reasoner)
    if gate.exit_code != 0:
        click.echo(render_text(gate), err=True, nl=False)
        raise ReleaseError(
            f"release {version} refused: the quality gate fails (kgservice check); fix the "
            "violations above first",
            rule="release-gate",
        )
    recorded, result = record_release(settings, version, when)
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts().items())
    click.echo(f"release {recorded.version} ({recorded.issued}) recorded in {recorded.dir}")
    click.echo(f"changes since the previous release: {counts}")
    click.echo(f"edit the release note: {recorded.dir / 'CHANGELOG.md'}")
