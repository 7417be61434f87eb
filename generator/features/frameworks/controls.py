"""The controls index: every control of every framework on one page, which the browser filters
by framework, kind and persona. Control pages are reached from here and from their framework's
page, never from the sidebar, so the nav stays small however large the catalogues grow."""

from __future__ import annotations

from generator.core.feature import Page, RenderContext
from generator.core.link import KnowledgeBase

PATH = "controls/index.md"


def controls_index_pages(kb: KnowledgeBase, ctx: RenderContext) -> list[Page]:
    """A per-client pack lists its few controls on its framework pages; it needs no index."""
    return [Page(PATH, "controls.md.j2", nav_title="Controls")] if kb.controls and not ctx.client else []
