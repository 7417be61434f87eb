"""Escaping of YAML text for the Markdown pages we generate. Text from YAML is data:

- `plain`: shown exactly as written (HTML and Markdown characters are escaped, whitespace folded).
- `markdown`: Markdown is honoured, but raw HTML is shown as text, attribute lists (`{: ...}`)
  are inert, and links or images may only point to http(s), mailto or relative targets.
- `html`: for values inside HTML blocks of templates (no Markdown is processed there).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#!+\-.])")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_INLINE_LINK = re.compile(r"(!?\[[^\]\n]*\]\()\s*<?([^)\s>]*)>?((?:\s+\"[^\"\n]*\")?\))")
_REF_LINK = re.compile(r"^(\s{0,3}\[[^\]\n]+\]:\s*)<?(\S+?)>?(\s|$)", re.M)
_SAFE_TARGET = re.compile(r"^(?:https?://|mailto:|#|\.{0,2}/|[^:/?#]+(?:[/?#]|$))", re.I)


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
    text = " ".join(str(value).split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", _entities(text)))


def safe_target(target: str) -> str:
    return target if _SAFE_TARGET.match(target) else "#unsafe-link-removed"


def markdown(value: object) -> Markup:
    """A Markdown field: Markdown syntax works, HTML and template syntax stay text."""
    text = str(value).strip()
    out, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_sanitise(text[last : span.start()]))
        out.append(span.group(0))  # Markdown escapes code span contents itself
        last = span.end()
    out.append(_sanitise(text[last:]))
    return Markup("".join(out))


def _sanitise(text: str) -> str:
    text = _entities(text)
    text = _INLINE_LINK.sub(lambda m: m.group(1) + safe_target(m.group(2)) + m.group(3), text)
    return _REF_LINK.sub(lambda m: m.group(1) + safe_target(m.group(2)) + m.group(3), text)


def markdown_inline(value: object) -> Markup:
    """A Markdown field shown on one line (a table cell, a list entry); `|` cannot end a cell."""
    return Markup(markdown(" ".join(str(value).split())).replace("|", "\\|"))


def html(value: object) -> Markup:
    """Text inside an HTML element of a template."""
    return escape(" ".join(str(value).split()))
