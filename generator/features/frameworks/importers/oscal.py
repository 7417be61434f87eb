"""OSCAL catalog JSON -> Framework data: groups are families, controls keep their printed ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    optional_list,
    optional_text,
    plain,
    read_json,
)

EXPECTED = 'an OSCAL catalog JSON file (an object with a "catalog" key)'
NO_PARAMETER = "[organization-defined parameter]"

_INSERT = re.compile(r"\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")  # Markdown links in prose keep only their text
_PADDING = re.compile(r"(?<=[-(])0+(?=\d)")  # the zeros of AC-04(04)
_OSCAL_ID = re.compile(r"^([a-z]+)-(\d+)((?:\.\d+)*)$")
_REPLACED = ("incorporated-into", "moved-to")


def import_oscal(path: Path, framework_id: str, with_enhancements: bool = False) -> dict[str, Any]:
    """Framework data (see generator.core.model.Framework) from an OSCAL catalog JSON file."""
    path = Path(path)
    check_framework_id(path, framework_id)
    document = read_json(path, EXPECTED)
    if not isinstance(document, dict) or not isinstance(document.get("catalog"), dict):
        hint = ""
        if isinstance(document, dict) and "response" in document:
            hint = "; a NIST CPRT export is read by import-cprt"
        elif isinstance(document, dict) and "profile" in document:
            hint = "; an OSCAL profile must be resolved into a catalog first"
        fail(path, f"not an OSCAL catalog: expected {EXPECTED}, found {describe(document)}{hint}")
    catalog = document["catalog"]
    metadata = get(path, catalog, "metadata", dict, "catalog")
    groups = objects(path, get(path, catalog, "groups", list, "catalog"), "catalog.groups")
    if not groups:
        fail(path, "catalog.groups: the catalog has no groups (expected at least one family)")
    reader = _Reader(path, with_enhancements)
    reader.index(groups, "catalog.groups")
    data: dict[str, Any] = {
        "id": framework_id,
        "name": nonblank(path, metadata, "title", "catalog.metadata"),
        "version": nonblank(path, metadata, "version", "catalog.metadata"),
        "publisher": _publisher(metadata),
        "controls": [reader.group(group, 0) for group in groups],
    }
    if reader.withdrawn:
        data["withdrawn"] = reader.withdrawn
    return check_framework(path, data)


def _publisher(metadata: dict[str, Any]) -> str:
    """The name of the catalog's creator party, else of its first party."""
    parties = {
        p["uuid"]: plain(p["name"])
        for p in optional_list(metadata.get("parties"))
        if isinstance(p, dict)
        and isinstance(p.get("uuid"), str)
        and isinstance(p.get("name"), str)
        and p["name"].strip()
    }
    for role in optional_list(metadata.get("responsible-parties")):
        if isinstance(role, dict) and role.get("role-id") == "creator":
            for uuid in optional_list(role.get("party-uuids")):
                if isinstance(uuid, str) and uuid in parties:
                    return parties[uuid]
    return next(iter(parties.values()), "Unknown publisher")


def _props(item: dict[str, Any], name: str) -> list[str]:
    return [
        plain(p["value"])
        for p in optional_list(item.get("props"))
        if isinstance(p, dict)
        and p.get("name") == name
        and isinstance(p.get("value"), str)
        and p["value"].strip()
    ]


def _parts(item: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [
        p for p in optional_list(item.get("parts")) if isinstance(p, dict) and p.get("name") == name
    ]


def _from_oscal_id(oscal_id: str) -> str:
    """ac-4.4 -> AC-4(4), for controls that carry no label."""
    match = _OSCAL_ID.match(oscal_id)
    if not match:
        return oscal_id.upper()
    family, number, enhancements = match.groups()
    suffix = "".join(f"({n})" for n in enhancements.split(".")[1:])
    return f"{family.upper()}-{number}{suffix}"


def _printed_id(item: dict[str, Any]) -> str:
    """The label as printed, preferring AC-4(4) to AC-04(04) when the catalog has both."""
    labels = _props(item, "label")
    unpadded = [label for label in labels if not _PADDING.search(label)]
    if unpadded:
        return unpadded[0]
    if labels:
        return _PADDING.sub("", labels[0])
    return _from_oscal_id(item["id"])


@dataclass
class _Reader:
    path: Path
    with_enhancements: bool
    labels: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    withdrawn: list[dict[str, Any]] = field(default_factory=list)

    def index(self, groups: list[dict[str, Any]], where: str) -> None:
        """Check ids and titles, and learn every printed id and parameter, before converting."""
        for i, group in enumerate(groups):
            here = f"{where}[{i}]"
            group_id = nonblank(self.path, group, "id", here)
            nonblank(self.path, group, "title", here)
            self.labels[group_id] = (
                _printed_id(group) if _props(group, "label") else group_id.upper()
            )
            self.index(
                objects(
                    self.path, get(self.path, group, "groups", list, here, []), f"{here}.groups"
                ),
                f"{here}.groups",
            )
            self._index_controls(
                get(self.path, group, "controls", list, here, []), f"{here}.controls"
            )

    def _index_controls(self, controls: list[Any], where: str) -> None:
        for i, control in enumerate(objects(self.path, controls, where)):
            here = f"{where}[{i}]"
            nonblank(self.path, control, "id", here)
            nonblank(self.path, control, "title", here)
            self.labels[control["id"]] = _printed_id(control)
            for param in optional_list(control.get("params")):
                if isinstance(param, dict) and isinstance(param.get("id"), str):
                    self.params[param["id"]] = param
            self._index_controls(
                get(self.path, control, "controls", list, here, []), f"{here}.controls"
            )

    def group(self, group: dict[str, Any], depth: int) -> dict[str, Any]:
        children = [self.group(sub, depth + 1) for sub in group.get("groups", [])]
        children += self._controls(group.get("controls", []), 0)
        node: dict[str, Any] = {
            "id": self.labels[group["id"]],
            "title": plain(group["title"]),
            "kind": "family" if depth == 0 else "group",
        }
        if children:
            node["children"] = children
        return node

    def _controls(self, controls: list[dict[str, Any]], depth: int) -> list[dict[str, Any]]:
        if depth > 0 and not self.with_enhancements:
            return []
        nodes: list[dict[str, Any]] = []
        for control in controls:
            children = self._controls(control.get("controls", []), depth + 1)
            if "withdrawn" in _props(control, "status"):
                self.withdrawn.append(self._withdrawn(control))
                nodes.extend(children)  # an active enhancement of a withdrawn control stays listed
                continue
            node: dict[str, Any] = {
                "id": self.labels[control["id"]],
                "title": plain(control["title"]),
                "kind": "control" if depth == 0 else "enhancement",
            }
            statement = self._statement(control)
            if statement:
                node["text"] = statement
            if children:
                node["children"] = children
            nodes.append(node)
        return nodes

    def _withdrawn(self, control: dict[str, Any]) -> dict[str, Any]:
        replaced: dict[str, list[str]] = {rel: [] for rel in _REPLACED}
        printed: dict[str, list[str]] = {rel: [] for rel in _REPLACED}
        for link in optional_list(control.get("links")):
            if (
                not isinstance(link, dict)
                or not isinstance(link.get("href"), str)
                or not link["href"].strip("#")
            ):
                continue
            for rel in _REPLACED:
                if link.get("rel") == rel:
                    control_id, form = self._href_target(link["href"])
                    replaced[rel].append(control_id)
                    printed[rel].append(form)
        phrases = []
        if printed["incorporated-into"]:
            phrases.append("Incorporated into " + ", ".join(printed["incorporated-into"]))
        if printed["moved-to"]:
            phrases.append(
                ("moved to " if phrases else "Moved to ") + ", ".join(printed["moved-to"])
            )
        entry: dict[str, Any] = {"id": self.labels[control["id"]], "title": plain(control["title"])}
        replaced_by = list(dict.fromkeys(replaced["incorporated-into"] + replaced["moved-to"]))
        if replaced_by:
            entry["replaced_by"] = replaced_by
        reason = "; ".join(phrases) or self._statement(control)
        if reason:
            entry["reason"] = reason
        return entry

    def _href_target(self, href: str) -> tuple[str, str]:
        """#ac-2.3 -> (AC-2(3), AC-2(3)); #ac-2_smt.k -> (AC-2, AC-2k), as NIST prints it."""
        target = href.removeprefix("#")
        control_id, _, part = target.partition("_smt")
        printed = self.labels.get(control_id) or _from_oscal_id(control_id)
        return printed, printed + part.removeprefix(".")

    def _statement(self, control: dict[str, Any]) -> str | None:
        return (
            plain(" ".join(self._part_text(part) for part in _parts(control, "statement"))) or None
        )

    def _part_text(self, part: dict[str, Any]) -> str:
        labels = _props(part, "label")
        pieces = [
            labels[0] if labels else "",
            self._prose(optional_text(part.get("prose")), frozenset()),
        ]
        pieces += [self._part_text(child) for child in _parts(part, "item")]
        return " ".join(piece for piece in pieces if piece)

    def _prose(self, prose: str, seen: frozenset[str]) -> str:
        prose = _LINK.sub(r"\1", prose)
        return plain(_INSERT.sub(lambda match: self._param(match.group(1), seen), prose))

    def _param(self, param_id: str, seen: frozenset[str]) -> str:
        """A parameter as NIST prints it: [Assignment: ...] or [Selection (one or more): a; b]."""
        param = self.params.get(param_id)
        if param is None or param_id in seen:
            return NO_PARAMETER
        select = param.get("select")
        if isinstance(select, dict) and isinstance(select.get("choice"), list):
            choices = [
                self._prose(c, seen | {param_id}) for c in select["choice"] if isinstance(c, str)
            ]
            how = " (one or more)" if select.get("how-many") == "one-or-more" else ""
            return f"[Selection{how}: {'; '.join(choices)}]"
        label = param.get("label")
        if isinstance(label, str) and label.strip():
            # Rev. 5.1.1 catalogs drop the "organization-defined" that NIST prints before a label.
            prefix = "" if "organization" in label else "organization-defined "
            return f"[Assignment: {prefix}{plain(label)}]"
        guidelines = [
            g["prose"]
            for g in optional_list(param.get("guidelines"))
            if isinstance(g, dict) and isinstance(g.get("prose"), str)
        ]
        if plain(" ".join(guidelines)):
            return f"[Assignment: {plain(' '.join(guidelines)).rstrip(';.')}]"
        return NO_PARAMETER
