"""Index pages that filter in the browser: playbooks, checklists, terms and controls narrow by
persona, framework and (controls) kind, with no server; the filter lives in the address, so a
filtered view has its own link; without scripts every row shows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.core.urls import control_slug
from generator.features import load_knowledge_base
from tests.conftest import REPO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_knowledge_base(REPO)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def shown(page: Any, rows: str = "table tbody tr") -> list[str]:
    """The URL paths of the first link of each visible row."""
    return page.eval_on_selector_all(
        rows, "rows => rows.filter(r => !r.hidden && r.offsetParent !== null)"
              ".map(r => new URL(r.querySelector('a').href).pathname)")


def cited_frameworks(entity: Any) -> set[str]:
    refs = list(getattr(entity, "controls", []))
    for part in [*getattr(entity, "steps", []), *getattr(entity, "items", [])]:
        refs += part.controls
    return {ref.framework for ref in refs}


def test_playbooks_by_persona_from_the_address(page: Any, bundled_url: str, kb: Any) -> None:
    persona = kb.personas["unaware"]
    page.goto(f"{bundled_url}playbooks/?persona=unaware")
    assert page.is_visible("form[data-kb-filter]")
    assert page.input_value("select[name=persona]") == "unaware"
    assert sorted(shown(page)) == sorted(f"/playbooks/{pid}/" for pid in persona.playbooks)
    assert page.inner_text(".kb-filter-count") == f"{len(persona.playbooks)} of {len(kb.playbooks)} shown"


def test_choosing_a_framework_narrows_checklists_and_changes_the_address(page: Any, bundled_url: str, kb: Any) -> None:
    page.goto(f"{bundled_url}checklists/")
    assert page.inner_text(".kb-filter-count") == f"All {len(kb.checklists)} shown"
    page.select_option("select[name=framework]", "nist-sp-800-207")
    expected = [f"/checklists/{c.id}/" for c in kb.checklists.values() if "nist-sp-800-207" in cited_frameworks(c)]
    assert 0 < len(expected) < len(kb.checklists)
    assert shown(page) == expected
    assert parse_qs(urlsplit(page.url).query) == {"framework": ["nist-sp-800-207"]}
    page.select_option("select[name=persona]", "ready")
    ready = {cid for pid in kb.personas["ready"].playbooks for cid in kb.playbooks[pid].checklists}
    assert shown(page) == [path for path in expected if path.split("/")[2] in ready]
    link = page.url  # the filtered view, opened again from its link, shows the same rows
    narrowed = shown(page)
    page.goto(link)
    assert shown(page) == narrowed
    page.select_option("select[name=framework]", "")
    page.select_option("select[name=persona]", "")
    assert urlsplit(page.url).query == ""
    assert len(shown(page)) == len(kb.checklists)


def test_controls_by_framework_and_kind(page: Any, bundled_url: str, kb: Any) -> None:
    page.goto(f"{bundled_url}controls/?framework=nist-sp-800-53r5&kind=enhancement")
    expected = [f"/frameworks/nist-sp-800-53r5/{control_slug(cid)}/" for (fw, cid), node in kb.controls.items()
                if fw == "nist-sp-800-53r5" and node.control.kind == "enhancement"]
    assert "/frameworks/nist-sp-800-53r5/ac-6-7/" in expected
    assert shown(page) == expected
    page.goto(f"{bundled_url}controls/?persona=unaware&framework=nist-csf-2.0&kind=subcategory")
    reached = {("persona", "unaware")} | {("playbook", pid) for pid in kb.personas["unaware"].playbooks} | {
        ("checklist", cid) for pid in kb.personas["unaware"].playbooks for cid in kb.playbooks[pid].checklists}
    expected = [f"/frameworks/nist-csf-2.0/{control_slug(cid)}/" for (fw, cid), node in kb.controls.items()
                if fw == "nist-csf-2.0" and node.control.kind == "subcategory"
                and any((c.kind, c.entity.id) in reached for c in kb.citations[(fw, cid)])]
    assert 0 < len(expected)
    assert shown(page) == expected


def test_glossary_by_persona_and_words(page: Any, bundled_url: str, kb: Any) -> None:
    page.goto(f"{bundled_url}terms/?words=secret")
    visible = shown(page, "dl dt")
    expected = sorted((t for t in kb.terms.values() if "secret" in (t.term + " " + t.definition).lower()),
                      key=lambda t: t.term)
    assert visible == [f"/terms/{t.id}/" for t in expected]
    assert page.eval_on_selector_all("dl dd", "dds => dds.filter(d => !d.hidden).length") == len(expected)
    page.goto(f"{bundled_url}terms/?persona=nobody")  # an unknown value is ignored, not an empty page
    assert page.input_value("select[name=persona]") == ""
    assert len(shown(page, "dl dt")) == len(kb.terms)


def test_without_scripts_every_row_shows(browser: Any, bundled_url: str, kb: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{bundled_url}playbooks/?persona=unaware")
        assert not page.is_visible("form[data-kb-filter]")
        assert len(shown(page)) == len(kb.playbooks)
    finally:
        context.close()
