"""Stage 1: every node remembers its line; malformed files get one clear located message."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.core.errors import ContentError
from generator.core.load import MAX_FILE_BYTES, load_tree, parse_text


def problems_of(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        parse_text(text, "content/x.yaml")
    return [str(p) for p in caught.value.problems]


def test_mappings_and_list_items_remember_their_lines() -> None:
    data = parse_text("id: a\nsteps:\n  - id: one\n    owner: x\n\n  - id: two\n", "f.yaml")
    assert (data.file, data.line) == ("f.yaml", 1)
    assert data.key_lines == {"id": 1, "steps": 2}
    assert data["steps"].item_lines == [3, 6]
    assert data["steps"][1].line == 6
    assert data["steps"][0].key_lines["owner"] == 4


def test_duplicate_key_quotes_both_lines() -> None:
    assert problems_of("id: a\ntitle: x\nid: b\n") == [
        "content/x.yaml:3: duplicate key 'id' (first defined on line 1)"
    ]


def test_syntax_error_gives_line_and_column() -> None:
    assert problems_of("id: a\nlist: [1, 2\ntitle: b\n") == [
        "content/x.yaml:3: YAML syntax error at column 6: did not find expected ',' or ']' "
        "(while parsing a flow sequence)"
    ]


def test_tab_indentation_is_named() -> None:
    assert problems_of("id: a\nitems:\n\t- one\n") == [
        "content/x.yaml:3: a tab character is used for indentation (indent with spaces)"
    ]


def write(root: Path, rel: str, data: bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def tree_problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_tree(root)
    return [str(p) for p in caught.value.problems]


def test_empty_and_non_utf8_files_are_refused_together(tmp_path: Path) -> None:
    write(tmp_path, "content/terms/empty.yaml", b"")
    write(tmp_path, "content/terms/latin1.yaml", b"id: a\nterm: caf\xe9\n")
    assert tree_problems(tmp_path) == [
        "content/terms/empty.yaml:1: file is empty (expected a mapping or a list)",
        "content/terms/latin1.yaml:2: file is not UTF-8 text (byte 0xe9)",
    ]


def test_huge_file_is_refused_by_size_without_reading_it(tmp_path: Path) -> None:
    path = write(tmp_path, "content/terms/huge.yaml", b"")
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    assert tree_problems(tmp_path) == [
        f"content/terms/huge.yaml:1: file is 52,428,800 bytes; the limit is {MAX_FILE_BYTES:,} bytes"
    ]
    assert time.perf_counter() - started < 1.0


def test_symlink_loop_is_reported_not_followed_forever(tmp_path: Path) -> None:
    write(tmp_path, "content/terms/a.yaml", b"id: a\n")
    os.symlink(tmp_path / "content", tmp_path / "content" / "terms" / "loop")
    assert tree_problems(tmp_path) == [
        "content/terms/loop:1: symlink loop: this folder is already read"
    ]
