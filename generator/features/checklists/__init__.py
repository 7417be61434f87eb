"""Checklists for tickets: a run sheet per persona, exports beside each checklist page (md, txt,
csv, json), printed PDFs (`kb build --pdf`), and `kb link` / `kb export` for pasting into PSA
tickets."""

from __future__ import annotations

from pathlib import Path

from generator.core.feature import Feature, RenderContext
from generator.core.link import KnowledgeBase
from generator.features.checklists import commands, exports, pdf, runsheet


def _exports(kb: KnowledgeBase, ctx: RenderContext, site: Path) -> None:
    exports.write_site_files(kb, site)


FEATURE = Feature(
    name="checklists",
    producers=(runsheet.run_sheet_pages,),
    templates=Path(__file__).parent / "templates",
    writers=(_exports, pdf.pdf_writer),
    commands=commands.register,
)
