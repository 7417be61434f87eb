"""The framework explorer on the bundled knowledge base: control pages list everything that cites
them and their counterparts in other frameworks, category pages roll up what cites their children,
withdrawn ids fail validation, the nav stays small, and the pages pass axe in Chromium."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from generator.core.link import KnowledgeBase
from generator.core.rollup import rollup
from generator.features import load_knowledge_base
from tests.conftest import REPO, run_kb

CSF = "nist-csf-2.0"
SP80053 = "nist-sp-800-53r5"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(REPO)


def text(site: Path, url: str) -> str:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    assert article, url
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article.group(1))).split())


def section(page: str, start: str, end: str | None = None) -> str:
    assert start in page, start
    rest = page.split(start, 1)[1]
    return rest.split(end, 1)[0] if end and end in rest else rest


def test_pr_aa_05_lists_everything_that_cites_it(bundled_site: Path, kb: KnowledgeBase) -> None:
    page = text(bundled_site, f"frameworks/{CSF}/pr-aa-05")
    cites = kb.citations[(CSF, "PR.AA-05")]
    assert {c.kind for c in cites} == {"persona", "playbook", "checklist", "faq", "case-study"}
    assert f"Cited {len(cites)} times:" in page
    cited_by = section(page, "Cited by ¶", "Mapped controls in other frameworks")
    for label, kind in [("Personas", "persona"), ("Playbooks", "playbook"), ("Checklists", "checklist"),
                        ("FAQs", "faq"), ("Case studies", "case-study")]:
        group = [c for c in cites if c.kind == kind]
        rows = section(cited_by, f"{label} ({len(group)}) ¶")
        for cite in group:
            where = cite.entity.display_name
            if cite.part is not None:
                where += " › " + (getattr(cite.part, "title", None) or cite.part.text)
            assert f"{where} {' '.join(cite.ref.why.split())}" in rows, where


def test_pr_aa_05_shows_its_sp_800_53_counterparts(bundled_site: Path, kb: KnowledgeBase) -> None:
    page = text(bundled_site, f"frameworks/{CSF}/pr-aa-05")
    counterparts = [m for m in kb.mapped[(CSF, "PR.AA-05")] if m.other.framework.id == SP80053]
    ids = {m.other.control.id for m in counterparts}
    assert ids >= {"AC-2", "AC-5", "AC-6", "AC-6(7)"}
    assert not ids & {"IA-2", "IA-8"}  # authentication, not permissions: rejected in issue 20
    mapped = section(page, f"SP 800-53 Rev. 5 ({len(counterparts)}) ¶ Control Relationship Rationale", "¶")
    for m in counterparts:
        assert f"{m.other.control.id} {m.other.control.title}" in mapped
        assert f"{m.relationship} {' '.join((m.rationale or '').split())}" in mapped
    html = (bundled_site / f"frameworks/{CSF}/pr-aa-05/index.html").read_text(encoding="utf-8")
    assert 'href="../../nist-sp-800-53r5/ac-6-7/"' in html


def test_control_heading_is_the_id_and_search_keeps_the_statement(bundled_site: Path) -> None:
    html = (bundled_site / f"frameworks/{CSF}/pr-aa-05/index.html").read_text(encoding="utf-8")
    statement = ("Access permissions, entitlements, and authorizations are defined in a policy, managed, enforced, "
                 "and reviewed, and incorporate the principles of least privilege and separation of duties")
    assert re.search(r'<h1 id="[^"]+">PR\.AA-05<span class="kb-control-sep">: </span>'
                     rf'<span class="kb-control-title">{re.escape(statement)}</span>', html)
    assert f"<title>PR.AA-05: {statement} - " in html
    index = json.loads((bundled_site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"] if doc["location"] == f"frameworks/{CSF}/pr-aa-05/"}
    assert f"PR.AA-05: {statement}" in titles


def test_category_page_rolls_up_what_cites_its_children(bundled_site: Path, kb: KnowledgeBase) -> None:
    page = text(bundled_site, f"frameworks/{CSF}/pr-aa")
    summary = rollup(kb, kb.controls[(CSF, "PR.AA")])
    assert summary.outcomes == 6 and summary.entries
    cited = summary.outcomes - len(summary.gaps)
    gaps = " , ".join(g.control.id for g in summary.gaps)  # text() leaves a space where each link ended
    assert f"{cited} of 6 outcomes below PR.AA are cited by guidance. Not yet: {gaps} ." in page
    assert "Cited by ¶" not in page  # nothing cites the category itself: no empty section
    for entry in summary.entries:
        ids = " , ".join(n.control.id for n in entry.controls)
        assert f"{entry.title} : {ids}" in page, entry.title


def test_function_page_rolls_up_across_categories(bundled_site: Path, kb: KnowledgeBase) -> None:
    # RC (Recover) was the uncited function until issue 20 added the recovery runbook.
    page = text(bundled_site, f"frameworks/{CSF}/rc")
    summary = rollup(kb, kb.controls[(CSF, "RC")])
    assert summary.outcomes == 8 and not summary.gaps and summary.entries
    assert "8 of 8 outcomes below RC are cited by guidance." in page
    for entry in summary.entries:
        ids = " , ".join(n.control.id for n in entry.controls)
        assert f"{entry.title} : {ids}" in page, entry.title


def test_uncited_category_says_so(bundled_site: Path, kb: KnowledgeBase) -> None:
    page = text(bundled_site, f"frameworks/{CSF}/gv-ov")
    summary = rollup(kb, kb.controls[(CSF, "GV.OV")])
    if summary.entries:
        pytest.fail("GV.OV is no longer a gap in the bundled content: pick another uncited category")
    assert "No guidance cites GV.OV or anything below it yet." in page
    assert f"0 of {summary.outcomes} outcomes below GV.OV are cited by guidance." in page


def test_uncited_outcome_points_to_the_gap_list(bundled_site: Path) -> None:
    page = text(bundled_site, f"frameworks/{CSF}/gv-ov-01")
    assert "No guidance in this knowledge base cites GV.OV-01 yet. The coverage page lists it among the gaps." in page
    html = (bundled_site / f"frameworks/{CSF}/gv-ov-01/index.html").read_text(encoding="utf-8")
    assert 'href="../../../coverage/#nist-csf-2.0-gaps"' in html


def test_framework_page_sections_functions_and_categories(bundled_site: Path, kb: KnowledgeBase) -> None:
    html = (bundled_site / f"frameworks/{CSF}/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<h2 id="[a-z]{2}">', html)) == 6
    assert len(re.findall(r'<h3 id="[a-z]{2}-[a-z]{2}">', html)) == 22
    assert len(re.findall(r'href="[a-z0-9-]+/"><strong>[A-Z]{2}\.[A-Z]{2}-\d\d</strong>', html)) == 106
    page = text(bundled_site, f"frameworks/{SP80053}")
    assert "AC: Access Control ¶ Family page ·" in page
    assert "AC-2 Account Management cited" in page and "AC-2(3) Disable Accounts" in page


def test_controls_stay_out_of_the_sidebar(bundled_site: Path) -> None:
    for url in ["", f"frameworks/{CSF}/", f"frameworks/{CSF}/pr-aa-05/", "coverage/"]:
        html = (bundled_site / url / "index.html").read_text(encoding="utf-8")
        primary = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
        assert not re.search(r'href="[^"]*nist-csf-2\.0/[a-z]{2}-[a-z]{2}-\d\d/"', primary), url
        assert re.search(r'<span class="md-ellipsis">\s*Coverage\s*</span>', primary), url


def test_a_withdrawn_csf_1_1_id_fails_naming_its_replacements(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    for name in ("content", "frameworks"):
        shutil.copytree(REPO / name, root / name)
    persona = root / "content/personas/unaware.yaml"
    lines = persona.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if re.match(r"\s+id: PR\.AA-0[15]$", line))
    lines[number] = re.sub(r"PR\.AA-0[15]", "PR.AC-1", lines[number])
    persona.write_text("".join(lines), encoding="utf-8")
    result = run_kb("validate", root=root)
    assert result.exit_code == 1
    assert result.stderr == (
        f"content/personas/unaware.yaml:{number + 1}: control 'PR.AC-1' is withdrawn from 'nist-csf-2.0'; "
        "use PR.AA-01, PR.AA-05 instead\n1 problem(s) found.\n"
    )


#: WCAG 2 A/AA rules, without link-in-text-block: Material colours links in running text
#: site-wide (the theme palette, not these pages); links in the matrices are underlined.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "rules": {"link-in-text-block": {"enabled": False}}}


#: On the (large) coverage page, only the rules its matrices can break: a full run takes ~15 s.
MATRIX_RULES = {"runOnly": ["color-contrast", "th-has-data-cells", "td-headers-attr", "scope-attr-valid", "link-name"]}


def violations(page: Any, context: str, options: dict[str, Any] = AXE_OPTIONS) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context, options=options)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]]


@pytest.mark.browser
def test_coverage_and_control_pages_pass_axe(browser: Any, bundled_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(bundled_url + "coverage/")
        # The top-level matrices and the legend show every band; the category tables repeat them.
        for heat in range(5):
            assert page.locator(f"article > .kb-coverage-scroll td.kb-heat-{heat}").count() > 0, heat
        assert violations(page, "article > .kb-coverage-scroll, .kb-coverage-definitions", MATRIX_RULES) == []
        page.goto(bundled_url + f"frameworks/{CSF}/pr-aa-05/")
        assert page.locator("h1 .kb-control-sep").is_hidden()
        assert page.locator("h1 .kb-control-title").is_visible()
        assert violations(page, "article") == []
    finally:
        page.close()
