"""``kgservice``: a thin click CLI. Heavy imports happen inside the commands.

Each command parses its options, calls one function of the package and prints the result.
A :class:`~kgservice.errors.KgError` is printed as ``file:line: [rule] message`` with exit code 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kgservice.config import Settings


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        from kgservice.errors import KgError

        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.secho(f"error: {exc.describe()}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rake-kg")
@click.pass_context
def main(ctx: click.Context) -> None:
    """rake-kg: knowledge graph and terminology service for structural social work.

    Configuration comes from KG_* environment variables (see README.md). The commands work on
    the rake-kg checkout of the current directory (else the installed one; KG_PROJECT_DIR
    overrides).
    """
    ctx.obj = Settings.from_env()


# -- build ------------------------------------------------------------------------------------
@main.command()
@click.pass_obj
def build(settings: Settings) -> None:
    """Build the store from ontology/ and data/, validate it and swap it in atomically.

    A failed build leaves the store being served untouched.
    """
    from kgservice.pipeline.build import build as run_build
    from kgservice.pipeline.summary import render_summary

    report = run_build(settings, echo=lambda m: click.echo(m, err=True))
    click.echo(render_summary(report))


# -- serve ------------------------------------------------------------------------------------
@main.command()
@click.option("--host", default=None, help="Interface to bind (default KG_HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default KG_PORT or 5000).")
@click.option("--debug", is_flag=True, help="Use Flask's development server with reloading.")
@click.option("--threads", type=int, default=None, help="Worker threads (default KG_THREADS or 8).")
@click.option(
    "--from-dump",
    "from_dump",
    metavar="DIR|URL",
    help="Serve as a read replica: load the build published there by `kgservice publish` "
    "(checked against its manifest's SHA-256) instead of building.",
)
@click.option(
    "--follow",
    type=float,
    default=0,
    metavar="SECONDS",
    help="With --from-dump: look for a newer published build this often (0: only on SIGHUP).",
)
@click.pass_obj
def serve(
    settings: Settings,
    host: str | None,
    port: int | None,
    debug: bool,
    threads: int | None,
    from_dump: str | None,
    follow: float,
) -> None:
    """Serve the web app (term browser, concept URIs, SPARQL, views) with waitress.

    Connection limit, idle timeout and request size limits come from KG_* variables
    (docs/operators.md). With --from-dump the process is a read replica (docs/scaling.md).
    """
    settings = settings.with_(
        host=host or settings.host,
        port=port or settings.port,
        threads=threads or settings.threads,
    )
    if from_dump:
        _start_replica(settings, from_dump, follow)
    if not debug:
        from kgservice.web.server import fit_fd_limit

        fd = fit_fd_limit(settings.connection_limit)
        if fd.connection_limit < settings.connection_limit:
            click.secho(
                f"warning: the file limit (hard {fd.hard}) leaves room for "
                f"{fd.connection_limit} connections, not KG_CONNECTION_LIMIT="
                f"{settings.connection_limit}; raise it (ulimit -Hn, LimitNOFILE=)",
                fg="yellow",
                err=True,
            )
            settings = settings.with_(connection_limit=fd.connection_limit)
    from kgservice.web import create_app

    graph_writer = None
    if not settings.remote:
        from kgservice.pipeline.graphwrite import GraphWriter

        graph_writer = GraphWriter(settings)  # writes on /graphs (issue 17)
    app = create_app(settings, graph_writer=graph_writer)
    from kgservice.web import api, terms

    terms.warm_up(app)  # the term browser's concept index, built while the server starts
    api.warm_up(app)  # the indicator registry and regions
    if not settings.remote and not debug:
        from kgservice.web.sparql import get_pool

        get_pool(app)  # start the SPARQL query workers now, not on the first query
    click.echo(f"serving on http://{settings.host}:{settings.port}/", err=True)
    if debug:
        app.run(host=settings.host, port=settings.port, debug=True)
    else:
        from kgservice.web.server import serve as serve_production

        serve_production(app, settings)


def _start_replica(settings: Settings, source: str, follow: float) -> None:
    """Load the published build (or fail before serving anything), then keep following it."""
    import signal

    from kgservice.pipeline.replica import Follower, sync

    if settings.remote:
        raise click.UsageError("--from-dump serves an embedded store: unset KG_SPARQL_ENDPOINT")
    done = sync(settings, source)
    state = f"loaded {done.quads} quads in {done.seconds:.1f} s" if done.loaded else "already here"
    click.echo(f"replica of {source}: build {done.build_id} ({state})", err=True)
    follower = Follower(settings, source, follow).start()
    signal.signal(signal.SIGHUP, follower.wake)


# -- publish ----------------------------------------------------------------------------------
@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--build",
    "build_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The finished build directory to publish (default: the one served).",
)
@click.pass_obj
def publish(settings: Settings, out_dir: Path, build_dir: Path | None) -> None:
    """Publish a finished build for read replicas: its public dump and a manifest (build id,
    SHA-256, per-graph counts) into OUT_DIR (`kgservice serve --from-dump OUT_DIR`)."""
    from kgservice.pipeline.replica import publish as run_publish

    m = run_publish(settings, out_dir, build_dir)
    click.echo(
        f"published {m.build_id}: {m.quads} quads in {len(m.graphs)} graphs, {m.bytes} bytes"
    )
    click.echo(f"sha256 {m.sha256}  {out_dir / m.file}")


# -- query ------------------------------------------------------------------------------------
@main.command()
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "file_",
    type=click.Path(exists=True, path_type=Path),
    help="Read the query from a file.",
)
@click.option("-n", "--name", help="Run a named query from queries/ (e.g. store/graph-stats).")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="VAR=VALUE",
    help="Bind a parameter of a named query; <...> is an IRI, anything else a literal.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "tsv", "xml"]),
    default="table",
    show_default=True,
)
@click.pass_obj
def query(
    settings: Settings,
    query: str | None,
    file_: Path | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
) -> None:
    """Run a SPARQL query against the store and print the result."""
    from kgservice.cli_query import run_query_command

    click.echo(run_query_command(settings, query, file_, name, params, fmt), nl=False)


# -- check ------------------------------------------------------------------------------------
@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report here.")
@click.option(
    "--baseline",
    metavar="GIT_REF",
    help="Fail when concepts/triples drop >0.1 % or an IRI vanishes against GIT_REF.",
)
@click.option("--allow-removals", is_flag=True, help="Accept removals against the baseline.")
@click.option("--coverage", is_flag=True, help="Print the label/definition coverage report.")
@click.option("--no-reasoner", is_flag=True, help="Skip the OWL consistency check.")
@click.option(
    "--indicator-coverage",
    is_flag=True,
    help="Only report, from the built store, each phenomenon's indicators: figures per level "
    "and years, links to a concept, a Sosmeta entry and a view (Markdown; JSON with --format).",
)
@click.pass_obj
def check(
    settings: Settings,
    fmt: str,
    output: Path | None,
    baseline: str | None,
    allow_removals: bool,
    coverage: bool,
    no_reasoner: bool,
    indicator_coverage: bool,
) -> None:
    """Quality gate: parse every Turtle file, run the SHACL shapes and the OWL reasoner."""
    from kgservice.validation.check import run_check_command

    if indicator_coverage:
        _indicator_coverage(settings, fmt, output)
        return

    sys.exit(
        run_check_command(
            settings, fmt, output, baseline, allow_removals, coverage, not no_reasoner
        )
    )


def _indicator_coverage(settings: Settings, fmt: str, output: Path | None) -> None:
    import json

    from kgservice.indicators.coverage import indicator_coverage, render_markdown
    from kgservice.indicators.service import IndicatorService
    from kgservice.store.served import open_served

    if fmt == "junit":
        raise click.UsageError("--indicator-coverage prints text (Markdown) or json, not junit")
    served = open_served(settings)
    rows = indicator_coverage(IndicatorService(served.store, settings, served.version))
    if fmt == "json":
        text = json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_markdown(rows)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


# -- validate ---------------------------------------------------------------------------------
@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--structure", metavar="OID", help="Sosmeta structure OID (default: from the root key)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report here.")
@click.pass_obj
def validate(
    settings: Settings,
    files: tuple[Path, ...],
    structure: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Validate client documents (JSON / JSON Lines) against their structure's generated shapes."""
    from kgservice.sosmeta.validate import run_validate_command

    sys.exit(run_validate_command(settings, files, structure, fmt, output))


# -- export -----------------------------------------------------------------------------------
@main.command()
@click.argument(
    "view", type=click.Choice(["situation-picture", "phenomenon-in-brief", "phenomenon-view"])
)
@click.option("--phenomenon", help="Phenomenon slug or IRI.")
@click.option("--level", help="country | cooperation-area | wellbeing-county | municipality")
@click.option("--area", help="Area code (e.g. 90 for Helsinki, 091 for the municipality).")
@click.option("--year", type=int, help="Statistics year.")
@click.option("--lang", default="fi", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file: .xlsx, .csv or .json.",
)
@click.pass_obj
def export(
    settings: Settings,
    view: str,
    phenomenon: str | None,
    level: str | None,
    area: str | None,
    year: int | None,
    lang: str,
    output: Path,
) -> None:
    """Write a view's table as Excel, CSV or JSON."""
    from kgservice.indicators.export import run_export_command

    click.echo(run_export_command(settings, view, phenomenon, level, area, year, lang, output))


# -- fetch ------------------------------------------------------------------------------------
@main.command()
@click.argument("source", type=click.Choice(["sotkanet", "statfin", "classifications", "all"]))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Directory (default data/).")
@click.option("--indicator", "indicators", multiple=True, type=int, help="Sotkanet indicator id.")
@click.option("--years", help="Year range, e.g. 2015-2024.")
@click.option("--base-url", help="Override the API base URL (tests use a local server).")
@click.pass_obj
def fetch(
    settings: Settings,
    source: str,
    output: Path | None,
    indicators: tuple[int, ...],
    years: str | None,
    base_url: str | None,
) -> None:
    """Download open data (Sotkanet REST, Statistics Finland PxWeb and classifications) into the
    snapshot's file formats."""
    from kgservice.sources.fetch import run_fetch_command

    click.echo(run_fetch_command(settings, source, output, indicators, years, base_url))


# -- snapshot ---------------------------------------------------------------------------------
@main.command()
@click.option(
    "--from",
    "raw_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of raw downloads (e.g. ../shared/data-raw).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Directory (default data/).")
@click.pass_obj
def snapshot(settings: Settings, raw_dir: Path, output: Path | None) -> None:
    """Derive the bundled data/ snapshot (and data/sources.json) from raw downloads."""
    from kgservice.sources.snapshot import run_snapshot_command

    click.echo(run_snapshot_command(settings, raw_dir, output))


# -- import -----------------------------------------------------------------------------------
@main.group(name="import")
def import_() -> None:
    """Import external models into the project's sources."""


@import_.command(name="sosmeta")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output directory for structures.nt.gz (default data/sosmeta/).",
)
@click.option("--shapes/--no-shapes", default=True, help="Also generate shapes/generated/.")
@click.pass_obj
def import_sosmeta(settings: Settings, directory: Path, output: Path | None, shapes: bool) -> None:
    """Turn Sosmeta JSON Schema downloads into ontology data (and generated SHACL)."""
    from kgservice.sosmeta.importer import run_import_command

    click.echo(run_import_command(settings, directory, output, shapes))


# -- sosmeta ----------------------------------------------------------------------------------
@main.group(name="sosmeta")
def sosmeta_() -> None:
    """Work on the Sosmeta structures in the project's sources."""


@sosmeta_.command(name="link-phenomena")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Output file (default ontology/phenomenon-entries.ttl).",
)
@click.pass_obj
def sosmeta_link_phenomena(settings: Settings, output: Path | None) -> None:
    """Link the phenomena to the Sosmeta entries that record them (rules of
    mappings/sosmeta/phenomena.toml; reviewed links in the output file are kept)."""
    from kgservice.sosmeta.phenomena import run_link_command

    click.echo(run_link_command(settings, output).summary())


# -- lift -------------------------------------------------------------------------------------
@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--structure", metavar="OID", help="Sosmeta structure OID (default: from the root key)."
)
@click.option("--batch", help="Batch name (graph/client/<batch>); default: first file's stem.")
@click.option("--county", help="Two-digit wellbeing county that recorded the documents (e.g. 90).")
@click.option("--keep", multiple=True, metavar="PATH", help="Keep this entry's value (JSON path).")
@click.pass_obj
def lift(
    settings: Settings,
    files: tuple[Path, ...],
    structure: str | None,
    batch: str | None,
    county: str | None,
    keep: tuple[str, ...],
) -> None:
    """Pseudonymise, validate and load client documents into the private client-data graphs."""
    from kgservice.sosmeta.lift import run_lift_command

    click.echo(run_lift_command(settings, files, structure, batch, county, keep))


# -- diff and release (issue 17) -------------------------------------------------------------
@main.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "xlsx", "rdf"]),
    default="markdown",
    show_default=True,
    help="markdown (a changelog), json, xlsx (one sheet; needs -o) or rdf (cs: ChangeSet, Turtle).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the diff here.")
@click.pass_obj
def diff(settings: Settings, old: str, new: str, fmt: str, output: Path | None) -> None:
    """What changed from OLD to NEW, per scheme: each a release version, a Turtle file or
    directory, or a git revision of ontology/."""
    from kgservice.cli_release import run_diff_command

    run_diff_command(settings, old, new, fmt, output)


@main.command()
@click.argument("version")
@click.option("--date", "issued", help="Issue date YYYY-MM-DD (default: today, UTC).")
@click.option("--no-reasoner", is_flag=True, help="Run the gate without the OWL reasoner.")
@click.pass_obj
def release(settings: Settings, version: str, issued: str | None, no_reasoner: bool) -> None:
    """Record release VERSION: the gate must pass; writes releases/VERSION/ (schemes, VoID/DCAT
    metadata, CHANGELOG.md against the previous release)."""
    from kgservice.cli_release import run_release_command

    run_release_command(settings, version, issued, not no_reasoner)


# -- tokens for /graphs (issue 17) ----------------------------------------------------------
def _register_token_commands() -> None:
    from kgservice.cli_token import token

    main.add_command(token)


_register_token_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
