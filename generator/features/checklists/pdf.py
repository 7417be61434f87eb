"""`kb build --pdf`: one PDF per checklist, printed by headless Chromium from the built page with
the page's own print stylesheet, written beside the page as <checklist-id>.pdf.

Only this option needs a browser: Debian's `chromium`, driven by Playwright (the `pdf` extra).
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any

from generator.core import urls
from generator.core.errors import WriterFailed
from generator.core.feature import RenderContext
from generator.core.link import KnowledgeBase
from generator.support.pdf import CHROMIUM_ARGS, serve_folder

#: The build flag (`kb build --pdf`) that prints the PDFs and makes checklist pages link them.
PDF_FLAG = "pdf"
PAPER = "A4"


class PdfFailed(WriterFailed):
    """The PDFs could not be printed; the message says what to install or fix."""


def pdf_writer(kb: KnowledgeBase, ctx: RenderContext, site: Path) -> None:
    if PDF_FLAG in ctx.flags:
        write_pdfs(kb, site)


def write_pdfs(kb: KnowledgeBase, site: Path) -> list[Path]:
    """Print every checklist page of the built site to a PDF beside it."""
    try:
        import playwright.sync_api  # noqa: F401 - only checking it is installed
    except ImportError:
        raise PdfFailed("--pdf needs Playwright for Python: pip install 'msp-kb-generator[pdf]'") from None
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise PdfFailed("--pdf needs Debian's chromium: apt-get install chromium")
    # Playwright's sync API refuses to run inside an asyncio loop (a caller's, or another
    # Playwright's), so print from a thread of our own.
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["written"] = _print(kb, site, executable)
        except BaseException as error:  # handed back to the calling thread
            outcome["error"] = error

    worker = threading.Thread(target=run, name="kb-pdf")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    written: list[Path] = outcome["written"]
    return written


def _print(kb: KnowledgeBase, site: Path, executable: str) -> list[Path]:
    from playwright.sync_api import Error, sync_playwright

    written = []
    try:
        with serve_folder(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                for checklist in kb.checklists.values():
                    folder = urls.url_of(urls.doc_path("checklist", checklist.id))
                    page.goto(base + folder, wait_until="load")
                    target = site / folder / f"{checklist.id}.pdf"
                    page.pdf(path=str(target), format=PAPER, print_background=True)
                    written.append(target)
            finally:
                browser.close()
    except Error as error:
        raise PdfFailed(f"chromium could not print the checklists: {error.message.splitlines()[0]}") from None
    return written
