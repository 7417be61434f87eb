"""The MkDocs settings a knowledge base needs, as data: the hook applies them to the config of a
running build; `kb render` writes them, with the rendered Markdown, into a static mkdocs.yml
that any MkDocs-compatible engine builds without our hook."""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import yaml

from generator.core import branding
from generator.core.feature import RenderContext
from generator.core.link import KnowledgeBase
from generator.core.render import Rendered
from generator.core.resources import TEMPLATES

DEFAULT_CONFIG = TEMPLATES / "mkdocs.yml"
CSS = ["assets/kb/kb.css", "assets/kb/checklist.css"]
JAVASCRIPT = ["assets/kb/kb.js", "assets/kb/checklist.js"]


def escaped_nav(nav: Any) -> Any:
    """Nav titles come from YAML, and MkDocs' theme templates insert them unescaped."""
    if isinstance(nav, list):
        return [escaped_nav(entry) for entry in nav]
    if isinstance(nav, dict):
        return {html.escape(" ".join(str(title).split())): escaped_nav(value) for title, value in nav.items()}
    return nav


def settings(kb: KnowledgeBase, ctx: RenderContext, nav: Any) -> dict[str, Any]:
    """Config values from the knowledge base. MkDocs' theme templates insert names and footers
    without escaping (they allow HTML), so they are escaped here."""
    theme: dict[str, Any] = {"palette": {"primary": "custom", "accent": "custom"}}  # white label
    for field in ("logo", "favicon"):
        if (path := branding.asset_path(kb, field)) is not None:
            theme[field] = path
    return {
        "nav": escaped_nav(nav),
        "site_name": html.escape(kb.site.title),
        "site_url": kb.site.base_url,
        "site_description": html.escape(kb.site.description) if kb.site.description else None,
        "copyright": html.escape(kb.site.branding.footer or f"© {kb.site.organisation}"),
        "extra_css": [branding.CSS, *CSS],
        "extra_javascript": JAVASCRIPT,
        "theme": theme,
        "extra": {"kb_brand": {
            "organisation": kb.site.organisation,
            "contact": kb.site.contact.model_dump(exclude_none=True),
            "client": ctx.client,
            "audience": ctx.audience,
        }},
    }


def write_files(files: dict[str, str | bytes], folder: Path, keep: frozenset[str] = frozenset()) -> None:
    """Make folder hold exactly files, touching only what changed (so live reload settles)."""
    folder.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = folder / rel
        data = content.encode("utf-8") if isinstance(content, str) else content
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in files and path.name not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def write_static(kb: KnowledgeBase, ctx: RenderContext, rendered: Rendered, out: Path) -> Path:
    """out/docs (the Markdown), out/overrides (the theme's), and out/mkdocs.yml: the default
    configuration with every setting of the knowledge base written in, and no hook. Hand-written
    pages still use the macros plugin, which finds the knowledge base through `extra.kb_root`."""
    write_files(rendered.files, out / "docs")
    shutil.rmtree(out / "overrides", ignore_errors=True)
    shutil.copytree(TEMPLATES / "overrides", out / "overrides")
    config = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    ours = settings(kb, ctx, rendered.nav)
    config |= {key: value for key, value in ours.items() if key not in ("theme", "extra", "extra_css", "extra_javascript")}
    config["docs_dir"], config["site_dir"] = "docs", "site"
    config["theme"] = {**config["theme"], **ours["theme"], "custom_dir": "overrides"}
    config["extra_css"] = [*config.get("extra_css", []), *ours["extra_css"]]
    config["extra_javascript"] = [*config.get("extra_javascript", []), *ours["extra_javascript"]]
    config["extra"] = {**config.get("extra", {}), **ours["extra"],
                       "kb_root": str(kb.root), "kb_audience": ctx.audience}
    target = out / "mkdocs.yml"
    header = "# Written by `kb render`: a static configuration of the rendered pages (no hook).\n"
    target.write_text(header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target
