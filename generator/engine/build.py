"""Stage 5, build: the only module that knows MkDocs (besides the macros entry point).

It is also the MkDocs hook named in mkdocs.yml, so `mkdocs build` and `mkdocs serve` run the
whole pipeline too: on_config loads, links and renders the knowledge base into a docs folder of
its own and hands MkDocs the nav. `kb build` builds into a temporary folder and swaps it in on
success, so bad content never leaves a half-built or deleted site.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import clean_directory

from generator.core import outdir, sanitise
from generator.core.errors import BuildFailed, ContentError
from generator.core.feature import RenderContext
from generator.core.link import KnowledgeBase, load_knowledge_base
from generator.core.load import ParseCache
from generator.core.pipeline import after_build
from generator.core.render import render
from generator.core.resources import TEMPLATES
from generator.engine import preview, static
from generator.engine.static import write_files
from generator.features import FEATURES

#: The generator's own MkDocs configuration, used for any knowledge base root.
DEFAULT_CONFIG = static.DEFAULT_CONFIG
#: This module is also the MkDocs hook; `kb build` and `kb serve` hand it to MkDocs.
HOOK = str(Path(__file__).resolve())
ROOT_VARIABLE = "KB_ROOT"
KB_CONFIG_KEY = "kb_knowledge_base"
CONTEXT_KEY = "kb_render_context"
DOCS_KEY = "kb_docs_dir"
KEEP = frozenset({".gitkeep"})


def _root(config: MkDocsConfig) -> Path:
    return Path(os.environ.get(ROOT_VARIABLE) or Path(config.config_file_path).parent).resolve()


def prepare(config: MkDocsConfig, kb: KnowledgeBase, ctx: RenderContext) -> MkDocsConfig:
    """Render the knowledge base into the docs folder and point MkDocs at it."""
    rendered = render(kb, ctx, FEATURES)
    docs = Path(config.get(DOCS_KEY) or config["docs_dir"])  # never shared with another build
    write_files(rendered.files, docs, KEEP)
    config["docs_dir"] = str(docs)
    ours = static.settings(kb, ctx, rendered.nav)
    for key in ("nav", "site_name", "site_description", "copyright"):
        config[key] = ours[key]
    config["site_url"] = config["site_url"] or ours["site_url"]
    config["extra_css"] = [*config["extra_css"], *ours["extra_css"]]
    config["extra_javascript"] = [*config["extra_javascript"], *ours["extra_javascript"]]
    for key, value in ours["theme"].items():
        config.theme[key] = value
    config["extra"].update(ours["extra"])
    config[KB_CONFIG_KEY] = kb
    config[CONTEXT_KEY] = ctx
    return config


@event_priority(100)  # before mkdocs-macros, whose define_env reads the knowledge base
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    kb = config.get(KB_CONFIG_KEY)  # handed over by build_site, already validated
    ctx = config.get(CONTEXT_KEY) or RenderContext(today=_today())
    if kb is None:
        try:
            kb = load_knowledge_base(_root(config), FEATURES)
        except ContentError as error:
            raise PluginError(f"the knowledge base has problems:\n{error}") from None
    return prepare(config, kb, ctx)


def _today() -> dt.date:
    """Plain `mkdocs build` / `mkdocs serve`: $KB_TODAY, else the system date."""
    value = os.environ.get("KB_TODAY", "").strip()
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        raise PluginError(f"KB_TODAY: '{value}' is not a date (expected YYYY-MM-DD)") from None


#: `kb serve` rebuilds only the pages whose Markdown changed (MkDocs' dirty build). MkDocs
#: loads this hook once per process, so this state lives across the preview's rebuilds.
_preview: dict[str, Any] = {"dirty": False, "everywhere": None, "sections": None}


def on_startup(command: str, dirty: bool) -> None:
    _preview.update(dirty=command == "serve" and dirty, everywhere=None, sections=None)


def on_shutdown() -> None:
    _preview.update(dirty=False, everywhere=None, sections=None)


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, default=str, sort_keys=True).encode()).hexdigest()


def _shown_everywhere(config: MkDocsConfig) -> str:
    """What every page shows besides its own Markdown: site settings, theme, top-level nav.
    (With navigation.prune, a page outside a nav section shows only the top level.)"""
    custom = config.theme.custom_dir
    theme_files = sorted((str(p), p.stat().st_mtime_ns) for p in Path(custom).rglob("*") if p.is_file()) if custom else []
    top = [{title: value[0] if isinstance(value, list) else value for title, value in entry.items()}
           if isinstance(entry, dict) else entry for entry in config["nav"] or []]
    return _digest([top, config["site_name"], config["site_url"], config["site_description"],
                    config["copyright"], config["extra_css"], config["extra_javascript"], dict(config["extra"]),
                    {k: config.theme.get(k) for k in ("palette", "logo", "favicon")}, theme_files])


def _nav_pages(nav: Any) -> Iterator[str]:
    if isinstance(nav, list):
        for entry in nav:
            yield from _nav_pages(entry)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)
    elif isinstance(nav, str):
        yield nav


@event_priority(-100)  # after the other plugins' on_pre_build
def on_pre_build(config: MkDocsConfig) -> None:
    """In a dirty preview, rebuild every page when what every page shows has changed; when a
    nav section has changed, its pages and the pages whose footer links into it; and always
    the hand-written pages (their macros read the whole knowledge base). MkDocs rebuilds a page
    when its Markdown is newer than its HTML."""
    if not _preview["dirty"]:
        return
    docs = Path(config["docs_dir"])
    everywhere = _shown_everywhere(config)
    sections = [list(_nav_pages(entry)) for entry in config["nav"] or []]
    digests = [_digest(entry) for entry in config["nav"] or []]
    if _preview["everywhere"] not in (None, everywhere):
        clean_directory(config["site_dir"])
    elif _preview["sections"] is not None:
        for i, digest in enumerate(digests):
            if digest != _preview["sections"][i]:  # same top level, so the same sections
                neighbours = sections[i - 1][-1:] if i else []
                neighbours += sections[i + 1][:1] if i + 1 < len(sections) else []
                for page in sections[i] + neighbours:
                    if (docs / page).is_file():
                        (docs / page).touch()
    _preview.update(everywhere=everywhere, sections=digests)
    for hand_written in (docs / "pages").glob("*.md"):
        hand_written.touch()


@event_priority(-100)  # after Material's search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    """Files beside the pages: the permalink manifest, redirects of former ids, and each
    feature's files (checklist exports, PDFs); the same step `kb postbuild` runs on any
    engine's output."""
    kb = config[KB_CONFIG_KEY]
    site = Path(config["site_dir"])
    # The Content-Security-Policy is left out of previews: live reload injects an inline script.
    after_build(kb, config[CONTEXT_KEY], site, FEATURES, csp=bool(config.get(sanitise.CSP_KEY)))


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    root = _root(config)
    for name in ("content", "frameworks"):
        if (root / name).is_dir():
            server.watch(str(root / name))
    server.watch(str(TEMPLATES))
    # build/docs is our own output, rewritten by on_config on every rebuild: watched as the
    # docs_dir, it made every edit rebuild the whole site twice.
    server.unwatch(config.docs_dir)
    preview.show_errors(server)  # a content error shows as a page, not a request that hangs
    return server


@contextlib.contextmanager
def _for_root(root: Path) -> Iterator[Path]:
    """The config file to use for root, with the hook pointed at root for the duration."""
    own = root / "mkdocs.yml"
    previous = os.environ.get(ROOT_VARIABLE)
    os.environ[ROOT_VARIABLE] = str(root.resolve())
    try:
        yield own if own.is_file() else DEFAULT_CONFIG
    finally:
        if previous is None:
            os.environ.pop(ROOT_VARIABLE, None)
        else:
            os.environ[ROOT_VARIABLE] = previous


def build_site(kb: KnowledgeBase, ctx: RenderContext, out: Path) -> None:
    """Build a validated knowledge base into out, atomically: out changes only on success (the
    after-build steps, PDFs included, run on the staging folder before the swap). Each build
    renders into its own staging folder, one build per out at a time (core/outdir.py)."""
    out = out.resolve()
    outdir.guard(out, kb.root)
    with outdir.lock(out):
        outdir.clean_stale(out)
        staging = outdir.staging(out)
        try:
            (staging / "docs").mkdir()
            with _for_root(kb.root) as config_file:
                config = load_config(str(config_file), site_dir=str(staging / "site"), hooks=[HOOK],
                                     docs_dir=str(staging / "docs"))
                config[KB_CONFIG_KEY] = kb
                config[CONTEXT_KEY] = ctx
                config[DOCS_KEY] = str(staging / "docs")
                config[sanitise.CSP_KEY] = True
                try:
                    mkdocs_build(config)
                except SystemExit as error:  # MkDocs' Abort, or a plugin that exits
                    raise BuildFailed(str(error) if isinstance(error, Abort) else f"a plugin stopped the build (exit {error.code})") from None
            outdir.swap_in(staging / "site", out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def serve(root: Path, address: str) -> None:
    """Live preview: editing YAML, a template or a page rebuilds and reloads the browser."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    # MkDocs warns on every dirty build, and strict mode would fail the preview on it; the hook
    # above rebuilds everything when nav or theme change, so the warning does not apply. It goes
    # with the rest of the per-build chatter (preview.CHATTER).
    ParseCache.keep_in_memory = True
    try:
        with _for_root(root) as config_file, preview.quiet_logs():
            mkdocs_serve(config_file=str(config_file), dev_addr=address, livereload=True, build_type="dirty", hooks=[HOOK],
                         docs_dir=str(outdir.private_docs()))
    finally:
        ParseCache.keep_in_memory = False
        ParseCache.forget()
