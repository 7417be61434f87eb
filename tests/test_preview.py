"""`kb serve` rebuilds only the pages whose Markdown changed (MkDocs' dirty build), yet no page
the author can open goes stale: hand-written pages (macros read the whole knowledge base) are
always rebuilt, and a change to what every page shows (site settings, nav, theme) rebuilds all."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import edit
from tests.test_authoring import _wait_for


def test_dirty_preview_keeps_macro_pages_and_shared_parts_current(sample: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-c", "from generator.cli.app import main; main()", "--root", str(sample),
         "serve", "--address", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=dict(os.environ),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/pages/guide/", "Data is scattered and identities are unmanaged.", process)
        # The persona's summary is not in the guide's Markdown, only in its macro's output.
        edit(sample / "content/personas/starter.yaml", "Data is scattered", "Data is everywhere")
        _wait_for(f"{base}/pages/guide/", "Data is everywhere and identities are unmanaged.", process)
        # The site title is in every page's header; a term page's Markdown does not change.
        _wait_for(f"{base}/terms/shadow-ai/", "Sample Knowledge Base", process)
        edit(sample / "content/site.yaml", "title: Sample Knowledge Base", "title: Renamed Knowledge Base")
        page = _wait_for(f"{base}/terms/shadow-ai/", "Renamed Knowledge Base", process)
        assert "Sample Knowledge Base" not in page
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert process.stderr is not None
        log = process.stderr.read().decode()
        process.stderr.close()
    assert "A 'dirty' build is being performed" not in log  # MkDocs' notice, which strict mode fails on
    assert "Aborted" not in log
