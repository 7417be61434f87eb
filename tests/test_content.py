"""The bundled knowledge base is complete, cited, and written in our own words."""

from __future__ import annotations

import re

import pytest

from generator.core.link import KnowledgeBase
from generator.features import load_knowledge_base
from tests.conftest import REPO, SHARED

ARTICLE = SHARED / "seed" / "000_b0ef5c12ab499c01.txt"
RUN = 12


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(REPO)


def test_there_is_enough_to_serve_every_persona(kb: KnowledgeBase) -> None:
    assert list(kb.personas) == ["unaware", "risk-averse", "ready"]
    assert len(kb.playbooks) >= 9
    assert len(kb.terms) >= 20
    assert len(kb.faqs) >= 10
    assert {"cisco-devhub-2024", "salesloft-drift-2025"} <= set(kb.case_studies)


def test_every_persona_links_three_playbooks(kb: KnowledgeBase) -> None:
    assert {p.id: len(p.playbooks) >= 3 for p in kb.personas.values()} == {p: True for p in kb.personas}


def test_every_playbook_has_a_checklist(kb: KnowledgeBase) -> None:
    assert [p.id for p in kb.playbooks.values() if not p.checklists] == []


def test_every_checklist_item_cites_a_control_or_says_why_not(kb: KnowledgeBase) -> None:
    bare = [f"{c.id}#{i.id}" for c in kb.checklists.values() for i in c.items
            if not i.controls and not i.no_control_reason]
    assert bare == []


def test_every_statistic_and_case_study_has_a_source(kb: KnowledgeBase) -> None:
    assert all(s.source.title for s in kb.statistics.values())
    assert all(c.sources for c in kb.case_studies.values())


def test_every_source_has_publisher_title_date_and_url(kb: KnowledgeBase) -> None:
    """Issue 20: a reader can open every source; no placeholder headline stands in for a title."""
    sources = [(f"statistic {s.id}", s.source) for s in kb.statistics.values()]
    sources += [(f"case study {c.id}", src) for c in kb.case_studies.values() for src in c.sources]
    incomplete = [(where, src.title) for where, src in sources
                  if not (src.publisher and src.title and src.date and src.url)]
    assert incomplete == []
    placeholders = [(where, src.title) for where, src in sources
                    if re.search(r"not recorded|headline unknown|\(untitled\)", src.title, re.I)]
    assert placeholders == []


def test_article_errors_are_not_repeated_as_fact(kb: KnowledgeBase) -> None:
    by_verification = {s.id: s.verification for s in kb.statistics.values()}
    flagged = {s.verification for s in kb.statistics.values() if "230" in s.figure and "M" in s.figure}
    assert flagged <= {"incorrect"}
    for stat in kb.statistics.values():
        if re.search(r"\b(44|75) ?%", stat.figure):
            assert by_verification[stat.id] == "unverified", stat.id


def test_every_term_has_related_terms(kb: KnowledgeBase) -> None:
    assert [t.id for t in kb.terms.values() if not t.related] == []


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def copied_runs(texts: dict[str, str], article: str) -> list[str]:
    """Every run of RUN consecutive words of a text that also stands in the article."""
    source = words(article)
    runs = {tuple(source[i : i + RUN]) for i in range(len(source) - RUN + 1)}
    found = []
    for name, text in texts.items():
        ours = words(text)
        found += [f"{name}: {' '.join(ours[i:i + RUN])}"
                  for i in range(len(ours) - RUN + 1) if tuple(ours[i : i + RUN]) in runs]
    return found


@pytest.fixture(scope="module")
def article() -> str:
    if not ARTICLE.is_file():
        pytest.skip(f"the source article is absent ({ARTICLE}); ../shared is not beside the repo")
    return ARTICLE.read_text(encoding="utf-8")


def test_no_sentence_of_the_article_is_copied(article: str) -> None:
    texts = {str(p.relative_to(REPO)): p.read_text(encoding="utf-8")
             for p in sorted((REPO / "content").rglob("*")) if p.suffix in {".yaml", ".md"}}
    assert len(texts) > 50
    assert copied_runs(texts, article) == []


def test_copy_check_catches_a_copied_sentence(article: str) -> None:
    planted = "definition: Shadow AI emerges when eager users adopt tools faster than governance can define it."
    assert copied_runs({"x.yaml": planted}, article) == [
        "x.yaml: shadow ai emerges when eager users adopt tools faster than governance can",
        "x.yaml: ai emerges when eager users adopt tools faster than governance can define",
    ]


def test_one_review_cadence_for_connector_access(kb: KnowledgeBase) -> None:
    """Issue 20: the cadence is set once (the connector playbook's review step); nothing sets another."""
    step = next(s for s in kb.playbooks["approve-ai-connectors"].steps if s.id == "review-quarterly")
    assert "one review cadence for connector access" in (step.detail or "")
    texts = {str(p.relative_to(REPO)): p.read_text(encoding="utf-8")
             for p in sorted((REPO / "content").rglob("*.yaml"))}
    rival = [name for name, text in texts.items()
             for body in [re.sub(r"^  - date: .*\n    note: (?:>-\n(?:      .*\n)+|.*\n)", "", text, flags=re.M)]
             if re.search(r"monthly[^.]{0,60}(connector|token|review)", body, re.I)]
    assert rival == []


def test_assessment_playbook_places_by_the_assessment(kb: KnowledgeBase) -> None:
    """Issue 20: one scoring scheme, the assessment's; the playbook has none of its own."""
    playbook = kb.playbooks["assess-ai-readiness"]
    text = " ".join((s.detail or "") + " " + s.title for s in playbook.steps)
    # It sends the reader to the assessment (a page a client can read too, so no command line).
    assert "on the Assessment page in the site" in text and "0 (absent)" not in text
