"""Property-based: generated content trees, and random mutations of the valid sample tree,
either validate (or build), or fail with `path:line: message` lines and exit 1. Never a
traceback, never anything else. Most examples go through `kb validate` (fast); a few
generated trees go through a full build."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, Result, run_kb

LOCATED = re.compile(r"^[^\s:][^:\n]*:\d+: \S.*$")
SUMMARY = re.compile(r"^\d+ problem\(s\) found\.$")
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SAMPLE_FILES = sorted(p.relative_to(FIXTURES / "sample").as_posix() for p in (FIXTURES / "sample").rglob("*.yaml"))


def assert_clean_outcome(result: Result, *, built: bool = False) -> None:
    """Exit 0, or exit 1 with only located problems and a count (or, for a build, MkDocs'
    strict-mode warnings and the one-line refusal)."""
    if result.exit_code == 0:
        assert result.stdout.startswith("built " if built else "ok: "), result.stdout
        return
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert lines, "exit 1 without a message"
    if built and lines[-1].startswith("build failed: "):
        assert all(line.startswith("WARNING: ") for line in lines[:-1]), lines
        return
    assert SUMMARY.match(lines[-1]), lines
    assert int(lines[-1].split()[0]) == len(lines) - 1
    assert all(LOCATED.match(line) for line in lines[:-1]), lines


# --- Mutations of the valid sample tree, through `kb validate` ---------------------------------

def _delete_line(text: bytes, at: int, _: bytes) -> bytes:
    lines = text.splitlines(keepends=True)
    return b"".join(lines[: at % len(lines)] + lines[at % len(lines) + 1 :])


def _duplicate_line(text: bytes, at: int, _: bytes) -> bytes:
    lines = text.splitlines(keepends=True)
    i = at % len(lines)
    return b"".join(lines[: i + 1] + lines[i:])


def _insert(text: bytes, at: int, data: bytes) -> bytes:
    i = at % (len(text) + 1)
    return text[:i] + data + text[i:]


def _truncate(text: bytes, at: int, _: bytes) -> bytes:
    return text[: at % (len(text) + 1)]


def _overwrite(text: bytes, at: int, data: bytes) -> bytes:
    i = at % (len(text) + 1)
    return text[:i] + data + text[i + len(data) :]


MUTATIONS = [_delete_line, _duplicate_line, _insert, _truncate, _overwrite]
# Bytes that matter to YAML and to us: structure, quotes, tabs, ids, odd encodings.
FRAGMENTS = st.one_of(
    st.sampled_from([b":", b"- ", b"\t", b"  ", b"\n", b"{", b"[", b"'", b'"', b"&a", b"*a", b"!!python/object:os.system",
                     b"id: x\n", b"---\n", b"\xff\xfe", b"\xe9", b"\x00", b"? ", b"<<: *a\n", b"~", b"1e9999"]),
    st.binary(max_size=12),
    st.text(max_size=12).map(lambda s: s.encode("utf-8")),
)


@FAST
@given(
    file=st.sampled_from(SAMPLE_FILES),
    mutation=st.sampled_from(MUTATIONS),
    at=st.integers(min_value=0, max_value=10_000),
    data=FRAGMENTS,
)
def test_mutated_sample_validates_or_fails_cleanly(file: str, mutation: Any, at: int, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "kb"
        shutil.copytree(FIXTURES / "sample", root)
        path = root / file
        path.write_bytes(mutation(path.read_bytes(), at, data))
        assert_clean_outcome(run_kb("validate", root=root))


# --- Generated content trees --------------------------------------------------------------------

SLUGS = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?\Z")
TEXT = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=0, max_size=30)
ANY_VALUE = st.one_of(TEXT, st.integers(), st.booleans(), st.none(), st.lists(TEXT, max_size=2))


@st.composite
def trees(draw: Any) -> dict[str, Any]:
    """A knowledge base as files -> YAML data: mostly well-formed, with wrong types, unknown
    keys, missing fields, dangling references and cycles drawn often enough to matter."""
    term_ids = draw(st.lists(SLUGS, max_size=4, unique=True))
    persona_ids = draw(st.lists(SLUGS, min_size=0, max_size=3, unique=True))
    files: dict[str, Any] = {
        "content/site.yaml": {"title": draw(TEXT) or "KB", "organisation": "MSP", "base_url": "https://kb.example/"},
    }
    if term_ids:
        files["content/terms/terms.yaml"] = [
            {"id": tid, "term": draw(TEXT), "definition": draw(TEXT),
             "related": draw(st.lists(st.sampled_from(term_ids) | SLUGS, max_size=2))}
            for tid in term_ids
        ]
    for pid in persona_ids:
        persona: dict[str, Any] = {"id": pid, "name": draw(TEXT), "summary": draw(TEXT),
                                   "signals": draw(st.lists(TEXT, max_size=2)), "service_motion": draw(TEXT)}
        if draw(st.booleans()):
            persona["next"] = {"persona": draw(st.sampled_from(persona_ids) | SLUGS), "when": [draw(TEXT)]}
        if draw(st.integers(0, 5)) == 0:
            persona[draw(st.sampled_from(["name", "nmae", "summary", "audience", "aliases"]))] = draw(ANY_VALUE)
        files[f"content/personas/{pid}.yaml"] = persona
    return files


def write_tree(root: Path, files: dict[str, Any]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@FAST
@given(files=trees())
def test_generated_tree_validates_or_fails_cleanly(files: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_tree(Path(folder), files)
        assert_clean_outcome(run_kb("validate", root=Path(folder)))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=trees())
def test_generated_tree_builds_or_fails_cleanly(files: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        write_tree(Path(folder), files)
        assert_clean_outcome(run_kb("build", root=Path(folder)), built=True)
