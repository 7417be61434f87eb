"""The pipeline in one call: load, model and link a knowledge base, choose its audience, render."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from generator.core.audience import for_audience
from generator.core.link import load_knowledge_base
from generator.core.render import Rendered, render
from generator.features.authoring.review import TODAY_VARIABLE


def render_tree(root: Path, audience: str = "internal", today: dt.date | None = None) -> Rendered:
    kb = for_audience(load_knowledge_base(root), audience)
    previous = os.environ.get(TODAY_VARIABLE)
    if today is not None:
        os.environ[TODAY_VARIABLE] = today.isoformat()
    try:
        return render(kb)
    finally:
        if previous is None:
            os.environ.pop(TODAY_VARIABLE, None)
        else:
            os.environ[TODAY_VARIABLE] = previous
