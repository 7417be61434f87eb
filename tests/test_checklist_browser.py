"""Checklist pages in real headless Chromium: ticket context as text, copy-link, ticks kept per
ticket, former item anchors, and print-to-PDF of every bundled checklist in at most two pages."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES, run_kb, serve, wait_until
from tests.test_checklists import renamed

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"
CONTEXT = "?ticket=T-12345&client=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&tech=J.%20Smith"
#: Text of Material's chrome that must never reach a printed checklist.
CHROME = ["Skip to content", "Search", "Table of contents", "Back to top", "Glossary", "Personas",
          "Initializing search", "Copy link", "copy link", "Reset ticks", "Export:", "Made with"]


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The sample after a checklist, an item and a persona were renamed, built once and served."""
    root = tmp_path_factory.mktemp("renamed") / "kb"
    shutil.copytree(FIXTURES / "sample", root)
    renamed(root)
    result = run_kb("build", root=root)
    assert result.exit_code == 0, result.stderr
    with serve(root / "site") as url:
        yield root, url


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    yield ctx
    ctx.close()


def open_page(context: Any, url: str) -> tuple[Any, list[str]]:
    """A page that records every dialog and script error it meets."""
    page = context.new_page()
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: seen.append(f"error: {error} at {error.stack}"))
    page.goto(url)
    return page, seen


def test_ticket_context_is_shown_as_text_and_nothing_runs(context: Any, sample_site: tuple[Path, str]) -> None:
    _, url = sample_site
    page, seen = open_page(context, url + "checklists/identity-baseline/" + CONTEXT)
    header = page.locator(".kb-ticket")
    assert header.is_visible()
    assert header.inner_text().split("\n") == ["Ticket", "T-12345", "Client", HOSTILE, "Technician", "J. Smith"]
    assert page.locator("td[data-kb-context=client]").inner_text() == HOSTILE
    assert page.locator("article img").count() == 0
    page.wait_for_load_state("networkidle")
    assert seen == []


def test_without_context_the_header_stays_hidden(context: Any, sample_site: tuple[Path, str]) -> None:
    _, url = sample_site
    page, seen = open_page(context, url + "checklists/identity-baseline/")
    assert not page.locator(".kb-ticket").is_visible()
    assert page.locator("[data-kb-copy='']").get_attribute("data-kb-link") == \
        "https://kb.sample-msp.example/checklists/identity-baseline/"
    assert seen == []


def test_copy_link_copies_the_kb_link_url(context: Any, sample_site: tuple[Path, str]) -> None:
    root, url = sample_site
    page, seen = open_page(context, url + "checklists/identity-baseline/?ticket=T-12345&client=Acme%20Ltd&tech=J.%20Smith")
    expected = run_kb("link", "identity-baseline", "owner-named", "--ticket", "T-12345", "--client", "Acme Ltd",
                      "--tech", "J. Smith", root=root).stdout.strip()
    page.locator("button[data-kb-copy='owner-named']").click()
    wait_until(page, "document.querySelector('.kb-status').textContent.startsWith('Link copied')")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    page.locator("button[data-kb-copy='']").click()
    wait_until(page, "document.querySelector('.kb-status').textContent.indexOf('#') < 0")
    assert page.evaluate("navigator.clipboard.readText()") == expected.partition("#")[0]
    assert seen == []


def test_ticks_survive_a_reload_per_ticket_and_reset_clears_them(context: Any, sample_site: tuple[Path, str]) -> None:
    _, url = sample_site
    page, seen = open_page(context, url + "checklists/identity-baseline/?ticket=T-1")
    page.locator("label[for=check-owner-named]").click()
    page.reload()
    assert page.locator("#check-owner-named").is_checked()
    assert not page.locator("#check-mfa-everywhere").is_checked()
    page.goto(url + "checklists/identity-baseline/?ticket=T-2")
    assert not page.locator("#check-owner-named").is_checked()
    page.goto(url + "checklists/identity-baseline/?ticket=T-1")
    assert page.locator("#check-owner-named").is_checked()
    page.locator("[data-kb-reset]").click()
    page.reload()
    assert not page.locator("#check-owner-named").is_checked()
    assert seen == []


def test_ticked_state_prints(context: Any, sample_site: tuple[Path, str]) -> None:
    _, url = sample_site
    page, _ = open_page(context, url + "checklists/identity-baseline/")
    page.locator("#check-owner-named").check()
    page.emulate_media(media="print")
    ticked = page.evaluate("getComputedStyle(document.querySelector('#check-owner-named'), '::after').content")
    unticked = page.evaluate("getComputedStyle(document.querySelector('#check-mfa-everywhere'), '::after').content")
    assert (ticked, unticked) == ('"✓"', "none")


def test_works_when_storage_and_clipboard_are_blocked(browser: Any, sample_site: tuple[Path, str]) -> None:
    _, url = sample_site
    ctx = browser.new_context()
    ctx.add_init_script("""
        Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('blocked', 'SecurityError'); }});
        Object.defineProperty(navigator, 'clipboard', {get() { return undefined; }});
        document.execCommand = function () { return false; };
    """)
    try:
        page, seen = open_page(ctx, url + "checklists/identity-baseline/?ticket=T-7")
        page.locator("label[for=check-owner-named]").click()
        assert page.locator("#check-owner-named").is_checked()
        page.locator("button[data-kb-copy='owner-named']").click()
        assert page.locator(".kb-status").inner_text() == \
            "Copy this link: https://kb.sample-msp.example/checklists/identity-baseline/?ticket=T-7#owner-named"
        # Material's own scripts may trip over the blocked storage; ours must not.
        assert [error for error in seen if "checklist.js" in error] == []
    finally:
        ctx.close()


def test_former_ids_lead_to_the_new_page_and_anchor(context: Any, sample_site: tuple[Path, str]) -> None:
    _, url = sample_site
    page, seen = open_page(context, url + "checklists/access-baseline/?ticket=T-12345#mfa-enforced")
    page.wait_for_url(url + "checklists/identity-baseline/?ticket=T-12345#mfa-everywhere")
    assert page.locator("dd[data-kb-context=ticket]").inner_text() == "T-12345"
    assert page.evaluate("document.querySelector(':target').id") == "mfa-everywhere"
    page.goto(url + "personas/starter/")
    page.wait_for_url(url + "personas/beginner/")
    assert seen == []


def pdf_of(page: Any, paper: str) -> PdfReader:
    return PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))


def test_every_bundled_checklist_prints_on_two_pages(context: Any, bundled_site: Path, bundled_url: str) -> None:
    entries = json.loads((bundled_site / "permalinks.json").read_text())["entries"]
    checklists = [e for e in entries if e["kind"] == "checklist"]
    items = {c["id"]: sum(1 for e in entries if e.get("checklist") == c["id"]) for c in checklists}
    assert len(checklists) >= 11 and max(items.values()) >= 15
    page = context.new_page()
    for checklist in checklists:
        page.goto(bundled_url + checklist["path"] + "?ticket=T-12345&client=Acme%20Ltd&tech=J.%20Smith")
        papers = ["A4", "Letter"] if items[checklist["id"]] >= 15 else ["A4"]
        for paper in papers:
            pdf = pdf_of(page, paper)
            text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
            assert len(pdf.pages) <= 2, f"{checklist['id']} prints on {len(pdf.pages)} {paper} pages"
            assert [word for word in CHROME if word in text] == [], checklist["id"]
            assert f"{checklist['title']} · version" in text and "Page 1 of" in text
            assert "Ticket T-12345" in text and "Acme Ltd" in text and "Signature" in text


def test_build_pdf_writes_a_pdf_per_checklist(sample: Path) -> None:
    result = run_kb("build", "--pdf", root=sample)
    assert result.exit_code == 0, result.stderr
    folder = sample / "site/checklists/access-baseline"
    pdf = PdfReader(folder / "access-baseline.pdf")
    assert 1 <= len(pdf.pages) <= 2
    assert "MFA is enforced for every user account" in pdf.pages[0].extract_text()
    assert '<a class="md-button" href="access-baseline.pdf" download>Download PDF</a>' in \
        (folder / "index.html").read_text(encoding="utf-8")
