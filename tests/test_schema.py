"""JSON Schemas for editors: committed = generated, named by every bundled content file, and
they accept what the models accept and flag what the models reject, as an editor would."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.core.entities import CORE_FILES
from generator.core.kinds import KINDS
from generator.features import FEATURES
from generator.features.authoring.schema import modeline, schemas
from tests.conftest import REPO, run_kb

SCHEMAS = REPO / "schemas"


def as_editor_sees(value: Any) -> Any:
    """YAML as the YAML language server hands it to the schema: dates are strings."""
    if isinstance(value, dict):
        return {k: as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def errors(schema_name: str, text: str) -> list[str]:
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text(encoding="utf-8"))
    data = as_editor_sees(yaml.safe_load(text))
    messages = []
    for error in jsonschema.Draft202012Validator(schema).iter_errors(data):
        if error.validator == "oneOf" and not error.path:  # one entity or a list: the branch that applies
            branch = 0 if isinstance(data, dict) else 1
            messages += [e.message for e in error.context or [] if e.schema_path[0] == branch]
        else:
            messages.append(error.message)
    return sorted(messages)


FILES = {name: model for feature in FEATURES for name, model in feature.documents.items()}
CONTENT_FILES = {**CORE_FILES, **FILES}


def test_committed_schemas_equal_the_generated_ones() -> None:
    generated = schemas(FILES)
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    assert sorted(committed) == sorted(generated), "run `kb schema` and commit schemas/"
    for name, text in generated.items():
        assert committed[name] == text, f"schemas/{name} is out of date: run `kb schema` and commit it"


def test_one_schema_per_kind_and_file() -> None:
    assert sorted(schemas(FILES)) == sorted(
        [f"{kind.name}.json" for kind in KINDS] + [f"{name}.json" for name in CONTENT_FILES]
        + ["framework.json", "crosswalk.json"]
    )


def test_schema_command_writes_the_committed_files(tmp_path: Path) -> None:
    result = run_kb("schema", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {len(KINDS) + len(CONTENT_FILES) + 2} schemas to {tmp_path / 'out'}\n"
    for path in SCHEMAS.glob("*.json"):
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes()


def bundled_content() -> list[tuple[str, Path]]:
    files = [(name, REPO / "content" / f"{name}.yaml") for name in CONTENT_FILES
             if (REPO / "content" / f"{name}.yaml").is_file()]
    for kind in KINDS:
        files += [(kind.name, p) for p in sorted((REPO / "content" / kind.folder).glob("*.yaml"))]
    return files


@pytest.mark.parametrize(("kind", "path"), bundled_content(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_bundled_file_names_its_schema_and_matches_it(kind: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    depth = len(path.relative_to(REPO).parts) - 1
    first = text.splitlines()[0]
    assert first == modeline(kind, depth)
    assert (path.parent / first.split("$schema=")[1]).resolve().is_file()
    assert errors(kind, text) == []


@pytest.mark.parametrize("path", sorted((REPO / "frameworks").rglob("*.yaml")), ids=lambda p: p.name)
def test_bundled_frameworks_match_their_schema(path: Path) -> None:
    kind = "crosswalk" if path.parent.name == "crosswalks" else "framework"
    assert errors(kind, path.read_text(encoding="utf-8")) == []


PLAYBOOK = """
id: vendor-ai-review
title: Review an AI vendor
objective: Know what the vendor's assistant can reach.
reviewed: 2026-11-30
steps:
  - id: ask
    title: Ask for the data flow
    owner: vCIO
"""


@pytest.mark.parametrize(("change", "messages"), [
    (("title:", "titel:"), ["'title' is a required property",
                            "Additional properties are not allowed ('titel' was unexpected)"]),
    (("id: vendor-ai-review", "id: Vendor AI"), ["'Vendor AI' does not match '^[a-z0-9]+(?:-[a-z0-9]+)*$'"]),
    (("    owner: vCIO\n", ""), ["'owner' is a required property"]),
    (("reviewed: 2026-11-30", "reviewed: [2026]"), ["[2026] is not valid under any of the given schemas"]),
])
def test_schema_flags_what_the_model_rejects(change: tuple[str, str], messages: list[str]) -> None:
    assert errors("playbook", PLAYBOOK) == []
    assert errors("playbook", PLAYBOOK.replace(*change, 1)) == sorted(messages)


def test_a_file_may_hold_a_list_of_entities() -> None:
    listed = "- " + PLAYBOOK.strip().replace("\n", "\n  ") + "\n"
    assert errors("playbook", listed) == []
    assert errors("playbook", "[]") == ["[] should be non-empty"]


def test_review_intervals_name_known_kinds() -> None:
    site = (REPO / "content" / "site.yaml").read_text(encoding="utf-8")
    assert errors("site", site + "review_intervals:\n  playbook: 90\n") == []
    assert errors("site", site + "review_intervals:\n  playbok: 90\n") != []
