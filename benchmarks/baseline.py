"""The baseline: plain `mkdocs build` of the very pages `kb build` renders, without our hook.

The config is the generator's own mkdocs.yml with the hook removed and what the hook sets
(docs_dir, nav, site name, URL, copyright, our CSS and JS) written in, and the macros plugin
kept but given an empty module (ours reads the knowledge base, which the baseline has not
got). So the baseline pays for the same theme, plugins and pages, and nothing of ours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from generator.core.link import KnowledgeBase
from generator.engine.build import DEFAULT_CONFIG, _for_root, prepare

CONFIG_NAME = "mkdocs-baseline.yml"
MACROS_MODULE = "bench_baseline_macros"


def write_config(kb: KnowledgeBase, nav: list[Any]) -> Path:
    config = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)
    config["theme"]["custom_dir"] = str((DEFAULT_CONFIG.parent / config["theme"]["custom_dir"]).resolve())
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "macros" in plugin:
            plugin["macros"]["module_name"] = MACROS_MODULE
    # What our hook sets, taken from the hook itself so the baseline follows it as it grows.
    with _for_root(kb.root) as config_file:
        from mkdocs.config import load_config

        prepared = prepare(load_config(str(config_file)), kb)
    config.update(
        docs_dir=str(kb.root / "build" / "docs"),
        site_dir=str(kb.root / "site-baseline"),
        nav=nav,
        site_name=prepared["site_name"],
        site_url=prepared["site_url"],
        site_description=prepared["site_description"],
        copyright=prepared["copyright"],
        extra_css=[str(v) for v in prepared["extra_css"]],
        extra_javascript=[str(v) for v in prepared["extra_javascript"]],
        extra=json.loads(json.dumps(dict(prepared["extra"]), default=str)),
    )
    for name in ("palette", "logo", "favicon"):
        if prepared.theme.get(name) is not None:
            config["theme"][name] = prepared.theme[name]
    (kb.root / f"{MACROS_MODULE}.py").write_text("def define_env(env):\n    pass\n", encoding="utf-8")
    path = kb.root / CONFIG_NAME
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
