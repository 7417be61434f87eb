"""Markdown snippets that hand-written pages insert through macros (see generator/macros.py).

Each takes the knowledge base and the page's own docs path, so links are relative and
checked by MkDocs like any other link. An unknown id raises UnknownReference.
"""

from __future__ import annotations

from generator.core import markup, urls
from generator.core.link import KnowledgeBase, closest_hint


class UnknownReference(Exception):
    pass


def _get(kb: KnowledgeBase, kind: str, entity_id: str, page: str):  # type: ignore[no-untyped-def]
    items = kb.entities(kind)
    if entity_id not in items:
        raise UnknownReference(f"{page}: unknown {kind} '{entity_id}'{closest_hint(entity_id, items)}")
    return items[entity_id]


def term(kb: KnowledgeBase, page: str, term_id: str) -> str:
    item = _get(kb, "term", term_id, page)
    return f"[{markup.plain(item.term)}]({urls.relative(urls.doc_path('term', term_id), page)})"


def checklist_link(kb: KnowledgeBase, page: str, checklist_id: str) -> str:
    item = _get(kb, "checklist", checklist_id, page)
    return f"[{markup.plain(item.title)}]({urls.relative(urls.doc_path('checklist', checklist_id), page)})"


def control(kb: KnowledgeBase, page: str, framework_id: str, control_id: str) -> str:
    node = kb.controls.get((framework_id, control_id))
    if node is None:
        ids = [c for f, c in kb.controls if f == framework_id] or list(kb.frameworks)
        raise UnknownReference(
            f"{page}: unknown control '{control_id}' in framework '{framework_id}'{closest_hint(control_id, ids)}"
        )
    target = urls.relative(urls.control_doc_path(framework_id, control_id), page)
    return f"[{markup.plain(control_id)}: {markup.plain(node.control.title)}]({target})"


def persona_card(kb: KnowledgeBase, page: str, persona_id: str) -> str:
    item = _get(kb, "persona", persona_id, page)
    target = urls.relative(urls.doc_path("persona", persona_id), page)
    summary = markup.markdown(item.summary).replace("\n", "\n    ")
    title = markup.plain(item.name).replace('"', "&quot;")  # the title is Markdown: plain, not html
    return f'!!! abstract "{title}"\n\n    {summary}\n\n    [Open the {markup.plain(item.name)} guidance]({target})\n'
