"""`kb serve` rebuilds only the pages whose Markdown changed (MkDocs' dirty build), yet no page
the author can open goes stale: hand-written pages (macros read the whole knowledge base) are
always rebuilt, and a change to what every page shows (site settings, nav, theme) rebuilds all."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import edit, kb_serve
from tests.test_authoring import _wait_for


def test_dirty_preview_keeps_macro_pages_and_shared_parts_current(sample: Path) -> None:
    with kb_serve(sample) as (base, process):
        _wait_for(f"{base}pages/guide/", "Data is scattered and identities are unmanaged.", process)
        # The persona's summary is not in the guide's Markdown, only in its macro's output.
        edit(sample / "content/personas/starter.yaml", "Data is scattered", "Data is everywhere")
        _wait_for(f"{base}pages/guide/", "Data is everywhere and identities are unmanaged.", process)
        # The site title is in every page's header; a term page's Markdown does not change.
        _wait_for(f"{base}terms/shadow-ai/", "Sample Knowledge Base", process)
        edit(sample / "content/site.yaml", "title: Sample Knowledge Base", "title: Renamed Knowledge Base")
        page = _wait_for(f"{base}terms/shadow-ai/", "Renamed Knowledge Base", process)
        assert "Sample Knowledge Base" not in page
        # Each rebuild sanitises the pages it writes (and only those: the others were before).
        edit(sample / "content/pages/guide.md", "Start here:", 'Start <a href="javascript:alert(1)">here</a>:')
        page = _wait_for(f"{base}pages/guide/", "Start <a>here</a>:", process)
        assert "javascript:" not in page
    assert process.stderr is not None
    log = process.stderr.read().decode()
    process.stderr.close()
    assert "A 'dirty' build is being performed" not in log  # MkDocs' notice, which strict mode fails on
    assert "Aborted" not in log
