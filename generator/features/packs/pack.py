"""Per-client packs: a small client-safe knowledge base for one client and one persona.

`pack(kb, client, persona_id)` starts from the client audience (generator/audience.py) and
keeps only the persona, its playbooks (in order), their checklists, the FAQs about any of
them, the glossary terms they mention, and the controls they cite (with their ancestors, so
the control pages still sit in their framework). Every reference is trimmed to what is kept,
and the result is linked afresh, so reverse indexes know nothing else.
"""

from __future__ import annotations

from typing import Any

from generator.core.audience import for_audience, relink
from generator.core.kinds import NAMES
from generator.core.link import KnowledgeBase, closest_hint
from generator.core.model import Control, ControlRef, Entity, Framework
from generator.core.render import entity_kind


class UnknownPersona(ValueError):
    """The persona is not in the client build (unknown, or internal)."""


def _cited(entities: list[Entity]) -> set[tuple[str, str]]:
    refs: list[ControlRef] = []
    for entity in entities:
        refs += getattr(entity, "controls", [])
        for part in [*getattr(entity, "steps", []), *getattr(entity, "items", [])]:
            refs += part.controls
    return {(ref.framework, ref.id) for ref in refs}


def _prune(framework: Framework, keep: set[str]) -> Framework | None:
    """The framework with only the controls in keep (and the tree above them)."""

    def walk(controls: list[Control]) -> list[Control]:
        out = []
        for control in controls:
            children = walk(control.children)
            if control.id in keep or children:
                out.append(control.model_copy(update={"children": children}))
        return out

    controls = walk(framework.controls)
    return framework.model_copy(update={"controls": controls, "withdrawn": []}) if controls else None


def pack(kb: KnowledgeBase, client: str, persona_id: str) -> KnowledgeBase:
    public = for_audience(kb, "client")
    if persona_id not in public.personas:
        if persona_id in kb.personas:
            raise UnknownPersona(f"persona '{persona_id}' is internal; a pack holds only client content")
        raise UnknownPersona(f"unknown persona '{persona_id}'{closest_hint(persona_id, public.personas)}")
    persona = public.personas[persona_id].model_copy(update={"next": None})
    playbooks = [public.playbooks[pid] for pid in persona.playbooks]
    checklist_ids = list(dict.fromkeys(cid for p in playbooks for cid in p.checklists))
    checklists = [public.checklists[cid] for cid in checklist_ids]
    playbook_ids = set(persona.playbooks)
    faqs = [
        faq.model_copy(update={
            "personas": [pid for pid in faq.personas if pid == persona_id],
            "playbooks": [pid for pid in faq.playbooks if pid in playbook_ids],
        })
        for faq in public.faqs.values()
        if persona_id in faq.personas or playbook_ids & set(faq.playbooks)
    ]
    guidance: list[Entity] = [persona, *playbooks, *checklists, *faqs]
    shown = {(entity_kind(e), e.id) for e in guidance}
    term_ids = {tid for tid, users in public.term_usage.items() if any((entity_kind(u), u.id) in shown for u in users)}
    terms = [
        public.terms[tid].model_copy(update={"related": [r for r in public.terms[tid].related if r in term_ids]})
        for tid in public.terms if tid in term_ids
    ]
    cited = _cited(guidance)
    keep = cited | {n.key for key in cited for n in public.controls[key].ancestors()}
    frameworks = [
        pruned for fw in public.frameworks.values()
        if (pruned := _prune(fw, {cid for f, cid in keep if f == fw.id})) is not None
    ]
    by_kind: dict[str, list[Any]] = {kind: [] for kind in NAMES}
    by_kind |= {"persona": [persona], "playbook": playbooks, "checklist": checklists, "term": terms, "faq": faqs}
    site = public.site.model_copy(update={"title": public.site.wording.for_audience("client").pack_title.replace("{client}", client)})
    packed = relink(public, by_kind, site=site, frameworks=frameworks, crosswalks=[], documents={})
    return packed


def print_order(kb: KnowledgeBase) -> list[str]:
    """The built HTML files of a pack in reading order, for its PDF: home, persona, playbooks
    (in order), checklists, FAQ, glossary. Index and control pages only list what these show."""
    from generator.core import urls

    paths = ["index.md"]
    paths += [urls.doc_path("persona", pid) for pid in kb.personas]
    paths += [urls.doc_path("playbook", pid) for pid in kb.playbooks]
    paths += [urls.doc_path("checklist", cid) for cid in kb.checklists]
    paths += ["faq/index.md"] if kb.faqs else []
    paths += ["terms/index.md"] if kb.terms else []
    return [urls.url_of(path) + "index.html" for path in paths]
