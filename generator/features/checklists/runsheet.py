"""A persona's run sheet: its playbooks in order and, under each, the checklists to run, with
the permanent link of each, ready to paste into a ticket (opened with `?ticket=&client=&tech=`,
every link carries the ticket). Printable on one sheet. Staff only: a client build or pack has
its own plan on the home page."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.feature import Page, RenderContext
from generator.core.kinds import BY_NAME
from generator.core.link import KnowledgeBase

TEMPLATE = "run_sheet.md.j2"


def run_sheet_path(persona_id: str) -> str:
    """`personas/<id>/run-sheet.md`: beside the persona's own page (`personas/<id>/`)."""
    return f"{BY_NAME['persona'].url_folder}/{persona_id}/run-sheet.md"


def run_sheet_pages(kb: KnowledgeBase, ctx: RenderContext) -> Iterator[Page]:
    if not ctx.staff:
        return
    for persona in kb.personas.values():
        if persona.playbooks:
            playbooks = [kb.playbooks[pid] for pid in persona.playbooks]
            yield Page(run_sheet_path(persona.id), TEMPLATE, {"persona": persona, "playbooks": playbooks})
