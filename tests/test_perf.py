"""The benchmark's synthetic knowledge base stays valid, and the faster helpers the benchmark
led to behave exactly like the straightforward code they replaced."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from benchmarks import synth
from generator.entities import build_entities
from generator.link import _alternation, _entity_text, _strings
from generator.load import load_tree
from generator.urls import _relpath, relative_url, url_of
from tests.conftest import run_kb


def test_synthetic_knowledge_base_validates(tmp_path: Path) -> None:
    root = synth.generate(tmp_path / "kb", 10)
    result = run_kb("validate", root=root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "ok: 3 personas, 10 playbooks, 10 checklists, 500 terms, 0 FAQs, 0 case studies, "
        "0 statistics, 2 frameworks, 1166 controls\n"
    )


_NAME = st.text(alphabet="ab -.K\u212a", min_size=1, max_size=5).filter(str.strip)


@given(st.sets(_NAME.map(str.lower), min_size=1, max_size=8), st.text(alphabet="ab -.KxAB\u212a", max_size=30))
def test_term_trie_matches_like_the_flat_alternation(names: set[str], text: str) -> None:
    flat = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I)
    trie = re.compile(r"\b(" + _alternation(sorted(names)) + r")\b", re.I)
    assert [m.lower() for m in trie.findall(text)] == [m.lower() for m in flat.findall(text)]


_PATH = st.lists(st.sampled_from(["a", "b", "frameworks", "x.md", "index.md", ".", "..", ""]), min_size=1, max_size=4).map("/".join)


@given(_PATH.filter(bool), _PATH.filter(bool))
def test_fast_relpath_equals_posixpath(path: str, start: str) -> None:
    assert _relpath(path, start) == posixpath.relpath(path, start)


_MD = st.tuples(st.lists(st.sampled_from(["a", "b", "frameworks"]), max_size=3),
                st.sampled_from(["x.md", "index.md"])).map(lambda t: "/".join([*t[0], t[1]]))


@given(_MD, _MD)
def test_relative_url_equals_the_posixpath_version(target: str, here: str) -> None:
    rel = posixpath.relpath(url_of(target) or ".", url_of(here) or ".")
    assert relative_url(target, here) == ("./" if rel == "." else rel + "/")


def test_term_scan_text_equals_model_dump_strings(tmp_path: Path, sample: Path) -> None:
    def dumped(entity: Any) -> str:
        return " ".join(str(v) for v in _strings(entity.model_dump(exclude={"id", "aliases", "changes"})))

    for root in (sample, synth.generate(tmp_path / "kb", 10)):
        entities = [e for items in build_entities(load_tree(root)).by_kind.values() for e in items]
        assert entities
        assert [_entity_text(e) for e in entities] == [dumped(e) for e in entities]
