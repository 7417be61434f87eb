"""mkdocs-macros entry point (named in mkdocs.yml): exposes the knowledge base to
hand-written pages in content/pages/. Thin on purpose; the work is in generator/snippets.py.

An unknown id is logged as a warning naming the page and the id; MkDocs' strict mode then
fails the build (mkdocs-macros' own error path would exit the process with code 100).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.core import snippets
from generator.core.audience import for_audience
from generator.core.link import load_knowledge_base
from generator.engine.build import KB_CONFIG_KEY
from generator.features import FEATURES

log = logging.getLogger("mkdocs.plugins.kb")


def define_env(env: Any) -> None:
    kb = env.conf.get(KB_CONFIG_KEY)
    if kb is None:  # a static build of `kb render` output: no hook handed the knowledge base over
        extra = env.conf["extra"]
        kb = for_audience(load_knowledge_base(Path(extra["kb_root"]), FEATURES), extra.get("kb_audience", "internal"))

    def expose(function: Callable[..., str]) -> None:
        def macro(*args: str) -> str:
            try:
                return function(kb, env.page.file.src_uri, *args)
            except snippets.UnknownReference as error:
                log.warning(str(error))
                return f"**{error}**"

        macro.__name__ = function.__name__
        env.macro(macro)

    for function in (snippets.term, snippets.checklist_link, snippets.control, snippets.persona_card):
        expose(function)
