"""mkdocs-macros entry point (named in mkdocs.yml): exposes the knowledge base to
hand-written pages in content/pages/. Thin on purpose; the work is in generator/snippets.py.

An unknown id is logged as a warning naming the page and the id; MkDocs' strict mode then
fails the build (mkdocs-macros' own error path would exit the process with code 100).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core import snippets
from generator.core.audience import for_audience
from generator.core.feature import Audience
from generator.core.link import KnowledgeBase, load_knowledge_base
from generator.engine.build import KB_CONFIG_KEY
from generator.features import FEATURES

log = logging.getLogger("mkdocs.plugins.kb")


@functools.lru_cache(maxsize=1)
def _static_kb(root: str, audience: Audience) -> KnowledgeBase:
    """The knowledge base of a static build, loaded once per build: Zensical calls define_env
    for every page it renders."""
    return for_audience(load_knowledge_base(Path(root), FEATURES), audience)


def _source_path(page: Any) -> str:
    """The page's Markdown file, relative to the docs folder: MkDocs (and ProperDocs) know it as
    page.file.src_uri, Zensical's macros as page.path."""
    file = getattr(page, "file", None)
    return str(file.src_uri if file is not None else page.path)


def define_env(env: Any) -> None:
    kb = env.conf.get(KB_CONFIG_KEY)
    static = kb is None  # a static build of `kb render` output: no hook handed the knowledge base over
    if static:
        extra = env.conf["extra"]
        kb = _static_kb(str(extra["kb_root"]), extra.get("kb_audience", "internal"))

    def expose(function: Callable[..., str]) -> None:
        def macro(*args: str) -> str:
            try:
                return function(kb, _source_path(env.page), *args)
            except snippets.UnknownReference as error:
                if static:  # Zensical does not fail on a logged warning: fail the page (on_error_fail)
                    raise
                log.warning(str(error))
                return f"**{error}**"

        macro.__name__ = function.__name__
        env.macro(macro)

    for function in (snippets.term, snippets.checklist_link, snippets.control, snippets.persona_card):
        expose(function)
