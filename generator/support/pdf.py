"""Print web pages to one PDF with headless Chromium: Debian's `chromium`, driven by
Playwright with executable_path (never a downloaded browser build).

    print_pdf(url_or_file, out_path)                 # one page
    print_pdf([page1, page2, ...], out_path, footer="Prepared for Acme Ltd")
    print_composed(site, ["index.html", ...], out_path, ...)   # pages of a site as ONE document

Print CSS applies (Playwright's page.pdf() uses print media). Several sources are printed in
order and joined into one file. Needs the `pdf` extra (playwright, pypdf).
"""

from __future__ import annotations

import concurrent.futures
import functools
import html
import io
import os
import shutil
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

#: How Chromium is launched everywhere (builds and tests): no sandbox as root, and none of its
#: background connections, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class PdfUnavailable(RuntimeError):
    """Chromium or the Python packages needed to drive it are missing."""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve folder on 127.0.0.1 (a free port) for the duration; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _url(source: str | Path) -> str:
    text = str(source)
    if text.startswith(("http://", "https://", "file://")):
        return text
    return Path(source).resolve().as_uri()


def local_prefixes(sources: Sequence[str | Path]) -> list[str]:
    """The URL prefixes a print of sources may load from: the origin of web sources, and the
    folder that holds every file source."""
    prefixes = set()
    files = []
    for source in sources:
        url = _url(source)
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            prefixes.add(f"{parts.scheme}://{parts.netloc}/")
        else:
            files.append(Path(url2pathname(parts.path)).parent)
    if files:
        prefixes.add(Path(os.path.commonpath(files)).as_uri().rstrip("/") + "/")
    return sorted(prefixes)


def unavailable() -> str | None:
    """Why PDFs cannot be printed here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError:
        return "PDF output needs Playwright and pypdf: pip install -e '.[pdf]'"
    if shutil.which("chromium") is None:
        return "PDF output needs Debian's chromium: apt-get install chromium"
    return None


def _chromium() -> str:
    """Chromium's path, once unavailable() has found nothing missing (else PdfUnavailable)."""
    reason = unavailable()
    if reason is not None:
        raise PdfUnavailable(reason)
    return str(shutil.which("chromium"))


def print_pdf(url_or_file: str | Path | Sequence[str | Path], out_path: Path, footer: str | None = None) -> Path:
    """Print one page, or several in order, into out_path; footer (plain text) goes at the
    foot of every sheet."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    sources = [url_or_file] if isinstance(url_or_file, (str, Path)) else list(url_or_file)
    options: dict[str, object] = {"format": "A4", "print_background": True,
                                  "margin": {"top": "12mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}}
    if footer:
        options |= {
            "display_header_footer": True,
            "header_template": "<span></span>",
            "footer_template": (
                '<div style="font-size:8px;width:100%;text-align:center;color:#444">'
                f"{html.escape(footer)}</div>"
            ),
        }
    writer = PdfWriter()
    local = tuple(local_prefixes(sources))

    def print_all() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                # Nothing but the pages' own site: a remote image in content must not make the
                # build machine fetch it (nor a file:// URL read a file from elsewhere).
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local)
                           else route.abort())
                for source in sources:
                    page.goto(_url(source), wait_until="load")
                    writer.append(io.BytesIO(page.pdf(**options)))  # type: ignore[arg-type]
            finally:
                browser.close()

    # Playwright's sync API refuses to start in a thread whose asyncio loop is running, as it is
    # in a caller that already drives a browser through that API (the test suite's shared one).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(print_all).result()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("wb") as handle:
        writer.write(handle)
    return out_path


#: Put into the page by print_composed (templates/compose.js beside this file).
COMPOSE = Path(__file__).parent / "templates" / "compose.js"


def _footer_template(footer: str) -> str:
    return ('<div style="font-size:8px;width:100%;margin:0 12mm;display:flex;justify-content:space-between;color:#444">'
            f'<span>{html.escape(footer)}</span>'
            '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def print_composed(site: Path, pages: Sequence[str], out_path: Path, *, title: str, author: str, subject: str,
                   footer: str, published: str, fill: Mapping[str, str] | None = None) -> Path:
    """Print pages of a built site (paths relative to it, in reading order) as one PDF document:
    numbered "Page X of Y" across all of them, one footer, an outline (bookmarks) of every page
    and its sections, links inside the document where they lead to a printed page and to the
    published site (`published`, a base URL) where they lead elsewhere in it, `fill` put into
    the cells that ask for it, and title, author and subject in the document's metadata."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    printed: list[bytes] = []
    headings: list[str] = []

    def print_all() -> None:
        with serve_folder(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                # As print_pdf: nothing but the site itself is fetched while printing.
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                           else route.abort())
                page.goto(base + pages[0], wait_until="load")
                headings.extend(page.evaluate(
                    COMPOSE.read_text(encoding="utf-8"),
                    {"pages": list(pages), "published": published, "fill": dict(fill or {}), "title": title}))
                page.evaluate("document.fonts.ready")
                printed.append(page.pdf(format="A4", print_background=True, outline=True, tagged=True,
                                        display_header_footer=True, header_template="<span></span>",
                                        footer_template=_footer_template(footer),
                                        margin={"top": "14mm", "bottom": "18mm", "left": "12mm", "right": "12mm"}))
            finally:
                browser.close()

    # As in print_pdf: Playwright's sync API needs a thread without a running asyncio loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(print_all).result()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(printed[0])))
    _retitle_outline(writer, headings)
    writer.add_metadata({"/Title": title, "/Author": author, "/Subject": subject, "/Creator": "kb"})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("wb") as handle:
        writer.write(handle)
    return out_path


def _retitle_outline(writer: Any, headings: list[str]) -> None:
    """Give the outline Chromium made from the headings their text as written (one entry per
    heading, in document order); left as it is if the two do not line up."""
    from pypdf.generic import NameObject, TextStringObject

    entries: list[Any] = []

    def walk(node: Any) -> None:
        while node is not None:
            entry = node.get_object()
            entries.append(entry)
            if "/First" in entry:
                walk(entry["/First"])
            node = entry.get("/Next")

    outlines = writer._root_object.get("/Outlines")
    if outlines is not None and "/First" in outlines.get_object():
        walk(outlines.get_object()["/First"])
    if len(entries) == len(headings):
        for entry, heading in zip(entries, headings, strict=True):
            entry[NameObject("/Title")] = TextStringObject(heading)
