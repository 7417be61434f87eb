"""Where each entity lives in the site. URLs are built from ids, never from titles,
so a link pasted into a ticket keeps working when a title changes.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata

from generator.core.kinds import BY_NAME

FRAMEWORKS = "frameworks"


@functools.lru_cache(maxsize=16384)  # every control page links its ancestors, children and peers
def control_slug(control_id: str) -> str:
    """`PR.AA-01` -> `pr-aa-01`, `AC-6(7)` -> `ac-6-7`."""
    return re.sub(r"[^a-z0-9]+", "-", control_id.lower()).strip("-")


def slugify(text: str) -> str:
    """A slug for text, letters transliterated: `Rücksicherung GmbH` -> `rucksicherung-gmbh`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def doc_path(kind: str, entity_id: str) -> str:
    """The Markdown source path (relative to the docs dir) of an entity's page, with anchor."""
    if kind == "framework":
        return f"{FRAMEWORKS}/{entity_id}/index.md"
    spec = BY_NAME[kind]
    if spec.page_template is None:  # its entities are anchors on the section's page
        return f"{spec.url_folder}/index.md#{entity_id}"
    return f"{spec.url_folder}/{entity_id}.md"


def index_path(kind: str) -> str:
    """The docs path of a kind's section index page."""
    return f"{BY_NAME[kind].url_folder}/index.md"


def control_doc_path(framework_id: str, control_id: str) -> str:
    return f"{FRAMEWORKS}/{framework_id}/{control_slug(control_id)}.md"


def url_of(md_path: str) -> str:
    """Site URL path (no leading slash) of a docs path, as MkDocs writes it with directory URLs."""
    path, _, anchor = md_path.partition("#")
    if path.endswith("index.md"):
        url = path[: -len("index.md")]
    else:
        url = path[: -len(".md")] + "/"
    return url + (f"#{anchor}" if anchor else "")


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for the plain relative paths of the docs tree, without its abspath
    and getcwd calls (a third of the render time at 1,000 playbooks); anything unusual goes
    to posixpath.relpath itself."""
    parts = path.split("/")
    base = [] if start == "." else start.split("/")
    if "" in parts or "." in parts or ".." in parts or "" in base or "." in base or ".." in base:
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(parts), len(base)) and parts[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + parts[common:]) or "."


def relative(target_md: str, from_md: str) -> str:
    """A Markdown link from one docs page to another, which MkDocs checks and rewrites."""
    path, _, anchor = target_md.partition("#")
    if path == from_md:
        return f"#{anchor}" if anchor else posixpath.basename(path)
    rel = _relpath(path, posixpath.dirname(from_md) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def relative_url(target_md: str, from_md: str) -> str:
    """A link for raw HTML, which MkDocs does not rewrite: from one page's URL to another's."""
    target = url_of(target_md)
    path, _, anchor = target.partition("#")
    here = url_of(from_md)
    rel = _relpath(path.rstrip("/") or ".", here.rstrip("/") or ".")  # page URLs end in "/"
    rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")
