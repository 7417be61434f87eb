"""Authoring aids: review dates (the review queue, what's new, validate warnings), `kb new`
skeletons and placeholders, and the JSON schemas editors validate YAML with."""

from __future__ import annotations

import datetime as dt

from generator.core.errors import Problem
from generator.core.feature import Feature
from generator.core.link import KnowledgeBase
from generator.features.authoring import changes, commands, review, scaffold


def _placeholders(kb: KnowledgeBase, on: dt.date) -> list[Problem]:
    return scaffold.placeholder_warnings(kb)


FEATURE = Feature(
    name="authoring",
    warnings=(review.warnings, _placeholders, changes.change_warnings),
    producers=(review.whats_new_pages, review.review_queue_pages),
    commands=commands.register,
)
