"""The PSAs, by the name the command line uses, and the exports built from their modules."""

from __future__ import annotations

from types import ModuleType

from generator.core.errors import ContentError
from generator.core.link import KnowledgeBase
from generator.core.model import Checklist
from generator.features.checklists.exports import TicketContext, permalink
from generator.features.checklists.persona import Plan
from generator.features.checklists.psa import Export, autotask, connectwise, halopsa, hudu

PSAS: dict[str, ModuleType] = {m.API.name: m for m in (autotask, connectwise, halopsa, hudu)}
#: The PSAs with a project or process template that the persona template fits.
PERSONA_PSAS = tuple(name for name, module in PSAS.items() if hasattr(module, "persona_requests"))


def checklist_export(kb: KnowledgeBase, checklist: Checklist, psa: str, context: TicketContext) -> Export:
    """The requests that create the checklist in `psa`; ContentError naming every item over a
    limit that cannot be shortened."""
    module = PSAS[psa]
    requests, problems = module.checklist_requests(kb, checklist, context)
    if problems:
        raise ContentError(problems)
    trace = {
        "checklist": checklist.id,
        "version": checklist.version,
        "url": permalink(kb, checklist),
        "context": dict(context.fields()),
        "items": [{"position": n, "id": item.id, "url": permalink(kb, checklist, item.id)}
                  for n, item in enumerate(checklist.items, 1)],
    }
    return Export(module.API, requests, trace)


def persona_export(template: Plan, psa: str) -> Export:
    module = PSAS[psa]
    requests, problems = module.persona_requests(template)
    if problems:
        raise ContentError(problems)
    trace = {
        "persona": template.persona.id,
        "url": template.url,
        "context": dict(template.context.fields()),
        "playbooks": [{"position": phase.position, "id": phase.playbook.id, "url": phase.url,
                       "checklists": [{"id": cid, "url": url} for cid, _, url in phase.checklists]}
                      for phase in template.phases],
    }
    return Export(module.API, requests, trace)
