"""A persona's playbooks as a project (or ticket) template: one phase per playbook in the
persona's order, one task per step, and one task per checklist that links the checklist with
the ticket context left as placeholders (`{ticket}`, `{client}`, `{tech}`) for the ticket the
template becomes. Context given on the command line fills its placeholder instead.

`plan()` is the neutral shape; the generic JSON and CSV are written here, the PSA shapes by
generator.features.checklists.psa.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator.core import csvsafe, urls
from generator.core.link import KnowledgeBase
from generator.core.model import Persona, Playbook
from generator.features.checklists.exports import TicketContext, link_template

FORMATS = ("json", "csv")
CSV_COLUMNS = ("phase", "position", "kind", "task_id", "task", "owner", "evidence", "audience", "url",
               "playbook_id", "playbook_title", "persona_id")


@dataclass(frozen=True)
class Task:
    position: int
    kind: str  # "step" or "checklist"
    id: str
    title: str
    owner: str | None
    evidence: str | None
    url: str
    audience: str = "client"


@dataclass(frozen=True)
class Phase:
    position: int
    playbook: Playbook
    url: str
    checklists: list[tuple[str, str, str]]  # (id, title, link with placeholders)
    tasks: list[Task]


@dataclass(frozen=True)
class Plan:
    persona: Persona
    url: str
    context: TicketContext
    phases: list[Phase]


def page_url(kb: KnowledgeBase, kind: str, entity_id: str, anchor: str | None = None) -> str:
    return kb.site.base_url + urls.url_of(urls.doc_path(kind, entity_id)) + (f"#{anchor}" if anchor else "")


def checklist_task_title(title: str) -> str:
    return f"Complete the checklist '{title}' and attach it to the ticket"


def plan(kb: KnowledgeBase, persona: Persona, context: TicketContext = TicketContext()) -> Plan:
    phases = []
    playbooks = [kb.playbooks[pid] for pid in persona.playbooks if pid in kb.playbooks]
    for position, playbook in enumerate(playbooks, 1):
        checklists = [(c.id, c.title, link_template(kb, c, context))
                      for c in (kb.checklists[cid] for cid in playbook.checklists if cid in kb.checklists)]
        tasks = [Task(n, "step", step.id, step.title, step.owner, step.evidence,
                      page_url(kb, "playbook", playbook.id, step.id), step.audience)
                 for n, step in enumerate(playbook.steps, 1)]
        tasks += [Task(len(tasks) + n, "checklist", cid, checklist_task_title(title), None, None, url)
                  for n, (cid, title, url) in enumerate(checklists, 1)]
        phases.append(Phase(position, playbook, page_url(kb, "playbook", playbook.id), checklists, tasks))
    return Plan(persona, page_url(kb, "persona", persona.id), context, phases)


def as_data(template: Plan) -> dict[str, Any]:
    given = dict(template.context.fields())
    return {
        "persona": {"id": template.persona.id, "name": template.persona.name, "url": template.url,
                    "owner": template.persona.owner},
        "context": given,
        "placeholders": [f"{{{name}}}" for name in ("ticket", "client", "tech") if name not in given],
        "phases": [
            {
                "position": phase.position,
                "playbook": phase.playbook.id,
                "title": phase.playbook.title,
                "url": phase.url,
                "effort": phase.playbook.effort,
                "owner": phase.playbook.owner,
                "checklists": [{"id": cid, "title": title, "url": url} for cid, title, url in phase.checklists],
                "tasks": [
                    {"position": t.position, "kind": t.kind, "id": t.id, "title": t.title, "owner": t.owner,
                     "evidence": t.evidence, "audience": t.audience, "url": t.url}
                    for t in phase.tasks
                ],
            }
            for phase in template.phases
        ],
    }


def as_json(template: Plan) -> str:
    return json.dumps(as_data(template), indent=2, ensure_ascii=False) + "\n"


def as_csv(template: Plan, excel: bool = False) -> str:
    """One row per task, phases and tasks numbered in order, for a spreadsheet."""
    rows = [
        [phase.position, task.position, task.kind, task.id, task.title, task.owner or "", task.evidence or "",
         task.audience, task.url, phase.playbook.id, phase.playbook.title, template.persona.id]
        for phase in template.phases
        for task in phase.tasks
    ]
    return csvsafe.write(CSV_COLUMNS, rows, excel=excel)
