"""Incremental `kb build`: after an edit, MkDocs redraws only the pages whose Markdown changed,
and the site is byte for byte the one a clean build makes (a property test holds it to that).

Per output folder, a cache outside the knowledge base keeps the rendered Markdown (docs/),
MkDocs' own output before the after-build steps (raw/) and state.json: what the last build was
built from (its signature), the hash of every docs, raw and final file, and each page's title
and anchors (which MkDocs would otherwise only know by redrawing the page). A build is
incremental only when the signature is the same (generator and engine versions, settings, full
nav, theme, today's date, audience, the set of files): then only a page's own Markdown changed,
which only its own page shows. Anything else, and any doubt (no state, a state that does not
parse or match, a dirty build that fails), is a clean build.

The cache lives in the user's cache folder (core/cachedir.py), never in the knowledge base, so
a repository cannot plant one; a final page is reused only when both its raw page and
the page in the output folder still have the hashes this cache recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from generator import __version__
from generator.core import sanitise
from generator.core.cachedir import cache_home
from generator.core.feature import RenderContext
from generator.core.resources import TEMPLATES

STATE = "state.json"
#: What the output depends on besides the knowledge base: a new version of any is a clean build.
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "mkdocs-macros-plugin", "jinja2")
#: mtime given to docs files that did not change: older than any page MkDocs wrote, so its
#: dirty build (which redraws a page whose Markdown is newer than its HTML) leaves them alone.
UNCHANGED_NS = 1_000_000_000
#: Folders of docs/ whose pages are always redrawn: hand-written pages run macros that read
#: the whole knowledge base.
ALWAYS = ("pages/",)


class PageState(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    title: str | None
    anchors: list[str] | None


class RawFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    sha: str
    stat: list[int]


class State(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    version: Literal[2]
    signature: str
    docs: dict[str, str]
    pages: dict[str, PageState]
    #: MkDocs' output: each file's hash, and its stat (unchanged stat: no need to read it).
    raw: dict[str, RawFile]
    #: The published site's files that came from raw/: their stat, to tell they are unaltered.
    final: dict[str, list[int]]


def _stat(path: Path) -> list[int] | None:
    """What tells a file was not rewritten: device, inode, size, mtime (None: not a regular file)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns] if stat.S_ISREG(st.st_mode) else None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _versions() -> dict[str, str]:
    out = {"generator": __version__, "python": sys.version}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "absent"
    return out


def _folder_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): _sha(p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()}


def signature(settings: dict[str, Any], ctx: RenderContext, config_files: Iterable[Path], docs: Iterable[str]) -> str:
    """Everything a page shows besides its own Markdown, and the set of pages."""
    value = {
        "versions": _versions(),
        "code": _folder_digest(Path(__file__).resolve().parents[1]),  # the generator itself
        "templates": _folder_digest(TEMPLATES),
        "settings": settings,
        "context": [str(ctx.today), ctx.audience, ctx.client, sorted(ctx.flags)],
        "config": {str(p): _sha(p.read_bytes()) for p in config_files if p.is_file()},
        "docs": sorted(docs),
    }
    return _sha(json.dumps(value, sort_keys=True, default=str).encode())


def _load(path: Path) -> State | None:
    try:
        return State.model_validate_json(path.read_bytes())
    except (OSError, ValueError, ValidationError):
        return None  # missing, unreadable or not ours: a clean build


@dataclass
class Plan:
    """One build's use of the cache: whether MkDocs builds dirty, and what it found."""

    folder: Path
    signature: str
    previous: State | None
    dirty: bool
    docs_hashes: dict[str, str] = field(default_factory=dict)
    #: Filled by the hook: title and anchors of every page after the build; how many it redrew.
    pages: dict[str, PageState] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    nav_pages: set[str] = field(default_factory=set)
    redrawn_urls: set[str] = field(default_factory=set)
    #: The search index before this build (dirty builds only index the pages they redraw).
    search_before: bytes | None = None

    @property
    def redrawn(self) -> int:
        return len(self.redrawn_urls)

    @property
    def total(self) -> int:
        return len(self.order)

    def __repr__(self) -> str:  # short: mkdocs-macros prints the MkDocs config, which carries it
        return f"Plan({self.folder}, dirty={self.dirty})"

    @property
    def docs(self) -> Path:
        return self.folder / "docs"

    @property
    def raw(self) -> Path:
        return self.folder / "raw"

    def write_docs(self, files: dict[str, str | bytes]) -> None:
        """Make docs/ hold exactly files; a file that did not change keeps an old mtime, so
        MkDocs' dirty build does not redraw its page."""
        previous = self.previous.docs if self.previous and self.dirty else {}
        self.docs.mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            digest = self.docs_hashes[rel] = _sha(data)
            path = self.docs / rel
            if previous.get(rel) == digest and path.is_file() and not rel.startswith(ALWAYS):
                os.utime(path, ns=(UNCHANGED_NS, UNCHANGED_NS))
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for path in sorted(self.docs.rglob("*"), reverse=True):
            if path.is_file() and path.relative_to(self.docs).as_posix() not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()

    def start(self) -> None:
        """Forget the state until this build succeeds: a build that stops half way leaves raw/
        and docs/ in no known state, so the next one is clean."""
        index = self.raw / "search" / "search_index.json"
        if self.dirty and self.previous and index.is_file():
            data = index.read_bytes()
            known = self.previous.raw.get("search/search_index.json")
            self.search_before = data if known and known.sha == _sha(data) else None
            self.dirty = self.search_before is not None
        (self.folder / STATE).unlink(missing_ok=True)
        if not self.dirty:
            shutil.rmtree(self.raw, ignore_errors=True)

    def assemble(self, out: Path, site: Path, csp: bool) -> tuple[dict[str, RawFile], set[str]]:
        """Copy raw/ into site, every page sanitised on the way (core/sanitise.py, as the
        after-build steps would: read and written once); a file the last build made from the
        same raw file is taken from out as published (if out still has it, unaltered). The raw
        files' state, and the pages done (the after-build steps leave them as they are)."""
        raw: dict[str, RawFile] = {}
        sanitised: set[str] = set()
        before = self.previous if self.dirty else None
        for folder, _, names in os.walk(self.raw):
            here = Path(folder)
            (site / here.relative_to(self.raw)).mkdir(parents=True, exist_ok=True)
            for name in names:
                path = here / name
                rel = path.relative_to(self.raw).as_posix()
                now = _stat(path)
                if now is None:
                    continue
                known = before.raw.get(rel) if before else None
                digest = known.sha if known and known.stat == now else _sha(path.read_bytes())
                raw[rel] = RawFile(sha=digest, stat=now)
                if before and known and known.sha == digest and before.final.get(rel) == _stat(out / rel):
                    _link_or_copy(out / rel, site / rel)
                    sanitised.add(rel)
                elif rel.endswith(".html"):
                    (site / rel).write_text(sanitise.clean(path.read_text(encoding="utf-8"), csp)[0], encoding="utf-8")
                    sanitised.add(rel)
                else:
                    shutil.copyfile(path, site / rel)
        return raw, sanitised

    def save(self, raw: dict[str, RawFile], site: Path) -> None:
        final = {rel: now for rel in raw if (now := _stat(site / rel)) is not None}
        state = State(version=2, signature=self.signature, docs=self.docs_hashes, pages=self.pages, raw=raw,
                      final=final)
        temporary = self.folder / f"{STATE}.tmp"
        temporary.write_text(state.model_dump_json(), encoding="utf-8")
        os.replace(temporary, self.folder / STATE)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (the file is not written again: after-build steps only add files, and
    sanitise only the pages not reused), or a copy where links are not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def plan(out: Path, signature_now: str, clean: bool = False) -> Plan:
    folder = cache_home() / "builds" / _sha(str(out.resolve()).encode())[:32]
    folder.mkdir(parents=True, exist_ok=True)
    previous = None if clean else _load(folder / STATE)
    dirty = previous is not None and previous.signature == signature_now and (folder / "raw").is_dir()
    return Plan(folder, signature_now, previous, dirty)


def merge_search(before: bytes, after: bytes, order: Iterable[str], redrawn: set[str]) -> str:
    """The search index a clean build writes, from the last build's and this dirty build's
    (which has entries for the redrawn pages only): each page's entries, in page order,
    written as Material's search plugin writes them."""
    old, new = json.loads(before), json.loads(after)

    def by_page(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            groups.setdefault(str(entry["location"]).split("#", 1)[0], []).append(entry)
        return groups

    old_pages, new_pages = by_page(old["docs"]), by_page(new["docs"])
    docs = [entry for url in order for entry in (new_pages if url in redrawn else old_pages).get(url, [])]
    return json.dumps({"config": new["config"], "docs": docs}, separators=(",", ":"), default=str)
