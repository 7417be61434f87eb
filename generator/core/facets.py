"""What index pages filter by: for each entity and control, the personas whose guidance reaches
it, the frameworks it cites (or belongs to) and, for controls, their kind. Index pages write
these as `data-kb-facets="persona:ready framework:nist-csf-2.0 kind:subcategory"` on each row;
assets/kb.js filters the rows in the browser (no server) and keeps the filter in the URL.

A persona reaches itself, the playbooks it lists and their checklists, and the controls those
cite (as the coverage page counts); an FAQ the personas it names and those of its playbooks; a
case study those of its playbooks; a term the personas of every entity that mentions it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from generator.core.kinds import BY_MODEL
from generator.core.link import ControlNode, KnowledgeBase
from generator.core.urls import control_slug

Key = tuple[str, str]  # (kind, id); controls are ("control", "<framework>/<control id>")


@dataclass
class Facets:
    personas: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    frameworks: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))

    def tokens(self, kind: str, entity_id: str, extra: tuple[str, ...] = ()) -> str:
        """The row's facets as space-separated `facet:value` tokens (values are slugs)."""
        key = (kind, entity_id)
        out = [f"persona:{p}" for p in sorted(self.personas.get(key, ()))]
        out += [f"framework:{f}" for f in sorted(self.frameworks.get(key, ()))]
        return " ".join(out + list(extra))

    def control(self, node: ControlNode) -> str:
        return self.tokens("control", control_key(node), (f"kind:{control_slug(node.control.kind)}",))

    def present(self, kind: str, facet: str) -> set[str]:
        """The values a facet takes over the rows of one kind (to offer only those)."""
        source = self.personas if facet == "persona" else self.frameworks
        return {value for (k, _), values in source.items() if k == kind for value in values}


def control_key(node: ControlNode) -> str:
    return f"{node.framework.id}/{node.control.id}"


def facets(kb: KnowledgeBase) -> Facets:
    out = Facets()
    for persona in kb.personas.values():
        reached = [("persona", persona.id)]
        for pid in persona.playbooks:
            reached.append(("playbook", pid))
            reached += [("checklist", cid) for cid in kb.playbooks[pid].checklists]
        for key in reached:
            out.personas[key].add(persona.id)
    # Controls before FAQs and case studies get personas: as on the coverage page, a persona
    # reaches a control through itself, its playbooks and their checklists only.
    for (framework_id, control_id), cites in kb.citations.items():
        node = kb.controls[(framework_id, control_id)]
        for cite in cites:
            key = (cite.kind, cite.entity.id)
            out.frameworks[key].add(framework_id)
            out.personas[("control", control_key(node))] |= out.personas.get(key, set())
    for faq in kb.faqs.values():
        out.personas[("faq", faq.id)] |= set(faq.personas)
        for pid in faq.playbooks:
            out.personas[("faq", faq.id)] |= out.personas.get(("playbook", pid), set())
    for case in kb.case_studies.values():
        for pid in case.playbooks:
            out.personas[("case-study", case.id)] |= out.personas.get(("playbook", pid), set())
    for node in kb.controls.values():
        out.frameworks[("control", control_key(node))].add(node.framework.id)
    for term_id, users in kb.term_usage.items():
        for user in users:
            kind = BY_MODEL[type(user)].name
            out.personas[("term", term_id)] |= out.personas.get((kind, user.id), set())
            out.frameworks[("term", term_id)] |= out.frameworks.get((kind, user.id), set())
    return out
