"""What `kb list` and `kb validate` say about a knowledge base: one row per entity, with URL."""

from __future__ import annotations

from typing import Any

from generator.core import urls
from generator.core.link import KnowledgeBase

KINDS = ["persona", "playbook", "checklist", "term", "faq", "case-study", "statistic", "takeaway", "framework", "control"]


def rows(kb: KnowledgeBase, kind: str | None = None) -> list[dict[str, Any]]:
    """Stable JSON rows: kind, id, title, url (absolute), audience; controls add framework."""
    base = kb.site.base_url
    out: list[dict[str, Any]] = []
    for name in KINDS[:-2]:
        if kind in (None, name):
            for entity in kb.entities(name).values():
                out.append({
                    "kind": name,
                    "id": entity.id,
                    "title": entity.display_name,
                    "url": base + urls.url_of(urls.doc_path(name, entity.id)),
                    "audience": entity.audience,
                })
    if kind in (None, "framework"):
        for fw in kb.frameworks.values():
            out.append({"kind": "framework", "id": fw.id, "title": fw.name,
                        "url": base + urls.url_of(urls.doc_path("framework", fw.id)), "audience": "client"})
    if kind in (None, "control"):
        for node in kb.controls.values():
            out.append({"kind": "control", "framework": node.framework.id, "id": node.control.id,
                        "title": node.control.title,
                        "url": base + urls.url_of(urls.control_doc_path(*node.key)), "audience": "client"})
    return out


def summary(kb: KnowledgeBase) -> str:
    counts = [
        f"{len(kb.personas)} personas", f"{len(kb.playbooks)} playbooks", f"{len(kb.checklists)} checklists",
        f"{len(kb.terms)} terms", f"{len(kb.faqs)} FAQs", f"{len(kb.case_studies)} case studies",
        f"{len(kb.statistics)} statistics", f"{len(kb.frameworks)} frameworks", f"{len(kb.controls)} controls",
    ]
    return ", ".join(counts)
