"""The assessment's pages and the JSON rules file, produced from the same data `kb assess` uses.

The page embeds the data in a `<script type="application/json">` block rather than fetching
rules.json, so the form also works opened from `file://` with no server and no network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from generator.core import urls
from generator.core.feature import Page, RenderContext
from generator.core.link import KnowledgeBase
from generator.features.assessment import model as assessment


def safe_json(data: Any, indent: int | None = None) -> Markup:
    """JSON that is also safe inside a <script> element: no `<`, `>` or `&` can end it early."""
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=None if indent else (",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)


def assessment_pages(kb: KnowledgeBase, ctx: RenderContext) -> Iterator[Page]:
    """The form, the page explaining the scoring, and assessment/rules.json (if there is one)."""
    model = kb.documents.get("assessment")
    if not isinstance(model, assessment.Assessment):
        return
    data = assessment.kb_data(kb)
    root = urls.relative("index.md", assessment.PAGE).removesuffix("index.md")
    context = {"assessment": model, "data": data, "root": root, "maxima": assessment.maxima(data)}
    yield Page(assessment.PAGE, "assessment.md.j2", {**context, "data_json": safe_json(data)},
               nav_title="Assessment")
    yield Page(assessment.SCORING_PAGE, "assessment_scoring.md.j2", context)
    yield Page(assessment.RULES_FILE, "assessment_rules.json.j2", {"rules_json": safe_json(data, indent=2)})
