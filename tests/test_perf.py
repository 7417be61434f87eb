"""The benchmark's synthetic knowledge base stays valid, and the faster helpers the benchmark
led to behave exactly like the straightforward code they replaced."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import synth
from generator.core.entities import build_entities
from generator.core.link import _alternation, _entity_text, _strings
from generator.core.load import LineDict, LineList, load_tree, parse_text
from generator.core.urls import _relpath, relative_url, url_of
from tests.conftest import run_kb


def test_synthetic_knowledge_base_validates(tmp_path: Path) -> None:
    root = synth.generate(tmp_path / "kb", 10)
    result = run_kb("validate", root=root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "ok: 3 personas, 10 playbooks, 10 checklists, 500 terms, 0 FAQs, 0 case studies, "
        "0 statistics, 0 takeaways, 2 frameworks, 1166 controls\n"
    )


_NAME = st.text(alphabet="ab -.K\u212a", min_size=1, max_size=5).filter(str.strip)


@given(st.sets(_NAME.map(str.lower), min_size=1, max_size=8), st.text(alphabet="ab -.KxAB\u212a", max_size=30))
def test_term_trie_matches_like_the_flat_alternation(names: set[str], text: str) -> None:
    flat = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I)
    trie = re.compile(r"\b(" + _alternation(sorted(names)) + r")\b")  # as index_term_usage: over lower-cased text
    assert trie.findall(text.lower()) == [m.lower() for m in flat.findall(text)]


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
        out: list[str] = []
        _strings(entity.model_dump(exclude={"id", "aliases", "changes"}), out)
        return " ".join(out)

    for root in (sample, synth.generate(tmp_path / "kb", 10)):
        entities = [e for items in build_entities(load_tree(root)).by_kind.values() for e in items]
        assert entities
        assert [_entity_text(e) for e in entities] == [dumped(e) for e in entities]


def _plain(data: Any) -> Any:
    if isinstance(data, LineDict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, LineList):
        return [_plain(v) for v in data]
    return data


#: Plain scalars YAML may turn into something other than a string, and look-alikes that stay strings.
SCALARS = ["yes", "No", "true", "FALSE", "off", "On", "y", "~", "null", "Null", "", "12", "-3", "+4", "0x1f", "0o7",
           "1_000", "1.5", "1e3", ".inf", "-.Inf", "2026-11-30", "2026-11-30 10:00:00", "2026-11-30T10:00:00Z",
           "Yes please", "Note", "The end", "'1.0'", '"true"', "!!str 12", "AC-1", "PR.AA-01", "tier 1", "8 hours",
           "Off-site", "n/a", "0", "+", ".", "-1 day"]


def test_the_loaders_shortcuts_resolve_scalars_like_pyyaml(tmp_path: Path) -> None:
    text = "".join(f"k{i}: {value}\n" for i, value in enumerate(SCALARS))
    text += "".join(f"{value}: key {i}\n" for i, value in enumerate(["yes", "No", "~", "12", "1.5", "Note", "AC-1"]))
    text += "list: [" + ", ".join(v for v in SCALARS if v and not v.startswith(("-", "!", "'", '"'))) + "]\n"
    assert _plain(parse_text(text, "x.yaml")) == yaml.safe_load(text)
    for root in (Path(__file__).resolve().parent.parent, synth.generate(tmp_path / "kb", 10)):
        for document in load_tree(root):
            assert _plain(document.data) == yaml.safe_load(document.path.read_text(encoding="utf-8")), document.rel
