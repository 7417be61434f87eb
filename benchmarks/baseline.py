"""The baseline: plain `mkdocs build` of the very pages `kb build` renders, without our hook.

The config is the static one `kb render` writes (engine/static.py: the generator's defaults
with everything the hook would set written in), with the macros plugin given an empty module
(ours reads the knowledge base, which the baseline has not got). So the baseline pays for the
same theme, plugins and pages, and nothing of ours.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.core.feature import RenderContext
from generator.core.link import KnowledgeBase
from generator.core.render import Rendered
from generator.engine.engines import ENGINES, with_settings
from generator.engine.static import write_static

FOLDER = "build/baseline"
CONFIG_NAME = f"{FOLDER}/mkdocs.yml"
#: The peer: Zensical builds the same rendered pages with the same static configuration, fitted
#: to it as `kb build --engine zensical` fits it (it writes only inside its config's folder).
ZENSICAL_CONFIG = "build/zensical/mkdocs.yml"
MACROS_MODULE = "bench_baseline_macros"


def write_config(kb: KnowledgeBase, ctx: RenderContext, rendered: Rendered) -> Path:
    path = write_static(kb, ctx, rendered, kb.root / FOLDER)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "macros" in plugin:
            plugin["macros"]["modules"] = []
            plugin["macros"]["module_name"] = MACROS_MODULE
    (path.parent / f"{MACROS_MODULE}.py").write_text("def define_env(env):\n    pass\n", encoding="utf-8")
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_zensical_config(kb: KnowledgeBase, ctx: RenderContext, rendered: Rendered) -> Path:
    path = write_static(kb, ctx, rendered, kb.root / Path(ZENSICAL_CONFIG).parent)
    with_settings(path, ENGINES["zensical"])
    return path
