"""Stage 1, load: YAML files -> plain data whose every mapping and list remembers file and line.

Refuses what YAML itself lets through silently: duplicate keys, tabs, non-UTF-8 text,
empty files, huge files, and symlink loops. Bounded: only regular files inside the knowledge
base are read (not FIFOs, devices or symlinks leading out of it), at most MAX_FILE_BYTES each,
counted while reading; aliases may repeat at most MAX_ALIAS_NODES nodes per file (an alias bomb
is refused before it is expanded); impossible dates are errors at their line. Hidden files
(editor locks such as `.#x.yaml`) are skipped. All problems are collected, never raised one by one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from generator.core.errors import ContentError, Problem, display_path

MAX_FILE_BYTES = 5 * 1024 * 1024
#: How many nodes a file's aliases may add in all, beyond the nodes it writes out.
MAX_ALIAS_NODES = 100_000
YAML_SUFFIXES = (".yaml", ".yml")
# An anchor (`&name`) can only stand at the start of a node; without one no alias can resolve.
_ANCHOR = re.compile(r"(?:^|[\s\[\]{},])&\S")

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


class _BadValue(yaml.MarkedYAMLError):
    """A value YAML recognises by its form but that cannot exist (2026-02-30)."""


_STR = "tag:yaml.org,2002:str"
#: First characters for which YAML's implicit resolvers may give a plain scalar another type
#: (bool, null, number, date, merge key); every other plain scalar is a string, without a regex.
_RESOLVABLE = frozenset(k for k in yaml.SafeLoader.yaml_implicit_resolvers if k)  # CSafeLoader's are the same


class _Loader(_BaseLoader):  # type: ignore[misc]
    """CSafeLoader building LineDict/LineList, with the hot paths of PyYAML's Python half
    (tag resolution and construction of plain strings, most of the nodes) short-circuited."""

    file = ""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and (not implicit[0] or (value and value[0] not in _RESOLVABLE)):
            return _STR  # quoted, or plain and no resolver could match: a string
        return str(super().resolve(kind, value, implicit))

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # no path resolvers are registered

    def ascend_resolver(self) -> None:
        pass

    def construct(self, node: yaml.Node) -> Any:
        """construct_object, with plain strings (most of the nodes) taken straight from the node."""
        if node.tag == _STR and type(node) is yaml.ScalarNode:
            return node.value
        return self.construct_object(node, deep=True)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        self.flatten_mapping(node)
        mapping = LineDict()
        key_lines: dict[Any, int] = {}
        mapping.file, mapping.line, mapping.key_lines = self.file, node.start_mark.line + 1, key_lines
        construct = self.construct
        for key_node, value_node in node.value:
            key = construct(key_node)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            if key in key_lines:
                raise _DuplicateKey(
                    None,
                    None,
                    f"duplicate key {key!r} (first defined on line {key_lines[key]})",
                    key_node.start_mark,
                )
            key_lines[key] = key_node.start_mark.line + 1
            mapping[key] = construct(value_node)
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        construct = self.construct
        items = LineList(construct(child) for child in node.value)
        items.file, items.line = self.file, node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:
            raise _BadValue(None, None, f"'{node.value}' is not a valid date ({error})", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


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
    elif isinstance(error, (_DuplicateKey, _BadValue)):
        pass
    else:
        context = getattr(error, "context", None)
        column = f" at column {mark.column + 1}" if mark else ""
        problem = f"YAML syntax error{column}: {problem}" + (f" ({context})" if context else "")
    return Problem(rel, line, problem)


def _alias_bomb(root: yaml.Node, rel: str) -> Problem | None:
    """The anchor whose aliases make the document too big once expanded, if any. Aliases share
    one node, so composing is cheap; it is building the repeated data that explodes."""
    sizes: dict[int, int] = {}
    uses: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        uses[key] = uses.get(key, 0) + 1
        if key not in sizes:
            nodes[key] = node
            children: list[yaml.Node] = []
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            elif isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            sizes[key] = 1 + sum(size(child) for child in children)
        return sizes[key]

    expanded = size(root)
    if expanded - len(sizes) <= MAX_ALIAS_NODES:
        return None
    worst = max((k for k in uses if uses[k] > 1), key=lambda k: (uses[k] - 1) * sizes[k])
    return Problem(rel, nodes[worst].start_mark.line + 1,
                   f"YAML aliases repeat too much: the anchor on this line is repeated by {uses[worst] - 1} aliases, and the "
                   f"file's aliases add {expanded - len(sizes):,} nodes (the limit is {MAX_ALIAS_NODES:,}); "
                   "write the repeated part out, or repeat less")


def parse_text(text: str, rel: str) -> Any:
    """Parse one YAML document; raise ContentError with the file and line on failure."""
    loader = _Loader(text)
    loader.file = rel
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _ANCHOR.search(text) and (bomb := _alias_bomb(node, rel)) is not None:
            raise ContentError([bomb])
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise ContentError([_yaml_problem(rel, text, error)]) from None
    except RecursionError:
        raise ContentError([Problem(rel, 1, "YAML nested too deeply to read")]) from None
    finally:
        loader.dispose()


class _CacheUnpickler(pickle.Unpickler):
    """Unpickles parsed YAML only: the classes a safe YAML parse can produce, nothing that runs code."""

    ALLOWED: ClassVar[set[tuple[str, str]]] = {("generator.core.load", "LineDict"), ("generator.core.load", "LineList"), ("datetime", "date"),
               ("datetime", "datetime"), ("datetime", "timezone"), ("datetime", "timedelta")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the parse cache")
        return super().find_class(module, name)


class ParseCache:
    """The last good parse of each file, keyed by its path and a digest of the exact bytes it was
    parsed from, so a hit is never stale (bytes are compared, not timestamps).

    Parsing is most of load's time: YAML is slow to parse and fast to unpickle. The cache is kept
    in ROOT/build/cache/ between runs, so `kb validate` and `kb build` re-parse only the files
    whose bytes changed; `kb serve` also keeps it in memory between rebuilds. Written atomically,
    only when something changed; any unreadable or foreign cache file is ignored and replaced;
    KB_NO_CACHE=1 turns the disk copy off. Nothing modifies parsed data."""

    RELATIVE_PATH = Path("build") / "cache" / "parsed-yaml.pickle"
    #: Bump when parsed data changes shape; the loader's own source is part of the key too.
    FORMAT = 1
    keep_in_memory = False
    _kept: ClassVar[dict[Path, ParseCache]] = {}

    def __init__(self, file: Path | None, files: dict[str, tuple[bytes, Any]]) -> None:
        self.file = file
        self.files = files
        self.used: set[str] = set()
        self.changed = False

    @staticmethod
    @functools.cache
    def key() -> str:
        source = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=16).hexdigest()
        return f"{ParseCache.FORMAT}:{yaml.__version__}:{sys.version_info[:2]}:{source}"

    @classmethod
    def for_root(cls, root: Path) -> ParseCache:
        if cls.keep_in_memory and root in cls._kept:
            return cls._kept[root]
        file = None if os.environ.get("KB_NO_CACHE") else root / cls.RELATIVE_PATH
        files: dict[str, tuple[bytes, Any]] = {}
        if file is not None:
            try:
                with file.open("rb") as handle:
                    stored = _CacheUnpickler(handle).load()
                if isinstance(stored, dict) and stored.get("key") == cls.key() and isinstance(stored.get("files"), dict):
                    files = stored["files"]
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError,
                    KeyError, IndexError):
                files = {}
        cache = cls(file, files)
        if cls.keep_in_memory:
            cls._kept[root] = cache
        return cache

    def get(self, rel: str, digest: bytes) -> Any:
        """The cached parse of rel's exact bytes, if the entry is whole: every mapping and list
        of it positioned in rel, as a parse of rel would be (an entry copied from another file,
        or written by other code, is parsed again instead)."""
        self.used.add(rel)
        hit = self.files.get(rel)
        if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == digest and _well_formed(hit[1], rel):
            return hit[1]
        return None

    def put(self, rel: str, digest: bytes, data: Any) -> None:
        self.files[rel] = digest, data
        self.changed = True

    def save(self) -> None:
        """Write the cache if it changed, without the files no longer read."""
        if self.keep_in_memory or self.file is None:
            return
        gone = self.files.keys() - self.used
        if not (self.changed or gone):
            return
        for rel in gone:
            del self.files[rel]
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self.file.parent, delete=False) as handle:
                pickle.dump({"key": self.key(), "files": self.files}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, self.file)
        except OSError:
            pass  # a read-only tree only loses the speed-up
        self.changed = False

    @classmethod
    def forget(cls) -> None:
        cls._kept.clear()


def _well_formed(data: Any, rel: str) -> bool:
    """data has the shape and positions a parse of rel gives (checked for cache entries)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, LineDict):
            positions = getattr(node, "key_lines", None)
            if (node.file != rel or not isinstance(node.line, int) or not isinstance(positions, dict)
                    or positions.keys() != node.keys()):
                return False
            stack.extend(node.values())
        elif isinstance(node, LineList):
            lines = getattr(node, "item_lines", None)
            if node.file != rel or not isinstance(node.line, int) or not isinstance(lines, list) or len(lines) != len(node):
                return False
            stack.extend(node)
        elif isinstance(node, (dict, list, set, tuple)):
            return False
    return True


def read_bounded(path: Path, rel: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, refusing anything else (a FIFO would block, /dev/zero never
    ends) and stopping at limit whatever the file's size claims to be."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)  # a FIFO opens without a writer
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ContentError([Problem(rel, 1, "not a regular file (only files are read, not devices, "
                                                "FIFOs or sockets)")])
        if info.st_size > limit:
            raise ContentError([Problem(rel, 1, f"file is {info.st_size:,} bytes; the limit is {limit:,} bytes")])
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while being read
                raise ContentError([Problem(rel, 1, f"file is over {limit:,} bytes; the limit is {limit:,} bytes")])
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_yaml(path: Path, root: Path, cache: ParseCache | None = None) -> Document:
    """Read and parse one file, refusing what is too big, not UTF-8 or empty."""
    rel = display_path(path, root)
    raw = read_bounded(path, rel)
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    if cache is not None and (data := cache.get(rel, digest)) is not None:
        return Document(path, rel, data)
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
    if cache is not None:
        cache.put(rel, digest, data)
    return Document(path, rel, data)


def find_yaml_files(folder: Path, root: Path, problems: list[Problem]) -> list[Path]:
    """Every YAML file below folder, following symlinks inside the knowledge base but reporting
    loops and refusing links out of it; hidden entries (editor locks, `.git`) are skipped."""
    found: list[Path] = []
    seen: set[str] = set()
    inside = os.path.realpath(root)

    def walk(directory: Path) -> None:
        real = os.path.realpath(directory)
        if real in seen:
            problems.append(
                Problem(display_path(directory, root), 1, "symlink loop: this folder is already read")
            )
            return
        seen.add(real)
        for entry in sorted(directory.iterdir()):
            rel = display_path(entry, root)
            if entry.name.startswith("."):
                continue
            if entry.is_symlink() and not entry.exists():
                problems.append(Problem(rel, 1, "broken symlink"))
            elif entry.is_symlink() and not Path(os.path.realpath(entry)).is_relative_to(inside):
                problems.append(Problem(rel, 1, "symlink to a file or folder outside the knowledge base "
                                                "(only what is inside it is published)"))
            elif entry.is_dir():
                walk(entry)
            elif entry.suffix in YAML_SUFFIXES:
                found.append(entry)
            elif entry.suffix.lower() in YAML_SUFFIXES:
                problems.append(Problem(rel, 1, f"file name ends in '{entry.suffix}': rename it to "
                                                f"'{entry.stem}{entry.suffix.lower()}' (only .yaml and .yml files are read)"))

    if folder.is_dir():
        walk(folder)
    return found


def load_tree(root: Path, folders: tuple[str, ...] = ("content", "frameworks"),
              unread: list[Problem] | None = None) -> list[Document]:
    """Load every YAML file of the knowledge base, collecting all problems before failing; with
    unread, the problems go there and the files that did load are returned (one pass: a caller
    goes on to check those too)."""
    problems: list[Problem] = [] if unread is None else unread
    documents: list[Document] = []
    cache = ParseCache.for_root(root)
    for name in folders:
        for path in find_yaml_files(root / name, root, problems):
            try:
                documents.append(read_yaml(path, root, cache))
            except ContentError as error:
                problems.extend(error.problems)
            except OSError as error:
                problems.append(Problem(display_path(path, root), 1, f"cannot read file: {error.strerror}"))
    cache.save()
    if problems and unread is None:
        raise ContentError(problems)
    return documents
