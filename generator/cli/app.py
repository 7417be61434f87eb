"""The `kb` command line: a thin layer over the pipeline. Exit 0 on success, 1 on content
errors (each `path:line: message` on its own line), 2 on usage errors. No tracebacks.

The core commands are here; each feature adds its own through `Feature.commands`, called once
for every feature of generator.features.FEATURES at the end of this module."""

from __future__ import annotations

import atexit
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

import click

from generator import __version__
from generator.core import catalogue, outdir
from generator.core.audience import for_audience
from generator.core.errors import BuildFailed, WriterFailed
from generator.core.feature import Audience, RenderContext
from generator.core.pipeline import after_build
from generator.core.render import render as render_pages
from generator.engine import build as engine
from generator.engine import engines
from generator.engine.static import write_static
from generator.features import FEATURES
from generator.support.commands import (
    audience_option,
    day,
    load,
    report_warnings,
    reports_problems,
    show_mkdocs_log,
    today_option,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The knowledge base folder (holding content/ and frameworks/).",
)
@click.version_option(__version__, "--version", prog_name="kb", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Build and check a knowledge base: YAML content in, a searchable site out."""
    ctx.obj = {"root": root.resolve(), "features": FEATURES, "build": engine.build_site}


@cli.command()
@click.option("--strict", is_flag=True, help="Treat warnings (content due for review, placeholders) as errors.")
@today_option()
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
    report_warnings(ctx, kb, day(today), strict)
    click.echo(f"ok: {catalogue.summary(kb)}")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site/ in the knowledge base folder).")
@click.option("--verbose", is_flag=True, help="Show MkDocs' own progress messages.")
@click.option("--pdf", is_flag=True, help="Also print one PDF per checklist beside its page (needs chromium).")
@click.option("--engine", "engine_name", type=click.Choice(list(engines.ENGINES)), default=None,
              help=f"What builds the HTML (default: `engine` in {engines.SETTINGS_FILE}, else {engines.DEFAULT}).")
@click.option("--clean", is_flag=True,
              help="Redraw every page, ignoring what the last build into --out left (by default MkDocs "
                   "redraws only the pages an edit changed; the site is the same either way).")
@audience_option
@today_option()
@click.pass_context
@reports_problems
def build(ctx: click.Context, out: Path | None, verbose: bool, pdf: bool, engine_name: str | None, clean: bool,
          audience: Audience, today: dt.datetime | None) -> None:
    """Validate, render and build the site. The old output stays untouched on any error."""
    target = out or ctx.obj["root"] / "site"
    outdir.guard(target, ctx.obj["root"])  # a wrong --out is a usage error, before content is read
    name = engine_name or engines.configured(ctx.obj["root"])
    kb = for_audience(load(ctx), audience)
    show_mkdocs_log(verbose)
    context = RenderContext(today=day(today), audience=audience, flags=frozenset({"pdf"} if pdf else ()))
    if (notice := engines.ENGINES[name].notice) is not None:
        click.echo(notice, err=True)
    try:
        how = engines.build_site(kb, context, target, name, clean)
    except (BuildFailed, WriterFailed) as error:
        click.echo(f"build failed: {error} (the previous {target} is unchanged)", err=True)
        sys.exit(1)
    click.echo(f"built {target}{how}")


@cli.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write docs/ and mkdocs.yml (default: build/render/ in the knowledge base folder).")
@audience_option
@today_option()
@click.pass_context
@reports_problems
def render(ctx: click.Context, out: Path | None, audience: Audience, today: dt.datetime | None) -> None:
    """Write the rendered Markdown and a static mkdocs.yml (no hook) that any MkDocs-compatible
    engine builds; then run `kb postbuild` on the engine's output folder."""
    kb = for_audience(load(ctx), audience)
    target = (out or ctx.obj["root"] / "build" / "render").resolve()
    context = RenderContext(today=day(today), audience=audience)
    config = write_static(kb, context, render_pages(kb, context, FEATURES), target)
    click.echo(f"wrote {config}; build it with: mkdocs build -f {config}")


@cli.command()
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@audience_option
@click.option("--pdf", is_flag=True, help="Also print one PDF per checklist beside its page (needs chromium).")
@today_option()
@click.pass_context
@reports_problems
def postbuild(ctx: click.Context, site: Path, audience: Audience, pdf: bool, today: dt.datetime | None) -> None:
    """Add what belongs beside a built site, whichever engine built it: the permalink manifest,
    redirects of former ids, checklist exports (and PDFs with --pdf)."""
    kb = for_audience(load(ctx), audience)
    context = RenderContext(today=day(today), audience=audience, flags=frozenset({"pdf"} if pdf else ()))
    try:
        after_build(kb, context, site, FEATURES)
    except WriterFailed as error:
        click.echo(f"postbuild failed: {error}", err=True)
        sys.exit(1)
    click.echo(f"added the permalink manifest, redirects and exports to {site}")


@cli.command()
@click.option("--address", default="127.0.0.1:8000", show_default=True, help="Where to serve (loopback only by default).")
@click.pass_context
@reports_problems
def serve(ctx: click.Context, address: str) -> None:
    """Live preview: edits to YAML, templates or pages rebuild and reload the browser."""
    load(ctx)  # report content problems plainly before MkDocs starts
    show_mkdocs_log(verbose=True)
    engine.serve(ctx.obj["root"], address)


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


for _feature in FEATURES:
    if _feature.commands is not None:
        _feature.commands(cli)


def main() -> None:
    """The `kb` command. A run that ends leaves through os._exit once the exit handlers have
    run and the output is flushed: freeing a large knowledge base object by object, which
    nothing needs, took seconds at 1,000 playbooks."""
    try:
        cli(prog_name="kb")
        code = 0
    except SystemExit as done:
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
