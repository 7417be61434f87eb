"""One measured stage in a fresh process: `python -m benchmarks.stage {link|render} ROOT`.

Prints one JSON object of in-process timings (seconds, interpreter start and imports excluded),
so each stage's time is its own; the parent reads peak memory of this process from wait4.
`render` also writes build/docs and the baseline MkDocs config (see baseline.py).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from benchmarks import baseline
from generator.core.entities import build_entities
from generator.core.feature import RenderContext
from generator.core.link import _Linker, load_knowledge_base
from generator.core.load import load_tree
from generator.core.memory import no_cyclic_gc
from generator.core.render import render
from generator.engine.build import cores
from generator.engine.static import write_files
from generator.features import FEATURES


@no_cyclic_gc()  # as load_knowledge_base runs these three
def link(root: Path) -> dict[str, float]:
    start = time.perf_counter()
    documents = load_tree(root)
    loaded = time.perf_counter()
    entities = build_entities(documents, {n: m for f in FEATURES for n, m in f.documents.items()})
    modelled = time.perf_counter()
    _Linker(entities, root, [check for f in FEATURES for check in f.checks]).link()
    linked = time.perf_counter()
    return {"load": loaded - start, "model": modelled - loaded, "link": linked - modelled,
            "validate": linked - start}


def render_stage(root: Path) -> dict[str, float]:
    kb = load_knowledge_base(root, FEATURES)
    ctx = RenderContext(today=dt.date.today())
    start = time.perf_counter()
    rendered = render(kb, ctx, FEATURES, workers=cores())  # as kb build renders
    drawn = time.perf_counter()
    write_files(rendered.files, root / "build" / "docs")
    written = time.perf_counter()
    baseline.write_config(kb, ctx, rendered)
    baseline.write_zensical_config(kb, ctx, rendered)
    pages = sum(1 for name in rendered.files if name.endswith(".md"))
    return {"render": drawn - start, "write": written - drawn, "pages": pages}


def main() -> None:
    stage, root = sys.argv[1], Path(sys.argv[2]).resolve()
    result = {"link": link, "render": render_stage}[stage](root)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
