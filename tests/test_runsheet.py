"""A persona's run sheet: the persona page lists its playbooks in order with their checklists,
item counts and ticket-ready links; a printable run sheet carries a ticket into every link; the
sidebar, the playbooks index and Previous/Next follow the personas' sequences; the home page's
"Pick a persona" rows show each persona's own playbooks."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.core.pipeline import render_tree
from generator.features import FEATURES, load_knowledge_base
from tests.conftest import REPO

TODAY = dt.date(2026, 11, 30)


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_knowledge_base(REPO)


@pytest.fixture(scope="module")
def rendered() -> Any:
    return render_tree(REPO, FEATURES, today=TODAY)


def persona_sequence_order(kb: Any) -> list[str]:
    """Playbooks along the personas in their order, each at its first place, then the rest."""
    seen = [pid for persona in kb.personas.values() for pid in persona.playbooks]
    return list(dict.fromkeys(seen + list(kb.playbooks)))


def test_playbooks_follow_the_personas_sequences_in_the_sidebar_and_index(kb: Any, rendered: Any) -> None:
    expected = persona_sequence_order(kb)
    assert expected[:3] == ["assess-ai-readiness", "discover-shadow-ai", "modernise-data-and-access"]
    assert list(kb.playbooks) == expected
    section = next(entry["Playbooks"] for entry in rendered.nav if "Playbooks" in entry)
    assert [next(iter(e.values())) for e in section[1:]] == [f"playbooks/{pid}.md" for pid in expected]
    index = rendered.files["playbooks/index.md"]
    assert re.findall(r"\]\(([a-z0-9-]+)\.md\)", index.split("\n| --- |")[1])[:len(expected)] == expected


def test_home_rows_show_each_personas_own_first_playbooks(kb: Any, rendered: Any) -> None:
    home = rendered.files["index.md"]
    assert ("Every persona runs [Assess AI readiness before proposing tools](playbooks/assess-ai-readiness.md), "
            "[Discover shadow AI in the client estate](playbooks/discover-shadow-ai.md) and "
            "[Secure the MSP's own access to client systems](playbooks/secure-msp-own-access.md);") in home
    rows = [line for line in home.splitlines() if line.startswith("| ") and "](personas/" in line]
    cells = [row.split(" | ")[-1] for row in rows]
    assert len(cells) == len(kb.personas) == len(set(cells))  # no two rows alike
    assert "playbooks/assess-ai-readiness.md" not in " ".join(cells)
    assert cells[0].startswith("3. [Modernise the data and access foundation first](playbooks/modernise-data-and-access.md)")


def test_run_sheets_are_for_staff_only() -> None:
    client = render_tree(REPO, FEATURES, audience="client", today=TODAY)
    assert not [path for path in client.files if path.endswith("run-sheet.md")]
    assert "copy link" not in client.files["personas/ready.md"]


# --- In the browser ---------------------------------------------------------------------------

@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_persona_page_lists_each_playbooks_checklists_with_counts_and_links(page: Any, bundled_url: str, kb: Any) -> None:
    for persona in kb.personas.values():
        page.goto(f"{bundled_url}personas/{persona.id}/")
        groups = page.eval_on_selector_all("h2#kb-playbooks ~ .kb-persona-playbooks > ol > li", """items => items.map(li => ({
            playbook: new URL(li.querySelector('a').href).pathname,
            checklists: [...li.querySelectorAll('ul > li')].map(c => ({
                path: new URL(c.querySelector('a').href).pathname,
                text: c.textContent.trim(),
                link: c.querySelector('button[data-kb-copy-url]').dataset.kbCopyUrl}))}))""")
        assert [g["playbook"] for g in groups] == [f"/playbooks/{pid}/" for pid in persona.playbooks]
        for group, pid in zip(groups, persona.playbooks, strict=True):
            expected = [kb.checklists[cid] for cid in kb.playbooks[pid].checklists]
            assert [c["path"] for c in group["checklists"]] == [f"/checklists/{c.id}/" for c in expected]
            assert [c["text"] for c in group["checklists"]] == [
                f"Checklist: {c.title} ({len(c.items)} items) copy link" for c in expected]
            assert [c["link"] for c in group["checklists"]] == [
                f"https://kb.example-msp.com/checklists/{c.id}/" for c in expected]
    page.click("text=Open the run sheet")
    page.wait_for_url(f"**/personas/{persona.id}/run-sheet/")


@pytest.mark.browser
def test_run_sheet_carries_the_ticket_into_every_checklist_link(page: Any, bundled_url: str, kb: Any) -> None:
    persona = kb.personas["risk-averse"]
    page.goto(f"{bundled_url}personas/risk-averse/run-sheet/?ticket=T-12345&client=Acme%20Ltd&tech=J.%20Smith")
    assert page.inner_text(".kb-ticket").split() == ["Ticket", "T-12345", "Client", "Acme", "Ltd",
                                                     "Technician", "J.", "Smith"]
    assert page.title().startswith("Run sheet: Risk-averse - ")
    assert page.inner_text(".kb-run-sheet-meta") == (
        "10 playbooks and 12 checklists, in the order to run them, for the Risk-averse persona.")
    playbooks = page.eval_on_selector_all(".kb-run-playbook h2 a", "links => links.map(a => new URL(a.href).pathname)")
    assert playbooks == [f"/playbooks/{pid}/" for pid in persona.playbooks]
    expected = [cid for pid in persona.playbooks for cid in kb.playbooks[pid].checklists]
    query = "?ticket=T-12345&client=Acme%20Ltd&tech=J.%20Smith"
    links = page.eval_on_selector_all(".kb-run-checklist > a", "links => links.map(a => a.getAttribute('href'))")
    assert links == [f"../../../checklists/{cid}/{query}" for cid in expected]
    shown = page.eval_on_selector_all(".kb-run-checklist code", "codes => codes.map(c => c.textContent)")
    assert shown == [f"https://kb.example-msp.com/checklists/{cid}/{query}" for cid in expected]
    counts = page.eval_on_selector_all(".kb-run-count", "spans => spans.map(s => s.textContent)")
    assert counts == [f"{len(kb.checklists[cid].items)} items" for cid in expected]
    page.click(".kb-run-checklist > a")  # the checklist opens with the ticket shown
    page.wait_for_url(f"**/checklists/{expected[0]}/{query}")
    assert page.inner_text(".kb-checklist-page .kb-ticket dd[data-kb-context=ticket]") == "T-12345"


@pytest.mark.browser
def test_run_sheet_prints_as_a_sheet_with_a_box_per_checklist(page: Any, bundled_url: str, kb: Any) -> None:
    from pypdf import PdfReader

    persona = kb.personas["risk-averse"]
    page.goto(f"{bundled_url}personas/risk-averse/run-sheet/?ticket=T-12345")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) <= 3
    positions = [text.find(kb.playbooks[pid].title) for pid in persona.playbooks]
    assert -1 not in positions and positions == sorted(positions)
    assert "https://kb.example-msp.com/checklists/msp-access-review/?ticket=T-12345" in text.replace("\n", "")
    for absent in ("Copy link", "copy link", "Print", "Add ?ticket", "Review queue"):  # toolbar, hint, sidebar
        assert absent not in text
    boxes = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('.kb-run-box'));
        return s.display; }""")
    assert boxes == "none"  # on screen; in print each checklist has its box
    page.emulate_media(media="print")
    assert page.eval_on_selector_all(".kb-run-box", "bs => bs.filter(b => b.offsetWidth > 0).length") == 12


def sequence_neighbours(kb: Any) -> dict[str, tuple[str, str | None]]:
    """For each playbook that exactly one persona lists: (previous path, next path or None)."""
    out: dict[str, tuple[str, str | None]] = {}
    for pid, personas in kb.personas_of_playbook.items():
        if len(personas) != 1:
            continue
        sequence = personas[0].playbooks
        i = sequence.index(pid)
        previous = f"/playbooks/{sequence[i - 1]}/" if i else f"/personas/{personas[0].id}/"
        following = f"/playbooks/{sequence[i + 1]}/" if i + 1 < len(sequence) else None
        out[pid] = (previous, following)
    return out


@pytest.mark.browser
def test_previous_and_next_follow_the_personas_sequence(page: Any, bundled_url: str, kb: Any) -> None:
    neighbours = sequence_neighbours(kb)
    assert {"ai-acceptable-use-training", "governed-ai-pilot", "modernise-data-and-access"} <= set(neighbours)
    for pid, (previous, following) in neighbours.items():
        page.goto(f"{bundled_url}playbooks/{pid}/")
        prev_link = page.eval_on_selector(".md-footer__link--prev", "a => new URL(a.href).pathname")
        next_link = page.eval_on_selector_all(".md-footer__link--next", "as => as.map(a => new URL(a.href).pathname)")
        assert (prev_link, next_link) == (previous, [following] if following else []), pid
    page.goto(f"{bundled_url}playbooks/governed-ai-pilot/")
    assert page.inner_text(".md-footer__link--next .md-footer__direction") == "Next · Ready"
    assert page.inner_text(".md-footer__link--prev .md-ellipsis") == "Find and stop secrets beyond the code repository"
    # A playbook of several personas keeps the sidebar's order.
    order = persona_sequence_order(kb)
    page.goto(f"{bundled_url}playbooks/{order[1]}/")
    assert urlsplit(page.eval_on_selector(".md-footer__link--prev", "a => a.href")).path == f"/playbooks/{order[0]}/"
