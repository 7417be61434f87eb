"""axe-core (bundled by axe-playwright-python, runs offline) on one page of every kind found in
the built site, and on a checklist as printed: no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.pagekinds import page_kinds

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


def violations(page: Any) -> list[str]:
    results = Axe().run(page, options=WCAG_21_AA)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
        for node in v["nodes"]
    ]


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("system", "scheme"), [("light", "default"), ("dark", "slate")])
def test_one_page_of_every_kind_has_no_serious_violation(browser: Any, bundled_site: Path, bundled_url: str,
                                                         system: str, scheme: str) -> None:
    """In both palettes: the site follows the system's light or dark setting."""
    context = browser.new_context(color_scheme=system)
    page = context.new_page()
    found = {}
    try:
        for kind, path in page_kinds(bundled_site).items():
            page.goto(urljoin(bundled_url, path))
            assert page.get_attribute("body", "data-md-color-scheme") == scheme, kind
            found[kind] = violations(page)
    finally:
        context.close()
    assert {kind: v for kind, v in found.items() if v} == {}


def test_printed_checklist_has_no_serious_violation(page: Any, bundled_site: Path, bundled_url: str) -> None:
    checklist = page_kinds(bundled_site)["checklists/*/"]
    page.emulate_media(media="print")
    page.goto(urljoin(bundled_url, checklist))
    assert page.evaluate("matchMedia('print').matches")
    assert violations(page) == []


def test_axe_reports_what_it_should(page: Any) -> None:
    """The check can fail: an unlabelled checkbox and grey-on-white text are caught."""
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><input type="checkbox">'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    assert [v.split(" ")[0] for v in violations(page)] == ["color-contrast", "label"]
