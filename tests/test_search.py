"""Search that favours guidance, in real Chromium with Material's own search: a pinned table of
queries and the page each must bring first; every result shows its kind; results narrow to one
kind with a button (or `+tags:<kind>` typed), Material searching again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from generator.core.kinds import KINDS
from tests.conftest import material_search, wait_until

pytestmark = pytest.mark.browser

#: (query, the first result). Prose finds guidance (terms, then playbooks and checklists) before
#: the framework controls that share its words; an exact control id finds that control first,
#: before the controls below it that share its prefix.
QUERIES = [
    ("service account", "/terms/service-account/"),
    ("shadow AI", "/terms/shadow-ai/"),
    ("least privilege", "/terms/least-privilege/"),  # also the title of AC-6
    ("zero trust", "/terms/zero-trust/"),  # also the subject of SP 800-207
    ("acceptable use policy", "/terms/acceptable-use-policy/"),
    ("non-human identity", "/terms/non-human-identity/"),
    ("assess AI readiness", "/playbooks/assess-ai-readiness/"),
    ("governed AI pilot", "/playbooks/governed-ai-pilot/"),
    ("recover after a connector compromise", "/playbooks/recover-after-connector-compromise/"),
    ("AI connector offboarding", "/checklists/ai-connector-offboarding/"),
    ("MSP access review", "/checklists/msp-access-review/"),
    ("access review", "/checklists/msp-access-review/"),
    ("secret scanning", "/checklists/secret-scanning-coverage/"),
    # A checklist item's text, as a technician pastes it from a ticket.
    ("At least 30 days of DNS, proxy or firewall logs available", "/checklists/shadow-ai-discovery/"),
    ("Salesloft Drift", "/case-studies/salesloft-drift-2025/"),
    ("risk-averse", "/personas/risk-averse/"),
    ("Is Copilot safe to turn on", "/faq/"),
    ("AC-6", "/frameworks/nist-sp-800-53r5/ac-6/"),  # before AC-6(7) and AC-6(5)
    ("AC-6(7)", "/frameworks/nist-sp-800-53r5/ac-6-7/"),
    ("IA-5", "/frameworks/nist-sp-800-53r5/ia-5/"),  # before IA-5(7)
    ("AC-4", "/frameworks/nist-sp-800-53r5/ac-4/"),  # before the checklist items that cite it
    ("PR.AA-05", "/frameworks/nist-csf-2.0/pr-aa-05/"),
    ("GV.SC-06", "/frameworks/nist-csf-2.0/gv-sc-06/"),
    ("tenet-6", "/frameworks/nist-sp-800-207/tenet-6/"),
]


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_the_query_table(page: Any, bundled_url: str) -> None:
    """Every query at once, so a failure shows the whole table as it now ranks."""
    assert len(QUERIES) >= 15
    firsts = {query: material_search(page, bundled_url, query)[0] for query, _ in QUERIES}
    assert firsts == dict(QUERIES)


def kind_of(path: str) -> str:
    """The kind a result must show, from its URL folder (the kinds table's own folders)."""
    parts = [p for p in path.strip("/").split("/") if p]
    if not parts:
        return "Page"
    by_folder = {kind.url_folder: kind for kind in KINDS}
    if parts[0] == "frameworks":
        return {1: "Index", 2: "Framework"}.get(len(parts), "Control")
    if parts[0] in by_folder:
        kind = by_folder[parts[0]]
        return kind.label if len(parts) == 2 or kind.page_template is None else "Index"
    return "Page"


def test_every_result_shows_its_kind(page: Any, bundled_url: str) -> None:
    for query in ("access", "policy", "AC-2"):
        page.goto(f"{bundled_url}?q={quote(query)}")
        page.wait_for_selector(".md-search-result__item")
        shown = page.eval_on_selector_all(".md-search-result__item", """items => items.map(i => [
            new URL(i.querySelector('a').href).pathname,
            [...i.querySelector('a').querySelectorAll('.md-tag')].map(t => t.textContent)])""")
        assert len(shown) >= 5, query
        for path, tags in shown:
            assert tags == [kind_of(path)], (query, path)


def results(page: Any) -> list[str]:
    wait_until(page, "document.querySelector('.md-search-result__list').children.length > 0")
    return [urlsplit(h).path for h in page.eval_on_selector_all(".md-search-result__item > a", "as => as.map(a => a.href)")]


def test_results_narrow_to_one_kind(page: Any, bundled_url: str) -> None:
    everything = material_search(page, bundled_url, "policy")
    assert {p.split("/")[1] for p in everything} >= {"terms", "playbooks", "checklists"}
    meta = page.inner_text(".md-search-result__meta")
    page.click(".kb-search-kind[data-kb-kind=Checklist]")
    wait_until(page, f"document.querySelector('.md-search-result__meta').textContent.trim() !== {meta!r}")
    assert page.input_value(".md-search__input") == "policy +tags:checklist"
    assert page.get_attribute(".kb-search-kind[data-kb-kind=Checklist]", "aria-pressed") == "true"
    assert page.get_attribute(".kb-search-kind[data-kb-kind='']", "aria-pressed") == "false"
    narrowed = results(page)
    assert narrowed and all(p.startswith("/checklists/") for p in narrowed)
    page.click(".kb-search-kind[data-kb-kind='Case study']")  # a kind of two words
    wait_until(page, "document.querySelector('.md-search__input').value === 'policy +tags:case +tags:study'")
    wait_until(page, "[...document.querySelectorAll('.md-search-result__item > a')]"
                           ".every(a => new URL(a.href).pathname.startsWith('/case-studies/'))")
    page.click(".kb-search-kind[data-kb-kind='']")
    assert page.input_value(".md-search__input") == "policy"
    wait_until(page, "[...document.querySelectorAll('.md-search-result__item > a')]"
                           ".some(a => new URL(a.href).pathname.startsWith('/terms/'))")
    # The narrowed search has its own link: Material's ?q= with the +tags: term.
    controls = material_search(page, bundled_url, "access +tags:control")
    assert controls and {kind_of(p) for p in controls} == {"Control"}
    assert page.get_attribute(".kb-search-kind[data-kb-kind=Control]", "aria-pressed") == "true"
