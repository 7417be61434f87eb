"""Incremental `kb build` (engine/incremental.py): after an edit only the pages whose Markdown
changed are redrawn, and the site is byte for byte the one a clean build makes. Any doubt (a
change every page shows, a cache that is missing, damaged or planted, an output folder altered
since) is a clean build."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.engine import incremental
from tests.conftest import FIXTURES, edit, run_kb, tree_digest


def _build(root: Path, out: Path, *flags: str) -> str:
    result = run_kb("build", "--out", out, *flags, root=root)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _same_as_clean(root: Path, out: Path, tmp: Path) -> None:
    clean = tmp / "clean-site"
    shutil.rmtree(clean, ignore_errors=True)
    _build(root, clean, "--clean")
    ours, theirs = tree_digest(out), tree_digest(clean)
    assert sorted(ours) == sorted(theirs)
    assert [path for path in ours if ours[path] != theirs[path]] == []


def _state(out: Path) -> Path:
    return incremental.cache_home() / "builds" / hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:32] / "state.json"


@pytest.fixture
def built(sample: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "site"
    assert _build(sample, out) == f"built {out}\n"  # the first build into out is clean
    return sample, out


def test_a_text_edit_redraws_only_the_pages_that_show_it(built: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = built
    assert _build(root, out) == f"built {out} (1 of 32 pages redrawn)\n"  # the hand-written page: its macros read everything
    edit(root / "content/playbooks/sort-out-access.yaml", "Know every identity", "Name every identity")
    # The playbook, the index of playbooks, the two personas that list it, and the hand-written page.
    assert _build(root, out) == f"built {out} (5 of 32 pages redrawn)\n"
    assert "Name every identity" in (out / "playbooks/sort-out-access/index.html").read_text(encoding="utf-8")
    assert "Name every identity" in (out / "search/search_index.json").read_text(encoding="utf-8")
    _same_as_clean(root, out, tmp_path)


def test_a_site_setting_or_a_new_page_is_a_clean_build(built: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = built
    edit(root / "content/site.yaml", "description: A small", "description: A tiny")
    assert _build(root, out) == f"built {out}\n"
    _new_term(root)  # a page more: the set of pages changed
    assert _build(root, out) == f"built {out}\n"
    _new(root)  # a FAQ more: on pages that exist already
    assert _build(root, out) == f"built {out} (3 of 33 pages redrawn)\n"
    _same_as_clean(root, out, tmp_path)


@pytest.mark.parametrize("damage", ["not json", '{"version": 1}', ""])
def test_a_damaged_cache_is_a_clean_build(built: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    root, out = built
    _state(out).write_text(damage, encoding="utf-8")
    assert _build(root, out) == f"built {out}\n"
    _same_as_clean(root, out, tmp_path)


def test_a_page_altered_in_the_output_folder_is_drawn_again(built: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = built
    page = out / "playbooks/sort-out-access/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"),
                    encoding="utf-8")
    assert _build(root, out) == f"built {out} (1 of 32 pages redrawn)\n"
    assert "alert(1)" not in page.read_text(encoding="utf-8")
    _same_as_clean(root, out, tmp_path)


def test_the_cache_is_kept_outside_the_knowledge_base(built: tuple[Path, Path]) -> None:
    root, out = built
    assert _state(out).is_file()
    assert not _state(out).is_relative_to(root)


# --- The property: any edits, then an incremental build, equal a clean build -----------------

def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        edit(root / path, old, new)

    change.__qualname__ = f"replace {old!r} in {path}"  # how hypothesis names it in a failure
    return change


def _new(root: Path) -> None:
    (root / "content/faqs/second.yaml").write_text(
        "id: second-question\nquestion: What next?\nanswer: The next playbook.\npersonas: [starter]\n", encoding="utf-8")


def _new_term(root: Path) -> None:
    (root / "content/terms/terms.yaml").write_text(
        (root / "content/terms/terms.yaml").read_text(encoding="utf-8")
        + "- id: api-key\n  term: API key\n  definition: A secret that lets a program act as an account.\n", encoding="utf-8")


def _delete(root: Path) -> None:
    (root / "content/takeaways/first.yaml").unlink()


EDITS: list[Callable[[Path], None]] = [
    _replace("content/playbooks/sort-out-access.yaml", "what it can reach", "what it can reach today"),  # text
    _replace("content/personas/starter.yaml", "are unmanaged", "are not managed"),
    _replace("content/terms/terms.yaml", "without approval", "without any approval"),
    _replace("content/playbooks/sort-out-access.yaml", "title: Sort out access", "title: Sort access out"),  # rename
    _new, _new_term, _delete,
    _replace("frameworks/mini-csf.yaml", "Identities and credentials are managed", "Identities are managed"),
    _replace("content/site.yaml", "organisation: Sample MSP Ltd", "organisation: Sample MSP Limited"),  # a setting
    _replace("content/pages/guide.md", "Start here:", "Begin here:"),  # a hand-written page
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample, built once: the tree, its site and the cache that build left."""
    work = tmp_path_factory.mktemp("incremental")
    root, out = work / "kb", work / "site"
    shutil.copytree(FIXTURES / "sample", root)
    # Section titles whose Markdown is not their text: a page MkDocs does not redraw must still
    # be named as a clean build names it in the pages it does redraw (their sidebar and footer).
    edit(root / "content/site.yaml", "wording:", "sections:\n  playbook: Play*books* & run_books_\n"
         "  persona: Who *they* are\nwording:")
    _build(root, out)
    saved = work / "saved"
    shutil.copytree(root, saved / "kb")
    shutil.copytree(out, saved / "site")
    shutil.copytree(_state(out).parent, saved / "cache")
    return work, saved


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=3, unique=True))
def test_incremental_equals_clean_after_any_edits(pristine: tuple[Path, Path], edits: list[Callable[[Path], None]]) -> None:
    work, saved = pristine
    root, out = work / "kb", work / "site"
    for folder, copy in ((root, saved / "kb"), (out, saved / "site"), (_state(out).parent, saved / "cache")):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(copy, folder)
    for change in edits:
        change(root)
    _build(root, out)
    _same_as_clean(root, out, work)
