"""Front matter of hand-written pages (content/pages/*.md), read strictly.

A page's `audience` decides whether clients see it, so it is never guessed: the front matter is
read as MkDocs reads it (a byte-order mark, `--- ` with trailing blanks and a `...` closer are
all front matter to MkDocs, so they are here too), parsed by the knowledge base's own YAML
loader (duplicate keys, file:line), and `audience` must be exactly `internal` or `client`.
Anything else, such as `Internal`, an unclosed block or `audience:` outside `---` lines, is an
error at its line, not a page published to clients. The page is then handed to MkDocs with front
matter in one normal form, so MkDocs cannot read it differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import ContentError, Problem, display_path
from generator.core.load import LineDict, parse_text, read_bounded

AUDIENCES = ("internal", "client")
FOLDER = Path("content") / "pages"
_FENCE = re.compile(r"-{3}[ \t]*")
_CLOSER = re.compile(r"(?:-{3}|\.{3})[ \t]*")
# What MkDocs would take for MultiMarkdown-style meta data at the top of a page.
_LOOSE_AUDIENCE = re.compile(r" {0,3}audience\s*:", re.I)


@dataclass(frozen=True)
class Page:
    """A hand-written page: its front matter and the Markdown after it."""

    rel: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def audience(self) -> str:
        return str(self.meta.get("audience", "client"))

    def for_mkdocs(self, **extra: Any) -> str:
        """The page with its front matter (plus extra) in the one form MkDocs and we agree on."""
        meta = {**extra, **{k: v for k, v in self.meta.items() if k not in extra}}
        return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + self.body


def parse(text: str, rel: str) -> Page:
    """Split a page into front matter and body; ContentError with file:line when unclear."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not _FENCE.fullmatch(lines[0]):
        first = next((n for n, line in enumerate(lines, 1) if line.strip()), 1)
        if first <= len(lines) and _LOOSE_AUDIENCE.match(lines[first - 1]):
            raise ContentError([Problem(rel, first, "'audience' must be in front matter between '---' lines "
                                                    "at the top of the page")])
        return Page(rel, text)
    closer = next((n for n in range(1, len(lines)) if _CLOSER.fullmatch(lines[n])), None)
    if closer is None:
        raise ContentError([Problem(rel, 1, "front matter opened on line 1 is never closed "
                                            "(end it with a line '---')")])
    block = "\n" + "\n".join(lines[1:closer]) + "\n"  # one blank line first: lines match the file
    data = parse_text(block, rel) if block.strip() else LineDict()
    if not isinstance(data, LineDict):
        raise ContentError([Problem(rel, 2, "front matter must be a mapping of keys to values, "
                                            "e.g. 'audience: internal'")])
    problems = []
    for key in data:
        if isinstance(key, str) and key.lower() == "audience" and key != "audience":
            problems.append(Problem(rel, data.key_lines[key], f"write '{key}' as 'audience' (keys are lowercase)"))
    if "audience" in data and data["audience"] not in AUDIENCES:
        problems.append(Problem(rel, data.key_lines["audience"], f"audience: {data['audience']!r} is not one of: "
                                                                 f"{', '.join(AUDIENCES)}"))
    if problems:
        raise ContentError(problems)
    return Page(rel, "\n".join(lines[closer + 1 :]).lstrip("\n"), _plain(data))


def _plain(value: Any) -> Any:
    """Parsed YAML without its positions, for yaml.safe_dump."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def read(path: Path, root: Path) -> Page:
    """Read and parse one page: a regular UTF-8 file of bounded size."""
    rel = display_path(path, root)
    raw = read_bounded(path, rel)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ContentError([Problem(rel, line, f"file is not UTF-8 text (byte 0x{raw[error.start]:02x})")]) from None
    return parse(text, rel)


def pages(root: Path) -> list[Path]:
    folder = root / FOLDER
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith(".")) if folder.is_dir() else []


def problems(root: Path) -> list[Problem]:
    """Every problem of every hand-written page, for `kb validate`."""
    found: list[Problem] = []
    for path in pages(root):
        try:
            read(path, root)
        except ContentError as error:
            found.extend(error.problems)
        except OSError as error:
            found.append(Problem(display_path(path, root), 1, f"cannot read file: {error.strerror}"))
    return found
