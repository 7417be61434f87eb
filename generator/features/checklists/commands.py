"""`kb link` and `kb export`: checklist URLs and ticket notes, ready to paste into a PSA ticket."""

from __future__ import annotations

import click

from generator.core.link import KnowledgeBase, closest_hint
from generator.core.model import Checklist
from generator.features.checklists import exports
from generator.support.commands import load, reports_problems

_context_options = [
    click.option("--ticket", help="PSA ticket number, e.g. T-12345."),
    click.option("--client", help="Client name, shown on the checklist."),
    click.option("--tech", help="Technician's name."),
]


def with_context(command: click.Command) -> click.Command:
    for option in reversed(_context_options):
        command = option(command)
    return command


def find_checklist(kb: KnowledgeBase, checklist_id: str) -> Checklist:
    """The checklist with this id, or with it as a former id (its link still works)."""
    if checklist_id in kb.checklists:
        return kb.checklists[checklist_id]
    for checklist in kb.checklists.values():
        if checklist_id in checklist.aliases:
            return checklist
    raise click.BadParameter(f"unknown checklist '{checklist_id}'{closest_hint(checklist_id, kb.checklists)}",
                             param_hint="'CHECKLIST'")


def find_item(checklist: Checklist, item_id: str) -> str:
    for item in checklist.items:
        if item_id == item.id or item_id in item.aliases:
            return item.id
    ids = [item.id for item in checklist.items]
    raise click.BadParameter(f"unknown item '{item_id}' in checklist '{checklist.id}'{closest_hint(item_id, ids)}",
                             param_hint="'ITEM'")


@click.command(name="link")
@click.argument("checklist_id", metavar="CHECKLIST")
@click.argument("item_id", metavar="[ITEM]", required=False)
@with_context
@click.pass_context
@reports_problems
def link_command(ctx: click.Context, checklist_id: str, item_id: str | None,
                 ticket: str | None, client: str | None, tech: str | None) -> None:
    """Print the permanent URL of a checklist (or one ITEM), with the ticket context."""
    kb = load(ctx)
    checklist = find_checklist(kb, checklist_id)
    item = find_item(checklist, item_id) if item_id else None
    click.echo(exports.link(kb, checklist, item, exports.TicketContext(ticket, client, tech)))


@click.group(name="export")
def export_group() -> None:
    """Export content for a PSA ticket or import."""


@export_group.command(name="checklist")
@click.argument("checklist_id", metavar="CHECKLIST")
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="md", show_default=True,
              help="md or txt to paste into a ticket note; csv or json for a PSA checklist/task import.")
@with_context
@click.pass_context
@reports_problems
def export_checklist(ctx: click.Context, checklist_id: str, fmt: str,
                     ticket: str | None, client: str | None, tech: str | None) -> None:
    """Print a checklist as md, txt, csv or json, with the ticket context."""
    kb = load(ctx)
    checklist = find_checklist(kb, checklist_id)
    click.echo(exports.export(kb, checklist, fmt, exports.TicketContext(ticket, client, tech)), nl=False)


def register(cli: click.Group) -> None:
    cli.add_command(link_command)
    cli.add_command(export_group)
