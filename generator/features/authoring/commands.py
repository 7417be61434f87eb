"""Authoring commands: `kb new`, `kb schema`, and the warnings `kb validate` prints."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from generator.core.errors import ContentError
from generator.core.link import KnowledgeBase
from generator.features.authoring import review, scaffold
from generator.features.authoring import schema as schemas


def _today_option(purpose: str) -> Any:
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        envvar=review.TODAY_VARIABLE,
        default=None,
        help=f"{purpose}, YYYY-MM-DD (default: ${review.TODAY_VARIABLE} or the system date).",
    )


today_option = _today_option("Judge review dates as of this day")


def _day(today: dt.datetime | None) -> dt.date:
    return today.date() if today is not None else review.today()


def report_warnings(kb: KnowledgeBase, today: dt.datetime | None, strict: bool) -> None:
    """Print content due for review and placeholders left as `path:line: warning: ...`;
    with strict, raise them as content errors instead."""
    found = sorted(review.warnings(kb, _day(today)) + scaffold.placeholder_warnings(kb))
    if strict and found:
        raise ContentError(found)
    for problem in found:
        click.echo(f"{problem.path}:{problem.line}: warning: {problem.message}", err=True)
    if found:
        click.echo(f"{len(found)} warning(s); `kb validate --strict` treats them as errors.", err=True)


@click.command()
@click.argument("kind", metavar="KIND", type=click.Choice(list(scaffold.FOLDER_OF_KIND)))
@click.argument("entity_id", metavar="ID")
@_today_option("The date written as `reviewed` and on the first change note")
@click.pass_context
def new(ctx: click.Context, kind: str, entity_id: str, today: dt.datetime | None) -> None:
    """Start a new KIND with id ID from a commented skeleton that validates as written.

    KIND is one of: persona, playbook, checklist, term, faq, case-study, statistic, takeaway.
    The file is content/<kind folder>/ID.yaml; replace each TODO placeholder in it.
    """
    root: Path = ctx.obj["root"]
    try:
        path = scaffold.new_entity(root, kind, entity_id, _day(today))
    except scaffold.InvalidId as invalid:
        raise click.BadParameter(str(invalid), param_hint="ID") from None
    except scaffold.ScaffoldRefused as refused:
        click.echo(f"error: {refused}", err=True)
        sys.exit(1)
    except ContentError as error:  # an unreadable KB_TODAY
        for problem in error.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    rel = path.relative_to(root).as_posix()
    click.echo(f"created {rel}")
    click.echo("Next: replace each TODO (`kb validate` lists those left) and preview with `kb serve`.")
    if not (root / schemas.SCHEMA_FOLDER / f"{kind}.json").is_file():
        click.echo("For autocompletion in your editor, run `kb schema` to write schemas/.")


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write to (default: schemas/ in the knowledge base folder).")
@click.pass_context
def schema(ctx: click.Context, out: Path | None) -> None:
    """Write a JSON Schema per content kind, for editors with the YAML language server."""
    folder = out or ctx.obj["root"] / schemas.SCHEMA_FOLDER
    try:
        written = schemas.write_schemas(folder)
    except OSError as error:
        click.echo(f"error: {error.filename or folder}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"wrote {len(written)} schemas to {folder}")
