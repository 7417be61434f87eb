"""The one table of content kinds. Adding a kind is one entry here plus its model (model.py)
and its templates; nothing else in the generator lists kinds."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core import model as m


@dataclass(frozen=True)
class Kind:
    name: str  # in the CLI, JSON and error messages: "case-study"
    folder: str  # under content/: "case-studies"
    model: type[m.Entity]
    url_folder: str  # under the site: "case-studies"
    #: The section's index page template, and each entity's own page template (None: the
    #: entities are anchors on the index page).
    index_template: str
    page_template: str | None
    #: The name an entity's page template knows it by.
    variable: str
    review_days: int  # days between reviews, unless site.yaml says otherwise
    singular: str  # "case study"
    plural: str  # "case studies"
    title: str  # the nav section's default title (site.yaml `sections` may rename it)
    #: Whether the sidebar lists each entity under the section.
    listed: bool = False
    #: Whether glossary terms are looked for in its text ("where this term comes up").
    uses_terms: bool = True
    #: The index page's heading, when it is not the section title.
    heading: str | None = None


KINDS: tuple[Kind, ...] = (
    Kind("persona", "personas", m.Persona, "personas", "personas.md.j2", "persona.md.j2", "persona", 365,
         "persona", "personas", "Personas", listed=True),
    Kind("playbook", "playbooks", m.Playbook, "playbooks", "playbooks.md.j2", "playbook.md.j2", "playbook", 180,
         "playbook", "playbooks", "Playbooks", listed=True),
    Kind("checklist", "checklists", m.Checklist, "checklists", "checklists.md.j2", "checklist.md.j2", "checklist",
         180, "checklist", "checklists", "Checklists", listed=True),
    Kind("term", "terms", m.Term, "terms", "glossary.md.j2", "term.md.j2", "term", 730,
         "term", "terms", "Glossary", uses_terms=False),
    Kind("faq", "faqs", m.Faq, "faq", "faq.md.j2", None, "", 365, "FAQ", "FAQs", "FAQ",
         heading="Frequently asked questions"),
    Kind("case-study", "case-studies", m.CaseStudy, "case-studies", "case_studies.md.j2", "case_study.md.j2",
         "case", 365, "case study", "case studies", "Case studies", listed=True),
    Kind("statistic", "statistics", m.Statistic, "statistics", "statistics.md.j2", None, "", 365,
         "statistic", "statistics", "Statistics", uses_terms=False, heading="Statistics and their sources"),
    Kind("takeaway", "takeaways", m.Takeaway, "takeaways", "takeaways.md.j2", None, "", 365,
         "takeaway", "takeaways", "Takeaways", uses_terms=False),
)

BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_FOLDER: dict[str, Kind] = {kind.folder: kind for kind in KINDS}
BY_MODEL: dict[type[m.Entity], Kind] = {kind.model: kind for kind in KINDS}
NAMES: tuple[str, ...] = tuple(BY_NAME)


def section_heading(kind: str, sections: dict[str, str]) -> str:
    """The heading of a kind's index page: site.yaml `sections` renames it, else its default."""
    spec = BY_NAME[kind]
    return sections.get(kind) or spec.heading or spec.title


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 item`, `2 items`; words is the plural when it is not word + "s"."""
    return f"{n} {word if n == 1 else words or word + 's'}"


def count(n: int, kind: str) -> str:
    """`1 case study`, `2 case studies`."""
    k = BY_NAME[kind]
    return f"{n} {k.singular if n == 1 else k.plural}"
