"""Print web pages to one PDF with headless Chromium: Debian's `chromium`, driven by
Playwright with executable_path (never a downloaded browser build).

    print_pdf(url_or_file, out_path)                 # one page
    print_pdf([page1, page2, ...], out_path, footer="Prepared for Acme Ltd")

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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
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


def print_pdf(url_or_file: str | Path | Sequence[str | Path], out_path: Path, footer: str | None = None) -> Path:
    """Print one page, or several in order, into out_path; footer (plain text) goes at the
    foot of every sheet."""
    try:
        from playwright.sync_api import sync_playwright
        from pypdf import PdfWriter
    except ImportError:
        raise PdfUnavailable("PDF output needs Playwright and pypdf: pip install -e '.[pdf]'") from None
    executable = shutil.which("chromium")
    if executable is None:
        raise PdfUnavailable("PDF output needs Debian's chromium: apt-get install chromium")
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
