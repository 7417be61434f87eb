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


def test_version_names_the_installed_package() -> None:
    from importlib.metadata import version

    result = run_kb("--version")
    assert (result.exit_code, result.stdout) == (0, f"kb {version('msp-kb-generator')}\n")


def test_init_starts_a_knowledge_base_that_validates_and_builds(tmp_path: Path) -> None:
    result = run_kb("init", tmp_path / "my-kb", "--today", "2026-11-30")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote 5 files to {tmp_path / 'my-kb'}; next: kb --root {tmp_path / 'my-kb'} build\n"
    check = run_kb("validate", "--strict", "--today", "2026-12-01", root=tmp_path / "my-kb")
    assert (check.exit_code, check.stderr) == (0, "")
    assert check.stdout == ("ok: 1 persona, 1 playbook, 1 checklist, 1 term, 0 FAQs, 0 case studies, "
                            "0 statistics, 0 takeaways, 0 frameworks, 0 controls\n")
    refused = run_kb("init", tmp_path / "my-kb")
    assert refused.exit_code == 2
    assert refused.stderr == f"error: {tmp_path / 'my-kb'}: the folder exists and is not empty; name a new folder\n"


def test_new_suggests_a_transliterated_id() -> None:
    result = run_kb("new", "term", "Rücksicherung")
    assert result.exit_code == 2
    assert "such as 'rucksicherung'" in result.stderr
