"""`kb serve` when content breaks: the open page turns into an error page listing every
`path:line: message` (escaped), any request answers at once instead of hanging, the terminal
shows the problems without the per-page nav list, and fixing the file brings the site back."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import edit, kb_serve

pytestmark = pytest.mark.browser

PROBLEMS = [
    "content/site.yaml:2: unknown field 'bogus_key' (allowed: base_url, branding, contact, description, "
    "organisation, review_intervals, sections, sidebar_limit, title, wording)",
    "content/terms/terms.yaml:4: related[1]: '<img src=x onerror=alert(1)>' is not a valid id "
    "(use lowercase letters, digits and hyphens, e.g. 'first-playbook')",
]


@pytest.fixture
def served(sample: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with kb_serve(sample) as (base, process):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, "kb serve exited"
            try:
                urllib.request.urlopen(base, timeout=5).read()
                break
            except OSError:
                time.sleep(0.3)
        yield base, process


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # never hangs: 5 s at most
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_error_page_appears_lists_every_problem_and_clears(served: tuple[str, Any], sample: Path, browser: Any) -> None:
    base, process = served
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(base + "terms/shadow-ai/")
        assert page.title().startswith("Shadow AI")

        edit(sample / "content/site.yaml", "title: Sample Knowledge Base\n", "title: Sample Knowledge Base\nbogus_key: 1\n")
        edit(sample / "content/terms/terms.yaml", "related: [service-account]",
             'related: [service-account, "<img src=x onerror=alert(1)>"]')
        # The open page reloads by itself into the error page (MkDocs' live reload).
        page.wait_for_selector("#kb-preview-errors", timeout=60_000)
        assert page.inner_text("h1") == "The knowledge base has 2 problems to fix"
        assert page.eval_on_selector_all(".kb-preview-problems li", "items => items.map(i => i.textContent)") == PROBLEMS
        assert "the last good build stays in place meanwhile" in page.inner_text(".kb-preview-note")
        assert page.eval_on_selector_all("img", "images => images.length") == 0 and dialogs == []

        # Every page address answers at once with the same page; assets are still served.
        for path in ("", "playbooks/sort-out-access/", "no/such/page/"):
            status, body = fetch(base + path)
            assert status == 500 and "&lt;img src=x onerror=alert(1)&gt;" in body and "<img" not in body
        assert fetch(base + "assets/kb/kb.css")[0] == 200

        edit(sample / "content/site.yaml", "bogus_key: 1\n", "")
        edit(sample / "content/terms/terms.yaml", ', "<img src=x onerror=alert(1)>"', "")
        page.wait_for_selector("article h1", timeout=60_000)  # the site is back, on the same address
        assert page.title().startswith("Shadow AI")
        assert fetch(base + "terms/shadow-ai/")[0] == 200
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=10)
        log = process.stderr.read().decode()
        process.stderr.close()
    for problem in PROBLEMS:
        assert problem in log
    assert "The preview shows these problems on every page until they are fixed." in log
    assert "not included in the" not in log  # no per-page nav list on any build
    assert "The server will appear stuck" not in log and "Traceback" not in log
