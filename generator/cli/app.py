"""The `kb` command line: a thin layer over the pipeline. Exit 0 on success, 1 on content
errors (each `path:line: message` on its own line), 2 on usage errors. No tracebacks."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click

from generator.core import catalogue, outdir
from generator.core.audience import for_audience
from generator.features.authoring import commands as cli_authoring
from generator.features.frameworks import coverage_commands as cli_coverage
from generator.features.frameworks.commands import frameworks
from generator.support.commands import audience_option, load, reports_problems, show_mkdocs_log


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The knowledge base folder (holding content/ and frameworks/).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Build and check the MSP AI readiness knowledge base."""
    ctx.obj = {"root": root.resolve()}


@cli.command()
@click.option("--strict", is_flag=True, help="Treat warnings (content due for review, placeholders) as errors.")
@cli_authoring.today_option
@click.option("--since", "since", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="An earlier site/permalinks.json: fail if an id it published is gone without an alias.")
@click.pass_context
@reports_problems
def validate(ctx: click.Context, strict: bool, today: dt.datetime | None, since: Path | None) -> None:
    """Check all content; list every problem as path:line: message."""
    kb = load(ctx)
    if since is not None:
        from generator.core import permalinks

        permalinks.check_since(kb, since, str(since))
    cli_authoring.report_warnings(kb, today, strict)
    click.echo(f"ok: {catalogue.summary(kb)}")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site/ in the knowledge base folder).")
@click.option("--verbose", is_flag=True, help="Show MkDocs' own progress messages.")
@click.option("--pdf", is_flag=True, help="Also print one PDF per checklist beside its page (needs chromium).")
@audience_option
@click.pass_context
@reports_problems
def build(ctx: click.Context, out: Path | None, verbose: bool, pdf: bool, audience: str) -> None:
    """Validate, render and build the site. The old output stays untouched on any error."""
    from generator.engine import build as site
    from generator.features.checklists import pdf as checklist_pdf

    target = out or ctx.obj["root"] / "site"
    outdir.guard(target, ctx.obj["root"])  # a wrong --out is a usage error, before content is read
    kb = for_audience(load(ctx), audience)
    show_mkdocs_log(verbose)
    if pdf:
        kb.extra[checklist_pdf.PDF_FLAG] = True
    try:
        site.build_site(kb, target, finish=(lambda staging: checklist_pdf.write_pdfs(kb, staging)) if pdf else None)
    except checklist_pdf.PdfFailed as error:
        click.echo(f"build failed: {error} (the previous {target} is unchanged)", err=True)
        sys.exit(1)
    except site.BuildFailed as error:
        click.echo(f"build failed: {error} (the previous {target} is unchanged)", err=True)
        sys.exit(1)
    click.echo(f"built {target}")


@cli.command()
@click.option("--address", default="127.0.0.1:8000", show_default=True, help="Where to serve (loopback only by default).")
@click.pass_context
@reports_problems
def serve(ctx: click.Context, address: str) -> None:
    """Live preview: edits to YAML, templates or pages rebuild and reload the browser."""
    from generator.engine import build as site

    load(ctx)  # report content problems plainly before MkDocs starts
    show_mkdocs_log(verbose=True)
    site.serve(ctx.obj["root"], address)


@cli.command(name="list")
@click.argument("kind", required=False, type=click.Choice(catalogue.KINDS))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (a stable, documented format).")
@audience_option
@click.pass_context
@reports_problems
def list_entities(ctx: click.Context, kind: str | None, as_json: bool, audience: str) -> None:
    """List entities (all, or one KIND) with their id, title and URL."""
    rows = catalogue.rows(for_audience(load(ctx), audience), kind)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        name = f"{row['framework']} {row['id']}" if "framework" in row else row["id"]
        click.echo(f"{row['kind']:<11} {name:<40} {row['title']}  {row['url']}")


from generator.features.packs.commands import pack  # noqa: E402 - it builds on this module

cli.add_command(pack)
cli.add_command(cli_authoring.new)
cli.add_command(cli_authoring.schema)
cli.add_command(frameworks)
cli.add_command(cli_coverage.coverage_command)

from generator.features.checklists.commands import export_group, link_command  # noqa: E402 - they import cli

cli.add_command(link_command)
cli.add_command(export_group)

from generator.features.assessment.commands import assess  # noqa: E402 - it uses reports_problems and load above

cli.add_command(assess)


def main() -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner
    cli(prog_name="kb")
