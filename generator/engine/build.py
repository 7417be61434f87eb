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
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import clean_directory

from generator.core import outdir, sanitise
from generator.core.cachedir import templates_cache
from generator.core.errors import BuildFailed, ContentError
from generator.core.feature import RenderContext
from generator.core.link import KnowledgeBase, load_knowledge_base
from generator.core.load import ParseCache
from generator.core.pipeline import after_build
from generator.core.render import Rendered, render
from generator.core.resources import TEMPLATES
from generator.engine import incremental, preview, static
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
#: Set by build_site: the pages it rendered, and its use of the incremental cache.
RENDERED_KEY = "kb_rendered"
PLAN_KEY = "kb_incremental"
KEEP = frozenset({".gitkeep"})


def _root(config: MkDocsConfig) -> Path:
    return Path(os.environ.get(ROOT_VARIABLE) or Path(config.config_file_path).parent).resolve()


def prepare(config: MkDocsConfig, kb: KnowledgeBase, ctx: RenderContext) -> MkDocsConfig:
    """Render the knowledge base into the docs folder and point MkDocs at it (build_site has
    done both already)."""
    rendered = config.get(RENDERED_KEY)
    docs = Path(config.get(DOCS_KEY) or config["docs_dir"])  # never shared with another build
    if rendered is None:
        rendered = render(kb, ctx, FEATURES)
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
_preview: dict[str, Any] = {"dirty": False, "everywhere": None, "sections": None, "started": None,
                            "finished": False}


def on_startup(command: str, dirty: bool) -> None:
    _preview.update(dirty=command == "serve" and dirty, everywhere=None, sections=None, started=None, finished=False)


def on_shutdown() -> None:
    _preview.update(dirty=False, everywhere=None, sections=None, started=None, finished=False)


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
    _preview["started"] = time.time_ns()
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


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    plan: incremental.Plan | None = config.get(PLAN_KEY)
    if plan is not None:
        plan.nav_pages = {page.file.src_uri for page in nav.pages}
    return nav


class _Doubt(Exception):
    """The incremental cache does not know a page it should: build clean instead."""


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """In an incremental build, give each page MkDocs will not redraw the title and anchors it
    had (what other pages show of it, and what their links are checked against), and note
    every page's, for the next build."""
    env.bytecode_cache = env.bytecode_cache or templates_cache("theme")  # the theme's compiled templates
    plan: incremental.Plan | None = config.get(PLAN_KEY)
    if plan is None:
        return env
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    redrawn = {page.file.src_uri for page in pages if not plan.dirty or page.file.is_modified()}
    in_nav = plan.nav_pages
    for page in pages:
        if page.file.src_uri in redrawn:
            anchors = page.present_anchor_ids
            plan.pages[page.file.src_uri] = incremental.PageState(
                title=page.title, anchors=None if anchors is None else sorted(anchors))
            continue
        known = plan.previous.pages.get(page.file.src_uri) if plan.previous else None
        if known is None:
            raise _Doubt(page.file.src_uri)
        plan.pages[page.file.src_uri] = known
        if page.file.src_uri in in_nav:  # the sidebar and footers of redrawn pages show it: its front matter too
            page.read_source(config)
        page._title_from_render = known.title
        page.present_anchor_ids = None if known.anchors is None else set(known.anchors)
    plan.order = [page.url for page in pages]
    plan.redrawn_urls = {page.url for page in pages if page.file.src_uri in redrawn}
    return env


@event_priority(-100)  # after Material's search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    """Files beside the pages: the permalink manifest, redirects of former ids, and each
    feature's files (checklist exports, PDFs); the same step `kb postbuild` runs on any
    engine's output. (build_site runs them itself, after copying MkDocs' output.)"""
    plan: incremental.Plan | None = config.get(PLAN_KEY)
    if plan is not None:
        index = Path(config["site_dir"]) / "search" / "search_index.json"
        if plan.dirty and plan.search_before is not None and index.is_file():
            merged = incremental.merge_search(plan.search_before, index.read_bytes(), plan.order, plan.redrawn_urls)
            index.write_bytes(merged.encode("utf-8"))
        return
    kb = config[KB_CONFIG_KEY]
    site = Path(config["site_dir"])
    # The Content-Security-Policy is left out of previews: live reload injects an inline script.
    done = _sanitised_before(site)
    _preview["finished"] = False
    after_build(kb, config[CONTEXT_KEY], site, FEATURES, csp=bool(config.get(sanitise.CSP_KEY)), sanitised=done)
    _preview["finished"] = True


def _sanitised_before(site: Path) -> set[str]:
    """In a dirty preview after a rebuild that finished, the pages this one did not write:
    sanitised by an earlier one (the rest, and every page of any other build, are sanitised
    now). A page written within two seconds before the rebuild started counts as written by
    it (coarse file times)."""
    started = _preview.get("started")
    if not _preview["dirty"] or started is None or not _preview.get("finished"):
        return set()
    cutoff = started - 2_000_000_000
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html") if path.stat().st_mtime_ns < cutoff}


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


def cores() -> int:
    """The processes render may use: this process may run on so many cores."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _mkdocs(kb: KnowledgeBase, ctx: RenderContext, config_file: Path, rendered: Rendered,
            plan: incremental.Plan) -> None:
    """MkDocs' build of the rendered pages into the cache's raw/ folder (dirty if plan says)."""
    plan.start()
    plan.write_docs(rendered.files)
    config = load_config(str(config_file), site_dir=str(plan.raw), hooks=[HOOK], docs_dir=str(plan.docs))
    config[KB_CONFIG_KEY] = kb
    config[CONTEXT_KEY] = ctx
    config[DOCS_KEY] = str(plan.docs)
    config[RENDERED_KEY] = rendered
    config[PLAN_KEY] = plan
    try:
        with preview.quiet_logs():  # drops MkDocs' dirty-build warning: the plan ruled it out
            mkdocs_build(config, dirty=plan.dirty)
    except SystemExit as error:  # MkDocs' Abort, or a plugin that exits
        raise BuildFailed(str(error) if isinstance(error, Abort) else f"a plugin stopped the build (exit {error.code})") from None


def build_site(kb: KnowledgeBase, ctx: RenderContext, out: Path, clean: bool = False) -> incremental.Plan:
    """Build a validated knowledge base into out, atomically: out changes only on success (the
    after-build steps, PDFs included, run on the staging folder before the swap). One build per
    out at a time (core/outdir.py). Incremental unless clean: only pages whose Markdown changed
    are redrawn, when nothing else did (engine/incremental.py); the site is the same either way."""
    out = out.resolve()
    with outdir.building(out, kb.root) as staging:
        rendered = render(kb, ctx, FEATURES, workers=cores())
        with _for_root(kb.root) as config_file:
            ours = static.settings(kb, ctx, rendered.nav)
            signature = incremental.signature(ours, ctx, {config_file, DEFAULT_CONFIG}, rendered.files)
            plan = incremental.plan(out, signature, clean)
            try:
                _mkdocs(kb, ctx, config_file, rendered, plan)
            except (_Doubt, BuildFailed):
                if not plan.dirty:
                    raise
                plan = incremental.plan(out, signature, clean=True)  # any doubt: a clean build
                _mkdocs(kb, ctx, config_file, rendered, plan)
        site = staging / "site"
        raw, done = plan.assemble(out, site, csp=True)
        after_build(kb, ctx, site, FEATURES, sanitised=done)
        plan.save(raw, site)
        outdir.swap_in(site, out)
    return plan


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
