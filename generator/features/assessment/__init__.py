"""The readiness assessment: content/assessment.yaml, its checks against the personas, the
form and scoring pages, and `kb assess`."""

from __future__ import annotations

from generator.core.feature import Feature
from generator.features.assessment import commands, model, pages

FEATURE = Feature(
    name="assessment",
    documents={"assessment": model.Assessment},
    checks=(model.check,),
    producers=(pages.assessment_pages,),
    commands=lambda cli: cli.add_command(commands.assess),
)
