"""Stages 4 and 5 on the sample tree: a strict MkDocs build whose pages show what the YAML says."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import edit, run_kb, tree_digest


def text_of(html: str) -> str:
    """The visible text of a page's article, tags stripped, whitespace folded."""
    article = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    assert article, "page has no article"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article.group(1))).split())


@pytest.fixture
def built(sample: Path) -> Path:
    result = run_kb("build", root=sample)
    assert result.exit_code == 0, result.stderr
    return sample / "site"


def page(site: Path, url: str) -> str:
    return text_of((site / url / "index.html").read_text(encoding="utf-8"))


def test_every_entity_has_its_page(built: Path) -> None:
    for url in [
        "", "personas/starter", "personas/advanced", "playbooks/sort-out-access",
        "checklists/access-baseline", "terms", "terms/shadow-ai", "faq", "case-studies/token-theft",
        "statistics", "takeaways", "frameworks", "frameworks/mini-csf", "frameworks/mini-csf/pr-aa-05",
        "frameworks/mini-zt/tenet-6", "pages/guide",
    ]:
        assert (built / url / "index.html").is_file(), url


def test_pages_show_what_the_yaml_says(built: Path) -> None:
    persona = page(built, "personas/starter")
    assert "Files live on local drives and in inboxes." in persona
    assert "Playbooks, in order ¶ Sort out access : Know every identity and what it can reach." in persona
    assert "Last reviewed 2026-11-01 by Security lead" in persona
    assert "PR.AA-01 Identities and credentials are managed Accounts must be known before anything else." in persona

    playbook = page(built, "playbooks/sort-out-access")
    assert "1. List every account" in playbook and "Owner: Technician" in playbook
    assert "Evidence: The exported list, attached to the ticket." in playbook
    assert "For: Starter , Advanced · Effort: 2 days" in playbook

    checklist = page(built, "checklists/access-baseline")
    assert "Version 1.2" in checklist
    assert "MFA is enforced for every user account mfa-enforced" in checklist
    assert "Every service account has a named owner (optional)" in checklist


def test_control_page_lists_everything_that_cites_it(built: Path) -> None:
    control = page(built, "frameworks/mini-csf/pr-aa-01")
    # The H1 hides its ": " on screen (the id is the heading, the title sits below it).
    assert control.startswith("PR.AA-01 : Identities and credentials are managed")
    assert "Starter The inventory" not in control
    assert "Persona Why it matters here Starter Accounts must be known before anything else." in control
    assert "Playbook › step Why it matters here Sort out access › List every account The inventory is the basis of every later review." in control
    assert "Question Why it matters here Where do we start? The inventory is step one." in control
    mapped = page(built, "frameworks/mini-csf/pr-aa-05")
    assert "Mini Zero Trust (1) ¶ Control Relationship Rationale tenet-6 Dynamic, enforced authentication and authorisation intersects" in mapped


def test_links_use_ids_and_anchors(built: Path) -> None:
    html = (built / "frameworks/mini-csf/pr-aa-01/index.html").read_text()
    assert 'href="../../../playbooks/sort-out-access/#list-accounts"' in html
    checklist = (built / "checklists/access-baseline/index.html").read_text()
    assert 'id="mfa-enforced"' in checklist
    assert '<label for="check-mfa-enforced">' in checklist


def test_search_index_holds_control_ids_terms_and_items(built: Path) -> None:
    index = json.loads((built / "search/search_index.json").read_text())
    titles = {doc["title"] for doc in index["docs"]}
    assert "PR.AA-01: Identities and credentials are managed" in titles
    assert "Shadow AI" in titles
    # Every checklist item is a heading of its page, so it is a search entry at its own anchor.
    items = {doc["location"]: doc["title"] for doc in index["docs"] if "#" in doc["location"]}
    assert items["checklists/access-baseline/#mfa-enforced"] == "MFA is enforced for every user account"


def test_hand_written_page_macros(built: Path) -> None:
    html = (built / "pages/guide/index.html").read_text()
    assert '<a href="../../terms/shadow-ai/">Shadow AI</a>' in html
    assert '<a href="../../checklists/access-baseline/">Access baseline</a>' in html
    assert '<a href="../../frameworks/mini-csf/pr-aa-05/">PR.AA-05: Access permissions are defined and reviewed</a>' in html
    assert 'class="admonition abstract"' in html and "Open the Starter guidance" in html


def test_unknown_id_in_a_macro_fails_naming_page_and_id(sample: Path) -> None:
    edit(sample / "content/pages/guide.md", 'term("shadow-ai")', 'term("shadow-aj")')
    result = run_kb("build", root=sample)
    assert result.exit_code == 1
    assert "WARNING: pages/guide.md: unknown term 'shadow-aj'; closest valid id: 'shadow-ai'\n" in result.stderr
    assert not (sample / "site").exists()


def test_yaml_text_is_never_template_code(sample: Path) -> None:
    edit(sample / "content/terms/terms.yaml", "AI tools used without approval or oversight.",
         "AI tools {{ 7*7 }} {% raw %} {{ config }} <b>bold</b>")
    result = run_kb("build", root=sample)
    assert result.exit_code == 0, result.stderr
    shown = page(sample / "site", "terms/shadow-ai")
    assert "AI tools {{ 7*7 }} {% raw %} {{ config }} <b>bold</b>" in shown
    assert "<b>bold</b>" not in (sample / "site/terms/shadow-ai/index.html").read_text()


def test_broken_content_leaves_the_previous_site_untouched(built: Path, sample: Path) -> None:
    before = tree_digest(built)
    edit(sample / "content/personas/starter.yaml", "name: Starter", "name: [not, text]")
    result = run_kb("build", root=sample)
    assert result.exit_code == 1
    assert result.stderr.startswith("content/personas/starter.yaml:2: name: input should be a valid string")
    assert tree_digest(built) == before
    assert sorted(p.name for p in sample.iterdir() if p.name.startswith(".site")) == []


def test_broken_link_in_a_page_fails_strict_build_and_keeps_site(built: Path, sample: Path) -> None:
    before = tree_digest(built)
    (sample / "content/pages/guide.md").write_text("# Guide\n\n[gone](../nowhere.md)\n")
    result = run_kb("build", root=sample)
    assert result.exit_code == 1
    assert "build failed: Aborted with 1 warnings in strict mode!" in result.stderr
    assert tree_digest(built) == before
