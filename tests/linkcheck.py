"""A link crawler over a built site folder (a test tool, no server needed).

Every `href` and `src` of every HTML page is resolved against the page's own URL, the way a
browser would. A link that stays inside the site must name a file that exists (a folder URL
means its `index.html`), and a `#fragment` must be an `id` (or `name`) in the page it points
at. Links to other hosts are not followed: they are checked elsewhere (no third-party requests)
and cannot be checked offline anyway.

Run it by hand with `python -m tests.linkcheck site/`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

#: Attributes that point at another resource, per element.
LINK_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src",
                   "iframe": "src", "source": "src", "form": "action"}
#: A made-up origin the pages are placed under, so relative URLs resolve as in a browser.
ORIGIN = "http://site.invalid"


class _Page(HTMLParser):
    """The links (with their lines) and the ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name] or "")
        wanted = LINK_ATTRIBUTES.get(tag)
        if wanted and values.get(wanted) is not None:
            self.links.append((self.getpos()[0], values[wanted] or ""))


@dataclass(frozen=True)
class BrokenLink:
    page: str
    line: int
    href: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.href} ({self.reason})"


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _url_of(rel: str) -> str:
    """The URL a file is served at: `a/index.html` is `/a/`."""
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _file_for(site: Path, path: str) -> Path | None:
    """The file a site path names (folder URLs mean their index.html), or None."""
    rel = PurePosixPath(unquote(path).lstrip("/"))
    if ".." in rel.parts:
        return None
    target = site / rel
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def broken_links(site: Path, base_url: str | None = None) -> list[BrokenLink]:
    """Every internal link or anchor of every page in site that leads nowhere.

    base_url, when given, is the site's own public address: absolute links to it (canonical
    links, the 404 page) are checked as internal links.
    """
    site = site.resolve()
    parsed = cache(_parse)
    broken: list[BrokenLink] = []
    base = urlsplit(base_url) if base_url else None
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        here = ORIGIN + _url_of(rel)
        for line, href in parsed(path).links:
            url = urlsplit(urljoin(here, href.strip()))
            if url.scheme in ("mailto", "tel"):
                continue
            if base and (url.scheme, url.netloc) == (base.scheme, base.netloc):
                if not url.path.startswith(base.path):
                    broken.append(BrokenLink(rel, line, href, "outside the site's base URL"))
                    continue
                url = urlsplit(ORIGIN + "/" + url.path[len(base.path):] + ("#" + url.fragment if url.fragment else ""))
            if f"{url.scheme}://{url.netloc}" != ORIGIN:
                continue  # another host: not ours to check here
            target = _file_for(site, url.path)
            if target is None:
                broken.append(BrokenLink(rel, line, href, "no such file"))
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parsed(target).ids:
                broken.append(BrokenLink(rel, line, href, f"no id '{unquote(url.fragment)}' in that page"))
    return broken


if __name__ == "__main__":  # pragma: no cover - a convenience for people
    problems = broken_links(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)
