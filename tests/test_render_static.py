"""Engine-neutral output: `kb render` writes the Markdown and a static mkdocs.yml (no hook),
plain `mkdocs build -f` builds it, and `kb postbuild` adds the manifest, redirects and exports.
The result is the site `kb build` makes, file for file and byte for byte."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO, run_kb, tree_digest


def test_render_then_plain_mkdocs_then_postbuild_is_kb_build(tmp_path: Path, bundled_site: Path) -> None:
    rendered = run_kb("render", "--out", tmp_path / "out", root=REPO)
    assert rendered.exit_code == 0, rendered.stderr
    config = tmp_path / "out" / "mkdocs.yml"
    assert rendered.stdout == f"wrote {config}; build it with: mkdocs build -f {config}\n"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert "hooks" not in settings and settings["docs_dir"] == "docs"
    mkdocs = Path(sys.executable).parent / "mkdocs"
    built = subprocess.run([str(mkdocs), "build", "-q", "-f", str(config), "-d", str(tmp_path / "site")],
                           cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    assert not (tmp_path / "site" / "permalinks.json").exists()  # MkDocs alone writes pages only
    after = run_kb("postbuild", tmp_path / "site", root=REPO)
    assert after.exit_code == 0, after.stderr
    ours, theirs = tree_digest(bundled_site), tree_digest(tmp_path / "site")
    del ours[".kb-site"]  # kb build's marker of a folder it may replace (core/outdir.py)
    assert sorted(theirs) == sorted(ours)
    assert [path for path in ours if ours[path] != theirs[path]] == []
    assert "permalinks.json" in theirs and "checklists/data-and-access-foundation/data-and-access-foundation.csv" in theirs
