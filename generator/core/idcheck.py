"""Ids that would silently lose a page or an anchor.

An id becomes a file name, a URL and an HTML id, so beyond being well formed it must not:
- take a name the site itself uses: `index` (a section's own page), ids starting with `kb-`
  (the ids of the pages' own parts, such as `kb-sign-off`), `check-` on checklists (the
  items' checkboxes), or the anchor of the page's title;
- collide with another id once made into a file name (controls: `TENET.1` and `tenet-1`,
  `Index` and `index`), or make no file name at all (`+++`);
- be longer than MAX_LENGTH characters (file names have a limit; URLs in tickets should be short).

`problems(kb)` reports each at the id's line; `reserved(kind, id)` serves `kb new`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from generator.core.errors import Problem
from generator.core.kinds import BY_NAME, NAMES, section_heading
from generator.core.urls import control_slug

if TYPE_CHECKING:
    from generator.core.link import KnowledgeBase

MAX_LENGTH = 100
PAGE_PARTS = "kb-"
CHECKBOXES = "check-"


def heading_id(title: str) -> str:
    """The id Python-Markdown's toc gives a heading (its default slugify)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def reserved(kind: str, entity_id: str, sections: dict[str, str] | None = None) -> str | None:
    """Why entity_id cannot be the id of a new `kind`, or None (for `kb new`). sections are the
    site's renamed sections (an anchor kind's entities share a page with its heading)."""
    if len(entity_id) > MAX_LENGTH:
        return f"'{entity_id[:20]}...' is {len(entity_id)} characters long; ids have at most {MAX_LENGTH}"
    spec = BY_NAME[kind]
    if spec.page_template is None:
        if entity_id.startswith(PAGE_PARTS):
            return f"'{entity_id}' is reserved: ids starting with '{PAGE_PARTS}' name the pages' own parts"
        if entity_id == heading_id(section_heading(kind, sections or {})):
            return f"'{entity_id}' is reserved: it is the anchor of the {spec.url_folder} page's title"
    elif entity_id == "index":
        return f"'index' is reserved: it would replace the {spec.url_folder} section's own page"
    return None


def _where(node: Any, field: str = "id") -> tuple[str, int]:
    return node.where_field(field)  # type: ignore[no-any-return]


def _ids(node: Any) -> Iterator[tuple[str, str]]:
    """(field, id) of node's id and former ids."""
    yield "id", node.id
    for alias in getattr(node, "aliases", []):
        yield "aliases", alias


def _anchor_problems(owner: str, parts: Iterable[Any], what: str, title_anchor: str,
                     extra_prefix: str | None = None) -> Iterator[Problem]:
    for part in parts:
        for field, value in _ids(part):
            label = "former id" if field == "aliases" else "id"
            if value.startswith(PAGE_PARTS):
                yield Problem(*_where(part, field), f"{what} {label} '{value}' in '{owner}' is reserved: ids starting "
                                                    f"with '{PAGE_PARTS}' name the page's own parts (choose another)")
            elif extra_prefix and value.startswith(extra_prefix):
                yield Problem(*_where(part, field), f"{what} {label} '{value}' in '{owner}' is reserved: ids starting "
                                                    f"with '{extra_prefix}' name the items' checkboxes (choose another)")
            elif value == title_anchor:
                yield Problem(*_where(part, field), f"{what} {label} '{value}' in '{owner}' is the anchor of the "
                                                    "page's title (choose another)")


def _length_problems(nodes: Iterable[Any], what: str) -> Iterator[Problem]:
    for node in nodes:
        for field, value in _ids(node):
            if len(value) > MAX_LENGTH:
                yield Problem(*_where(node, field), f"{what} id '{value[:20]}...' is {len(value)} characters long; "
                                                    f"ids have at most {MAX_LENGTH} (they become file names and URLs)")


def problems(kb: KnowledgeBase) -> list[Problem]:
    found: list[Problem] = []
    found += _length_problems(kb.frameworks.values(), "framework")
    for kind in NAMES:
        entities = list(kb.entities(kind).values())
        found += _length_problems(entities, kind)
        for entity in entities:
            for field, value in _ids(entity):
                if (reason := reserved(kind, value, kb.site.sections)) is not None and len(value) <= MAX_LENGTH:
                    label = "former id" if field == "aliases" else "id"
                    found.append(Problem(*_where(entity, field), f"{kind} {label} {reason} (choose another)"))
    for checklist in kb.checklists.values():
        found += _length_problems(checklist.items, "item")
        found += _anchor_problems(checklist.id, checklist.items, "item", heading_id(checklist.title), CHECKBOXES)
    for playbook in kb.playbooks.values():
        found += _length_problems(playbook.steps, "step")
        found += _anchor_problems(playbook.id, playbook.steps, "step", heading_id(playbook.title))
    pages: dict[tuple[str, str], Any] = {}
    for (framework, control_id), node in kb.controls.items():
        control, slug = node.control, control_slug(control_id)
        if len(control_id) > MAX_LENGTH:
            found.append(Problem(*_where(control), f"control id '{control_id[:20]}...' is {len(control_id)} characters "
                                                   f"long; ids have at most {MAX_LENGTH} (they become file names and URLs)"))
        elif not slug:
            found.append(Problem(*_where(control), f"control id '{control_id}' has no letters or digits, so it cannot "
                                                   "name a page"))
        elif slug == "index" or slug.startswith(PAGE_PARTS):
            found.append(Problem(*_where(control), f"control id '{control_id}' is reserved: as a page it would be "
                                                   f"'{slug}', a name the framework's own pages use"))
        elif (framework, slug) in pages:
            first = pages[(framework, slug)]
            found.append(Problem(*_where(control), f"control id '{control_id}' and '{first.id}' (at "
                                                   f"{first.where[0]}:{first.where[1]}) both become the page "
                                                   f"frameworks/{framework}/{slug}/: control ids must differ in more "
                                                   "than case and punctuation"))
        else:
            pages[(framework, slug)] = control
    return found
