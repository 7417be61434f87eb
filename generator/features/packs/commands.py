"""`kb pack`: a per-client pack (see pack.py beside this file)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from generator.core import urls
from generator.core.errors import BuildFailed
from generator.core.feature import RenderContext
from generator.support.commands import day, load, reports_problems, show_mkdocs_log, today_option


def _slug(text: str) -> str:
    return urls.slugify(text) or "client"


def _client_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise click.BadParameter("the client's name is empty")
    if re.search(r'[<>"{}]', name):
        raise click.BadParameter(f"{name!r}: a client's name cannot contain < > \" {{ or }}")
    return name


@click.command()
@click.option("--client", required=True, callback=_client_name, help='The client\'s name, e.g. "Acme Ltd".')
@click.option("--persona", required=True, help="The persona id whose guidance goes in the pack.")
@click.option("--pdf", "with_pdf", is_flag=True, help="Also print the whole pack to one PDF (headless Chromium).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: packs/<client>-<persona>/ in the knowledge base folder).")
@click.option("--verbose", is_flag=True, help="Show MkDocs' own progress messages.")
@today_option()
@click.pass_context
@reports_problems
def pack(ctx: click.Context, client: str, persona: str, with_pdf: bool, out: Path | None, verbose: bool,
         today: dt.datetime | None) -> None:
    """Build a branded, client-safe site (and PDF) of one persona's guidance for one client."""
    from generator.features.packs.pack import UnknownPersona, print_order
    from generator.features.packs.pack import pack as make_pack
    from generator.support import pdf

    kb = load(ctx)
    try:
        packed = make_pack(kb, client, persona)
    except UnknownPersona as error:
        raise click.BadParameter(str(error), param_hint="'--persona'") from None
    target = (out or ctx.obj["root"] / "packs" / f"{_slug(client)}-{persona}").resolve()
    if with_pdf and (reason := pdf.unavailable()):
        click.echo(f"error: {reason}", err=True)
        sys.exit(1)
    show_mkdocs_log(verbose)
    try:
        ctx.obj["build"](packed, RenderContext(today=day(today), audience="client", client=client), target)
    except BuildFailed as error:
        click.echo(f"build failed: {error} (the previous {target} is unchanged)", err=True)
        sys.exit(1)
    click.echo(f"built {target}")
    if with_pdf:
        document = target / f"{_slug(client)}-{persona}.pdf"
        pages = [target / path for path in print_order(packed)]
        pdf.print_pdf(pages, document, footer=f"{packed.site.title} · prepared by {packed.site.organisation}")
        click.echo(f"printed {document}")
