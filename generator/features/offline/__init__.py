"""A built site that works opened from a folder (file://), with its published URLs unchanged.

Pages keep their directory URLs (the ones tickets link to); assets/kb/folder.js makes a browser
on file:// open a folder link's index.html and run search in a frame. What it needs beside the
pages is the search index as a script, search/search_index.js (`var __index = ...`), which
Material reads on file://, where a page cannot fetch the JSON. Written from whatever index the
engine wrote, after the build; an engine without one gets nothing.
"""

from __future__ import annotations

from pathlib import Path

from generator.core.feature import Feature, RenderContext
from generator.core.link import KnowledgeBase

INDEX = Path("search") / "search_index.json"
SCRIPT = Path("search") / "search_index.js"


def search_script(kb: KnowledgeBase, ctx: RenderContext, site: Path) -> None:
    index = site / INDEX
    if index.is_file():
        # JSON is a JavaScript expression; "</" cannot occur outside strings in it, and the file
        # is loaded with <script src>, never inlined into a page.
        (site / SCRIPT).write_text("var __index = " + index.read_text(encoding="utf-8") + ";\n", encoding="utf-8")


FEATURE = Feature(name="offline", writers=(search_script,))
