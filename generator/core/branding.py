"""White-label branding: the MSP's name, logo, favicon, colours, contact details and footer
come from content/site.yaml (`branding`, `contact`), never from a template.

Logo and favicon are paths relative to content/ (e.g. `branding/logo.svg`); they are copied
to assets/brand/. Colours become Material's own palette variables in assets/brand/brand.css,
with header text black or white, whichever reads better on the primary colour.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import jinja2

from generator.core.errors import Problem

if TYPE_CHECKING:
    from generator.core.link import KnowledgeBase
from generator.core.model import Branding, Site
from generator.core.resources import TEMPLATES

IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg", ".webp", ".ico", ".gif")
FOLDER = "assets/brand"
CSS = f"{FOLDER}/brand.css"
TEMPLATE = TEMPLATES / "brand"


def _image(kb: KnowledgeBase, field: str) -> Path | None:
    value = getattr(kb.site.branding, field)
    return kb.root / "content" / value if value else None


def branding_problems(site: Site, root: Path) -> list[Problem]:
    """A logo or favicon that is missing, outside content/ or not an image."""
    found: list[Problem] = []
    branding = site.branding
    for field in ("logo", "favicon"):
        value = getattr(branding, field)
        if not value:
            continue
        path, line = branding.where_field(field)
        content = (root / "content").resolve()
        target = (content / value).resolve()
        if PurePosixPath(value).suffix.lower() not in IMAGE_SUFFIXES:
            found.append(Problem(path, line, f"branding.{field}: '{value}' is not an image (expected one of: {', '.join(IMAGE_SUFFIXES)})"))
        elif not target.is_relative_to(content) or not target.is_file():
            found.append(Problem(path, line, f"branding.{field}: file 'content/{value}' not found (paths are relative to content/)"))
    return found


def asset_path(kb: KnowledgeBase, field: str) -> str | None:
    """Where the logo or favicon lands in the docs folder."""
    value = getattr(kb.site.branding, field)
    return f"{FOLDER}/{field}{PurePosixPath(value).suffix.lower()}" if value else None


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def text_on(color: str) -> str:
    """White or near-black text, whichever contrasts more with the colour."""
    lum = _luminance(color)
    return "#ffffff" if (1.05 / (lum + 0.05)) >= ((lum + 0.05) / (_luminance("#1a1a1a") + 0.05)) else "#1a1a1a"


def _shade(color: str, factor: float) -> str:
    """Lighter (factor > 1) or darker (factor < 1) variant of a #rrggbb colour."""
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    if factor >= 1:
        rgb = [round(c + (255 - c) * (factor - 1)) for c in rgb]
    else:
        rgb = [round(c * factor) for c in rgb]
    return "#" + "".join(f"{min(255, max(0, c)):02x}" for c in rgb)


#: The background of Material's dark ("slate") scheme: hsl(225, 15%, 14%).
DARK_BACKGROUND = "#1e2129"


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_on(color: str, background: str, ratio: float = 5.5) -> str:
    """The colour, lightened just enough to read as text on a dark background: WCAG AA (4.5:1)
    with a margin that holds on the scheme's raised surfaces too (code, table headers), so brand
    links keep the brand's hue in the dark palette."""
    for step in range(0, 101):
        candidate = _shade(color, 1 + step / 100)
        if contrast(candidate, background) >= ratio:
            return candidate
    return "#ffffff"


def stylesheet(branding: Branding) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE), autoescape=False, keep_trailing_newline=True)
    primary, accent = branding.primary_color.lower(), branding.accent_color.lower()
    return env.get_template("brand.css.j2").render(
        primary=primary,
        primary_light=_shade(primary, 1.25),
        primary_dark=_shade(primary, 0.8),
        on_primary=text_on(primary),
        accent=accent,
        on_accent=text_on(accent),
        link_on_dark=readable_on(primary, DARK_BACKGROUND),
        accent_on_dark=readable_on(accent, DARK_BACKGROUND),
    )


def files(kb: KnowledgeBase) -> dict[str, str | bytes]:
    """brand.css and the logo and favicon, keyed by their path in the docs folder."""
    out: dict[str, str | bytes] = {CSS: stylesheet(kb.site.branding)}
    for field in ("logo", "favicon"):
        source, target = _image(kb, field), asset_path(kb, field)
        if source is not None and target is not None:
            out[target] = source.read_bytes()
    return out
