"""Checklist exports for PSA tickets: Markdown and plain text to paste into a ticket note, CSV and
JSON for a PSA's checklist or task import. Also the links `kb link` prints.

The ticket context (ticket, client, technician) is carried in the checklist URL's query string,
encoded exactly as the checklist page's JavaScript encodes it, so both give the same link.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from generator.core import urls
from generator.core.link import KnowledgeBase
from generator.core.model import Checklist

FORMATS = ("md", "txt", "csv", "json")
CSV_COLUMNS = ("checklist_id", "item_id", "text", "required", "evidence")
#: Query parameter names, in the order the page and `kb link` write them.
CONTEXT_FIELDS = ("ticket", "client", "tech")
_LABELS = {"ticket": "Ticket", "client": "Client", "tech": "Technician"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True)
class TicketContext:
    ticket: str | None = None
    client: str | None = None
    tech: str | None = None

    def fields(self) -> list[tuple[str, str]]:
        """(name, value) of each field given, whitespace folded."""
        out = []
        for name in CONTEXT_FIELDS:
            value = " ".join((getattr(self, name) or "").split())
            if value:
                out.append((name, value))
        return out


def link(kb: KnowledgeBase, checklist: Checklist, item: str | None = None,
         context: TicketContext = TicketContext()) -> str:
    """The absolute URL of a checklist (or one item) with the ticket context, ready to paste."""
    url = kb.site.base_url + urls.url_of(urls.doc_path("checklist", checklist.id))
    # encodeURIComponent's safe set, so the page's copy-link button gives the same string.
    query = "&".join(f"{name}={quote(value, safe='!~*()' + chr(39))}" for name, value in context.fields())
    return url + (f"?{query}" if query else "") + (f"#{item}" if item else "")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def as_markdown(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    # An autolink, so characters of a client name in the query string stay literal
    lines = [f"**{_md(checklist.title)}** (version {_md(checklist.version)})", "", f"<{link(kb, checklist, None, context)}>"]
    if context.fields():
        lines += ["", " · ".join(f"{_LABELS[name]}: {_md(value)}" for name, value in context.fields())]
    lines.append("")
    for item in checklist.items:
        optional = " *(optional)*" if not item.required else ""
        lines.append(f"- [ ] {_md(item.text)}{optional} `{item.id}`")
    return "\n".join(lines) + "\n"


def as_text(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    lines = [f"{' '.join(checklist.title.split())} (version {checklist.version})", link(kb, checklist, None, context)]
    if context.fields():
        lines.append("   ".join(f"{_LABELS[name]}: {value}" for name, value in context.fields()))
    lines.append("")
    for item in checklist.items:
        optional = " (optional)" if not item.required else ""
        lines.append(f"[ ] {' '.join(item.text.split())}{optional} [{item.id}]")
    return "\n".join(lines) + "\n"


def as_csv(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for item in checklist.items:
        writer.writerow([checklist.id, item.id, item.text, "true" if item.required else "false", item.evidence or ""])
    return out.getvalue()


def as_data(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> dict[str, Any]:
    return {
        "checklist": {
            "id": checklist.id,
            "title": checklist.title,
            "version": checklist.version,
            "revised": checklist.revised.isoformat() if checklist.revised else None,
            "url": link(kb, checklist, None, context),
        },
        "context": dict(context.fields()),
        "items": [
            {
                "id": item.id,
                "text": item.text,
                "required": item.required,
                "evidence": item.evidence,
                "url": link(kb, checklist, item.id, context),
                "controls": [{"framework": ref.framework, "id": ref.id} for ref in item.controls],
            }
            for item in checklist.items
        ],
        "sign_off": list(checklist.sign_off),
    }


def as_json(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    return json.dumps(as_data(kb, checklist, context), indent=2, ensure_ascii=False) + "\n"


_WRITERS = {"md": as_markdown, "txt": as_text, "csv": as_csv, "json": as_json}


def export(kb: KnowledgeBase, checklist: Checklist, fmt: str, context: TicketContext = TicketContext()) -> str:
    return _WRITERS[fmt](kb, checklist, context)


def write_site_files(kb: KnowledgeBase, site: Path) -> None:
    """Each checklist's exports beside its page (without ticket context), for the page's links."""
    for checklist in kb.checklists.values():
        folder = site / urls.url_of(urls.doc_path("checklist", checklist.id))
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in FORMATS:
            (folder / f"{checklist.id}.{fmt}").write_text(export(kb, checklist, fmt), encoding="utf-8")
