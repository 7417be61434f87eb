"""Shared fixtures: sample content trees copied to tmp, the kb CLI run in-process."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED = REPO.parent / "shared"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


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


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file, failing loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
