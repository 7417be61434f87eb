"""The kb command line: stable JSON listing, exit codes, every command documented."""

from __future__ import annotations

import json
from pathlib import Path

from generator.cli.app import cli
from tests.conftest import REPO, run_kb


def test_list_json_is_stable(sample: Path) -> None:
    result = run_kb("list", "checklist", "--json", root=sample)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [{
        "kind": "checklist",
        "id": "access-baseline",
        "title": "Access baseline",
        "url": "https://kb.sample-msp.example/checklists/access-baseline/",
        "audience": "client",
    }]


def test_list_controls_carry_their_framework(sample: Path) -> None:
    rows = json.loads(run_kb("list", "control", "--json", root=sample).stdout)
    assert rows[3] == {
        "kind": "control", "framework": "mini-csf", "id": "PR.AA-05",
        "title": "Access permissions are defined and reviewed",
        "url": "https://kb.sample-msp.example/frameworks/mini-csf/pr-aa-05/", "audience": "client",
    }


def test_list_plain_text(sample: Path) -> None:
    lines = run_kb("list", "persona", root=sample).stdout.splitlines()
    assert lines == [
        "persona     starter                                  Starter  https://kb.sample-msp.example/personas/starter/",
        "persona     advanced                                 Advanced  https://kb.sample-msp.example/personas/advanced/",
    ]


def test_usage_errors_exit_2(sample: Path) -> None:
    result = run_kb("list", "playbok", root=sample)
    assert result.exit_code == 2
    assert "Invalid value for '[[persona|playbook|checklist|term|faq|case-study|statistic|takeaway|framework|control]]'" \
        not in result.stderr
    assert "'playbok' is not one of 'persona', 'playbook'" in result.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, name
        assert f"kb {name}" in readme, f"README does not document `kb {name}`"
        assert run_kb(name, "--help").exit_code == 0
