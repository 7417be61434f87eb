"""Stage 1, load: YAML files -> plain data whose every mapping and list remembers file and line.

Refuses what YAML itself lets through silently: duplicate keys, tabs, non-UTF-8 text,
empty files, huge files, and symlink loops. All problems are collected, never raised one by one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import ContentError, Problem, display_path

MAX_FILE_BYTES = 5 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")

try:  # the C parser is several times faster; the constructor stays in Python either way
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is absent
    _BaseLoader = yaml.SafeLoader


class LineDict(dict):  # type: ignore[type-arg]
    """A mapping from YAML that knows where it and each of its keys stand."""

    file: str = ""
    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):  # type: ignore[type-arg]
    """A sequence from YAML that knows where it and each of its items stand."""

    file: str = ""
    line: int = 0
    item_lines: list[int]


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


_STR = "tag:yaml.org,2002:str"


def _make_loader(file: str) -> type:
    class Loader(_BaseLoader):  # type: ignore[misc,valid-type]
        def construct(self, node: yaml.Node) -> Any:
            """construct_object, with plain strings (most of the nodes) taken straight from the node."""
            if node.tag == _STR and isinstance(node, yaml.ScalarNode):
                return node.value
            return self.construct_object(node, deep=True)

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
            self.flatten_mapping(node)
            mapping = LineDict()
            mapping.file, mapping.line, mapping.key_lines = file, node.start_mark.line + 1, {}
            for key_node, value_node in node.value:
                key = self.construct(key_node)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise yaml.constructor.ConstructorError(
                        None, None, "a mapping key must be a plain value", key_node.start_mark
                    )
                if key in mapping.key_lines:
                    raise _DuplicateKey(
                        None,
                        None,
                        f"duplicate key {key!r} (first defined on line {mapping.key_lines[key]})",
                        key_node.start_mark,
                    )
                mapping.key_lines[key] = key_node.start_mark.line + 1
                mapping[key] = self.construct(value_node)
            return mapping

        def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
            items = LineList(self.construct(child) for child in node.value)
            items.file, items.line = file, node.start_mark.line + 1
            items.item_lines = [child.start_mark.line + 1 for child in node.value]
            return items

    Loader.add_constructor("tag:yaml.org,2002:map", Loader.construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", Loader.construct_sequence)
    return Loader


@dataclass(frozen=True)
class Document:
    """One parsed YAML file."""

    path: Path
    rel: str
    data: Any


def _yaml_problem(rel: str, text: str, error: yaml.YAMLError) -> Problem:
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML forbids; no mark, multi-line str()
        line = text.count("\n", 0, error.position) + 1
        return Problem(rel, line, f"character U+{error.character:04X} is not allowed in YAML text "
                                  "(control characters other than tab and newline cannot appear)")
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark else 1
    problem = getattr(error, "problem", None) or str(error)
    lines = text.splitlines()
    if mark and line <= len(lines) and "\t" in lines[line - 1][: mark.column + 1]:
        problem = "a tab character is used for indentation (indent with spaces)"
    elif isinstance(error, _DuplicateKey):
        pass
    else:
        context = getattr(error, "context", None)
        column = f" at column {mark.column + 1}" if mark else ""
        problem = f"YAML syntax error{column}: {problem}" + (f" ({context})" if context else "")
    return Problem(rel, line, problem)


def parse_text(text: str, rel: str) -> Any:
    """Parse one YAML document; raise ContentError with the file and line on failure."""
    try:
        return yaml.load(text, Loader=_make_loader(rel))  # noqa: S506 - our loader is a SafeLoader
    except yaml.YAMLError as error:
        raise ContentError([_yaml_problem(rel, text, error)]) from None


class ParseCache:
    """The last good parse of each file, with the exact bytes it was parsed from. `kb serve`
    turns it on: it loads the whole knowledge base again on every edit, and this re-parses only
    the files whose bytes changed (never stale: bytes are compared, not timestamps). Off for
    one-off commands, where keeping every parsed file alive only slows the garbage collector
    through the MkDocs build. Nothing modifies parsed data."""

    enabled = False
    files: dict[tuple[Path, str], tuple[bytes, Document]] = {}


def read_yaml(path: Path, root: Path) -> Document:
    """Read and parse one file, refusing what is too big, not UTF-8 or empty."""
    rel = display_path(path, root)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentError(
            [Problem(rel, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")]
        )
    raw = path.read_bytes()
    cached = ParseCache.files.get((path, rel)) if ParseCache.enabled else None
    if cached is not None and cached[0] == raw:
        return cached[1]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ContentError(
            [Problem(rel, line, f"file is not UTF-8 text (byte 0x{raw[error.start]:02x})")]
        ) from None
    data = parse_text(text, rel)
    if data is None:
        raise ContentError([Problem(rel, 1, "file is empty (expected a mapping or a list)")])
    document = Document(path, rel, data)
    if ParseCache.enabled:
        ParseCache.files[path, rel] = raw, document
    return document


def find_yaml_files(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """Every YAML file below folder, following symlinks but reporting loops."""
    found: list[Path] = []
    seen: set[str] = set()

    def walk(directory: Path) -> None:
        real = os.path.realpath(directory)
        if real in seen:
            problems.append(
                Problem(display_path(directory, root), 1, "symlink loop: this folder is already read")
            )
            return
        seen.add(real)
        for entry in sorted(directory.iterdir()):
            if entry.is_symlink() and not entry.exists():
                problems.append(Problem(display_path(entry, root), 1, "broken symlink"))
            elif entry.is_dir():
                walk(entry)
            elif entry.suffix in YAML_SUFFIXES:
                found.append(entry)

    if folder.is_dir():
        walk(folder)
    return found


def load_tree(root: Path, folders: tuple[str, ...] = ("content", "frameworks")) -> list[Document]:
    """Load every YAML file of the knowledge base, collecting all problems before failing."""
    problems: list[Problem] = []
    documents: list[Document] = []
    for name in folders:
        for path in find_yaml_files(root / name, root, problems):
            try:
                documents.append(read_yaml(path, root))
            except ContentError as error:
                problems.extend(error.problems)
            except OSError as error:
                problems.append(Problem(display_path(path, root), 1, f"cannot read file: {error.strerror}"))
    if problems:
        raise ContentError(problems)
    return documents
