"""Per-client packs: one client's persona, its playbooks and checklists, as a small client-safe
site (`kb pack`), optionally one PDF."""

from __future__ import annotations

from generator.core.feature import Feature
from generator.features.packs import commands

FEATURE = Feature(name="packs", commands=lambda cli: cli.add_command(commands.pack))
