"""No broken internal link or anchor: MkDocs strict mode refuses them in pages it knows, and a
crawl of every href and #anchor in the built HTML (tests/linkcheck.py) catches the rest
(theme markup, links written inside HTML blocks of templates, the 404 page)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, edit, run_kb
from tests.linkcheck import broken_links


def base_url(root: Path) -> str:
    for line in (root / "content/site.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("base_url:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no base_url in site.yaml")


def test_bundled_site_has_no_broken_link_or_anchor(bundled_site: Path) -> None:
    assert [str(b) for b in broken_links(bundled_site, base_url(REPO))] == []


def test_crawler_resolves_relative_urls_and_reports_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a/b").mkdir(parents=True)
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a>\n<a href="a/b/#here">ok</a>\n<a href="a/c/">gone</a>\n'
        '<a href="#top">no such id</a>\n<a href="https://elsewhere.example/">other host</a>\n'
        '<a href="mailto:x@example.com">mail</a>\n<a href="https://kb.example/a/#there">own base url</a>\n'
        '<img src="a/logo.png" alt="">\n'
    )
    (tmp_path / "a/index.html").write_text('<p id="there"><a href="../a/b/">up and down</a><a href="b/#nope">x</a></p>')
    (tmp_path / "a/b/index.html").write_text('<h2 id="here">Here</h2><a href="../../../outside/">escapes</a>')
    assert [str(b) for b in broken_links(tmp_path, "https://kb.example/")] == [
        "a/b/index.html:1: ../../../outside/ (no such file)",
        "a/index.html:1: b/#nope (no id 'nope' in that page)",
        "index.html:3: a/c/ (no such file)",
        "index.html:4: #top (no id 'top' in that page)",
        "index.html:8: a/logo.png (no such file)",
    ]


def test_broken_anchor_in_a_page_fails_the_strict_build(sample: Path) -> None:
    edit(sample / "content/pages/guide.md", "Start here:", "Start with [the signals](../personas/starter.md#no-such-heading):")
    result = run_kb("build", root=sample)
    assert result.exit_code == 1
    assert "contains a link '../personas/starter.md#no-such-heading', but" in result.stderr
    assert "but the doc 'personas/starter.md' does not contain an anchor '#no-such-heading'" in result.stderr
    assert not (sample / "site").exists()
