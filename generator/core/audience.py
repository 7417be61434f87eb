"""Audiences: who a build is for. `for_audience(kb, "client")` is a pure function that drops
every internal entity and every internal block BEFORE rendering, then links the rest again, so
the reverse indexes (control "cited by", playbook personas, term usage) are rebuilt from client
data only and no later stage (pages, search index, sitemap, JSON) can see anything internal.

What is internal (documented in the README):
- an entity with `audience: internal` (every kind defaults to `client`);
- `internal_notes` of any entity and of any playbook step (always internal);
- a playbook step or checklist item with `audience: internal`;
- a persona's `service_motion` and `talking_points` (the sales motion);
- an entity's `owner` (a staff name or role).
Frameworks and controls are public.
"""

from __future__ import annotations

from typing import Any

from generator.core.entities import Entities
from generator.core.kinds import NAMES
from generator.core.link import KnowledgeBase, _Linker
from generator.core.model import Checklist, Entity, Persona, Playbook

AUDIENCES = ("internal", "client")

#: Persona fields that only staff see, whatever the persona's own audience.
INTERNAL_PERSONA_FIELDS: dict[str, Any] = {"service_motion": None, "talking_points": []}


def _client_copy(entity: Entity) -> Entity:
    """A copy of a client entity without its internal blocks."""
    update: dict[str, Any] = {"internal_notes": [], "owner": None}
    if isinstance(entity, Persona):
        update |= INTERNAL_PERSONA_FIELDS
    elif isinstance(entity, Playbook):
        update["steps"] = [
            step.model_copy(update={"internal_notes": []}) for step in entity.steps if step.audience == "client"
        ]
    elif isinstance(entity, Checklist):
        update["items"] = [item for item in entity.items if item.audience == "client"]
    return entity.model_copy(update=update)


def relink(kb: KnowledgeBase, by_kind: dict[str, list[Entity]], **parts: Any) -> KnowledgeBase:
    """A new KnowledgeBase from chosen entities, linked afresh so every reverse index
    describes only what was kept. `parts` overrides frameworks, crosswalks or extra."""
    entities = Entities(
        site=parts.get("site", kb.site),
        by_kind=by_kind,
        frameworks=list(parts.get("frameworks", kb.frameworks.values())),
        crosswalks=list(parts.get("crosswalks", kb.crosswalks)),
        documents=dict(parts.get("documents", kb.documents)),
    )
    return _Linker(entities, kb.root, kb.checks).link()


def for_audience(kb: KnowledgeBase, audience: str) -> KnowledgeBase:
    """The knowledge base as the audience may see it (the same object for "internal")."""
    if audience == "internal":
        return kb
    if audience != "client":
        raise ValueError(f"unknown audience {audience!r} (expected one of: {', '.join(AUDIENCES)})")
    by_kind = {
        kind: [_client_copy(e) for e in kb.entities(kind).values() if e.audience == "client"]
        for kind in NAMES
    }
    return relink(kb, by_kind)

