"""NIST CPRT JSON export (CSF-shaped) -> Framework data: functions, categories, subcategories.

The export is a flat graph. `projection` relationships give the hierarchy, `S-<id>` sort elements
the printed order, and a `WR-<id>` withdraw_reason marks an element withdrawn; its
`incorporated_into` / `moved_to` relationships name what replaced it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from generator.features.frameworks.importers._json import (
    check_framework,
    check_framework_id,
    describe,
    fail,
    get,
    nonblank,
    objects,
    optional_text,
    plain,
    read_json,
)

EXPECTED = (
    'a NIST CPRT JSON export (an object {"response": {"elements": '
    '{"elements": [...], "relationships": [...]}}})'
)
#: Element type -> the element type of its children in the hierarchy.
_CHILD_KIND = {"function": "category", "category": "subcategory", "subcategory": None}
_TRANSITIONS = ("incorporated_into", "moved_to")
_PADDED_NUMBER = re.compile(r"-0+(?=\d)")


def import_cprt(path: Path, framework_id: str) -> dict[str, Any]:
    """Framework data (see generator.core.model.Framework) from a NIST CPRT JSON export of a CSF."""
    path = Path(path)
    check_framework_id(path, framework_id)
    document = read_json(path, EXPECTED)
    response = document.get("response") if isinstance(document, dict) else None
    graph = response.get("elements") if isinstance(response, dict) else None
    if not isinstance(graph, dict):
        hint = ""
        if isinstance(document, dict) and "catalog" in document:
            hint = "; an OSCAL catalog is read by import-oscal"
        fail(path, f"not a NIST CPRT export: expected {EXPECTED}, found {describe(document)}{hint}")
    graph_ = _Graph(path, graph)
    functions = graph_.active("function")
    if not functions:
        fail(
            path,
            "response.elements.elements: no active element of type function "
            "(expected a CSF-style export with function, category and subcategory elements)",
        )
    data: dict[str, Any] = {
        "id": framework_id,
        **graph_.about(),
        "controls": [graph_.node(f) for f in functions],
    }
    withdrawn = graph_.withdrawn()
    if withdrawn:
        data["withdrawn"] = withdrawn
    return check_framework(path, data)


class _Graph:
    def __init__(self, path: Path, graph: dict[str, Any]) -> None:
        where = "response.elements"
        self.path = path
        self.documents = objects(
            path, get(path, graph, "documents", list, where, []), f"{where}.documents"
        )
        elements = objects(path, get(path, graph, "elements", list, where), f"{where}.elements")
        relationships = objects(
            path, get(path, graph, "relationships", list, where), f"{where}.relationships"
        )
        self.elements: dict[str, dict[str, Any]] = {}
        for i, element in enumerate(elements):
            here = f"{where}.elements[{i}]"
            nonblank(path, element, "element_identifier", here)
            for key in ("element_type", "title", "text"):
                get(path, element, key, str, here)
            self.elements.setdefault(element["element_identifier"], element)
        self.children: dict[str, list[str]] = defaultdict(list)
        self.replaced_by: dict[str, list[str]] = defaultdict(list)
        for i, relation in enumerate(relationships):
            here = f"{where}.relationships[{i}]"
            kind = get(path, relation, "relationship_identifier", str, here)
            source = get(path, relation, "source_element_identifier", str, here)
            dest = get(path, relation, "dest_element_identifier", str, here)
            child_kind = _CHILD_KIND.get(self._type(source) or "")
            if kind == "projection" and child_kind and self._type(dest) == child_kind:
                self.children[source].append(dest)
            elif kind in _TRANSITIONS and source.startswith("WR-") and dest.strip():
                self.replaced_by[source.removeprefix("WR-")].append(dest)

    def _type(self, identifier: str) -> str | None:
        element = self.elements.get(identifier)
        return element["element_type"] if element else None

    def _order(self, identifier: str) -> tuple[str, str]:
        sort = self.elements.get(f"S-{identifier}")
        return (sort["title"] if sort else "~", identifier)

    def _is_withdrawn(self, identifier: str) -> bool:
        return self._type(f"WR-{identifier}") == "withdraw_reason"

    def active(self, kind: str, among: list[str] | None = None) -> list[str]:
        candidates = self.elements if among is None else among
        found = {i for i in candidates if self._type(i) == kind and not self._is_withdrawn(i)}
        return sorted(found, key=self._order)

    def about(self) -> dict[str, Any]:
        """name, version, publisher and url from the export's document record."""
        record = self.documents[0] if self.documents else {}
        about: dict[str, Any] = {
            "name": plain(optional_text(record.get("name")))
            or plain(optional_text(record.get("doc_identifier")))
            or "Unnamed framework",
            "version": re.sub(r"^Version\s+", "", plain(optional_text(record.get("version"))))
            or "unknown",
            "publisher": "NIST",  # CPRT is NIST's reference tool; its exports carry no publisher
        }
        website = record.get("website")
        if isinstance(website, str) and re.match(r"^https?://\S+$", website):
            about["url"] = website
        return about

    def node(self, identifier: str) -> dict[str, Any]:
        element = self.elements[identifier]
        title, text = plain(element["title"]), plain(element["text"])
        if not title:  # a subcategory is printed as its outcome statement
            title, text = text, ""
        if not title:
            fail(self.path, f"element {identifier} has neither a title nor a text")
        node: dict[str, Any] = {"id": identifier, "title": title, "kind": element["element_type"]}
        if text and text != title:
            node["text"] = text
        child_kind = _CHILD_KIND.get(element["element_type"])
        children = self.active(child_kind, self.children[identifier]) if child_kind else []
        if children:
            node["children"] = [self.node(child) for child in children]
        return node

    def withdrawn(self) -> list[dict[str, Any]]:
        ids = [i for i in self.elements if self._type(i) in _CHILD_KIND and self._is_withdrawn(i)]
        entries = []
        for identifier in sorted(ids, key=self._order):
            element = self.elements[identifier]
            entry: dict[str, Any] = {"id": identifier}
            title = plain(element["title"]) or plain(element["text"])
            if title:
                entry["title"] = title
            replaced_by = sorted(dict.fromkeys(self.replaced_by[identifier]), key=self._order)
            if replaced_by:
                entry["replaced_by"] = replaced_by
            reason = plain(self.elements[f"WR-{identifier}"]["text"])
            if reason:
                entry["reason"] = reason
            unpadded = _PADDED_NUMBER.sub("-", identifier)
            if unpadded != identifier:
                entry["also"] = [unpadded]
            entries.append(entry)
        return entries
