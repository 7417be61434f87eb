"""The bundled knowledge base: a strict build whose pages are all reachable, and search that
finds personas, terms, checklist items and control ids, checked in real headless Chromium."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from generator.features import load_knowledge_base
from tests.conftest import REPO, material_search, run_kb


def test_bundled_content_validates() -> None:
    result = run_kb("validate", root=REPO)
    assert result.exit_code == 0, result.stderr


def test_every_entity_page_exists(bundled_site: Path) -> None:
    rows = json.loads(run_kb("list", "--json", root=REPO).stdout)
    base = "https://kb.example-msp.com/"
    assert len(rows) > 300
    for row in rows:
        path = row["url"].removeprefix(base).partition("#")[0]
        assert (bundled_site / path / "index.html").is_file(), row


def test_nav_reaches_every_section(bundled_site: Path) -> None:
    html = (bundled_site / "index.html").read_text()
    for section in ["personas/", "playbooks/", "checklists/", "terms/", "faq/", "case-studies/",
                    "statistics/", "frameworks/"]:
        assert f'href="{section}"' in html, section
    kb = load_knowledge_base(REPO)
    persona = (bundled_site / "personas/index.html").read_text()
    for pid in kb.personas:
        assert f'href="{pid}/"' in persona


def test_search_index_holds_ids_terms_and_item_text(bundled_site: Path) -> None:
    index = json.loads((bundled_site / "search/search_index.json").read_text())
    titles = {doc["title"] for doc in index["docs"]}
    assert any(t.startswith("PR.AA-01") for t in titles)
    assert "Shadow AI" in titles
    kb = load_knowledge_base(REPO)
    entries = {doc["location"]: doc["title"] for doc in index["docs"]}
    for checklist in kb.checklists.values():  # each item is a heading: an entry at its anchor
        for item in checklist.items:
            assert entries[f"checklists/{checklist.id}/#{item.id}"].startswith(html.escape(item.text, quote=False))


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("PR.AA-01", "frameworks/nist-csf-2.0/pr-aa-01/"),
        ("AC-4", "frameworks/nist-sp-800-53r5/ac-4/"),
        ("shadow AI", "terms/shadow-ai/"),
        ("risk-averse", "personas/risk-averse/"),
        ("least privilege", "terms/least-privilege/"),  # a term whose words are in control titles
    ],
)
def test_search_finds_the_page_first(browser: Any, bundled_url: str, query: str, expected: str) -> None:
    page = browser.new_page()
    try:
        results = material_search(page, bundled_url, query)
    finally:
        page.close()
    assert results[0] == "/" + expected, results[:3]


def test_statistics_page_lists_quotable_figures_before_flagged_ones(bundled_site: Path) -> None:
    html = (bundled_site / "statistics/index.html").read_text()
    kb = load_knowledge_base(REPO)
    position = {s.id: html.index(f'id="{s.id}"') for s in kb.statistics.values()}
    quotable = [position[s.id] for s in kb.statistics.values() if s.verification in {"verified", "secondary"}]
    flagged = [position[s.id] for s in kb.statistics.values() if s.verification in {"unverified", "incorrect"}]
    assert quotable and flagged
    assert max(quotable) < min(flagged)
