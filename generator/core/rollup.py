"""What sits under a control: every entity citing it or a control below it, and the outcomes
below it that nothing cites. Control pages show it; the coverage feature counts with it."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core.kinds import KINDS
from generator.core.link import Citation, ControlNode, KnowledgeBase


@dataclass(frozen=True, order=True)
class Place:
    """One guidance item: an entity, and the step or item of it when there is one."""

    kind: str
    entity: str
    part: str | None = None


def place_of(cite: Citation) -> Place:
    return Place(cite.kind, cite.entity.id, cite.part.id if cite.part is not None else None)


def is_outcome(node: ControlNode) -> bool:
    return node.depth > 0 and not node.control.children


@dataclass
class RollupEntry:
    """One entity citing a control or anything below it, with the controls it cites there."""

    kind: str
    entity_id: str
    title: str
    controls: list[ControlNode]
    places: int


@dataclass
class Rollup:
    """What addresses a part of a framework: the citing entities, and its outcomes with none."""

    entries: list[RollupEntry]
    outcomes: int
    gaps: list[ControlNode]


_KIND_ORDER = [kind.name for kind in KINDS]


def rollup(kb: KnowledgeBase, node: ControlNode) -> Rollup:
    """Every entity citing node or a descendant (in kind order, then by title), and the gaps below."""
    found: dict[tuple[str, str], tuple[Citation, dict[tuple[str, str], ControlNode], set[Place]]] = {}
    outcomes, gaps = 0, []

    def visit(current: ControlNode) -> None:
        nonlocal outcomes
        cites = kb.citations.get(current.key, [])
        for cite in cites:
            entry = found.setdefault((cite.kind, cite.entity.id), (cite, {}, set()))
            entry[1][current.key] = current
            entry[2].add(place_of(cite))
        if is_outcome(current):
            outcomes += 1
            if not cites:
                gaps.append(current)
        for child in kb.children(current):
            visit(child)

    visit(node)
    entries = [
        RollupEntry(kind, eid, cite.entity.display_name, list(controls.values()), len(places))
        for (kind, eid), (cite, controls, places) in found.items()
    ]
    entries.sort(key=lambda r: (_KIND_ORDER.index(r.kind), r.title.lower()))
    return Rollup(entries, outcomes, gaps)


