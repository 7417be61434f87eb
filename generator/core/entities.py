"""Stage 2, model: loaded documents -> typed entities, with pydantic errors turned into
`path:line: message` problems that point at the offending YAML line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.core.errors import ContentError, Problem
from generator.core.kinds import BY_FOLDER, KINDS
from generator.core.load import Document, LineDict, LineList
from generator.core.model import Crosswalk, Entity, Framework, Site

#: Top-level files of content/ other than the kind folders; features register more.
CORE_FILES: dict[str, type[BaseModel]] = {"site": Site}


@dataclass
class Entities:
    """Every typed entity of a knowledge base, in file order, before references are resolved."""

    site: Site | None = None
    by_kind: dict[str, list[Entity]] = field(
        default_factory=lambda: {kind.name: [] for kind in KINDS}
    )
    frameworks: list[Framework] = field(default_factory=list)
    crosswalks: list[Crosswalk] = field(default_factory=list)
    documents: dict[str, BaseModel] = field(default_factory=dict)


def _line_of(data: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest part of loc that exists in the YAML data."""
    line = getattr(data, "line", 1)
    node = data
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line, node = node.key_lines[part], node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line, node = node.item_lines[part], node[part]
        else:
            break
    return line


def _field_path(model: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> str:
    """`steps[2].controls[0].why`: keep the parts of loc that are fields, keys or indexes."""
    text, node = "", data
    current: type[BaseModel] | None = model
    for part in loc:
        fields = getattr(current, "model_fields", {})
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
        elif part in fields or (isinstance(node, dict) and part in node):
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
            current = _inner_model(fields[part].annotation) if part in fields else None
    return text


def _describe(error: ErrorDetails, model: type[BaseModel], data: Any, loc: tuple[Any, ...]) -> str:
    where = _field_path(model, data, loc)
    kind = error["type"]
    if kind == "missing":
        return f"missing required field '{where}'"
    if kind == "extra_forbidden":
        name = str(loc[-1])
        parent = _model_at(model, loc[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(name, allowed, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown field '{where}' (allowed: {', '.join(allowed)}{hint})"
    if kind == "string_pattern_mismatch" and "a-z0-9" in str(error.get("ctx", {}).get("pattern", "")):
        return (
            f"{where}: {error['input']!r} is not a valid id "
            "(use lowercase letters, digits and hyphens, e.g. 'first-playbook')"
        )
    shown = error.get("input")
    got = f" (got {shown!r})" if not isinstance(shown, (dict, list)) else ""
    return f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}{got}"


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Follow field names through nested models to find the model that owns loc's last field."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def validate(model: type[BaseModel], data: Any, rel: str) -> tuple[Any, list[Problem]]:
    """Validate data against model; return the instance or the located problems."""
    if not isinstance(data, dict):
        line = getattr(data, "line", 1)
        return None, [Problem(rel, line, f"expected a mapping of {model.__name__} fields")]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            problems.append(Problem(rel, _line_of(data, loc), _describe(item, model, data, loc)))
        return None, problems


def _items(doc: Document) -> Iterable[Any]:
    return doc.data if isinstance(doc.data, list) else [doc.data]


def build_entities(documents: list[Document], files: dict[str, type[BaseModel]] | None = None) -> Entities:
    """Type every document by where it lives; collect every problem before failing. files
    names the top-level content files the features read, with their models."""
    content_files = CORE_FILES | (files or {})
    out = Entities()
    problems: list[Problem] = []

    def take(model: type[BaseModel], data: Any, rel: str) -> Any:
        obj, found = validate(model, data, rel)
        problems.extend(found)
        return obj

    for doc in documents:
        parts = PurePosixPath(doc.rel).parts
        if parts[0] == "frameworks":
            model: type[BaseModel] = Crosswalk if "crosswalks" in parts[1:-1] else Framework
            obj = take(model, doc.data, doc.rel)
            if obj is not None:
                (out.crosswalks if model is Crosswalk else out.frameworks).append(obj)
        elif len(parts) == 2:
            stem = PurePosixPath(parts[1]).stem
            if stem not in content_files:
                known = ", ".join(f"{name}.yaml" for name in content_files)
                problems.append(
                    Problem(doc.rel, 1, f"unknown content file (expected a kind folder or one of: {known})")
                )
                continue
            obj = take(content_files[stem], doc.data, doc.rel)
            if isinstance(obj, Site):
                out.site = obj
            elif obj is not None:
                out.documents[stem] = obj
        elif parts[1] in BY_FOLDER:
            kind = BY_FOLDER[parts[1]]
            for item in _items(doc):
                obj = take(kind.model, item, doc.rel)
                if obj is not None:
                    out.by_kind[kind.name].append(obj)
        else:
            folders = ", ".join(BY_FOLDER)
            problems.append(Problem(doc.rel, 1, f"unknown content folder '{parts[1]}' (expected one of: {folders})"))
    if out.site is None and not problems:
        problems.append(Problem("content/site.yaml", 1, "missing file: the site settings are required"))
    if problems:
        raise ContentError(problems)
    return out
