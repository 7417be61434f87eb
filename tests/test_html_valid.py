"""The W3C Nu HTML checker over every generated page: no errors in markup we produce.
Errors in Material's own markup are listed, with reasons, in tests/htmlcheck.py."""

from __future__ import annotations

from pathlib import Path

from tests.htmlcheck import html_errors


def test_every_page_of_the_bundled_site_is_valid_html(bundled_site: Path) -> None:
    ours, theirs = html_errors(bundled_site)
    assert [str(e) for e in ours] == []
    # Every page was checked: each carries Material's known search-form errors.
    pages = {p.relative_to(bundled_site).as_posix() for p in bundled_site.rglob("*.html")}
    assert {e.file for e in theirs} == pages


def test_checker_reports_our_own_mistakes(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head><body>\n'
        '<p id="a">one</p>\n<p id="a">two</p>\n<ul><p>not an item</p></ul>\n</body></html>\n'
    )
    ours, theirs = html_errors(tmp_path)
    assert [(e.file, e.line, e.message) for e in ours] == [
        ("index.html", 3, "Duplicate ID 'a'."),
        ("index.html", 4, "Element 'p' not allowed as child of element 'ul' in this context. "
         "(Suppressing further errors from this subtree.)"),
    ]
    assert theirs == []
