"""What `kb list` and `kb validate` say about a knowledge base: one row per entity, with URL."""

from __future__ import annotations

from typing import Any

from generator.core import urls
from generator.core.kinds import NAMES, count
from generator.core.link import KnowledgeBase

KINDS = [*NAMES, "framework", "control"]


def rows(kb: KnowledgeBase, kind: str | None = None) -> list[dict[str, Any]]:
    """Stable JSON rows: kind, id, title, url (absolute), audience; controls add framework."""
    base = kb.site.base_url
    out: list[dict[str, Any]] = []
    for name in NAMES:
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
    counts = [count(len(kb.entities(kind)), kind) for kind in NAMES]
    frameworks = len(kb.frameworks)
    counts += [f"{frameworks} framework{'' if frameworks == 1 else 's'}",
               f"{len(kb.controls)} control{'' if len(kb.controls) == 1 else 's'}"]
    return ", ".join(counts)
