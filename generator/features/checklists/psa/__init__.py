"""Checklists and persona templates in the shape each PSA's REST API takes.

Every PSA format is the list of HTTP requests that would create the checklist (or the persona's
project template) in that PSA, each with its method, path and JSON body, plus a `kb` block that
traces the record back to the checklist's permanent URL and item ids. `kb export ... --format
PSA` prints them as JSON; `kb push PSA ...` sends them (or, with --dry-run, prints them as HTTP).

A request may depend on an earlier one: `{id of request 1}` in a path or body stands for the id
the PSA returns for request 1. `{ticket id}` stands for the PSA ticket the checklist goes on,
when no numeric --ticket was given.

Field limits are the ones the vendors document (see each module). Where a record has a
description field beside the limited one, an over-long title is shortened and the full text goes
into the description; where it has none, the export fails naming the item (`path:line:`), since
cutting it would lose part of what the technician must do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TICKET_PLACEHOLDER = "{ticket id}"


def ref(position: int) -> str:
    """Stands for the id the PSA returns for request `position` (counted from 1)."""
    return f"{{id of request {position}}}"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # below the PSA's API base URL
    body: Any

    def as_data(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "body": self.body}


@dataclass(frozen=True)
class Credential:
    """An HTTP header whose value comes from the environment, never from a file or an option."""

    header: str
    variables: tuple[str, ...]
    #: how the header is made from the variables' values (one variable: the value itself)
    compose: Callable[[list[str]], str] = lambda values: values[0]
    shown: str = ""  # how --dry-run shows the value, naming the variables and no secret

    def shown_value(self) -> str:
        return self.shown or f"<${self.variables[0]}>"


@dataclass(frozen=True)
class Api:
    """How to reach one PSA: the environment variable holding its base URL, an example of it,
    and the credential headers."""

    name: str
    title: str
    base_variable: str
    base_example: str
    credentials: tuple[Credential, ...]
    #: the field of a create response that holds the new record's id, tried in order
    id_fields: tuple[str, ...] = ("id",)

    def variables(self) -> list[str]:
        return [self.base_variable] + [v for c in self.credentials for v in c.variables]


@dataclass
class Export:
    """The requests for one PSA, and what traces them back to the knowledge base."""

    api: Api
    requests: list[Request]
    trace: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> str:
        data = {"psa": self.api.name, "kb": self.trace, "requests": [r.as_data() for r in self.requests]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def internal_mark(audience: str) -> str:
    """Marks a staff-only item or step in an internal export (a client export has none)."""
    return " (internal)" if audience == "internal" else ""


def shorten(text: str, limit: int) -> str:
    """Text cut to `limit` characters at a word boundary, ending in an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
