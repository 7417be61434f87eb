"""`make check-updates` reports what newer releases change in the rendered site; its comparison
is checked here on small trees (the real run installs packages, so it is not part of the tests)."""

from __future__ import annotations

from pathlib import Path

from tools.check_updates import compare, lifted, report


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


PAGE = '<html><head><meta name="generator" content="{v}"></head><body><nav>{nav}</nav><article><h1>{h}</h1></article></body></html>'


def test_compare_tells_text_from_markup_and_ignores_version_stamps(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked", {
        "a/index.html": PAGE.format(v="mkdocs-1.6.1", nav="x", h="Title"),
        "b/index.html": PAGE.format(v="mkdocs-1.6.1", nav="x", h="Same"),
        "c/index.html": PAGE.format(v="mkdocs-1.6.1", nav="x", h="Same"),
        "search/search_index.json": '{"docs": []}',
        "gone.txt": "old", "sitemap.xml.gz": b"\x1f\x8b1",
    })
    newest = write(tmp_path / "newest", {
        "a/index.html": PAGE.format(v="mkdocs-1.6.2", nav="x", h="Title changed"),
        "b/index.html": PAGE.format(v="mkdocs-1.6.2", nav="y", h="Same"),
        "c/index.html": PAGE.format(v="mkdocs-1.6.2", nav="x", h="Same"),
        "search/search_index.json": '{"docs": [1]}',
        "new.txt": "new", "sitemap.xml.gz": b"\x1f\x8b2",
    })
    result = compare(locked, newest)
    assert (result.text_changed, result.markup_changed, result.other_changed) == (
        ["a/index.html"], ["b/index.html"], ["search/search_index.json"])
    assert (result.added, result.removed) == (["new.txt"], ["gone.txt"])
    text = report(["  markdown: 3.11.3 -> 3.12.0"], result)
    assert ("The rendered site differs: 1 page(s) with other visible text, 1 page(s) with other markup only, "
            "1 other file(s) changed, 1 added, 1 removed.") in text
    assert "+<html><head></head><body><nav>x</nav><article><h1>Title changed</h1></article></body></html>" in text
    assert compare(locked, locked).same
    assert "The rendered site is the same with the newest releases." in report([], compare(locked, locked))


def test_bounds_are_lifted_except_mkdocs_2() -> None:
    assert lifted(["mkdocs>=1.6,<2", "markdown>=3.6,<3.12", "Jinja2>=3.1,<3.2"]) == ["mkdocs<2", "markdown", "jinja2"]
