"""docs/authoring.md cannot drift: its examples build as one knowledge base, and every error
message it shows is what `kb validate` prints for that mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.core.kinds import BY_FOLDER
from tests.conftest import REPO, edit, run_kb

GUIDE = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
EXAMPLES = re.findall(r"```yaml\n# (\S+)\n(.*?)```", GUIDE, re.S)
ERRORS = re.findall(r"```text\n(content/\S+:\d+: .*?)\n```", GUIDE.split("## Common errors")[1])


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_TODAY", "2026-11-30")


@pytest.fixture
def guide_kb(tmp_path: Path) -> Path:
    root = tmp_path / "guide"
    for rel, text in EXAMPLES:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {rel}\n{text}", encoding="utf-8")
    return root


def test_guide_has_a_complete_example_of_every_kind() -> None:
    folders = {rel.split("/")[1] for rel, _ in EXAMPLES if rel.startswith("content/")}
    assert folders == set(BY_FOLDER) | {"site.yaml"}
    assert {"frameworks/nist-csf-2.0.yaml", "frameworks/crosswalks/sp-800-207-to-csf-2.0.yaml"} <= {r for r, _ in EXAMPLES}


def test_guide_examples_validate_strictly_and_build(guide_kb: Path) -> None:
    result = run_kb("validate", "--strict", root=guide_kb)
    assert (result.exit_code, result.stderr) == (0, "")
    result = run_kb("build", "--out", guide_kb / "site", root=guide_kb)
    assert result.exit_code == 0, result.stderr
    page = (guide_kb / "site/playbooks/vendor-ai-review/index.html").read_text(encoding="utf-8")
    assert "Last reviewed <time datetime=\"2026-11-30\">2026-11-30</time><span class=\"kb-owner\"> by Security practice lead</span>" in page
    assert (guide_kb / "site/review-queue/index.html").is_file()
    assert "First published." in (guide_kb / "site/whats-new/index.html").read_text(encoding="utf-8")


#: One mistake per error the guide shows: (file, text, replacement, extra `kb validate` args).
MISTAKES = [
    ("content/playbooks/vendor-ai-review.yaml", "\ntitle:", "\ntitel:", ()),
    ("content/playbooks/vendor-ai-review.yaml", "    owner: vCIO\n", "", ()),
    ("content/playbooks/vendor-ai-review.yaml", "id: vendor-ai-review", "id: Vendor AI review", ()),
    ("content/playbooks/vendor-ai-review.yaml", "checklists: [ai-vendor-review]", "checklists: [ai-vendor-reveiw]", ()),
    ("content/checklists/ai-vendor-review.yaml", "id: PR.AA-05", "id: PR.AC-4", ()),
    ("content/terms/connector.yaml", "reviewed: 2026-11-30", "reviewed: 2026-11", ()),
    ("content/takeaways/every-connector-is-an-identity.yaml", "\ntitle:", "\n\ttitle:", ()),
    ("content/playbooks/vendor-ai-review.yaml", "reviewed: 2026-11-30", "reviewed: 2026-11-30", ("--today", "2027-03-01")),
    ("content/playbooks/vendor-ai-review.yaml", "title: Review an AI vendor before approval",
     'title: "TODO: what the playbook achieves, as an instruction (e.g. Review a new vendor before approval)"', ()),
]


@pytest.mark.parametrize(("rel", "old", "new", "args"), MISTAKES, ids=[
    "misspelt-key", "missing-field", "bad-id", "unknown-reference", "withdrawn-control", "bad-date", "tab",
    "due-for-review", "placeholder"])
def test_each_common_error_in_the_guide_is_what_kb_prints(
    guide_kb: Path, rel: str, old: str, new: str, args: tuple[str, ...]
) -> None:
    edit(guide_kb / rel, old, new)
    printed = run_kb("validate", *args, root=guide_kb).stderr.splitlines()
    shown = [line for line in printed if line in ERRORS]
    assert len(shown) == 1, f"none of these lines is in the guide's common errors: {printed}"


def test_every_common_error_in_the_guide_is_pinned_by_a_mistake() -> None:
    assert len(ERRORS) == len(MISTAKES)


def test_readme_links_the_guide() -> None:
    assert "[author guide](docs/authoring.md)" in (REPO / "README.md").read_text(encoding="utf-8")
