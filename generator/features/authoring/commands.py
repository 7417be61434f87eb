"""Authoring commands: `kb new`, `kb schema`, and the warnings `kb validate` prints."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from generator.core.errors import ContentError
from generator.features.authoring import scaffold
from generator.features.authoring import schema as schemas
from generator.support.commands import day, today_option


@click.command()
@click.argument("kind", metavar="KIND", type=click.Choice(list(scaffold.FOLDER_OF_KIND)))
@click.argument("entity_id", metavar="ID")
@today_option("The date written as `reviewed` and on the first change note")
@click.pass_context
def new(ctx: click.Context, kind: str, entity_id: str, today: dt.datetime | None) -> None:
    """Start a new KIND with id ID from a commented skeleton that validates as written.

    KIND is one of: persona, playbook, checklist, term, faq, case-study, statistic, takeaway.
    The file is content/<kind folder>/ID.yaml; replace each TODO placeholder in it.
    """
    root: Path = ctx.obj["root"]
    try:
        path = scaffold.new_entity(root, kind, entity_id, day(today))
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
        files = {name: model for feature in ctx.obj.get("features", ()) for name, model in feature.documents.items()}
        written = schemas.write_schemas(folder, files)
    except OSError as error:
        click.echo(f"error: {error.filename or folder}: {error.strerror}", err=True)
        sys.exit(1)
    click.echo(f"wrote {len(written)} schemas to {folder}")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@today_option("The date written as `reviewed`")
def init(folder: Path, today: dt.datetime | None) -> None:
    """Start a new knowledge base in FOLDER: site settings, one persona, playbook, checklist
    and term, ready to validate, build and edit."""
    try:
        written = scaffold.init_tree(folder, day(today))
    except scaffold.ScaffoldRefused as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)
    click.echo(f"wrote {len(written)} files to {folder}; next: kb --root {folder} build")


def register(cli: click.Group) -> None:
    cli.add_command(init)
    cli.add_command(new)
    cli.add_command(schema)
