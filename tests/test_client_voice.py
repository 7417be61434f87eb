"""The client's voice: a client build and a pack speak to the client. No command-line tool, no
instruction meant for staff and no internal count (coverage gaps) is in any file they hold, and
the site settings' client wording (site.yaml `wording.client`) replaces the staff sentences."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, edit, run_kb

#: Phrases only staff should read, as regular expressions (case-insensitive).
STAFF_ONLY = [
    r"\bkb (assess|coverage|validate|link|export|pack|build|serve|push|new|init|schema|list)\b",
    r"in a terminal", r"on the command line",
    r"Ask three questions about the client", r"Place the client in one persona",
    r"the article this guidance started from", r"paste it into the ticket", r"Open a checklist from a ticket",
    r"service motion", r"talking points",
    r"\b\d+ gaps?\b", r"(?-i:Gaps in )", r"among the gaps", r"(?-i:Not yet:)", r"\d+ of \d+\W{0,3} outcomes",
    r"Coverage and gaps", r"Internal notes", r"Staff only", r"Run sheet", r"Review queue",
]
TEXT_FILES = (".html", ".json", ".xml", ".txt", ".md", ".csv")


def staff_phrases(folder: Path) -> dict[str, list[str]]:
    """Each staff-only phrase found, with the files it is in (searching text, not markup)."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix not in TEXT_FILES or not path.is_file():
            continue
        text = re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))
        text = " ".join(text.replace("&#39;", "'").replace("&quot;", '"').split())
        for pattern in STAFF_ONLY:
            if re.search(pattern, text, flags=re.IGNORECASE):
                found.setdefault(pattern, []).append(path.relative_to(folder).as_posix())
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("voice") / "kb"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "frameworks", root / "frameworks")
    out = {"internal": root / "site", "client": root / "client", "pack": root / "pack"}
    assert run_kb("build", "--out", out["internal"], root=root).exit_code == 0
    assert run_kb("build", "--audience", "client", "--out", out["client"], root=root).exit_code == 0
    result = run_kb("pack", "--client", "Acme Ltd", "--persona", "risk-averse", "--out", out["pack"], root=root)
    assert result.exit_code == 0, result.stderr
    return out


def test_client_site_and_pack_hold_no_staff_phrase(outputs: dict[str, Path]) -> None:
    assert staff_phrases(outputs["client"]) == {}
    assert staff_phrases(outputs["pack"]) == {}


def test_the_check_finds_staff_phrases_in_the_staff_site(outputs: dict[str, Path]) -> None:
    found = staff_phrases(outputs["internal"])
    for pattern in [r"\bkb (assess|coverage|validate|link|export|pack|build|serve|push|new|init|schema|list)\b",
                    r"Ask three questions about the client", r"\b\d+ gaps?\b", r"(?-i:Not yet:)", r"Coverage and gaps",
                    r"Run sheet", r"service motion", r"paste it into the ticket"]:
        assert pattern in found, pattern


def test_client_wording_replaces_the_staff_sentences(outputs: dict[str, Path]) -> None:
    home = (outputs["client"] / "index.html").read_text(encoding="utf-8")
    assert "Three questions show where your organisation stands:" in home
    assert "<li>Is your data centralised in managed cloud services," in home
    assert "take the <a href=\"assessment/\">AI readiness assessment</a> (about ten minutes)." in home
    assert "You are probably" in home
    staff_home = (outputs["internal"] / "index.html").read_text(encoding="utf-8")
    assert "Ask three questions about the client:" in staff_home and "The client is" in staff_home
    personas = (outputs["client"] / "personas" / "index.html").read_text(encoding="utf-8")
    assert "Three stages of AI readiness. Each starts with different playbooks." in personas
    coverage = (outputs["client"] / "coverage" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"coverage\">Coverage" in coverage


def test_client_wording_is_optional_and_one_level_deep(sample: Path) -> None:
    edit(sample / "content" / "site.yaml", "wording:\n", "wording:\n  client:\n    client:\n      home_intro: x\n")
    result = run_kb("validate", root=sample)
    assert result.exit_code == 1
    assert "wording.client cannot have a client block of its own" in result.stderr
