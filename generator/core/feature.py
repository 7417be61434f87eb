"""The one narrow interface features plug into.

The core is handed a sequence of `Feature`s (generator/features/__init__.py lists them) and
iterates it: at model time for the content files a feature reads, at link time for its checks,
at render time for its pages and templates, after the build for the files it writes beside the
site, and in the CLI for its commands. The core never imports a feature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from generator.core.errors import Problem

if TYPE_CHECKING:
    from generator.core.link import KnowledgeBase

Audience = Literal["internal", "client"]


@dataclass(frozen=True)
class RenderContext:
    """Everything render needs besides the knowledge base: render reads no clock and no
    environment. `client` is set for a per-client pack; `flags` are build options (e.g. "pdf")."""

    today: dt.date
    audience: Audience = "internal"
    client: str | None = None
    flags: frozenset[str] = frozenset()

    @property
    def staff(self) -> bool:
        """Pages and parts meant for MSP staff only (planning views, review queues)."""
        return self.audience == "internal" and self.client is None


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes, which template draws it, with what."""

    path: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    #: A top-level nav entry for this page (pages of the core sections have theirs already).
    nav_title: str | None = None


Check = Callable[["KnowledgeBase"], list[Problem]]
Warnings = Callable[["KnowledgeBase", dt.date], list[Problem]]
Producer = Callable[["KnowledgeBase", RenderContext], Iterable[Page]]
Writer = Callable[["KnowledgeBase", RenderContext, Path], None]


@dataclass(frozen=True)
class Feature:
    """What one feature adds. Every field is optional; the order of the feature list is the
    order of their pages in the nav."""

    name: str
    #: Top-level content files it reads: content/<name>.yaml -> model, kept in kb.documents.
    documents: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    #: Link-time checks; their problems fail validation like any other.
    checks: tuple[Check, ...] = ()
    #: `kb validate` warnings (errors with --strict), judged on a given day.
    warnings: tuple[Warnings, ...] = ()
    producers: tuple[Producer, ...] = ()
    #: A folder of page templates, searched after the core's own.
    templates: Path | None = None
    #: Files it writes into a built site, on any engine's output folder.
    writers: tuple[Writer, ...] = ()
    #: Adds its commands to the click group it is given.
    commands: Callable[[Any], None] | None = None
