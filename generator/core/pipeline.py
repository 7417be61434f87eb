"""The pipeline end to end, for any list of features: load, model and link a knowledge base,
take what an audience may see, render it, and write what belongs beside a built site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from pathlib import Path

from generator.core import permalinks, sanitise
from generator.core.audience import for_audience
from generator.core.feature import Audience, Feature, RenderContext
from generator.core.link import KnowledgeBase, load_knowledge_base
from generator.core.render import Rendered, render


def render_tree(root: Path, features: Sequence[Feature], audience: Audience = "internal",
                today: dt.date | None = None) -> Rendered:
    """Render the knowledge base at root as the audience sees it, as of today."""
    kb = for_audience(load_knowledge_base(root, features), audience)
    return render(kb, RenderContext(today=today or dt.date.today(), audience=audience), features)


def after_build(kb: KnowledgeBase, ctx: RenderContext, site: Path, features: Sequence[Feature],
                csp: bool = True, sanitised: Collection[str] = ()) -> None:
    """Files beside the pages of a built site, whichever engine built it: the permalink
    manifest and redirects of former ids; then every page is sanitised (and given a
    Content-Security-Policy, unless for a live preview); then each feature's own files
    (exports, and PDFs printed from the sanitised pages). Pages in sanitised (paths in site) are
    sanitised already (engine/incremental.py sanitises MkDocs' pages as it copies them), some
    of them hard links to the published site's files, so no step here writes into an existing
    file but a page it sanitises; writers only add files."""
    permalinks.write_site_files(kb, ctx, site)
    sanitise.site(site, csp=csp, skip=frozenset(sanitised))
    for feature in features:
        for writer in feature.writers:
            writer(kb, ctx, site)
