"""`kb schema`: one JSON Schema per content kind, generated from the pydantic models.

Editors with the YAML language server read the schema named on a file's first line
(`# yaml-language-server: $schema=../../schemas/playbook.json`), then autocomplete keys and flag
errors as the author types. A file of a kind folder holds one entity or a list of them, so each
kind's schema accepts either. tests/test_schema.py keeps the committed schemas/ equal to these.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.core.entities import CORE_FILES
from generator.core.kinds import KINDS, NAMES
from generator.core.model import Crosswalk, Framework, Site

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FOLDER = "schemas"


def modeline(name: str, depth: int) -> str:
    """The first line of a content file at `depth` folders below the root, naming its schema."""
    return f"# yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{name}.json"


def _documents(files: dict[str, type[BaseModel]]) -> dict[str, tuple[type[BaseModel], bool, str]]:
    """Schema name -> (model, whether a file may hold a list of them, where such files live)."""
    out: dict[str, tuple[type[BaseModel], bool, str]] = {
        kind.name: (kind.model, True, f"content/{kind.folder}/*.yaml") for kind in KINDS
    }
    for name, model in (CORE_FILES | files).items():  # site, plus the files features read
        out[name] = (model, False, f"content/{name}.yaml")
    out["framework"] = (Framework, False, "frameworks/*.yaml")
    out["crosswalk"] = (Crosswalk, False, "frameworks/crosswalks/*.yaml")
    return out


def schema_of(model: type[BaseModel], many: bool, where: str) -> dict[str, Any]:
    generated = model.model_json_schema(ref_template="#/$defs/{model}")
    if model is Site:  # its keys name kinds, which the kinds table (not the model) lists
        generated["properties"]["review_intervals"]["propertyNames"] = {"enum": list(NAMES)}
    defs = generated.pop("$defs", {})
    head: dict[str, Any] = {"$schema": DIALECT, "title": f"{model.__name__} ({where})"}
    if not many:
        return head | generated | ({"$defs": defs} if defs else {})
    defs[model.__name__] = generated
    ref = {"$ref": f"#/$defs/{model.__name__}"}
    return head | {
        "description": f"One {model.__name__.lower()} (a mapping) or a list of them.",
        "oneOf": [ref, {"type": "array", "items": ref, "minItems": 1}],
        "$defs": dict(sorted(defs.items())),
    }


def schemas(files: dict[str, type[BaseModel]]) -> dict[str, str]:
    """File name -> JSON text of every schema, as written to schemas/."""
    return {
        f"{name}.json": json.dumps(schema_of(model, many, where), indent=2, ensure_ascii=False) + "\n"
        for name, (model, many, where) in sorted(_documents(files).items())
    }


def write_schemas(folder: Path, files: dict[str, type[BaseModel]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schemas(files).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
