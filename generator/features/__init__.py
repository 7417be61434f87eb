"""The features, in one list: the order is the order of their pages in the nav. The CLI and
the engine adapter read this list; the core is handed it and never imports a feature."""

from __future__ import annotations

from pathlib import Path

from generator.core import link
from generator.core.feature import Feature
from generator.core.link import KnowledgeBase
from generator.features import assessment, authoring, checklists, frameworks, offline, packs

FEATURES: tuple[Feature, ...] = (
    frameworks.FEATURE,
    authoring.FEATURE,
    assessment.FEATURE,
    checklists.FEATURE,
    packs.FEATURE,
    offline.FEATURE,  # last: its writer copies the search index the others may have added to
)


def load_knowledge_base(root: Path) -> KnowledgeBase:
    """The knowledge base at root, read with every feature (what `kb` itself loads)."""
    return link.load_knowledge_base(root, FEATURES)
