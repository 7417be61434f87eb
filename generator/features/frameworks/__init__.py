"""Frameworks beyond their pages: the filterable controls index, the coverage matrix and gaps
(`kb coverage`), and importers of official catalogues (`kb frameworks import-oscal | import-cprt`)."""

from __future__ import annotations

from typing import Any

from generator.core.feature import Feature
from generator.features.frameworks import commands, controls, coverage, coverage_commands


def _register(cli: Any) -> None:
    cli.add_command(commands.frameworks)
    cli.add_command(coverage_commands.coverage_command)


FEATURE = Feature(name="frameworks", producers=(controls.controls_index_pages, coverage.coverage_pages),
                  commands=_register)
