"""Stage 4, render: KnowledgeBase -> Markdown pages, assets and the nav (a pure function).

Templates in site_templates/pages/ hold all presentation. Values from YAML reach the pages
only through the `plain`, `markdown` and `html` filters (autoescape is on as a safety net),
and generated pages are never run through macros, so YAML text is never template code.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.core import branding, cachedir, facets, forked, frontmatter, markup, urls
from generator.core.feature import Feature, Page, RenderContext
from generator.core.kinds import (
    BY_MODEL,
    BY_NAME,
    CONTROL_LABEL,
    FRAMEWORK_LABEL,
    INDEX_LABEL,
    KINDS,
    PAGE_LABEL,
    count,
    plural,
    section_heading,
)
from generator.core.link import ControlNode, KnowledgeBase
from generator.core.memory import no_cyclic_gc
from generator.core.model import Entity, Framework
from generator.core.resources import TEMPLATES
from generator.core.rollup import rollup


@dataclass
class Rendered:
    files: dict[str, str | bytes]
    nav: list[Any]

    def __repr__(self) -> str:  # short: mkdocs-macros prints the MkDocs config, which carries it
        return f"Rendered({len(self.files)} files)"


def core_pages(kb: KnowledgeBase, ctx: RenderContext) -> Iterator[Page]:
    yield Page("index.md", "pack_home.md.j2" if ctx.client else "home.md.j2")
    for kind in KINDS:
        if not kb.entities(kind.name):  # a section with nothing in it (as in most per-client packs)
            continue
        yield Page(urls.index_path(kind.name), kind.index_template)
        if kind.page_template is None:
            continue
        for entity in kb.entities(kind.name).values():
            yield Page(urls.doc_path(kind.name, entity.id), kind.page_template, {kind.variable: entity})
    if kb.frameworks:
        yield Page("frameworks/index.md", "frameworks.md.j2")
    for framework in kb.frameworks.values():
        yield Page(urls.doc_path("framework", framework.id), "framework.md.j2", {"framework": framework})
    for node in kb.controls.values():
        yield Page(urls.control_doc_path(*node.key), "control.md.j2", {"node": node})


def hand_written_pages(kb: KnowledgeBase, ctx: RenderContext) -> dict[str, str]:
    """content/pages/*.md, opted in to macros (generated pages never are)."""
    out: dict[str, str] = {}
    for path in frontmatter.pages(kb.root) if not ctx.client else []:
        page = frontmatter.read(path, kb.root)  # strict: an unclear audience is an error, never "client"
        if ctx.audience == "client" and page.audience == "internal":
            continue
        out[f"pages/{path.name}"] = page.for_mkdocs(render_macros=True)
    return out


def page_audience(text: str) -> str:
    """`audience` from a hand-written page's front matter (client when absent)."""
    return frontmatter.parse(text, "page").audience


def section_title(kb: KnowledgeBase, kind: str) -> str:
    """A section's title: site.yaml `sections` may rename it (e.g. "Glossary" -> "Terms")."""
    return kb.site.sections.get(kind, BY_NAME[kind].title)


def nav(kb: KnowledgeBase, extra_pages: Iterable[str], feature_pages: Iterable[Page] = ()) -> list[Any]:
    """Sections with index pages. A section lists its pages only up to site.yaml
    `sidebar_limit`; a larger one is its index page alone, whose filter reaches every page
    (controls never are listed: their framework pages reach them). So the sidebar, which every
    page of a section carries, stays small however large the catalogues grow."""
    tree: list[Any] = [{kb.site.sections.get("home", "Home"): "index.md"}]
    for kind in KINDS:
        items = kb.entities(kind.name)
        if not items:
            continue
        index = urls.index_path(kind.name)
        if kind.listed and len(items) <= kb.site.sidebar_limit:
            entries = [index] + [{item.display_name: urls.doc_path(kind.name, item.id)} for item in items.values()]
            tree.append({section_title(kb, kind.name): entries})
        else:
            tree.append({section_title(kb, kind.name): index})
    if kb.frameworks:
        frameworks = [{fw.short_name or fw.name: urls.doc_path("framework", fw.id)} for fw in kb.frameworks.values()]
        tree.append({kb.site.sections.get("framework", "Frameworks"): ["frameworks/index.md", *frameworks]})
    tree += [{page.nav_title: page.path} for page in feature_pages if page.nav_title]
    guides = sorted(extra_pages)
    if guides:
        tree.append({kb.site.sections.get("guides", "Guides"): guides})
    return tree


def _first(entry: dict[str, Any]) -> str:
    value = next(iter(entry.values()))
    return str(value[0] if isinstance(value, list) else value)


@functools.lru_cache(maxsize=8)
def environment(templates: Path = TEMPLATES, extra: tuple[Path, ...] = ()) -> jinja2.Environment:
    """One environment per set of template folders (the core's, then the features'), kept so
    each template is compiled once per process (`kb serve` renders on every edit); Jinja
    recompiles a template whose file has changed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([templates / "pages", *extra]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Markdown heading ids are written `{#id}`, so Jinja comments need other delimiters.
        comment_start_string="{##",
        comment_end_string="##}",
        bytecode_cache=cachedir.templates_cache("pages"),
    )
    env.filters.update(
        plain=markup.plain,
        markdown=markup.markdown,
        markdown_inline=markup.markdown_inline,
        html=markup.html,
        slug=urls.control_slug,
    )
    env.globals.update(entity_kind=entity_kind, by_kind=by_kind, count=count, plural=plural, kinds=BY_NAME,
                       labels={"framework": FRAMEWORK_LABEL, "control": CONTROL_LABEL, "index": INDEX_LABEL,
                               "page": PAGE_LABEL})
    return env


def search_kinds(kb: KnowledgeBase) -> list[str]:
    """The kinds a search can be narrowed to: the tags their pages carry, in the kinds' order."""
    labels = [kind.label for kind in KINDS if kb.entities(kind.name)]
    return labels + ([FRAMEWORK_LABEL, CONTROL_LABEL] if kb.frameworks else [])


def entity_kind(entity: Entity) -> str:
    return BY_MODEL[type(entity)].name


def by_kind(items: Iterable[Any]) -> dict[str, list[Any]]:
    """Items (citations, roll-up entries) grouped by their `kind`, in order; [] for a kind with none.
    One pass instead of a `selectattr` filter per kind, on each of the many control pages."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[item.kind].append(item)
    return groups


def _page_helpers(kb: KnowledgeBase, here: str, pages: frozenset[str],
                  facet_index: Callable[[], facets.Facets] | None = None) -> dict[str, Any]:
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

    def html_link(kind: str, entity_id: str) -> str:
        """A link for raw HTML (and front matter), which MkDocs does not rewrite."""
        return urls.relative_url(urls.doc_path(kind, entity_id), here)

    def html_to(path: str) -> str:
        return urls.relative_url(path, here)

    def count_controls(framework: Framework) -> int:
        return sum(1 for fw, _ in kb.controls if fw == framework.id)

    def count_cited(framework: Framework) -> int:
        return sum(1 for (fw, _), cites in kb.citations.items() if fw == framework.id and cites)

    def has_page(path: str) -> bool:
        """Whether this build has the page (a feature's page may be absent, e.g. in a pack)."""
        return path in pages

    return {
        "has_page": has_page,
        "facets": facet_index,
        "rollup": lambda node: rollup(kb, node),
        "section_title": lambda kind: section_title(kb, kind),
        "section_heading": lambda kind: section_heading(kind, kb.site.sections),
        "count_controls": count_controls,
        "count_cited": count_cited,
        "link": link,
        "control_link": control_link,
        "node_link": node_link,
        "to": to,
        "html_control_link": html_control_link,
        "html_link": html_link,
        "html_to": html_to,
        "absolute_url": lambda kind, entity_id: kb.site.base_url + urls.url_of(urls.doc_path(kind, entity_id)),
        "here": here,
        "page_url": kb.site.base_url + urls.url_of(here),  # the permanent, absolute URL
    }


#: Below this many pages, drawing them in two processes costs more than it saves.
PARALLEL_MIN_PAGES = 1500


@no_cyclic_gc()
def render(kb: KnowledgeBase, ctx: RenderContext, features: Sequence[Feature] = (),
           templates: Path = TEMPLATES, workers: int = 1) -> Rendered:
    """The pages, assets and nav of kb for ctx: a pure function of its arguments. With workers
    > 1 (and fork available), a large knowledge base's pages are drawn by that many processes;
    the result is the same."""
    env = environment(templates, tuple(f.templates for f in features if f.templates is not None))
    producers = [core_pages, *(producer for feature in features for producer in feature.producers)]
    navigable = [page for producer in producers for page in producer(kb, ctx)]
    written = hand_written_pages(kb, ctx)
    paths = frozenset([page.path for page in navigable] + list(written))
    wording = kb.site.wording.for_audience(ctx.audience)  # site.yaml sentences, as this audience reads them
    facet_index = functools.cache(lambda: facets.facets(kb))  # computed once, for the index pages that filter

    def draw(page: Page) -> str:
        helpers = _page_helpers(kb, page.path, paths, facet_index)
        return env.get_template(page.template).render(kb=kb, ctx=ctx, wording=wording, **helpers, **page.context)

    if workers > 1 and len(navigable) >= PARALLEL_MIN_PAGES and hasattr(os, "fork"):
        for name in {page.template for page in navigable}:
            env.get_template(name)  # compiled once, before the fork
        texts = forked.map_in_processes(draw, navigable, workers)
    else:
        texts = [draw(page) for page in navigable]
    files: dict[str, str | bytes] = {page.path: text for page, text in zip(navigable, texts, strict=True)}
    files.update(written)
    files.update(branding.files(kb))
    assets = templates / "assets"
    for path in sorted(assets.rglob("*")) if assets.is_dir() else []:
        if path.is_file():
            files[f"assets/kb/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    return Rendered(files=files, nav=nav(kb, written, navigable))
