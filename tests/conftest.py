"""Shared fixtures: sample content trees copied to tmp, the kb CLI run in-process."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from click.testing import CliRunner

from generator.cli.app import cli
from generator.engine.engines import MATERIAL_NOTICE
from generator.support.pdf import CHROMIUM_ARGS
from generator.support.pdf import serve_folder as serve

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED = REPO.parent / "shared"
#: What `kb build` prints on stderr, and nothing else, when a MkDocs build goes well.
NOTICE = MATERIAL_NOTICE + "\n"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Incremental builds keep their cache here, not in the user's ~/.cache (engine/incremental.py).
os.environ.setdefault("KB_CACHE_DIR", tempfile.mkdtemp(prefix="kb-test-cache-"))


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_kb(*args: str | Path, root: Path | None = None) -> Result:
    """Run `kb` in-process, as a user would from a shell."""
    argv = [*(["--root", str(root)] if root else []), *map(str, args)]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the small sample knowledge base."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURES / "sample", target)
    return target


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@contextlib.contextmanager
def kb_serve(root: Path, **env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`kb serve` of root in a child process (with env added to the environment) on a free
    127.0.0.1 port: (base URL, process), stopped on the way out; its stderr stays readable."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli.app import main; main()", "--root", str(root),
         "serve", "--address", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env},
    )
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        process.wait(timeout=10)


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- Real browser and real server, shared by every browser test -------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (never a downloaded browser build)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser` (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base, built once per test session."""
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = run_kb("build", "--out", out, root=REPO)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def bundled_url(bundled_site: Path) -> Iterator[str]:
    with serve(bundled_site) as url:
        yield url


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> None:
    """page.wait_for_function, without its `eval` inside the page: the site's Content-Security-
    Policy forbids eval, so poll the expression from outside (DevTools evaluation) instead."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {expression}")
        page.wait_for_timeout(50)


def material_search(page: Any, base: str, query: str) -> list[str]:
    """The URL paths of Material's search results for query, best first.

    Material searches on keyup and runs the `?q=` query of the URL once its worker has the
    index. Opening `?q=` runs exactly one query when search is ready; typed or inserted text
    races the worker (a query entered before it is ready is dropped, and key by key typing
    shows results of a partial query).
    """
    page.goto(f"{base}?q={quote(query)}")
    page.wait_for_selector(".md-search-result__item")
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    return [urlsplit(href).path for href in hrefs]
