"""Goldens for the portable middle layer: the Markdown, assets and nav that render writes for
the sample trees, compared file by file. A refactor that changes no wording leaves them as they
are; a change of wording on purpose shows up here as a diff to review.

Regenerate with `make goldens` (KB_UPDATE_GOLDENS=1 pytest tests/test_goldens.py).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import yaml

from generator.core.pipeline import render_tree
from generator.features import FEATURES
from tests.conftest import FIXTURES, REPO

GOLDEN = REPO / "tests" / "golden" / "render"
TODAY = dt.date(2026, 11, 30)

#: (golden folder, sample tree, audience)
CASES = [
    ("sample-internal", "sample", "internal"),
    ("sample-client", "sample", "client"),
    ("hostile-internal", "hostile", "internal"),
]


def _rendered(tree: str, audience: str, tmp_path: Path) -> dict[str, bytes]:
    root = tmp_path / tree  # a copy: loading writes a parse cache into the tree
    shutil.copytree(FIXTURES / tree, root)
    rendered = render_tree(root, FEATURES, audience=audience, today=TODAY)
    # assets/kb/ holds site_templates/assets as they are (not rendered), so it is not a golden.
    files = {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in rendered.files.items()
             if not path.startswith("assets/kb/")}
    files["nav.yaml"] = yaml.safe_dump(rendered.nav, allow_unicode=True, sort_keys=False).encode("utf-8")
    return files


@pytest.mark.parametrize(("name", "tree", "audience"), CASES, ids=[c[0] for c in CASES])
def test_rendered_markdown_and_nav_match_goldens(name: str, tree: str, audience: str, tmp_path: Path) -> None:
    files = _rendered(tree, audience, tmp_path)
    folder = GOLDEN / name
    if os.environ.get("KB_UPDATE_GOLDENS"):
        shutil.rmtree(folder, ignore_errors=True)
        for rel, data in files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
    expected = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert sorted(files) == sorted(expected), "the page set changed"
    changed = [rel for rel in files if files[rel] != expected[rel]]
    assert not changed, f"rendered output differs from the goldens: {changed[:10]}"
