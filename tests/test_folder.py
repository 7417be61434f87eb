"""A built site opened from a folder (file://), as a technician on a client site opens an unzipped
copy: links open pages (not folder listings), search runs, index filters work; the published
directory URLs, which tickets link to, are unchanged; over http nothing of this runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_links_open_pages_not_folder_listings(page: Any, bundled_site: Path) -> None:
    home = (bundled_site / "index.html").as_uri()
    html = (bundled_site / "index.html").read_text(encoding="utf-8")
    assert 'href="personas/ready/"' in html and "personas/ready/index.html" not in html  # URLs as published
    page.goto(home)
    page.click("article a[href='personas/ready/']")
    page.wait_for_url("**/personas/ready/index.html")
    assert page.title().startswith("Ready - ")
    page.click(".md-nav--primary a[href='../../playbooks/']")  # the sidebar, two levels up
    page.wait_for_url("**/playbooks/index.html")
    page.click("article table a >> nth=0")
    page.wait_for_url("**/playbooks/*/index.html")
    page.click(".md-footer__link--next")  # Previous/Next too
    page.wait_for_url("**/index.html")
    page.click(".md-header__button.md-logo")  # and home
    assert page.url == home


def test_search_runs_from_a_folder(page: Any, bundled_site: Path) -> None:
    assert (bundled_site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = {")
    page.goto((bundled_site / "index.html").as_uri() + "?q=" + quote("AC-6"))
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    first = page.eval_on_selector(".md-search-result__item > a", "a => a.href")
    assert first.startswith((bundled_site / "frameworks/nist-sp-800-53r5/ac-6").as_uri() + "/?h=")
    page.click(".md-search-result__item > a >> nth=0")
    page.wait_for_url("**/frameworks/nist-sp-800-53r5/ac-6/index.html?h=*")
    assert page.title().startswith("AC-6: Least Privilege")


def test_index_filters_work_from_a_folder(page: Any, bundled_site: Path) -> None:
    page.goto((bundled_site / "controls" / "index.html").as_uri() + "?framework=nist-sp-800-207")
    visible = page.eval_on_selector_all("table tbody tr", "rows => rows.filter(r => !r.hidden).length")
    assert 0 < visible < page.eval_on_selector_all("table tbody tr", "rows => rows.length")
    assert page.inner_text(".kb-filter-count").endswith(" shown")


def test_over_http_the_browser_keeps_its_own_worker(page: Any, bundled_url: str) -> None:
    page.goto(bundled_url)
    assert page.evaluate("Worker.toString().includes('[native code]')")
    assert page.get_attribute("article a[href='personas/ready/']", "href") == "personas/ready/"
