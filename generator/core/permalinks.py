"""Permanent links: the manifest of every published URL, redirects from former ids, and the check
that no id published in an earlier manifest has vanished without an alias.

A link pasted into a ticket must keep working for years, so ids are compared, never titles.
The manifest writes one entry per line, so a problem can name the line of the old manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.core import urls
from generator.core.errors import ContentError, Problem
from generator.core.feature import RenderContext
from generator.core.link import KnowledgeBase
from generator.core.render import environment, hand_written_pages

MANIFEST = "permalinks.json"
FORMAT = 1
#: Kinds whose entities have a page of their own, so a former id gets a redirect page.
PAGE_KINDS = ("persona", "playbook", "checklist", "term", "case-study")
#: Kinds published as anchors on one page, listed in the manifest like the others.
ANCHOR_KINDS = ("faq", "statistic", "takeaway")

Key = tuple[str, str, str]  # (kind, parent id or "", id)


def content_hash(value: BaseModel | str) -> str:
    """A short, stable fingerprint of what a URL shows, to tell which pages changed."""
    text = value if isinstance(value, str) else json.dumps(
        value.model_dump(mode="json"), sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entries(kb: KnowledgeBase, ctx: RenderContext) -> list[dict[str, Any]]:
    """Every published page and item URL, in a stable order."""
    base = kb.site.base_url
    out: list[dict[str, Any]] = []

    def add(kind: str, entity_id: str, path: str, title: str, digest: str,
            aliases: list[str] | None = None, **parent: str) -> None:
        url = urls.url_of(path)
        entry = {"kind": kind, **parent, "id": entity_id, "path": url, "url": base + url, "title": title, "hash": digest}
        out.append(entry | ({"aliases": aliases} if aliases else {}))

    for kind in (*PAGE_KINDS, *ANCHOR_KINDS):
        for entity in kb.entities(kind).values():
            add(kind, entity.id, urls.doc_path(kind, entity.id), entity.display_name, content_hash(entity),
                aliases=list(entity.aliases))
            if kind == "checklist":
                for item in entity.items:
                    add("checklist-item", item.id, f"{urls.doc_path(kind, entity.id)}#{item.id}", item.text,
                        content_hash(item), checklist=entity.id, aliases=list(item.aliases))
    for framework in kb.frameworks.values():
        add("framework", framework.id, urls.doc_path("framework", framework.id), framework.name,
            content_hash(framework.model_copy(update={"controls": []})))
    for node in kb.controls.values():
        control = node.control.model_copy(update={"children": []})
        add("control", node.control.id, urls.control_doc_path(*node.key), node.control.title,
            content_hash(control), framework=node.framework.id)
    for path, text in hand_written_pages(kb, ctx).items():
        heading = re.search(r"^# (.+)$", text, re.M)
        stem = Path(path).stem
        add("page", stem, path, heading.group(1).strip() if heading else stem, content_hash(text))
    return out


def manifest_text(kb: KnowledgeBase, ctx: RenderContext) -> str:
    """JSON with one entry per line (diffable, and problems can name the entry's line)."""
    lines = [json.dumps(entry, ensure_ascii=False) for entry in entries(kb, ctx)]
    head = json.dumps({"format": FORMAT, "base_url": kb.site.base_url})[:-1]
    return head + ', "entries": [\n' + ",\n".join(lines) + "\n]}\n"


def _key(entry: dict[str, Any], entity_id: str | None = None) -> Key:
    parent = entry.get("checklist") or entry.get("framework") or ""
    return entry["kind"], parent, entity_id or entry["id"]


def _live_keys(kb: KnowledgeBase) -> set[Key]:
    """Every (kind, parent, id) that resolves today, through current ids and aliases alike."""
    keys: set[Key] = set()
    everything = RenderContext(today=dt.date.min)  # the internal build: every page there is
    for entry in entries(kb, everything):
        if entry["kind"] != "checklist-item":
            for name in [entry["id"], *entry.get("aliases", [])]:
                keys.add(_key(entry, name))
    for checklist in kb.checklists.values():
        for parent in [checklist.id, *checklist.aliases]:
            for item in checklist.items:
                for name in [item.id, *item.aliases]:
                    keys.add(("checklist-item", parent, name))
    return keys


def _published(path: Path, shown: str) -> Iterator[tuple[int, Key, str]]:
    """(line, key, url) of every id an old manifest published, former ids included."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        listed = data["entries"]
        assert isinstance(listed, list) and all(isinstance(e, dict) and "kind" in e and "id" in e for e in listed)
    except (ValueError, KeyError, TypeError, AssertionError) as error:
        detail = f": {error.msg} (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise ContentError([Problem(shown, getattr(error, "lineno", 1),
                                    f"not a permalink manifest written by `kb build`{detail}")]) from None
    entry_lines = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith('{"kind"')]
    if len(entry_lines) != len(listed):  # reformatted by hand: point at the top instead
        entry_lines = [1] * len(listed)
    for line, entry in zip(entry_lines, listed, strict=True):
        for name in [entry["id"], *entry.get("aliases", [])]:
            yield line, _key(entry, name), entry.get("url", "")


def _describe(key: Key, url: str) -> str:
    kind, parent, entity_id = key
    if kind == "checklist-item":
        return (f"checklist item '{entity_id}' of checklist '{parent}' was published ({url}) and is gone; "
                f"list '{entity_id}' under `aliases` of the item that replaces it")
    if kind == "control":
        return f"control '{entity_id}' of framework '{parent}' was published ({url}) and is gone; restore it"
    if kind == "framework":
        return f"framework '{entity_id}' was published ({url}) and is gone; restore it"
    if kind == "page":
        return f"page '{entity_id}' was published ({url}) and is gone; restore content/pages/{entity_id}.md"
    return (f"{kind} '{entity_id}' was published ({url}) and is gone; "
            f"list '{entity_id}' under `aliases` of the {kind} that replaces it")


def check_since(kb: KnowledgeBase, old_manifest: Path, shown: str | None = None) -> None:
    """Raise a ContentError naming every id of old_manifest that no longer resolves."""
    shown = shown or old_manifest.as_posix()
    live = _live_keys(kb)
    problems = [Problem(shown, line, _describe(key, url))
                for line, key, url in _published(old_manifest, shown) if key not in live]
    if problems:
        raise ContentError(problems)


def redirects(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    """Site file of each former id's page -> (relative URL, absolute URL) of the page replacing it."""
    out: dict[str, tuple[str, str]] = {}
    for kind in PAGE_KINDS:
        for entity in kb.entities(kind).values():
            new = urls.doc_path(kind, entity.id)
            for alias in entity.aliases:
                old = urls.doc_path(kind, alias)
                out[urls.url_of(old) + "index.html"] = (urls.relative_url(new, old), kb.site.base_url + urls.url_of(new))
    return out


def write_site_files(kb: KnowledgeBase, ctx: RenderContext, site: Path) -> None:
    """The manifest and one redirect page per former id (keeping ?ticket=... and #item)."""
    (site / MANIFEST).write_text(manifest_text(kb, ctx), encoding="utf-8")
    template = environment().get_template("redirect.html.j2")
    for path, (target, canonical) in redirects(kb).items():
        page = site / path
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(template.render(target=target, canonical=canonical), encoding="utf-8")
