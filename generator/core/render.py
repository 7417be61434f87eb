"""Stage 4, render: KnowledgeBase -> Markdown pages, assets and the nav (a pure function).

Templates in site_templates/pages/ hold all presentation. Values from YAML reach the pages
only through the `plain`, `markdown` and `html` filters (autoescape is on as a safety net),
and generated pages are never run through macros, so YAML text is never template code.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.core import branding, frontmatter, markup, urls
from generator.core.link import ControlNode, KnowledgeBase
from generator.core.memory import no_cyclic_gc
from generator.core.model import CONTENT_KINDS, Entity, Framework
from generator.core.resources import TEMPLATES
from generator.features.assessment import pages as assessment_pages
from generator.features.authoring import review
from generator.features.frameworks import coverage


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes, which template draws it, with what."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    #: A top-level nav entry for this page (pages of the core sections have theirs already).
    nav_title: str | None = None


@dataclass
class Rendered:
    files: dict[str, str | bytes]
    nav: list[Any]


Producer = Callable[[KnowledgeBase], Iterable[Page]]


#: kind -> (template of its index page, template of each entity's page or None, context name).
_SECTIONS = {
    "persona": ("personas.md.j2", "persona.md.j2", "persona"),
    "playbook": ("playbooks.md.j2", "playbook.md.j2", "playbook"),
    "checklist": ("checklists.md.j2", "checklist.md.j2", "checklist"),
    "term": ("glossary.md.j2", "term.md.j2", "term"),
    "faq": ("faq.md.j2", None, ""),
    "case-study": ("case_studies.md.j2", "case_study.md.j2", "case"),
    "statistic": ("statistics.md.j2", None, ""),
    "takeaway": ("takeaways.md.j2", None, ""),
}


def core_pages(kb: KnowledgeBase) -> Iterator[Page]:
    yield Page("index.md", "pack_home.md.j2" if kb.client else "home.md.j2")
    for kind, (index_template, template, name) in _SECTIONS.items():
        if not kb.entities(kind):  # a section with nothing in it (as in most per-client packs)
            continue
        yield Page(f"{urls.FOLDERS[kind]}/index.md", index_template)
        for entity in kb.entities(kind).values() if template else ():
            yield Page(urls.doc_path(kind, entity.id), template, {name: entity})
    if kb.frameworks:
        yield Page("frameworks/index.md", "frameworks.md.j2")
    for framework in kb.frameworks.values():
        yield Page(urls.doc_path("framework", framework.id), "framework.md.j2", {"framework": framework})
    for node in kb.controls.values():
        yield Page(urls.control_doc_path(*node.key), "control.md.j2", {"node": node})


#: Every producer of pages, in nav order. Features register theirs here explicitly.
PRODUCERS: list[Producer] = [core_pages, coverage.coverage_pages, review.whats_new_pages, review.review_queue_pages,
                              assessment_pages.assessment_pages]


def hand_written_pages(kb: KnowledgeBase) -> dict[str, str]:
    """content/pages/*.md, opted in to macros (generated pages never are)."""
    out: dict[str, str] = {}
    for path in frontmatter.pages(kb.root) if not kb.client else []:
        page = frontmatter.read(path, kb.root)  # strict: an unclear audience is an error, never "client"
        if kb.audience == "client" and page.audience == "internal":
            continue
        out[f"pages/{path.name}"] = page.for_mkdocs(render_macros=True)
    return out


def page_audience(text: str) -> str:
    """`audience` from a hand-written page's front matter (client when absent)."""
    return frontmatter.parse(text, "page").audience


def nav(kb: KnowledgeBase, extra_pages: Iterable[str], feature_pages: Iterable[Page] = ()) -> list[Any]:
    """Sections with index pages; controls are reached from their framework pages, not the
    sidebar, so the nav stays small however large the catalogues grow."""

    def section(title: str, index: str, kind: str, items: dict[str, Any], label: str) -> dict[str, Any]:
        entries: list[Any] = [index]
        entries += [{getattr(item, label): urls.doc_path(kind, item.id)} for item in items.values()]
        return {title: entries}

    tree: list[Any] = [
        {"Home": "index.md"},
        section("Personas", "personas/index.md", "persona", kb.personas, "name"),
        section("Playbooks", "playbooks/index.md", "playbook", kb.playbooks, "title"),
        section("Checklists", "checklists/index.md", "checklist", kb.checklists, "title"),
        {"Glossary": "terms/index.md"},
        {"FAQ": "faq/index.md"},
        section("Case studies", "case-studies/index.md", "case-study", kb.case_studies, "title"),
        {"Statistics": "statistics/index.md"},
        {"Takeaways": "takeaways/index.md"},
        {
            "Frameworks": ["frameworks/index.md"]
            + [{fw.short_name or fw.name: urls.doc_path("framework", fw.id)} for fw in kb.frameworks.values()]
        },
    ]
    present = {f"{urls.FOLDERS[kind]}/index.md" for kind in _SECTIONS if kb.entities(kind)}
    present |= {"index.md"} | ({"frameworks/index.md"} if kb.frameworks else set())
    tree = [entry for entry in tree if _first(entry) in present]
    tree += [{page.nav_title: page.path} for page in feature_pages if page.nav_title]
    guides = sorted(extra_pages)
    if guides:
        tree.append({"Guides": guides})
    return tree


def _first(entry: dict[str, Any]) -> str:
    value = next(iter(entry.values()))
    return str(value[0] if isinstance(value, list) else value)


@functools.lru_cache(maxsize=8)
def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """One environment per templates folder, kept so each template is compiled once per process
    (`kb serve` renders on every edit); Jinja recompiles a template whose file has changed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "pages"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown heading ids are written `{#id}`, so Jinja comments need other delimiters.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters.update(
        plain=markup.plain,
        markdown=markup.markdown,
        markdown_inline=markup.markdown_inline,
        html=markup.html,
        slug=urls.control_slug,
    )
    env.globals.update(entity_kind=entity_kind, by_kind=by_kind)
    return env


_KIND_OF_MODEL = {model: kind for kind, model in CONTENT_KINDS.values()}


def entity_kind(entity: Entity) -> str:
    return _KIND_OF_MODEL[type(entity)]


def by_kind(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Items (citations, roll-up entries) grouped by their `kind`, in order; [] for a kind with none.
    One pass instead of a `selectattr` filter per kind, on each of the many control pages."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[item.kind].append(item)
    return groups


def _page_helpers(kb: KnowledgeBase, here: str) -> dict[str, Any]:
    """Functions templates use to link from the page being drawn."""

    def link(kind: str, entity_id: str) -> str:
        return urls.relative(urls.doc_path(kind, entity_id), here)

    def control_link(framework_id: str, control_id: str) -> str:
        return urls.relative(urls.control_doc_path(framework_id, control_id), here)

    def node_link(node: ControlNode) -> str:
        return control_link(*node.key)

    def to(path: str) -> str:
        return urls.relative(path, here)

    def html_control_link(framework_id: str, control_id: str) -> str:
        return urls.relative_url(urls.control_doc_path(framework_id, control_id), here)

    def count_controls(framework: Framework) -> int:
        return sum(1 for fw, _ in kb.controls if fw == framework.id)

    def count_cited(framework: Framework) -> int:
        return sum(1 for (fw, _), cites in kb.citations.items() if fw == framework.id and cites)

    return {
        "rollup": lambda node: coverage.rollup(kb, node),
        "count_controls": count_controls,
        "count_cited": count_cited,
        "link": link,
        "control_link": control_link,
        "node_link": node_link,
        "to": to,
        "html_control_link": html_control_link,
        "here": here,
        "page_url": kb.site.base_url + urls.url_of(here),  # the permanent, absolute URL
    }


@no_cyclic_gc()
def render(kb: KnowledgeBase, templates: Path = TEMPLATES, producers: list[Producer] | None = None) -> Rendered:
    env = environment(templates)
    files: dict[str, str | bytes] = {}
    navigable: list[Page] = []
    for producer in producers if producers is not None else PRODUCERS:
        for page in producer(kb):
            template = env.get_template(page.template)
            files[page.path] = template.render(kb=kb, **_page_helpers(kb, page.path), **page.context)
            navigable.append(page)
    written = hand_written_pages(kb)
    files.update(written)
    files.update(branding.files(kb))
    assets = templates / "assets"
    for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
        if path.is_file():
            files[f"assets/kb/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    return Rendered(files=files, nav=nav(kb, written, navigable))
