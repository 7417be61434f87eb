"""Pages of a built site grouped by kind, found from the site itself (not from a list), so the
checks that run on "one page of every kind" cover new kinds of page as soon as they exist.

A kind is the page's section (first folder) and depth: `personas/` (the index) and
`personas/<id>/` are two kinds, `frameworks/<id>/<control>/` a third of its section.
"""

from __future__ import annotations

from pathlib import Path


def page_kinds(site: Path) -> dict[str, str]:
    """Kind (`personas/*/`) -> the URL path (`personas/ready/`) of its first page, sorted."""
    kinds: dict[str, str] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if path.name != "index.html":
            kinds.setdefault(rel.as_posix(), rel.as_posix())  # 404.html and other single pages
            continue
        parts = rel.parent.parts
        if parts and parts[0] in ("assets", "search"):
            continue
        kind = "/".join([*parts[:1], *("*" for _ in parts[1:])])
        kinds.setdefault(kind + "/" if kind else "", "/".join(parts) + "/" if parts else "")
    return kinds
