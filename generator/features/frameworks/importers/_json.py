"""Reading a JSON file for an importer: every failure is one ContentError naming the file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError

from generator.core.errors import ContentError, Problem
from generator.core.model import FRAMEWORK_ID, Framework

_TYPE_NAMES: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
}


def fail(path: Path, message: str, line: int = 1) -> NoReturn:
    raise ContentError([Problem(path.as_posix(), line, message)])


def check_framework_id(path: Path, framework_id: str) -> None:
    if not re.match(FRAMEWORK_ID, framework_id):
        fail(
            path,
            f"framework id {framework_id!r} is not valid "
            "(expected lower-case words joined by '-' or '.', e.g. nist-csf-2.0)",
        )


def read_json(path: Path, expected: str) -> Any:
    """The parsed JSON of path; `expected` names the kind of file, for the messages."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        fail(path, f"cannot read file: {error.strerror} (expected {expected})")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        fail(
            path,
            f"file is not UTF-8 text (byte 0x{raw[error.start]:02x}); expected {expected}",
            raw.count(b"\n", 0, error.start) + 1,
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        fail(
            path,
            f"not valid JSON ({error.msg} at column {error.colno}); expected {expected}",
            error.lineno,
        )
    except RecursionError:
        fail(path, f"JSON nested too deeply to read; expected {expected}")


def describe(value: Any) -> str:
    """How a found value is named in messages: its keys for an object, else its type."""
    if isinstance(value, dict):
        keys = ", ".join(sorted(value)[:6]) or "none"
        return f"an object with keys: {keys}"
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def get(
    path: Path, obj: dict[str, Any], key: str, kind: type, where: str, default: Any = ...
) -> Any:
    """obj[key], which must be of type kind; `where` is the JSON path of obj, for the message."""
    if key not in obj:
        if default is not ...:
            return default
        fail(path, f'{where}: "{key}" is missing (expected {_TYPE_NAMES[kind]})')
    value = obj[key]
    if not isinstance(value, kind):
        fail(path, f"{where}.{key}: expected {_TYPE_NAMES[kind]}, found {describe(value)}")
    return value


def nonblank(path: Path, obj: dict[str, Any], key: str, where: str) -> str:
    """obj[key], a string that is not blank, with its whitespace collapsed."""
    value = plain(get(path, obj, key, str, where))
    if not value:
        fail(path, f"{where}.{key}: is empty (expected text)")
    return value


def optional_text(value: Any) -> str:
    """An optional string read leniently: anything but a string counts as empty."""
    return value if isinstance(value, str) else ""


def optional_list(value: Any) -> list[Any]:
    """An optional sub-structure read leniently: anything but a list counts as absent."""
    return value if isinstance(value, list) else []


def check_framework(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """data, once generator.core.model.Framework accepts it (a safety net for what the reader let by)."""
    try:
        Framework.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        fail(path, f"the imported data does not fit the framework model ({where}: {first['msg']})")
    return data


def objects(path: Path, items: list[Any], where: str) -> list[dict[str, Any]]:
    """items, which must all be JSON objects."""
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            fail(path, f"{where}[{index}]: expected an object, found {describe(item)}")
    return items


def plain(text: str) -> str:
    """Whitespace collapsed, as the text is printed (exports carry double spaces and newlines)."""
    return " ".join(text.split())
