"""Escaping of YAML text for the Markdown pages we generate. Text from YAML is data:

- `plain`: shown exactly as written (HTML and Markdown characters are escaped, whitespace folded).
- `markdown`: Markdown is honoured, but raw HTML is shown as text, attribute lists (`{: ...}`)
  are inert, links may only point to http(s), mailto or relative targets (any other link is
  shown as the text it was written as), and images only to files of the site itself (a remote
  image becomes a link to it: the site makes no third-party request).
- `html`: for values inside HTML blocks of templates (no Markdown is processed there).

Where our reading of the text could differ from Python-Markdown's, we choose the reading that
escapes more: only simple one-line code spans are passed through unescaped, because Markdown
escapes their contents itself; anything else that looks like code is escaped like prose.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

# Braces are backslash-escaped, not turned into entities, so headings keep them in the table
# of contents; either way no attribute list can form.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#!+\-.{}])")
# One or two backticks, not escaped or part of a longer run, around one line without backticks.
_CODE_SPAN = re.compile(r"(?<![\\`])(`{1,2})(?!`)([^`\n]+?)(?<!`)\1(?!`)")
# Every link or image target, whatever its text holds (Markdown allows nested brackets and
# line breaks in link text): `](target`, optionally in angle brackets.
_LINK_TARGET = re.compile(r"\]\(\s*(<?)([^)\s>]*)")
# A reference definition anywhere a block can hold one: after any indent, inside a list item
# or quote (`- [r]: x`, `    [r]: x` in an admonition, `> [r]: x`).
_REF_LINK = re.compile(r"^([ \t>*+\-\d.)]*?)(\[([^\]\n]+)\]:\s*)<?(\S+?)>?(?=\s|$)", re.M)
# Images by reference: `![alt][label]`, `![label][]`, `![label]`.
_REF_IMAGE = re.compile(r"!\[([^\]]*)\]\s?\[([^\]]*)\]|!\[([^\]]+)\](?![ ]?[\[(])")
_SAFE_TARGET = re.compile(r"^(?:https?://|mailto:|#|\.{0,2}/|[^:/?#]+(?:[/?#]|$))", re.I)
# An image must come from the site itself: a relative path, no scheme, no `//host`, no `\`.
_SAFE_IMAGE = re.compile(r"^(?![/\\]{2})[^:\\]*$")


def _entities(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
    )


def plain(value: object) -> Markup:
    """Text shown literally inside Markdown: one line, nothing interpreted."""
    return _plain(str(value))


@functools.lru_cache(maxsize=65536)  # control ids and titles recur on many pages
def _plain(value: str) -> Markup:
    text = " ".join(value.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(_MD_SPECIAL.sub(r"\\\1", text))


def _opening(text: str, close: int) -> int:
    """Where the `[` that the `]` at close matches stands (-1 if none)."""
    depth = 0
    for i in range(close - 1, -1, -1):
        if text[i] == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "[" and (i == 0 or text[i - 1] != "\\"):
            if depth == 0:
                return i
            depth -= 1
    return -1


def _targets(text: str) -> str:
    """Disarm link and image targets: an unsafe link is shown as the text it was written as
    (its `]` escaped, so Markdown sees no link), a remote image becomes a link to it."""
    out, last = [], 0
    for match in _LINK_TARGET.finditer(text):
        close, target = match.start(), match.group(2)
        opening = _opening(text, close)
        is_image = opening > 0 and text[opening - 1] == "!"
        if not _SAFE_TARGET.match(target):
            out.append(text[last:close] + "\\")
            last = close
        elif is_image and not _SAFE_IMAGE.match(target):
            out.append(text[last : opening - 1])  # drop the `!`: a link, never fetched
            last = opening
    out.append(text[last:])
    text = "".join(out)
    images = {_label(m.group(2) or m.group(1) or m.group(3) or "") for m in _REF_IMAGE.finditer(text)}

    def definition(m: re.Match[str]) -> str:
        target = m.group(4)
        safe = _SAFE_TARGET.match(target) and (_label(m.group(3)) not in images or _SAFE_IMAGE.match(target))
        return m.group(0) if safe else m.group(1) + "\\" + m.group(2) + target

    return _REF_LINK.sub(definition, text)


def _label(text: str) -> str:
    """A reference label as Markdown matches it: case and runs of whitespace do not count."""
    return " ".join(text.split()).lower()


def markdown(value: object) -> Markup:
    """A Markdown field: Markdown syntax works, HTML and template syntax stay text."""
    text = _targets(str(value).strip())
    out, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_entities(text[last : span.start()]))
        out.append(span.group(0))  # Markdown escapes code span contents itself
        last = span.end()
    out.append(_entities(text[last:]))
    return Markup("".join(out))


def markdown_inline(value: object) -> Markup:
    """A Markdown field shown on one line (a table cell, a list entry); `|` cannot end a cell."""
    return Markup(markdown(" ".join(str(value).split())).replace("|", "\\|"))


def html(value: object) -> Markup:
    """Text inside an HTML element of a template. Braces become entities too, so neither an
    attribute list (where a template lets Markdown into its HTML) nor template code can form."""
    return Markup(str(escape(" ".join(str(value).split()))).replace("{", "&#123;").replace("}", "&#125;"))
