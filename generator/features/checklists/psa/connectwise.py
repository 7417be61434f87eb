"""ConnectWise PSA (Manage): a checklist becomes the tasks of a service ticket; a persona becomes
a project template (one template ticket per playbook, template tasks per step and checklist).

Field names, from ConnectWise's OpenAPI models as published in public generated clients
(TicketTask, ProjectTemplate, ProjectTemplateTicket, ProjectTemplateTask):
- ticket task, POST /service/tickets/{id}/tasks: `notes`, `priority` (the order tasks are
  listed in), `closedFlag`, `resolution`;
- project template, POST /project/projectTemplates: `name` (required, max length 200), `description`;
- template ticket, POST /project/projectTemplates/{id}/projectTemplateTickets: `description`
  (required, max length 100), `notes`, `lineNumber`;
- template task, POST /project/projectTemplates/{id}/projectTemplateTickets/{id}/tasks:
  `description`, `sequence`.
No length limit of a task's `notes` or `description` could be confirmed, so none is enforced.
Authentication: HTTP Basic `company+publicKey:privateKey` and a `clientId` header.
"""

from __future__ import annotations

import base64

from generator.core.errors import Problem
from generator.core.link import KnowledgeBase
from generator.core.model import Checklist
from generator.features.checklists.exports import TicketContext, link
from generator.features.checklists.persona import Plan
from generator.features.checklists.psa import (
    TICKET_PLACEHOLDER,
    Api,
    Credential,
    Request,
    internal_mark,
    ref,
    shorten,
)

TEMPLATE_NAME_LIMIT = 200
TEMPLATE_TICKET_LIMIT = 100


def _basic(values: list[str]) -> str:
    company, public, private = values
    return "Basic " + base64.b64encode(f"{company}+{public}:{private}".encode()).decode("ascii")


API = Api(
    name="connectwise",
    title="ConnectWise PSA",
    base_variable="CONNECTWISE_API_URL",
    base_example="https://api-na.myconnectwise.net/v4_6_release/apis/3.0",
    credentials=(
        Credential("Authorization", ("CONNECTWISE_COMPANY", "CONNECTWISE_PUBLIC_KEY", "CONNECTWISE_PRIVATE_KEY"),
                   _basic, "Basic <base64 of $CONNECTWISE_COMPANY+$CONNECTWISE_PUBLIC_KEY:$CONNECTWISE_PRIVATE_KEY>"),
        Credential("clientId", ("CONNECTWISE_CLIENT_ID",)),
    ),
)


def ticket_id(context: TicketContext) -> int | str:
    """The numeric ticket the tasks go on, or a placeholder."""
    ticket = (context.ticket or "").strip()
    return int(ticket) if ticket.isdigit() else TICKET_PLACEHOLDER


def task_notes(kb: KnowledgeBase, checklist: Checklist, position: int, context: TicketContext) -> str:
    item = checklist.items[position - 1]
    optional = " (optional)" if not item.required else ""
    lines = [f"{' '.join(item.text.split())}{optional}{internal_mark(item.audience)} [{item.id}]"]
    if item.evidence:
        lines.append(f"Evidence: {' '.join(item.evidence.split())}")
    lines.append(link(kb, checklist, item.id, context))
    return "\n".join(lines)


def checklist_requests(kb: KnowledgeBase, checklist: Checklist,
                       context: TicketContext) -> tuple[list[Request], list[Problem]]:
    path = f"/service/tickets/{ticket_id(context)}/tasks"
    return [
        Request("POST", path, {
            "notes": task_notes(kb, checklist, position, context),
            "priority": position,
            "closedFlag": False,
        })
        for position in range(1, len(checklist.items) + 1)
    ], []


def persona_requests(template: Plan) -> tuple[list[Request], list[Problem]]:
    persona = template.persona
    full_name = " ".join(f"AI readiness: {persona.name}".split())
    name = shorten(full_name, TEMPLATE_NAME_LIMIT)
    description = (f"{full_name}. " if name != full_name else "") + f"{' '.join(persona.summary.split())} {template.url}"
    requests = [Request("POST", "/project/projectTemplates", {"name": name, "description": description})]
    for phase in template.phases:
        title = " ".join(phase.playbook.title.split())
        short = shorten(title, TEMPLATE_TICKET_LIMIT)
        notes = ([title] if short != title else []) + [" ".join(phase.playbook.objective.split()), phase.url]
        notes += [f"Checklist '{name_}': {url}" for _, name_, url in phase.checklists]
        requests.append(Request("POST", f"/project/projectTemplates/{ref(1)}/projectTemplateTickets", {
            "description": short,
            "notes": "\n".join(notes),
            "lineNumber": phase.position,
        }))
        ticket_ref = ref(len(requests))
        for task in phase.tasks:
            owner = f" (owner: {task.owner})" if task.owner else ""
            internal = internal_mark(task.audience)
            requests.append(Request(
                "POST", f"/project/projectTemplates/{ref(1)}/projectTemplateTickets/{ticket_ref}/tasks",
                {"description": f"{' '.join(task.title.split())}{internal}{owner} [{task.id}] {task.url}",
                 "sequence": task.position},
            ))
    return requests, []
