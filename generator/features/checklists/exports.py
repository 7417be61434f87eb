"""Checklist exports for PSA tickets: Markdown, plain text and a rich-text HTML note to paste into
a ticket, CSV for a spreadsheet, JSON for scripts. Also the links `kb link` prints.

The ticket context (ticket, client, technician) is carried in the checklist URL's query string,
encoded exactly as the checklist page's JavaScript encodes it, so both give the same link.

Whatever the knowledge base holds is exported: the client copy of a knowledge base
(`for_audience(kb, "client")`) has no internal items, notes or owners, so neither has its
export. In an internal export they are there, and marked internal.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from generator.core import csvsafe, urls
from generator.core.link import KnowledgeBase
from generator.core.model import Checklist

#: What `kb export checklist` writes itself; the PSA formats are generator.features.checklists.psa's.
FORMATS = ("md", "txt", "csv", "json", "html")
#: What each checklist page offers for download (the page template lists the same four).
SITE_FORMATS = ("md", "txt", "csv", "json")
CSV_COLUMNS = ("position", "item_id", "text", "required", "evidence", "audience", "checklist_id",
               "checklist_title", "url")
#: Query parameter names, in the order the page and `kb link` write them.
CONTEXT_FIELDS = ("ticket", "client", "tech")
LABELS = {"ticket": "Ticket", "client": "Client", "tech": "Technician"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class TicketContext:
    ticket: str | None = None
    client: str | None = None
    tech: str | None = None
    #: Who the export is for: a client-visible ticket note ("client") or staff ("internal").
    audience: str = "internal"

    def fields(self) -> list[tuple[str, str]]:
        """(name, value) of each field given, whitespace folded."""
        out = []
        for name in CONTEXT_FIELDS:
            value = " ".join((getattr(self, name) or "").split())
            if value:
                out.append((name, value))
        return out


def _encode(value: str) -> str:
    # encodeURIComponent's safe set, so the page's copy-link button gives the same string.
    return quote(value, safe="!~*()" + chr(39))


def permalink(kb: KnowledgeBase, checklist: Checklist, item: str | None = None) -> str:
    """The checklist's (or an item's) permanent URL, without ticket context: what a PSA record
    keeps so a completed ticket leads back to the checklist."""
    return link(kb, checklist, item)


def link(kb: KnowledgeBase, checklist: Checklist, item: str | None = None,
         context: TicketContext = TicketContext()) -> str:
    """The absolute URL of a checklist (or one item) with the ticket context, ready to paste."""
    url = kb.site.base_url + urls.url_of(urls.doc_path("checklist", checklist.id))
    query = "&".join(f"{name}={_encode(value)}" for name, value in context.fields())
    return url + (f"?{query}" if query else "") + (f"#{item}" if item else "")


def link_template(kb: KnowledgeBase, checklist: Checklist, context: TicketContext = TicketContext(),
                  placeholders: dict[str, str] | None = None) -> str:
    """The checklist URL with every context field: the value given, else a placeholder
    (`{ticket}` by default) for whoever opens it from a ticket to fill in."""
    given = dict(context.fields())
    marks = placeholders if placeholders is not None else {name: "{" + name + "}" for name in CONTEXT_FIELDS}
    query = "&".join(f"{name}={_encode(given[name]) if name in given else marks[name]}"
                     for name in CONTEXT_FIELDS if name in given or name in marks)
    return permalink(kb, checklist) + (f"?{query}" if query else "")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _plain(text: str) -> str:
    return " ".join(text.split())


def as_markdown(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    # An autolink, so characters of a client name in the query string stay literal
    lines = [f"**{_md(checklist.title)}** (version {_md(checklist.version)})", "", f"<{link(kb, checklist, None, context)}>"]
    if context.fields():
        lines += ["", " · ".join(f"{LABELS[name]}: {_md(value)}" for name, value in context.fields())]
    lines.append("")
    for item in checklist.items:
        optional = " *(optional)*" if not item.required else ""
        internal = " **(internal)**" if item.audience == "internal" else ""
        lines.append(f"- [ ] {_md(item.text)}{optional}{internal} `{item.id}`")
        if item.evidence:
            # Four spaces: a nested list in CommonMark and in Python-Markdown alike
            lines.append(f"    - Evidence: {_md(item.evidence)}")
    if checklist.owner or checklist.internal_notes:
        lines += ["", "**Internal, staff only**", ""]
        lines += [f"- Owner: {_md(checklist.owner)}"] if checklist.owner else []
        lines += [f"- {_md(note)}" for note in checklist.internal_notes]
    return "\n".join(lines) + "\n"


def as_text(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    lines = [f"{_plain(checklist.title)} (version {checklist.version})", link(kb, checklist, None, context)]
    if context.fields():
        lines.append("   ".join(f"{LABELS[name]}: {value}" for name, value in context.fields()))
    lines.append("")
    for item in checklist.items:
        optional = " (optional)" if not item.required else ""
        internal = " (internal)" if item.audience == "internal" else ""
        lines.append(f"[ ] {_plain(item.text)}{optional}{internal} [{item.id}]")
        if item.evidence:
            lines.append(f"    Evidence: {_plain(item.evidence)}")
    if checklist.owner or checklist.internal_notes:
        lines += ["", "Internal, staff only:"]
        lines += [f"Owner: {_plain(checklist.owner)}"] if checklist.owner else []
        lines += [f"- {_plain(note)}" for note in checklist.internal_notes]
    return "\n".join(lines) + "\n"


def csv_rows(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> list[list[Any]]:
    return [
        [position, item.id, item.text, "true" if item.required else "false", item.evidence or "", item.audience,
         checklist.id, checklist.title, link(kb, checklist, item.id, context)]
        for position, item in enumerate(checklist.items, 1)
    ]


def as_csv(kb: KnowledgeBase, checklist: Checklist, context: TicketContext, excel: bool = False) -> str:
    """One row per item, in order, for a spreadsheet (or a PSA's import of one)."""
    return csvsafe.write(CSV_COLUMNS, csv_rows(kb, checklist, context), excel=excel)


def as_data(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> dict[str, Any]:
    return {
        "checklist": {
            "id": checklist.id,
            "title": checklist.title,
            "version": checklist.version,
            "revised": checklist.revised.isoformat() if checklist.revised else None,
            "url": link(kb, checklist, None, context),
            "permalink": permalink(kb, checklist),
            "owner": checklist.owner,
            "internal_notes": list(checklist.internal_notes),
        },
        "context": dict(context.fields()),
        "items": [
            {
                "position": position,
                "id": item.id,
                "text": item.text,
                "required": item.required,
                "evidence": item.evidence,
                "audience": item.audience,
                "url": link(kb, checklist, item.id, context),
                "permalink": permalink(kb, checklist, item.id),
                "controls": [{"framework": ref.framework, "id": ref.id} for ref in item.controls],
            }
            for position, item in enumerate(checklist.items, 1)
        ],
        "sign_off": list(checklist.sign_off),
    }


def as_json(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    return json.dumps(as_data(kb, checklist, context), indent=2, ensure_ascii=False) + "\n"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def as_html(kb: KnowledgeBase, checklist: Checklist, context: TicketContext) -> str:
    """A rich-text note for a PSA ticket: title, link, context, a box per item with its id and
    evidence, and (internal exports only) the staff-only notes."""
    return _environment().get_template("checklist-note.html.j2").render(
        checklist=checklist,
        url=link(kb, checklist, None, context),
        context=[(LABELS[name], value) for name, value in context.fields()],
        items=[(item, link(kb, checklist, item.id, context)) for item in checklist.items],
    )


def export(kb: KnowledgeBase, checklist: Checklist, fmt: str, context: TicketContext = TicketContext(),
           excel: bool = False) -> str:
    if fmt == "csv":
        return as_csv(kb, checklist, context, excel=excel)
    writers = {"md": as_markdown, "txt": as_text, "json": as_json, "html": as_html}
    return writers[fmt](kb, checklist, context)


def write_site_files(kb: KnowledgeBase, site: Path) -> None:
    """Each checklist's exports beside its page (without ticket context), for the page's links."""
    for checklist in kb.checklists.values():
        folder = site / urls.url_of(urls.doc_path("checklist", checklist.id))
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in SITE_FORMATS:
            (folder / f"{checklist.id}.{fmt}").write_text(export(kb, checklist, fmt), encoding="utf-8")
