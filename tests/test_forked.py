"""Drawing pages in forked processes (core/forked.py) gives what drawing them here gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core import forked, render
from generator.core.feature import RenderContext
from generator.core.link import load_knowledge_base
from generator.features import FEATURES


def _square(n: int) -> int:
    return n * n


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(), max_size=9), st.integers(min_value=1, max_value=3))
def test_map_in_processes_is_map(items: list[int], processes: int) -> None:
    assert forked.map_in_processes(_square, items, processes) == [n * n for n in items]


def _two_fails(n: int) -> int:
    if n == 2:
        raise ValueError("two is not drawn")
    return n


def test_a_child_that_fails_fails_the_map_with_its_traceback() -> None:
    with pytest.raises(forked.ChildFailed) as failed:
        forked.map_in_processes(_two_fails, [1, 2, 3, 4], 2)  # 2 is the child's (odd positions)
    assert str(failed.value).rstrip().endswith("ValueError: two is not drawn")


def test_rendering_in_two_processes_gives_the_same_files(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = load_knowledge_base(sample, FEATURES)
    ctx = RenderContext(today=dt.date(2026, 12, 1))
    alone = render.render(kb, ctx, FEATURES)
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 1)
    shared = render.render(kb, ctx, FEATURES, workers=2)
    assert list(shared.files) == list(alone.files) and shared.files == alone.files
    assert shared.nav == alone.nav
