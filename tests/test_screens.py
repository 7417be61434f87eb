"""Screens a technician meets: every page kind at 390 px (a phone) without sideways scrolling,
a ruled sign-off table, light and dark palettes that follow the system with a toggle, and a
printed checklist with no internal field and no stray separator."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from pypdf import PdfReader

from tests.pagekinds import page_kinds

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
#: A ticket context with long unbroken values, as a PSA may paste them.
LONG_CONTEXT = "?ticket=T-" + "9" * 40 + "&client=" + "Acme" * 15 + "&tech=" + "J" * 50


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def too_wide(page: Any) -> int:
    """How far the document is wider than the viewport (0 when nothing scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_no_page_kind_scrolls_sideways_at_390_px(phone: Any, bundled_site: Path, bundled_url: str) -> None:
    kinds = page_kinds(bundled_site)
    assert {"checklists/*/", "personas/*/*/", "coverage/", "frameworks/*/*/"} <= set(kinds)
    widths = {}
    for kind, path in kinds.items():
        phone.goto(urljoin(bundled_url, path))
        assert phone.evaluate("window.innerWidth") == 390
        widths[kind] = too_wide(phone)
    assert {kind: px for kind, px in widths.items() if px} == {}


def test_a_checklist_with_long_ticket_values_fits_390_px(phone: Any, bundled_site: Path, bundled_url: str) -> None:
    checklist = page_kinds(bundled_site)["checklists/*/"]
    phone.goto(urljoin(bundled_url, checklist) + LONG_CONTEXT)
    assert phone.inner_text(".kb-sign-off-context td[data-kb-context=client]") == "Acme" * 15
    assert too_wide(phone) == 0


def test_the_check_can_fail(phone: Any, bundled_url: str) -> None:
    phone.goto(bundled_url)
    phone.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend', '<div style=\"width:600px\">x</div>')")
    assert too_wide(phone) > 0


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_sign_off_table_is_ruled_on_screen(page: Any, bundled_site: Path, bundled_url: str) -> None:
    page.goto(urljoin(bundled_url, page_kinds(bundled_site)["checklists/*/"]))
    borders = page.eval_on_selector_all(
        ".kb-sign-off td, .kb-sign-off th, .kb-sign-off-context td, .kb-sign-off-context th",
        "cells => [...new Set(cells.map(c => { const s = getComputedStyle(c);"
        " return [s.borderTopStyle, s.borderTopWidth, s.borderLeftStyle, s.borderLeftWidth].join(' '); }))]")
    assert borders == ["solid 1px solid 1px"]


@pytest.mark.parametrize(("system", "scheme", "other"), [("light", "default", "slate"), ("dark", "slate", "default")])
def test_palette_follows_the_system_and_the_toggle_remembers(browser: Any, bundled_url: str, system: str, scheme: str,
                                                             other: str) -> None:
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    try:
        page.goto(bundled_url)
        assert page.get_attribute("body", "data-md-color-scheme") == scheme
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        assert header == "rgb(31, 78, 121)"  # the brand's primary colour, in both palettes
        toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
        assert toggle.get_attribute("title") == ("Switch to dark mode" if system == "light" else "Switch to light mode")
        toggle.click()
        assert page.get_attribute("body", "data-md-color-scheme") == other
        page.goto(bundled_url + "playbooks/")  # the choice is kept across pages
        assert page.get_attribute("body", "data-md-color-scheme") == other
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor") == header
    finally:
        context.close()


def test_printed_checklist_shows_no_owner_and_no_stray_separator(page: Any, bundled_url: str) -> None:
    # This checklist has an owner and change notes, so its screen lines end with links.
    page.goto(bundled_url + "checklists/ai-acceptable-use-policy/")
    assert page.inner_text(".kb-review").startswith("Last reviewed 2026-11-30 by ")
    assert page.inner_text(".kb-checklist-meta").endswith(" · what changed")
    page.emulate_media(media="print")
    assert page.inner_text(".kb-checklist-meta") == "Version 1.0 · revised 2026-11-30 · id ai-acceptable-use-policy"
    assert page.inner_text(".kb-review") == "Last reviewed 2026-11-30"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    assert "Version 1.0 · revised 2026-11-30 · id ai-acceptable-use-policy\n" in text
    assert "Last reviewed 2026-11-30\n" in text
    assert "Security practice lead" not in text  # the checklist's owner
