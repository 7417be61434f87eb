"""Coverage and gaps: which controls of a framework the guidance addresses, per persona.

Pure functions over a KnowledgeBase; the coverage page and `kb coverage` both read
`coverage()`, so the site and the command line cannot disagree.

Definitions (documented in the README and on the coverage page):

- A *guidance item* is one place that cites a control with its "why it matters here": a persona,
  a playbook (its own control list), a playbook step, a checklist item, an FAQ or a case study.
- A persona *reaches* itself, the playbooks it lists, their steps, and the items of the checklists
  those playbooks link. FAQs and case studies belong to no persona: they count only in the
  "All guidance" column.
- A cell (persona, control) counts the distinct guidance items the persona reaches that cite the
  control or any control below it. An item citing two subcategories of one category counts once
  for the category, so a category's count can be less than the sum of its subcategories'.
- *Outcomes* are the most specific controls (those without children, below the top level):
  CSF 2.0 subcategories, SP 800-207 tenets and components, SP 800-53 controls and enhancements.
  An outcome is *addressed* when at least one guidance item in scope cites it; a *gap* is one that
  none does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.core import urls
from generator.core.feature import Page, RenderContext
from generator.core.link import Citation, ControlNode, KnowledgeBase
from generator.core.rollup import Place, is_outcome, place_of

#: The column of every guidance item, whichever persona (if any) reaches it.
ALL = "all"

#: (lowest count, CSS band) from the highest band down; the page colours cells by these.
BANDS = [(12, 4), (6, 3), (3, 2), (1, 1), (0, 0)]


def reach(kb: KnowledgeBase, persona_id: str) -> set[tuple[str, str]]:
    """The (kind, entity id) pairs whose guidance items a persona reaches."""
    persona = kb.personas[persona_id]
    out = {("persona", persona.id)}
    for pid in persona.playbooks:
        out.add(("playbook", pid))
        out.update(("checklist", cid) for cid in kb.playbooks[pid].checklists)
    return out


@dataclass
class Row:
    """One control with its counts per column, and its children's rows."""

    node: ControlNode
    items: dict[str, int]
    addressed: dict[str, int]
    outcomes: int
    children: list[Row] = field(default_factory=list)


@dataclass
class Gap:
    """An outcome no guidance in scope cites, with the cited controls crosswalks relate it to."""

    node: ControlNode
    related: list[ControlNode]


@dataclass
class Coverage:
    framework_id: str
    columns: list[str]
    rows: list[Row]
    gaps: list[Gap]
    outcomes: int
    addressed: int

    @property
    def scope(self) -> str:
        """The column gaps are judged by: the one persona asked for, else all guidance."""
        return self.columns[0] if len(self.columns) == 1 else ALL

    def walk(self) -> list[Row]:
        """Every row, parents before children, in framework order."""
        out: list[Row] = []

        def visit(row: Row) -> None:
            out.append(row)
            for child in row.children:
                visit(child)

        for row in self.rows:
            visit(row)
        return out


def band(count: int) -> int:
    """The heat-map band of a count: 0 none, 1 for 1-2, 2 for 3-5, 3 for 6-11, 4 for 12 or more."""
    return next(b for low, b in BANDS if count >= low)


def coverage(kb: KnowledgeBase, framework_id: str, persona_id: str | None = None) -> Coverage:
    """Counts for every control of a framework, per persona (or the one asked for) and overall."""
    personas = [persona_id] if persona_id is not None else list(kb.personas)
    columns = personas if persona_id is not None else [*personas, ALL]
    reaches = {pid: reach(kb, pid) for pid in personas}

    def in_column(cite: Citation, column: str) -> bool:
        return column == ALL or (cite.kind, cite.entity.id) in reaches[column]

    def build(node: ControlNode) -> tuple[Row, dict[str, set[Place]]]:
        own = kb.citations.get(node.key, [])
        places = {col: {place_of(c) for c in own if in_column(c, col)} for col in columns}
        children = []
        if node.control.children:
            addressed = dict.fromkeys(columns, 0)
            outcomes = 0
            for child_node in kb.children(node):
                child, child_places = build(child_node)
                children.append(child)
                outcomes += child.outcomes
                for col in columns:
                    places[col] |= child_places[col]
                    addressed[col] += child.addressed[col]
        else:
            outcomes = 1 if is_outcome(node) else 0
            addressed = {col: int(outcomes == 1 and bool(places[col])) for col in columns}
        items = {col: len(places[col]) for col in columns}
        return Row(node, items, addressed, outcomes, children), places

    top = [kb.controls[(framework_id, c.id)] for c in kb.frameworks[framework_id].controls]
    rows = [build(node)[0] for node in top]
    result = Coverage(framework_id, columns, rows, [], sum(r.outcomes for r in rows), 0)
    scope = result.scope
    result.addressed = sum(r.addressed[scope] for r in rows)
    cited = {key for key, cites in kb.citations.items() if any(in_column(c, scope) for c in cites)}
    for row in result.walk():
        if is_outcome(row.node) and row.addressed[scope] == 0:
            related = [link.other for link in kb.mapped.get(row.node.key, []) if link.other.key in cited]
            result.gaps.append(Gap(row.node, list({n.key: n for n in related}.values())))
    return result


def coverage_pages(kb: KnowledgeBase, ctx: RenderContext) -> list[Page]:
    """The producer of coverage/index.md: one matrix and gap list per framework. A per-client
    pack (one persona's guidance) has no coverage page: the matrix is the MSP's planning view."""
    if ctx.client or not kb.frameworks:
        return []

    here = "coverage/index.md"
    context = {
        "reports": [coverage(kb, fid) for fid in kb.frameworks],
        "band": band,
        # The matrix is raw HTML, which MkDocs does not rewrite: links are URLs, not .md paths.
        "persona_urls": {pid: urls.relative_url(urls.doc_path("persona", pid), here) for pid in kb.personas},
    }
    return [Page(here, "coverage.md.j2", context, nav_title="Coverage")]
