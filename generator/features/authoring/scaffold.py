"""`kb new KIND ID`: a commented YAML skeleton that passes `kb validate` as written.

Required fields hold placeholders starting with `TODO`, which `kb validate` lists as warnings
(errors with `--strict`) until they are replaced. Skeletons reference no other entity, since
the ids they would name may not exist; comments show what to add.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from generator.core import idcheck, urls
from generator.core.errors import Problem
from generator.core.kinds import KINDS
from generator.core.link import KnowledgeBase
from generator.core.model import SLUG, Entity, Node
from generator.core.resources import TEMPLATES
from generator.features.authoring.schema import modeline

SKELETONS = TEMPLATES / "skeletons"
PLACEHOLDER = "TODO"

#: kind name -> content folder.
FOLDER_OF_KIND = {kind.name: kind.folder for kind in KINDS}


class ScaffoldRefused(Exception):
    """The id cannot be used for a new file; the message says why."""


class InvalidId(ScaffoldRefused):
    """The id is not a slug: a usage error."""


@dataclass(frozen=True)
class Existing:
    rel: str
    line: int


def _ids_in(folder: Path, root: Path) -> dict[str, Existing]:
    """Ids and former ids already used in a kind's folder, read leniently: a file with
    errors elsewhere must not stop an author from starting a new one."""
    found: dict[str, Existing] = {}
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (yaml.YAMLError, UnicodeDecodeError, OSError):
            continue
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for item in items:
            if not isinstance(item, yaml.MappingNode):
                continue
            for key, value in item.value:
                where = Existing(path.relative_to(root).as_posix(), key.start_mark.line + 1)
                if key.value == "id" and isinstance(value, yaml.ScalarNode):
                    found.setdefault(str(value.value), where)
                elif key.value == "aliases" and isinstance(value, yaml.SequenceNode):
                    for alias in value.value:
                        if isinstance(alias, yaml.ScalarNode):
                            found.setdefault(str(alias.value), where)
    return found


def skeleton(kind: str, entity_id: str, today: dt.date) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(SKELETONS),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    body = env.get_template(f"{kind}.yaml.j2").render(id=entity_id, today=today.isoformat())
    return modeline(kind, depth=2) + "\n" + body


STARTER = TEMPLATES / "starter"


def init_tree(target: Path, today: dt.date) -> list[Path]:
    """A new knowledge base folder: site settings, one persona, playbook, checklist and term,
    which validate and build as they are. The folder must be new or empty."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldRefused(f"{target}: the folder exists and is not empty; name a new folder")
    written = []
    for source in sorted(STARTER.rglob("*.yaml")):
        out = target / source.relative_to(STARTER)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(source.read_text(encoding="utf-8").replace("{{ today }}", today.isoformat()), encoding="utf-8")
        written.append(out)
    return written


def new_entity(root: Path, kind: str, entity_id: str, today: dt.date) -> Path:
    """Write content/<folder>/<id>.yaml; refuse an invalid or already used id."""
    if not re.match(SLUG, entity_id):
        suggestion = urls.slugify(entity_id)
        example = f" such as '{suggestion}'" if suggestion and re.match(SLUG, suggestion) else ""
        raise InvalidId(
            f"'{entity_id}' is not a valid id: use lowercase letters, digits and hyphens{example}"
        )
    if (reason := idcheck.reserved(kind, entity_id)) is not None:
        raise InvalidId(f"{reason}; choose another id")
    folder = root / "content" / FOLDER_OF_KIND[kind]
    target = folder / f"{entity_id}.yaml"
    rel = target.relative_to(root).as_posix()
    existing = _ids_in(folder, root).get(entity_id)
    if existing is not None:
        raise ScaffoldRefused(
            f"{existing.rel}:{existing.line}: {kind} '{entity_id}' already exists; choose another id"
        )
    if target.exists():
        raise ScaffoldRefused(f"{rel}: the file already exists; choose another id")
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(skeleton(kind, entity_id, today))
    return target


def _placeholders(node: Node, found: list[Problem]) -> None:
    for name in type(node).model_fields:
        value: Any = getattr(node, name)
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, Node):
                _placeholders(item, found)
            elif isinstance(item, str) and (item.startswith(PLACEHOLDER) or item.endswith(f"/{PLACEHOLDER}")):
                found.append(Problem(*node.where_field(name), f"placeholder left in '{name}': {item}"))


def placeholder_warnings(kb: KnowledgeBase) -> list[Problem]:
    """Every `TODO` placeholder still in the content, where it is."""
    found: list[Problem] = []
    for kind in (k.name for k in KINDS):
        entity: Entity
        for entity in kb.entities(kind).values():
            _placeholders(entity, found)
    return sorted(found)
