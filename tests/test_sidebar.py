"""A bounded sidebar: a section with more entries than site.yaml `sidebar_limit` is its index
page alone in the nav, so a page's size does not grow with its section; the index page (and
its filter) still reaches every entry."""

from __future__ import annotations

from pathlib import Path

from benchmarks import synth
from generator.core.pipeline import render_tree
from generator.features import FEATURES
from tests.conftest import edit, run_kb


def _section(nav: list, title: str) -> object:
    return next(entry[title] for entry in nav if isinstance(entry, dict) and title in entry)


def test_a_section_over_the_limit_is_its_index_page_alone(tmp_path: Path) -> None:
    root = synth.generate(tmp_path / "kb", 6)
    edit(root / "content/site.yaml", "title:", "sidebar_limit: 5\ntitle:")
    nav = render_tree(root, FEATURES).nav
    assert _section(nav, "Playbooks") == "playbooks/index.md"
    assert _section(nav, "Personas") == ["personas/index.md", *[  # three: within the limit
        {p.replace("-", " ").capitalize(): f"personas/{p}.md"} for p in synth.PERSONAS]]
    edit(root / "content/site.yaml", "sidebar_limit: 5", "sidebar_limit: 6")
    nav = render_tree(root, FEATURES).nav
    index, *entries = _section(nav, "Playbooks")  # six: within the limit (in the personas' order)
    assert index == "playbooks/index.md"
    assert sorted(entries, key=str) == sorted(
        ({synth.playbook_title(n): f"playbooks/{synth.playbook_id(n)}.md"} for n in range(1, 7)), key=str)


def test_built_pages_of_a_bounded_section_still_reach_every_entry(sample: Path, tmp_path: Path) -> None:
    edit(sample / "content/site.yaml", "title:", "sidebar_limit: 1\ntitle:")
    result = run_kb("build", "--out", tmp_path / "site", root=sample)
    assert result.exit_code == 0, result.stderr
    starter = (tmp_path / "site/personas/starter/index.html").read_text(encoding="utf-8")
    sidebar = starter.split('class="md-sidebar md-sidebar--primary"', 1)[1].split("</nav>", 1)[0]
    assert "personas/advanced/" not in sidebar  # two personas > 1: the section is its index alone
    assert 'href="../"' in sidebar  # the section's index page
    index = (tmp_path / "site/personas/index.html").read_text(encoding="utf-8")
    assert 'href="advanced/"' in index and 'href="starter/"' in index
