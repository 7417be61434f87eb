"""The parse cache in ROOT/build/cache: a hit is never stale, and a bad cache is never trusted."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from generator.core import load
from generator.core.load import LineDict, LineList, ParseCache, load_tree
from tests.conftest import edit, run_kb


def positions(data: Any) -> Any:
    """data with every mapping's and list's file and lines spelled out, for comparison."""
    if isinstance(data, LineDict):
        return ("map", data.file, data.line, dict(data.key_lines), {k: positions(v) for k, v in data.items()})
    if isinstance(data, LineList):
        return ("list", data.file, data.line, list(data.item_lines), [positions(v) for v in data])
    return data


def snapshot(root: Path) -> dict[str, Any]:
    return {d.rel: positions(d.data) for d in load_tree(root)}


def cache_file(root: Path) -> Path:
    return root / ParseCache.RELATIVE_PATH


def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str, rel: str) -> Any:
        raise AssertionError(f"{rel} was parsed again")

    monkeypatch.setattr(load, "parse_text", refuse)


def test_an_unchanged_tree_is_read_from_the_cache_with_every_position(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = snapshot(sample)
    assert cache_file(sample).is_file()
    no_parsing(monkeypatch)
    assert snapshot(sample) == first


def test_changed_bytes_are_parsed_again_even_with_the_same_size_and_time(sample: Path) -> None:
    snapshot(sample)
    path = sample / "content/terms/terms.yaml"
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    edit(path, "term: Shadow AI", "term: Shadow XY")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.read_text(encoding="utf-8") != text
    after = {d.rel: d.data for d in load_tree(sample)}
    assert after["content/terms/terms.yaml"][0]["term"] == "Shadow XY"


def test_a_cached_file_with_an_invalid_field_is_still_reported_at_its_line(sample: Path) -> None:
    edit(sample / "content/terms/terms.yaml", "  term: Shadow AI\n", "  term: Shadow AI\n  colour: red\n")
    first = run_kb("validate", root=sample)
    second = run_kb("validate", root=sample)
    assert first.exit_code == second.exit_code == 1
    assert "content/terms/terms.yaml:3: unknown field 'colour'" in first.stderr
    assert second.stderr == first.stderr


def test_a_corrupt_cache_is_ignored_and_replaced(sample: Path) -> None:
    first = snapshot(sample)
    cache_file(sample).write_bytes(b"not a pickle at all")
    assert snapshot(sample) == first
    assert pickle.loads(cache_file(sample).read_bytes())["key"] == ParseCache.key()


@pytest.mark.parametrize("files", [["a list"], {"content/site.yaml": "not a pair"}, {"content/site.yaml": (1, 2, 3)}])
def test_a_cache_of_the_wrong_shape_is_not_used(sample: Path, files: Any) -> None:
    first = snapshot(sample)
    cache_file(sample).write_bytes(pickle.dumps({"key": ParseCache.key(), "files": files}))
    assert snapshot(sample) == first


def _swap_entries(files: dict[str, Any]) -> None:  # the right digests, another file's data
    files["content/site.yaml"], files["content/takeaways/first.yaml"] = (
        (files["content/site.yaml"][0], files["content/takeaways/first.yaml"][1]),
        (files["content/takeaways/first.yaml"][0], files["content/site.yaml"][1]))


def _strip_positions(files: dict[str, Any]) -> None:
    del files["content/site.yaml"][1].key_lines


def _plain_dict(files: dict[str, Any]) -> None:
    files["content/site.yaml"] = (files["content/site.yaml"][0], {"title": "Forged"})


@pytest.mark.parametrize("damage", [_swap_entries, _strip_positions, _plain_dict])
def test_an_entry_with_the_right_digest_but_other_data_is_parsed_again(sample: Path, damage: Any) -> None:
    first = snapshot(sample)
    stored = pickle.loads(cache_file(sample).read_bytes())
    damage(stored["files"])
    cache_file(sample).write_bytes(pickle.dumps(stored))
    assert snapshot(sample) == first
    assert run_kb("validate", root=sample).exit_code == 0


class _RunsCode:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (self.target,))

    def __init__(self, target: str) -> None:
        self.target = target


def test_a_cache_that_would_run_code_is_refused(sample: Path, tmp_path: Path) -> None:
    first = snapshot(sample)
    marker = tmp_path / "code-ran"
    cache_file(sample).write_bytes(pickle.dumps({"key": ParseCache.key(), "files": {"x": _RunsCode(str(marker))}}))
    assert snapshot(sample) == first
    assert not marker.exists()


def test_a_cache_from_another_loader_version_is_not_used(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    snapshot(sample)
    stored = pickle.loads(cache_file(sample).read_bytes())
    stored["key"] = "another loader"
    cache_file(sample).write_bytes(pickle.dumps(stored))
    parsed: list[str] = []
    real = load.parse_text
    monkeypatch.setattr(load, "parse_text", lambda text, rel: parsed.append(rel) or real(text, rel))
    load_tree(sample)
    assert len(parsed) == len(stored["files"])


def test_files_no_longer_read_leave_the_cache(sample: Path) -> None:
    snapshot(sample)
    assert "content/takeaways/first.yaml" in pickle.loads(cache_file(sample).read_bytes())["files"]
    (sample / "content/takeaways/first.yaml").unlink()
    load_tree(sample)  # loading only: the references to the term are link's business
    assert "content/takeaways/first.yaml" not in pickle.loads(cache_file(sample).read_bytes())["files"]


def test_kb_no_cache_writes_nothing(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_NO_CACHE", "1")
    assert run_kb("validate", root=sample).exit_code == 0
    assert not cache_file(sample).exists()


def test_an_unwritable_cache_folder_only_costs_speed(sample: Path) -> None:
    (sample / "build").mkdir(exist_ok=True)
    (sample / "build" / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    assert run_kb("validate", root=sample).exit_code == 0
    assert (sample / "build" / "cache").read_text(encoding="utf-8") == "a file where the cache folder should be"
