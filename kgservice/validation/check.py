"""``kgservice check``: the quality gate over ``ontology/`` and ``shapes/``.

1. parse every Turtle file in ``ontology/`` and ``shapes/`` (a syntax error names file and line);
2. run the quality shapes (``shapes/vocabulary.ttl``, ``shapes/owl-model.ttl``) with pySHACL over
   the union of the ontology modules;
3. check OWL consistency with owlready2's HermiT reasoner;
4. optionally compare against a git baseline and report label/definition coverage.

Exit code 0 when no rule is violated, 1 otherwise (warnings do not fail).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kgservice.config import Settings
from kgservice.errors import ParseError
from kgservice.sources.rdf import read_quads
from kgservice.validation import baseline as baseline_guard
from kgservice.validation import reasoner as owl_reasoner
from kgservice.validation.coverage import coverage as measure_coverage
from kgservice.validation.coverage import variable_coverage
from kgservice.validation.report import CheckResult, render, render_text
from kgservice.validation.shacl import quality_shape_files, rule_ids, run_shapes
from kgservice.validation.sources import display_name, load_sources, turtle_files
from kgservice.validation.violations import Violation

SYNTAX = "rdf-syntax"
SOURCES = "sources"
BASELINE_RULES = ("baseline-concept-drop", "baseline-triple-drop", "baseline-iri-removed")
CHANGELOG_RULE = "release-changelog-incomplete"
REASONER_RULES = (owl_reasoner.CONSISTENCY, owl_reasoner.UNSATISFIABLE)


def _syntax_violation(error: ParseError) -> Violation:
    return Violation(rule=SYNTAX, message=error.message, file=error.file or "", line=error.line)


def _changelog_omissions(settings: Settings, root: Path) -> list[Violation]:
    """Every release's CHANGELOG.md must name its removed and deprecated concepts (issue 17)."""
    from kgservice.releases.changelog import omissions
    from kgservice.releases.record import releases_dir

    return [
        Violation(
            rule=CHANGELOG_RULE,
            message=(
                f"release {o.version}: the changelog does not mention the {o.kind} concept "
                f"<{o.concept}>; add it to the release note"
            ),
            file=display_name(o.changelog, root),
            focus=o.concept,
        )
        for o in omissions(releases_dir(settings))
    ]


def run_check(
    settings: Settings,
    baseline: str | None = None,
    allow_removals: bool = False,
    coverage: bool = False,
    reasoner: bool = True,
) -> CheckResult:
    """Run the whole gate and return what it found (no printing)."""
    started = time.perf_counter()
    root = settings.ontology_dir.parent
    result = CheckResult(rules=[SYNTAX, SOURCES], tree=str(root))

    ontology_files = turtle_files(settings.ontology_dir)
    shape_files = quality_shape_files(settings.shapes_dir)
    data = load_sources(ontology_files, display_root=root)
    shapes = load_sources(shape_files, display_root=root)
    errors = data.errors + shapes.errors
    for other in turtle_files(settings.shapes_dir):
        if other not in shape_files:
            try:
                read_quads(other)
            except ParseError as exc:
                exc.file = display_name(other, root)
                errors.append(exc)
    result.violations += [_syntax_violation(e) for e in errors]
    result.files = len(ontology_files) + len(turtle_files(settings.shapes_dir))
    result.triples = len(data.graph)
    result.rules += rule_ids(shapes.graph)
    if not ontology_files:
        result.violations.append(
            Violation(
                rule=SOURCES,
                message="no Turtle files to check",
                file=display_name(settings.ontology_dir, root),
            )
        )
    if not shape_files:
        result.violations.append(
            Violation(
                rule=SOURCES,
                message="the quality shapes (vocabulary.ttl, owl-model.ttl) are missing",
                file=display_name(settings.shapes_dir, root),
            )
        )

    if errors or not shape_files:
        # Rules over half-parsed sources would only add noise; fix the syntax first.
        result.skipped += [*REASONER_RULES] if reasoner else []
    else:
        result.violations += run_shapes(data, shapes.graph, settings.shacl_engine)
        if reasoner:
            result.rules += list(REASONER_RULES)
            result.violations += owl_reasoner.check_consistency(data)
    if not reasoner:
        result.skipped += list(REASONER_RULES)

    if baseline and data.errors:
        result.skipped += list(BASELINE_RULES)  # a broken file would look like removed IRIs
    elif baseline:
        result.rules += list(BASELINE_RULES)
        before = baseline_guard.snapshot_at(settings.ontology_dir, baseline)
        now = baseline_guard.snapshot_of([(p, display_name(p, root)) for p in ontology_files])
        result.violations += baseline_guard.compare(before, now, baseline, allow_removals)
        result.rules.append(CHANGELOG_RULE)
        result.violations += _changelog_omissions(settings, root)
    if coverage:
        result.coverage = measure_coverage(data.graph)
        result.variables = variable_coverage(data.graph)
    result.seconds = time.perf_counter() - started
    return result


def run_check_command(
    settings: Settings,
    fmt: str,
    output: Path | None,
    baseline: str | None,
    allow_removals: bool,
    coverage: bool,
    reasoner: bool,
) -> int:
    """The CLI entry point: run, print (or write to ``output``), return the exit code."""
    import click

    result = run_check(settings, baseline, allow_removals, coverage, reasoner)
    report = render(result, fmt)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
        click.echo(render_text(result).splitlines()[-1] + f" (report: {output})", err=True)
    else:
        click.echo(report, nl=False)
        if fmt != "text":
            click.echo(render_text(result).splitlines()[-1], err=True)
    sys.stdout.flush()
    return result.exit_code
