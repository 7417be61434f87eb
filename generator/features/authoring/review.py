"""Review owners and staleness, and change notes across the knowledge base.

Every page-level entity has an owner and a last-reviewed date. Each kind has a review interval
(site settings `review_intervals`, overridable per entity with `review_every_days`); content
whose interval has run out is *due*. `kb validate` warns about it, the internal "Review queue"
page lists it, oldest first, and the "What's new" page lists every change note, newest first.

"Today" comes from `KB_TODAY` (YYYY-MM-DD) when set, so tests and reproducible builds can pin it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core.errors import Problem
from generator.core.feature import Page, RenderContext
from generator.core.kinds import BY_NAME, NAMES
from generator.core.link import KnowledgeBase
from generator.core.model import Change, Entity

TODAY_VARIABLE = "KB_TODAY"

#: Days between reviews when content/site.yaml says nothing for a kind. Checklists and
#: playbooks drive work on client systems, so they age fastest; definitions age slowest.

#: How far ahead the review queue looks for content that will soon be due.
LOOK_AHEAD_DAYS = 60


@dataclass(frozen=True)
class ReviewState:
    """When one entity was reviewed, how often it should be, and when it is next due."""

    kind: str
    entity: Entity
    interval: int
    due: dt.date | None  # None: never reviewed, so due now

    def is_due(self, on: dt.date) -> bool:
        return self.due is None or self.due <= on


def interval_of(kb: KnowledgeBase, kind: str, entity: Entity) -> int:
    if entity.review_every_days is not None:
        return entity.review_every_days
    return kb.site.review_intervals.get(kind, BY_NAME[kind].review_days)


def states(kb: KnowledgeBase) -> list[ReviewState]:
    out = []
    for kind in NAMES:
        for entity in kb.entities(kind).values():
            interval = interval_of(kb, kind, entity)
            due = entity.reviewed + dt.timedelta(days=interval) if entity.reviewed else None
            out.append(ReviewState(kind, entity, interval, due))
    return out


def _oldest_first(state: ReviewState) -> tuple[dt.date, str, str]:
    return state.due or dt.date.min, state.kind, state.entity.id


def queue(kb: KnowledgeBase, on: dt.date) -> tuple[list[ReviewState], list[ReviewState]]:
    """(due now, due within LOOK_AHEAD_DAYS), each oldest first; never-reviewed content leads."""
    all_states = sorted(states(kb), key=_oldest_first)
    horizon = on + dt.timedelta(days=LOOK_AHEAD_DAYS)
    due = [s for s in all_states if s.is_due(on)]
    soon = [s for s in all_states if not s.is_due(on) and s.due is not None and s.due <= horizon]
    return due, soon


def warnings(kb: KnowledgeBase, on: dt.date) -> list[Problem]:
    """What an author should fix but that does not stop a build (errors with --strict)."""
    found: list[Problem] = []
    for state in states(kb):
        entity, name = state.entity, f"{state.kind} '{state.entity.id}'"
        if entity.owner is None:
            found.append(Problem(*entity.where, f"{name} has no owner (add `owner:` with the role that keeps it current)"))
        if entity.reviewed is None:
            found.append(Problem(*entity.where, f"{name} has never been reviewed (add `reviewed: YYYY-MM-DD` once it has)"))
        elif entity.reviewed > on:
            found.append(Problem(*entity.where_field("reviewed"), f"{name} has a reviewed date in the future ({entity.reviewed})"))
        elif state.due is not None and state.due <= on:
            found.append(Problem(
                *entity.where_field("reviewed"),
                f"{name} is due for review since {state.due} "
                f"(last reviewed {entity.reviewed}; reviewed every {state.interval} days)",
            ))
    return sorted(found)


@dataclass(frozen=True)
class ChangeNote:
    kind: str
    entity: Entity
    change: Change


def change_notes(kb: KnowledgeBase) -> list[ChangeNote]:
    """Every change note of every entity, newest first (ties in kind, then title order)."""
    notes = [
        ChangeNote(kind, entity, change)
        for kind in NAMES
        for entity in kb.entities(kind).values()
        for change in entity.changes
    ]
    order = list(NAMES)
    notes.sort(key=lambda n: (order.index(n.kind), n.entity.id))
    notes.sort(key=lambda n: n.change.date, reverse=True)
    return notes


REVIEW_QUEUE_PATH = "review-queue.md"
WHATS_NEW_PATH = "whats-new.md"


def whats_new_pages(kb: KnowledgeBase, ctx: RenderContext) -> Iterator[Page]:
    """Every change note, newest first; a per-client pack (a one-off deliverable) has none."""
    if ctx.client is not None:
        return
    yield Page(WHATS_NEW_PATH, "whats_new.md.j2", {"notes": change_notes(kb)}, nav_title="What's new")


def review_queue_pages(kb: KnowledgeBase, ctx: RenderContext) -> Iterator[Page]:
    """The review queue is for MSP staff: client builds (generator/audience.py) leave it out."""
    if ctx.audience == "client":
        return
    on = ctx.today
    due, soon = queue(kb, on)
    context = {"today": on, "due": due, "soon": soon, "look_ahead": LOOK_AHEAD_DAYS}
    yield Page(REVIEW_QUEUE_PATH, "review_queue.md.j2", context, nav_title="Review queue")
