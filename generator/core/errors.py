"""The one error type users see: a list of `path:line: message` problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located in a file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised by a pipeline stage when the content has one or more problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    """Paths in messages are relative to the knowledge base root when possible."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


class WriterFailed(Exception):
    """An after-build step could not write its files (e.g. no browser to print PDFs); the
    message says what to install or fix. The site being built is not swapped in."""


class BuildFailed(Exception):
    """The site engine refused the rendered pages (e.g. a strict-mode warning); it has said why."""
