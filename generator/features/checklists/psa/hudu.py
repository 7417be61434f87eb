"""Hudu: a checklist becomes a process template (a global procedure) with one task per item; a
persona becomes one procedure with a task per playbook and subtasks per step and checklist.

Field names, from Hudu's own PowerShell module (Hudu-Technologies-Inc/HuduAPI: New-HuduProcedure,
New-HuduProcedureTask) and, for `optional` and `parent_task_id`, a public n8n Hudu node:
- procedure, POST /api/v1/procedures: `name`, `description`, `company_id` (none: a global
  template); Hudu answers {"procedure": {...}};
- task, POST /api/v1/procedure_tasks, wrapped as {"procedure_task": {...}}: `name`,
  `procedure_id`, `description`, `position`, `optional`, `parent_task_id` (a subtask; subtasks
  have no subtasks). `priority`, `due_date` and assignees apply to runs only, not templates.
No field length limits could be confirmed, so none is enforced. Authentication: an `x-api-key`
header (public client scripts).
"""

from __future__ import annotations

from generator.core.errors import Problem
from generator.core.link import KnowledgeBase
from generator.core.model import Checklist
from generator.features.checklists.exports import TicketContext, link, permalink
from generator.features.checklists.persona import Plan
from generator.features.checklists.psa import Api, Credential, Request, internal_mark, ref

API = Api(
    name="hudu",
    title="Hudu",
    base_variable="HUDU_API_URL",
    base_example="https://yourcompany.huducloud.com",
    credentials=(Credential("x-api-key", ("HUDU_API_KEY",)),),
    id_fields=("id", "procedure", "procedure_task"),
)


def _task(fields: dict[str, object]) -> Request:
    return Request("POST", "/api/v1/procedure_tasks", {"procedure_task": fields})


def checklist_requests(kb: KnowledgeBase, checklist: Checklist,
                       context: TicketContext) -> tuple[list[Request], list[Problem]]:
    url = permalink(kb, checklist)
    requests = [Request("POST", "/api/v1/procedures", {
        "name": " ".join(checklist.title.split()),
        "description": f"Version {checklist.version}. {url}",
        "company_id": None,
    })]
    for position, item in enumerate(checklist.items, 1):
        lines = [f"Evidence: {' '.join(item.evidence.split())}"] if item.evidence else []
        lines.append(link(kb, checklist, item.id, context))
        requests.append(_task({
            "procedure_id": ref(1),
            "name": f"{' '.join(item.text.split())}{internal_mark(item.audience)} [{item.id}]",
            "description": "\n".join(lines),
            "position": position,
            "optional": not item.required,
        }))
    return requests, []


def persona_requests(template: Plan) -> tuple[list[Request], list[Problem]]:
    persona = template.persona
    requests = [Request("POST", "/api/v1/procedures", {
        "name": " ".join(f"AI readiness: {persona.name}".split()),
        "description": f"{' '.join(persona.summary.split())} {template.url}",
        "company_id": None,
    })]
    for phase in template.phases:
        lines = [" ".join(phase.playbook.objective.split()), phase.url]
        lines += [f"Checklist '{title}': {url}" for _, title, url in phase.checklists]
        requests.append(_task({
            "procedure_id": ref(1),
            "name": " ".join(phase.playbook.title.split()),
            "description": "\n".join(lines),
            "position": phase.position,
        }))
        parent = ref(len(requests))
        for task in phase.tasks:
            details = [f"Owner: {task.owner}"] if task.owner else []
            details += [f"Evidence: {' '.join(task.evidence.split())}"] if task.evidence else []
            details.append(task.url)
            internal = internal_mark(task.audience)
            requests.append(_task({
                "procedure_id": ref(1),
                "parent_task_id": parent,
                "name": f"{' '.join(task.title.split())}{internal} [{task.id}]",
                "description": "\n".join(details),
                "position": task.position,
            }))
    return requests, []
