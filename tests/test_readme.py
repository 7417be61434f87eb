"""The README's YAML examples are real: each validates against the model of the file it names."""

from __future__ import annotations

import re

import pytest

from generator.core.entities import CORE_FILES, validate
from generator.core.kinds import BY_FOLDER
from generator.core.load import parse_text
from generator.core.model import Crosswalk, Framework, Site
from generator.features import FEATURES
from tests.conftest import REPO

CONTENT_FILES = {**CORE_FILES, **{name: model for feature in FEATURES for name, model in feature.documents.items()}}

BLOCKS = re.findall(r"```yaml\n# (\S+)\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)


def model_for(path: str) -> type:
    parts = path.split("/")
    if parts[0] == "frameworks":
        return Crosswalk if parts[1] == "crosswalks" else Framework
    if parts[1] == "site.yaml":
        return Site
    if parts[1].endswith(".yaml"):
        return CONTENT_FILES[parts[1].removesuffix(".yaml")]
    return BY_FOLDER[parts[1]].model


def test_readme_shows_every_kind() -> None:
    folders = {path.split("/")[1] for path, _ in BLOCKS if path.startswith("content/")}
    assert set(BY_FOLDER) | {"site.yaml"} <= folders
    assert {"frameworks/nist-csf-2.0.yaml", "frameworks/crosswalks/sp-800-207-to-csf-2.0.yaml"} <= {p for p, _ in BLOCKS}


@pytest.mark.parametrize(("path", "text"), BLOCKS, ids=[p for p, _ in BLOCKS])
def test_readme_example_is_valid(path: str, text: str) -> None:
    obj, problems = validate(model_for(path), parse_text(text, path), path)
    assert problems == []
    assert obj is not None
