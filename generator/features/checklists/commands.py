"""`kb link`, `kb export` and `kb push`: checklist URLs, ticket-button templates, ticket notes,
spreadsheets, PSA request bodies and persona project templates.

`--audience client` works as the client build does: the knowledge base is cut to what clients
may see before anything is written, and an internal checklist, item or persona is refused.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from generator.core.audience import for_audience
from generator.core.link import KnowledgeBase, closest_hint
from generator.core.model import Checklist, Persona
from generator.features.checklists import buttons, exports, persona, push
from generator.features.checklists.psa import registry
from generator.support.commands import audience_option, load, reports_problems

_context_options = [
    click.option("--ticket", help="PSA ticket number, e.g. T-12345 (numeric for a PSA's ticket id)."),
    click.option("--client", help="Client name, shown on the checklist."),
    click.option("--tech", help="Technician's name."),
]
_excel_option = click.option("--excel", is_flag=True,
                             help="With --format csv: CRLF line ends and a UTF-8 byte order mark, for Excel.")


F = TypeVar("F", bound=Callable[..., Any])


def with_context(command: F) -> F:
    for option in reversed(_context_options):
        command = option(command)
    return command


_Found = TypeVar("_Found", Checklist, Persona)


def _find(items: dict[str, _Found], wanted: str, kind: str, hint: str) -> _Found:
    """The entity with this id, or with it as a former id (its link still works)."""
    if wanted in items:
        return items[wanted]
    for entity in items.values():
        if wanted in entity.aliases:
            return entity
    raise click.BadParameter(f"unknown {kind} '{wanted}'{closest_hint(wanted, items)}", param_hint=hint)


def find_checklist(kb: KnowledgeBase, checklist_id: str) -> Checklist:
    """The checklist with this id, or with it as a former id (its link still works)."""
    return _find(kb.checklists, checklist_id, "checklist", "'CHECKLIST'")


def find_item(checklist: Checklist, item_id: str) -> str:
    for item in checklist.items:
        if item_id == item.id or item_id in item.aliases:
            return item.id
    ids = [item.id for item in checklist.items]
    raise click.BadParameter(f"unknown item '{item_id}' in checklist '{checklist.id}'{closest_hint(item_id, ids)}",
                             param_hint="'ITEM'")


def find_persona(kb: KnowledgeBase, persona_id: str) -> Persona:
    return _find(kb.personas, persona_id, "persona", "'PERSONA'")


def _refuse_internal(what: str, entity_id: str, hint: str) -> click.BadParameter:
    return click.BadParameter(f"{what} '{entity_id}' is internal; --audience client exports and links only "
                              "what clients may see", param_hint=hint)


def checklist_for(kb: KnowledgeBase, checklist_id: str, item_id: str | None,
                  audience: str) -> tuple[KnowledgeBase, Checklist, str | None]:
    """The knowledge base as the audience sees it, the checklist and the item; an internal one
    is refused for a client."""
    checklist = find_checklist(kb, checklist_id)
    item = find_item(checklist, item_id) if item_id else None
    if audience == "internal":
        return kb, checklist, item
    if checklist.audience == "internal":
        raise _refuse_internal("checklist", checklist.id, "'CHECKLIST'")
    if item is not None and next(i for i in checklist.items if i.id == item).audience == "internal":
        raise _refuse_internal(f"item '{item}' of checklist", checklist.id, "'ITEM'")
    client = for_audience(kb, audience)
    return client, client.checklists[checklist.id], item


def _emit(text: str) -> None:
    # Bytes, so the file is UTF-8 (and CRLF stays CRLF) whatever the terminal's encoding
    click.echo(text.encode("utf-8"), nl=False)


@click.command(name="link")
@click.argument("checklist_id", metavar="CHECKLIST")
@click.argument("item_id", metavar="[ITEM]", required=False)
@with_context
@click.option("--template", "psa", type=click.Choice(list(buttons.BUTTONS)), default=None,
              help="Print the URL template for a ticket button in this PSA, with its placeholders.")
@audience_option
@click.pass_context
@reports_problems
def link_command(ctx: click.Context, checklist_id: str, item_id: str | None, ticket: str | None,
                 client: str | None, tech: str | None, psa: str | None, audience: str) -> None:
    """Print the permanent URL of a checklist (or one ITEM), with the ticket context, or the URL
    template of a ticket button (--template PSA)."""
    kb, checklist, item = checklist_for(load(ctx), checklist_id, item_id, audience)
    context = exports.TicketContext(ticket, client, tech, audience)
    if psa is None:
        click.echo(exports.link(kb, checklist, item, context))
        return
    click.echo(buttons.template(kb, checklist, psa, item, context))
    button = buttons.BUTTONS[psa]
    click.echo(f"note: add it as {button.where}", err=True)
    for note in button.notes:
        click.echo(note if note.startswith("unconfirmed:") else f"note: {note}", err=True)


@click.group(name="export")
def export_group() -> None:
    """Export a checklist or a persona's playbooks for a PSA ticket, import or spreadsheet."""


@export_group.command(name="checklist")
@click.argument("checklist_id", metavar="CHECKLIST")
@click.option("--format", "fmt", type=click.Choice([*exports.FORMATS, *registry.PSAS]), default="md",
              show_default=True,
              help="md, txt or html for a ticket note; csv for a spreadsheet; json for scripts; "
                   "autotask, connectwise, halopsa or hudu for that PSA's API.")
@with_context
@_excel_option
@audience_option
@click.pass_context
@reports_problems
def export_checklist(ctx: click.Context, checklist_id: str, fmt: str, ticket: str | None, client: str | None,
                     tech: str | None, excel: bool, audience: str) -> None:
    """Print a checklist as a ticket note, a spreadsheet, JSON or a PSA's API request bodies."""
    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    kb, checklist, _ = checklist_for(load(ctx), checklist_id, None, audience)
    context = exports.TicketContext(ticket, client, tech, audience)
    if fmt in registry.PSAS:
        _emit(registry.checklist_export(kb, checklist, fmt, context).as_json())
    else:
        _emit(exports.export(kb, checklist, fmt, context, excel=excel))


@export_group.command(name="persona")
@click.argument("persona_id", metavar="PERSONA")
@click.option("--format", "fmt", type=click.Choice([*persona.FORMATS, *registry.PERSONA_PSAS]), default="json",
              show_default=True,
              help="json or csv: a generic project template; connectwise or hudu: that PSA's template API.")
@with_context
@_excel_option
@audience_option
@click.pass_context
@reports_problems
def export_persona(ctx: click.Context, persona_id: str, fmt: str, ticket: str | None, client: str | None,
                   tech: str | None, excel: bool, audience: str) -> None:
    """Print a persona's playbooks, in order, as a project template: a phase per playbook, a task
    per step, and a task per checklist linking it with ticket placeholders."""
    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    kb = load(ctx)
    chosen = find_persona(kb, persona_id)
    if audience == "client":
        if chosen.audience == "internal":
            raise _refuse_internal("persona", chosen.id, "'PERSONA'")
        kb = for_audience(kb, audience)
        chosen = kb.personas[chosen.id]
    template = persona.plan(kb, chosen, exports.TicketContext(ticket, client, tech, audience))
    if fmt == "json":
        _emit(persona.as_json(template))
    elif fmt == "csv":
        _emit(persona.as_csv(template, excel=excel))
    else:
        _emit(registry.persona_export(template, fmt).as_json())


@click.command(name="push")
@click.argument("psa", type=click.Choice(list(registry.PSAS)), metavar="PSA")
@click.argument("checklist_id", metavar="CHECKLIST")
@with_context
@audience_option
@click.option("--dry-run", is_flag=True, help="Print the HTTP requests (credentials by variable name) and send nothing.")
@click.pass_context
@reports_problems
def push_command(ctx: click.Context, psa: str, checklist_id: str, ticket: str | None, client: str | None,
                 tech: str | None, audience: str, dry_run: bool) -> None:
    """Create a checklist in a PSA through its REST API (autotask, connectwise, halopsa, hudu).
    URL and credentials come from environment variables only; see the README."""
    kb, checklist, _ = checklist_for(load(ctx), checklist_id, None, audience)
    export = registry.checklist_export(kb, checklist, psa, exports.TicketContext(ticket, client, tech, audience))
    if dry_run:
        _emit(push.dry_run(export, os.environ))
        return
    try:
        created = push.send(export, os.environ)
    except push.PushFailed as error:
        click.echo(f"push failed: {error}", err=True)
        sys.exit(1)
    click.echo(f"pushed {len(created)} record(s) to {export.api.title}")


def register(cli: click.Group) -> None:
    """Add this feature's commands to the `kb` command line."""
    cli.add_command(link_command)
    cli.add_command(export_group)
    cli.add_command(push_command)
