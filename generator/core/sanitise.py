"""Defence in depth for the built site: every HTML page is checked after the build, whatever
Markdown, a theme or a macro made of the content.

Escaping at the source (markup.py, the Url type, templates) is the first line. This is the
second: in every page
- no event-handler attribute (`on...`) and no URL with a scheme other than http, https, mailto
  or tel in an attribute that holds a URL (so no `javascript:`, `vbscript:` or `data:`);
- nothing that makes the browser fetch from another host: an image, media, frame, object,
  script or stylesheet whose address names a host is dropped (links to other sites stay: they
  are not fetched until followed), and so is `ping`;
- inside the page's content (Material's `<article>`), no inline `<script>` (JSON data islands
  and the site's own script files excepted), `<iframe>`, `<object>`, `<embed>`, `<base>`,
  `<meta>`, `<style>`, or `<link>` to anything but the site's own files;
- with `csp`, a Content-Security-Policy meta that allows scripts from the site itself and, by
  their SHA-256 hash, the inline scripts the theme writes outside the content (no
  `'unsafe-inline'`, so no event handler or `javascript:` URL could run even if one got here).

Tags are found with the standard library's HTML parser; only the tags that break a rule are
rewritten, so a page with nothing to remove keeps every byte. Standard library only: the core.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

#: Attributes whose value is a URL (or, for srcset, a list of them).
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
                            "cite", "xlink:href", "longdesc", "lowsrc", "dynsrc", "manifest", "codebase", "usemap"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: (tag, attribute) pairs the browser fetches on its own when the page loads.
FETCHED = frozenset({("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("video", "src"),
                     ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"), ("frame", "src"),
                     ("embed", "src"), ("object", "data"), ("script", "src"), ("input", "src"), ("image", "href"),
                     ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"), ("body", "background"),
                     ("table", "background"), ("td", "background")})
#: `<link rel=...>` kinds the browser does not fetch.
UNFETCHED_LINKS = frozenset({"canonical", "alternate", "prev", "next", "author", "license", "help", "bookmark"})
#: Elements content has no business writing; script and style go with what they hold.
BANNED_IN_CONTENT = frozenset({"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                               "base", "meta", "link"})
#: Set in the MkDocs config of builds that get the Content-Security-Policy (not previews).
CSP_KEY = "kb_csp"
DATA_SCRIPTS = frozenset({"application/json", "application/ld+json"})
POLICY = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
          "frame-src 'self'; base-uri 'self'; form-action 'self'")
_NEEDS_SOURCE = frozenset({"img", "source", "track", "input"})
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")


def unsafe_url(value: str) -> bool:
    """A URL whose scheme is not in SAFE_SCHEMES, read as a browser reads it (control
    characters and whitespace ignored, any case)."""
    if ":" not in value:  # no scheme (the common relative link), however the browser reads it
        return False
    scheme = _SCHEME.match(_INVISIBLE.sub("", value).lower())
    return scheme is not None and scheme.group(1) not in SAFE_SCHEMES


def foreign_url(value: str) -> bool:
    """A URL that names a host (absolute or `//host`), so fetching it leaves the site."""
    if "/" not in value and "\\" not in value:  # no "//" however the browser reads it
        return False
    text = _INVISIBLE.sub("", value).replace("\\", "/")
    return text.startswith("//") or bool(urlsplit(text).netloc)


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]


@dataclass
class Report:
    """What was removed from one page (empty for a clean page)."""

    removed: list[str] = field(default_factory=list)


class _Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.base = 0  # where the parser's buffer starts in text
        self.position = 0  # where the token being handled starts in the buffer
        self.edits: list[tuple[int, int, str]] = []
        self.removed: list[str] = []
        self.inline_scripts: list[str] = []
        self.article = 0  # depth of <article> elements: the page's content
        self.cut: tuple[str, int] | None = None  # a banned raw-text element being removed
        self.script: tuple[int, bool] | None = None  # an inline script: where its text starts, executable?
        self.head_end: int | None = None
        self.charset_end: int | None = None

    def updatepos(self, i: int, j: int) -> int:
        """The parser reports each token's start here (before its handler runs). Kept as an
        offset instead of the line and column the base class counts newlines for: the hot
        path of every build. (getpos() is not used.)"""
        self.position = j
        return j

    def close(self) -> None:
        self.base += len(self.text) - len(self.rawdata)  # feed() consumed the text up to its buffer
        super().close()

    def _at(self) -> int:
        return self.base + self.position

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, closed=True)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        # The hot path of every build (a million tags at 1,000 playbooks): one dict of the
        # attributes, and URLs looked at closely only when they could break a rule.
        start = self.base + self.position
        raw = self.get_starttag_text() or ""
        end = start + len(raw)
        named = dict(attrs)
        if tag == "article":
            self.article += 1
        # The policy goes right after <meta charset> (which must stay in the first 1024 bytes),
        # before any script.
        if tag == "meta" and self.charset_end is None and "charset" in named:
            self.charset_end = end
        if tag == "head" and self.head_end is None:
            self.head_end = end
        kind = (named.get("type") or "").strip().lower()
        if self.article and tag in BANNED_IN_CONTENT and not self._allowed_in_content(tag, kind, named):
            self.removed.append(f"<{tag}> in the content")
            if tag in ("script", "style") and not closed:
                self.cut = (tag, start)
            else:
                self.edits.append((start, end, ""))
            return
        kept: list[tuple[str, str | None]] = []
        rel = {r.lower() for r in (named.get("rel") or "").split()} if tag == "link" else set()
        for name, value in attrs:
            if name.startswith("on") or name == "ping":
                self.removed.append(f"{tag} {name}")
                continue
            if value is not None and name in URL_ATTRIBUTES:
                urls = _srcset_urls(value) if name == "srcset" else [value]
                fetched = (tag, name) in FETCHED or (tag == "link" and name == "href" and not rel <= UNFETCHED_LINKS)
                if any(unsafe_url(u) for u in urls) or (fetched and any(foreign_url(u) for u in urls)):
                    self.removed.append(f"{tag} {name}={value[:60]!r}")
                    continue
            kept.append((name, value))
        if len(kept) != len(attrs):
            sources = [name for name, _ in attrs if name in ("src", "srcset")]
            if tag in _NEEDS_SOURCE and sources and not any(name in sources for name, _ in kept):
                self.edits.append((start, end, ""))  # an image without an address is no image
                return
            written = "".join(f" {n}" if v is None else f' {n}="{html.escape(v, quote=True)}"' for n, v in kept)
            self.edits.append((start, end, f"<{tag}{written}{' /' if closed else ''}>"))
        if tag == "script" and not closed and not self.cut:
            self.script = (end, kind in ("", "text/javascript", "module", "application/javascript"))

    @staticmethod
    def _allowed_in_content(tag: str, kind: str, attrs: dict[str, str | None]) -> bool:
        """A data island, or a script or stylesheet of the site itself (the templates'
        assessment page loads its own); never inline code."""
        href, src = attrs.get("href") or "", attrs.get("src") or ""
        if tag == "script":
            return kind in DATA_SCRIPTS or (bool(src) and not foreign_url(src) and not unsafe_url(src))
        if tag == "link":
            return bool(href) and not foreign_url(href) and not unsafe_url(href)
        return False

    def handle_endtag(self, tag: str) -> None:
        start = self._at()
        end = self.text.find(">", start) + 1 or len(self.text)
        if self.cut is not None and tag == self.cut[0]:
            self.edits.append((self.cut[1], end, ""))
            self.cut = None
        elif self.article and tag in BANNED_IN_CONTENT and tag not in ("script", "style"):
            self.edits.append((start, end, ""))
        elif tag == "script" and self.script is not None:
            text_start, executable = self.script
            if executable and start > text_start:
                self.inline_scripts.append(self.text[text_start:start])
            self.script = None
        if tag == "article" and self.article:
            self.article -= 1


def clean(page: str, csp: bool = False) -> tuple[str, Report]:
    """The page with every rule applied, and what was removed."""
    parser = _Page(page)
    parser.feed(page)
    parser.close()
    edits = list(parser.edits)
    where = parser.charset_end if parser.charset_end is not None else parser.head_end
    if csp and where is not None:
        hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                         for s in dict.fromkeys(parser.inline_scripts))
        policy = POLICY.format(hashes=hashes)
        edits.append((where, where, f'<meta http-equiv="Content-Security-Policy" content="{policy}">'))
    out, last = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < last:  # inside something already removed
            continue
        out.append(page[last:start] + replacement)
        last = end
    out.append(page[last:])
    return "".join(out), Report(parser.removed)


def site(folder: Path, csp: bool = False, skip: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Clean every HTML page of a built site in place (but those in skip, paths in folder: pages
    cleaned already); what was removed, by page."""
    removed: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*.html")):
        if skip and path.relative_to(folder).as_posix() in skip:
            continue
        text = path.read_text(encoding="utf-8")
        cleaned, report = clean(text, csp)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")
        if report.removed:
            removed[path.relative_to(folder).as_posix()] = report.removed
    return removed

