"""Stage 3, link: typed entities -> one KnowledgeBase with every reference resolved.

Every problem is collected (unknown or withdrawn ids with the closest valid one, duplicates,
cycles) before failing, so an author sees the whole list at once.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.core import frontmatter, idcheck
from generator.core.branding import branding_problems
from generator.core.entities import Entities, build_entities
from generator.core.errors import ContentError, Problem
from generator.core.feature import Check, Feature
from generator.core.kinds import BY_NAME, KINDS
from generator.core.load import load_tree
from generator.core.memory import no_cyclic_gc
from generator.core.model import (
    CaseStudy,
    Checklist,
    ChecklistItem,
    Control,
    ControlRef,
    Crosswalk,
    Entity,
    Faq,
    Framework,
    Mapping,
    NextPersona,
    Node,
    Persona,
    Playbook,
    Site,
    Statistic,
    Step,
    Takeaway,
    Term,
    Withdrawn,
)


@dataclass
class ControlNode:
    """A control in its framework's hierarchy."""

    framework: Framework
    control: Control
    parent: ControlNode | None
    depth: int

    @property
    def key(self) -> tuple[str, str]:
        return self.framework.id, self.control.id

    def ancestors(self) -> list[ControlNode]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


@dataclass
class Citation:
    """One place that cites a control: the entity, the part of it (step, item), and why."""

    kind: str
    entity: Entity
    part: Step | ChecklistItem | None
    ref: ControlRef


@dataclass
class CrosswalkLink:
    """A mapping seen from one of its ends."""

    other: ControlNode
    relationship: str
    rationale: str | None
    crosswalk: Crosswalk


@dataclass(repr=False, frozen=True)
class KnowledgeBase:
    """Everything the renderer needs, resolved, with reverse indexes. Frozen: nothing after
    linking reassigns its parts (a client build or pack is a new, relinked one)."""

    root: Path
    site: Site
    #: kind name -> id -> entity, for every kind of kinds.KINDS (in progression order for personas)
    by_kind: dict[str, dict[str, Any]]
    frameworks: dict[str, Framework]
    crosswalks: list[Crosswalk]
    controls: dict[tuple[str, str], ControlNode]
    #: Top-level content files that features read (content/assessment.yaml -> "assessment").
    documents: dict[str, BaseModel] = field(default_factory=dict)
    #: The features' checks it was linked with; a relinked subset (client build, pack) runs them too.
    checks: tuple[Check, ...] = ()
    citations: dict[tuple[str, str], list[Citation]] = field(default_factory=lambda: defaultdict(list))
    personas_of_playbook: dict[str, list[Persona]] = field(default_factory=lambda: defaultdict(list))
    playbooks_of_checklist: dict[str, list[Playbook]] = field(default_factory=lambda: defaultdict(list))
    term_usage: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    mapped: dict[tuple[str, str], list[CrosswalkLink]] = field(default_factory=lambda: defaultdict(list))

    def __repr__(self) -> str:
        # Short on purpose: mkdocs-macros serialises the whole MkDocs config (which carries the
        # knowledge base) with str() on every build; the dataclass repr of 1,000 playbooks was
        # most of `kb build`'s time.
        return f"<KnowledgeBase {self.root}: {len(self.playbooks)} playbooks, {len(self.controls)} controls>"

    def entities(self, kind: str) -> dict[str, Any]:
        return self.by_kind[kind]

    # The kinds the core itself links together, by name, for code and templates.
    @property
    def personas(self) -> dict[str, Persona]:
        return self.by_kind["persona"]

    @property
    def playbooks(self) -> dict[str, Playbook]:
        return self.by_kind["playbook"]

    @property
    def checklists(self) -> dict[str, Checklist]:
        return self.by_kind["checklist"]

    @property
    def terms(self) -> dict[str, Term]:
        return self.by_kind["term"]

    @property
    def faqs(self) -> dict[str, Faq]:
        return self.by_kind["faq"]

    @property
    def case_studies(self) -> dict[str, CaseStudy]:
        return self.by_kind["case-study"]

    @property
    def statistics(self) -> dict[str, Statistic]:
        return self.by_kind["statistic"]

    @property
    def takeaways(self) -> dict[str, Takeaway]:
        return self.by_kind["takeaway"]

    def children(self, node: ControlNode) -> list[ControlNode]:
        return [self.controls[(node.framework.id, c.id)] for c in node.control.children]


#: Every id reference between content entities: (kind, field, kind it names). One table serves
#: the unknown-id check here and the client-to-internal check in audience.py.
REFERENCES: list[tuple[str, str, str]] = [
    ("persona", "playbooks", "playbook"),
    ("persona", "next", "persona"),
    ("playbook", "checklists", "checklist"),
    ("term", "related", "term"),
    ("faq", "personas", "persona"),
    ("faq", "playbooks", "playbook"),
    ("case-study", "playbooks", "playbook"),
]


def references(kind: str, entity: Entity) -> Iterator[tuple[Node, str, str, str]]:
    """(node, field, target kind, target id) of each id entity names; node and field locate it."""
    for source, name, target in REFERENCES:
        if source != kind:
            continue
        value = getattr(entity, name)
        if isinstance(value, NextPersona):
            yield entity, name, target, value.persona
        elif isinstance(value, list):
            yield from ((entity, name, target, item) for item in value)


def audience_problems(kb: KnowledgeBase) -> list[Problem]:
    """Client content that points at an internal entity would leak it (or break a link)."""
    problems: list[Problem] = []
    for kind in dict.fromkeys(kind for kind, _, _ in REFERENCES):
        for entity in kb.entities(kind).values():
            if entity.audience != "client":
                continue
            for node, name, target_kind, target_id in references(kind, entity):
                target = kb.entities(target_kind).get(target_id)
                if target is not None and target.audience == "internal":
                    path, line = node.where_field(name)
                    problems.append(Problem(
                        path, line,
                        f"client {kind} '{entity.id}' references internal {target_kind} "
                        f"'{target_id}' (make {target_kind} '{target_id}' audience: client, or drop the reference)",
                    ))
    return problems


def closest_hint(value: str, choices: list[str] | Any) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f"; closest valid id: '{match[0]}'" if match else ""


class _Linker:
    def __init__(self, entities: Entities, root: Path, checks: Sequence[Check] = ()) -> None:
        self.e = entities
        self.root = root
        self.checks = checks
        self.problems: list[Problem] = []

    def problem(self, node: Node, message: str, field: str | None = None) -> None:
        path, line = node.where_field(field) if field else node.where
        self.problems.append(Problem(path, line, message))

    def index(self, kind: str, items: list[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        claimed: dict[str, Any] = {}
        for item in items:
            if item.id in out:
                first = out[item.id]
                self.problem(item, f"duplicate {kind} id '{item.id}' (first defined at {first.where[0]}:{first.where[1]})")
                continue
            out[item.id] = item
        for item in out.values():
            for alias in getattr(item, "aliases", []):
                owner = out.get(alias) or claimed.get(alias)
                if owner is not None:
                    self.problem(item, f"alias '{alias}' of {kind} '{item.id}' is already used by {kind} '{owner.id}'")
                claimed[alias] = item
        return out

    def require(self, node: Node, what: str, value: str, known: dict[str, Any], field: str | None = None) -> None:
        if value not in known:
            self.problem(node, f"unknown {what} '{value}'{closest_hint(value, known)}", field)

    def controls(self, frameworks: dict[str, Framework]) -> tuple[dict[tuple[str, str], ControlNode], dict[tuple[str, str], Withdrawn]]:
        nodes: dict[tuple[str, str], ControlNode] = {}
        withdrawn: dict[tuple[str, str], Withdrawn] = {}

        def walk(fw: Framework, control: Control, parent: ControlNode | None, depth: int) -> None:
            key = (fw.id, control.id)
            if key in nodes:
                self.problem(control, f"duplicate control id '{control.id}' in framework '{fw.id}'")
                return
            node = nodes[key] = ControlNode(fw, control, parent, depth)
            for child in control.children:
                walk(fw, child, node, depth + 1)

        for fw in frameworks.values():
            for control in fw.controls:
                walk(fw, control, None, 0)
            for old in fw.withdrawn:
                for form in [old.id, *old.also]:
                    withdrawn[(fw.id, form)] = old
        return nodes, withdrawn

    def link(self) -> KnowledgeBase:
        e = self.e
        assert e.site is not None
        kinds = {kind: self.index(kind, items) for kind, items in e.by_kind.items()}
        frameworks = self.index("framework", e.frameworks)
        controls, withdrawn = self.controls(frameworks)
        if self.check_progression(kinds["persona"]):
            kinds["persona"] = in_progression_order(kinds["persona"])
        kinds["playbook"] = in_persona_order(kinds["playbook"], kinds["persona"])
        kb = KnowledgeBase(
            root=self.root,
            site=e.site,
            by_kind=kinds,
            frameworks=frameworks,
            crosswalks=e.crosswalks,
            controls=controls,
            documents=dict(e.documents),
            checks=tuple(self.checks),
        )

        def cite(kind: str, entity: Entity, part: Step | ChecklistItem | None, refs: list[ControlRef]) -> None:
            for ref in refs:
                key = (ref.framework, ref.id)
                if ref.framework not in frameworks:
                    self.problem(ref, f"unknown framework '{ref.framework}'{closest_hint(ref.framework, frameworks)}", "framework")
                elif key in withdrawn:
                    old = withdrawn[key]
                    instead = ", ".join(old.replaced_by) or "nothing"
                    self.problem(ref, f"control '{ref.id}' is withdrawn from '{ref.framework}'; use {instead} instead", "id")
                elif key not in controls:
                    ids = [c for f, c in controls if f == ref.framework]
                    self.problem(ref, f"unknown control '{ref.id}' in framework '{ref.framework}'{closest_hint(ref.id, ids)}", "id")
                else:
                    kb.citations[key].append(Citation(kind, entity, part, ref))

        for source in dict.fromkeys(kind for kind, _, _ in REFERENCES):
            for entity in kb.entities(source).values():
                for node, name, target, target_id in references(source, entity):
                    self.require(node, target, target_id, kb.entities(target), name)
        for persona in kb.personas.values():
            for pid in persona.playbooks:
                if pid in kb.playbooks:
                    kb.personas_of_playbook[pid].append(persona)
            cite("persona", persona, None, persona.controls)
        for playbook in kb.playbooks.values():
            self.unique_parts(playbook, "step", playbook.steps)
            for cid in playbook.checklists:
                if cid in kb.checklists:
                    kb.playbooks_of_checklist[cid].append(playbook)
            cite("playbook", playbook, None, playbook.controls)
            for step in playbook.steps:
                cite("playbook", playbook, step, step.controls)
        for checklist in kb.checklists.values():
            self.unique_parts(checklist, "item", checklist.items)
            for item in checklist.items:
                cite("checklist", checklist, item, item.controls)
        for faq in kb.faqs.values():
            cite("faq", faq, None, faq.controls)
        for case in kb.case_studies.values():
            cite("case-study", case, None, case.controls)
        for crosswalk in kb.crosswalks:
            self.link_crosswalk(kb, crosswalk)
        index_term_usage(kb)
        self.problems += audience_problems(kb) + branding_problems(kb.site, kb.root) + review_interval_problems(kb)
        self.problems += frontmatter.problems(self.root) + idcheck.problems(kb)
        for check in self.checks:
            self.problems += check(kb)
        if self.problems:
            raise ContentError(self.problems)
        return kb

    def unique_parts(self, entity: Entity, what: str, parts: list[Any]) -> None:
        seen: set[str] = set()
        for part in parts:
            if part.id in seen:
                self.problem(part, f"duplicate {what} id '{part.id}' in '{entity.id}'")
            seen.add(part.id)
        for part in parts:
            for alias in getattr(part, "aliases", []):
                if alias in seen:
                    self.problem(part, f"alias '{alias}' of {what} '{part.id}' is already used in '{entity.id}'", "aliases")
                seen.add(alias)

    def check_progression(self, personas: dict[str, Persona]) -> bool:
        """Report every persona whose `next` chain comes back to it; True when there is none."""
        clean = True
        for start in personas.values():
            seen = [start.id]
            current = start
            while current.next is not None and current.next.persona in personas:
                current = personas[current.next.persona]
                if current.id == start.id:
                    cycle = " -> ".join([*seen, start.id])
                    self.problem(start, f"persona progression cycles: {cycle}")
                    clean = False
                    break
                if current.id in seen:
                    break
                seen.append(current.id)
        return clean

    def link_crosswalk(self, kb: KnowledgeBase, crosswalk: Crosswalk) -> None:
        for end in (crosswalk.source, crosswalk.target):
            self.require(crosswalk, "framework", end, kb.frameworks)
        if crosswalk.source not in kb.frameworks or crosswalk.target not in kb.frameworks:
            return

        def resolve(mapping: Mapping, framework: str, cid: str) -> ControlNode | None:
            node = kb.controls.get((framework, cid))
            if node is None:
                ids = [c for f, c in kb.controls if f == framework]
                field = "source" if framework == crosswalk.source else "target"
                self.problem(mapping, f"unknown control '{cid}' in framework '{framework}'{closest_hint(cid, ids)}", field)
            return node

        for mapping in crosswalk.mappings:
            a = resolve(mapping, crosswalk.source, mapping.source)
            b = resolve(mapping, crosswalk.target, mapping.target)
            if a and b:
                inverse = {"subset": "superset", "superset": "subset"}.get(mapping.relationship, mapping.relationship)
                kb.mapped[a.key].append(CrosswalkLink(b, mapping.relationship, mapping.rationale, crosswalk))
                kb.mapped[b.key].append(CrosswalkLink(a, inverse, mapping.rationale, crosswalk))


def in_progression_order(personas: dict[str, Persona]) -> dict[str, Persona]:
    """Personas along their `next` chains (unaware -> risk-averse -> ready), others after."""
    targets = {p.next.persona for p in personas.values() if p.next}
    ordered: dict[str, Persona] = {}
    for start in [p for p in personas.values() if p.id not in targets]:
        current: Persona | None = start
        while current is not None and current.id not in ordered:
            ordered[current.id] = current
            current = personas.get(current.next.persona) if current.next else None
    return ordered | personas


def in_persona_order(playbooks: dict[str, Playbook], personas: dict[str, Persona]) -> dict[str, Playbook]:
    """Playbooks as a technician meets them: along the personas (in their order), each at its
    first place in a persona's sequence; playbooks no persona lists keep their order, after."""
    listed = dict.fromkeys(pid for persona in personas.values() for pid in persona.playbooks if pid in playbooks)
    return {pid: playbooks[pid] for pid in listed} | playbooks


def _entity_text(entity: Entity) -> str:
    """Every string of the entity, in field order, as `model_dump` would list them, but read
    straight from the models (dumping every entity first was a quarter of link's time)."""
    out: list[str] = []
    skip = ("id", "aliases", "changes")
    for name, value in entity.__dict__.items():
        if name not in skip:
            _strings(value, out)
    return " ".join(out)


def _strings(value: Any, out: list[str]) -> None:
    """Append every string inside value (models, lists and dicts, walked in order) to out."""
    if type(value) is str:
        out.append(value)
    elif isinstance(value, BaseModel):
        for item in value.__dict__.values():
            _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, out)


def _alternation(names: list[str]) -> str:
    """A regex matching any of names, longest first, factored as a trie.

    A flat `a|b|c` of 500 glossary terms makes the regex engine try every term at every
    position of every entity (13 s for 1,000 playbooks); the trie tries one branch per
    character. Greedy optional groups keep the longest match first, as the flat list sorted by
    length did. names must be sorted.
    """
    if not names:
        return ""
    branches: list[str] = []
    ends_here = False
    for head, group in itertools.groupby(names, key=lambda n: n[:1]):
        tails = [n[1:] for n in group]
        if head == "":
            ends_here = True
            continue
        branches.append(re.escape(head) + _alternation(tails))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends_here else body


def index_term_usage(kb: KnowledgeBase) -> None:
    """Which entities mention each glossary term by name (one regex pass per entity)."""
    names = {term.term.lower(): term.id for term in kb.terms.values()}
    if not names:
        return
    # Matched against lower-cased text: a case-sensitive regex is several times faster than re.I.
    # Not \b: a term may start or end with punctuation, e.g. "Recovery time objective (RTO)".
    pattern = re.compile(r"(?<!\w)(" + _alternation(sorted(names)) + r")(?!\w)")
    for kind in (k.name for k in KINDS if k.uses_terms):
        for entity in kb.entities(kind).values():
            for tid in dict.fromkeys(names[m] for m in pattern.findall(_entity_text(entity).lower())):
                kb.term_usage[tid].append(entity)


def review_interval_problems(kb: KnowledgeBase) -> list[Problem]:
    """site.yaml `review_intervals` may only name kinds that exist."""
    out = []
    for kind in kb.site.review_intervals:
        if kind not in BY_NAME:
            path, line = kb.site.where_field("review_intervals")
            out.append(Problem(path, line, f"review_intervals: unknown kind '{kind}' (expected one of: {', '.join(BY_NAME)})"))
    return out


@no_cyclic_gc()
def load_knowledge_base(root: Path, features: Sequence[Feature] = ()) -> KnowledgeBase:
    """Run load, model and link over the knowledge base at root, with the content files and
    checks of the features given."""
    problems: list[Problem] = []
    documents = load_tree(root, unread=problems)  # what loads is still modelled: all problems in one run
    files = {name: model for feature in features for name, model in feature.documents.items()}
    try:
        entities = build_entities(documents, files)
    except ContentError as error:  # a file that did not load reports only why (site.yaml is not "missing")
        problems += [p for p in error.problems if p.path not in {q.path for q in problems}]
    if problems:
        raise ContentError(problems)
    return _Linker(entities, root, [check for feature in features for check in feature.checks]).link()
