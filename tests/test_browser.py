"""The bundled site in real headless Chromium, as a technician uses it: search, persona pages
that lead to their playbooks, the keyboard alone, no JavaScript errors, and no request to any
host but the site's own (no fonts, scripts or images from CDNs: works air-gapped)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from generator.features import load_knowledge_base
from tests.conftest import REPO, material_search, wait_until
from tests.pagekinds import page_kinds

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shadow AI", "/terms/shadow-ai/"),  # a glossary term
        ("PR.AA-05", "/frameworks/nist-csf-2.0/pr-aa-05/"),  # a control id as NIST prints it
        ("AC-6", "/frameworks/nist-sp-800-53r5/ac-6/"),
        # A checklist item's text, as a technician would paste it from a ticket.
        ("At least 30 days of DNS, proxy or firewall logs available", "/checklists/shadow-ai-discovery/"),
    ],
)
def test_search_finds_the_page(page: Any, bundled_url: str, query: str, expected: str) -> None:
    results = material_search(page, bundled_url, query)
    first_pages = list(dict.fromkeys(results))[:3]
    assert expected in first_pages, results


#: The persona page's list of playbooks (each item: the playbook, then its checklists), loose or
#: tight, in the block that keeps it out of search.
PLAYBOOK_LINKS = ("h2#kb-playbooks ~ .kb-persona-playbooks > ol > li > a:first-child, "
                  "h2#kb-playbooks ~ .kb-persona-playbooks > ol > li > p:first-child > a:first-child")


def test_every_persona_page_links_its_playbooks_in_order(page: Any, bundled_url: str) -> None:
    kb = load_knowledge_base(REPO)
    assert kb.personas
    for persona in kb.personas.values():
        page.goto(f"{bundled_url}personas/{persona.id}/")
        hrefs = page.eval_on_selector_all(PLAYBOOK_LINKS, "links => links.map(a => a.href)")
        assert [urlsplit(h).path for h in hrefs] == [f"/playbooks/{p}/" for p in persona.playbooks], persona.id
    page.click(PLAYBOOK_LINKS)
    page.wait_for_url(f"**/playbooks/{persona.playbooks[0]}/")
    assert page.title().startswith(kb.playbooks[persona.playbooks[0]].title)


def focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, text: document.activeElement.textContent.trim(),"
        " href: document.activeElement.getAttribute('href') || ''})"
    )


def test_keyboard_alone_skips_to_content_navigates_and_searches(page: Any, bundled_url: str) -> None:
    page.goto(bundled_url)
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to content"
    page.keyboard.press("Enter")
    assert urlsplit(page.url).fragment == page.eval_on_selector("article h1", "h => h.id")

    page.goto(bundled_url)
    for _ in range(30):  # Tab through the header and sidebar to the Personas section
        page.keyboard.press("Tab")
        if focused(page)["href"] == "personas/":
            break
    assert focused(page) == {"tag": "A", "text": "Personas", "href": "personas/"}
    page.keyboard.press("Enter")
    page.wait_for_url(f"{bundled_url}personas/")

    page.keyboard.press("/")  # Material's search shortcut
    page.keyboard.type("PR.AA-05")
    # Results update per keystroke; wait until the full query's best match leads.
    wait_until(
        page,
        "document.querySelector('.md-search-result__item > a')?.pathname"
        " === '/frameworks/nist-csf-2.0/pr-aa-05/'"
    )
    page.keyboard.press("ArrowDown")  # into the results
    page.keyboard.press("Enter")
    page.wait_for_url("**/frameworks/nist-csf-2.0/pr-aa-05/**")
    assert page.eval_on_selector("article h1", "h => h.textContent").startswith("PR.AA-05")


@dataclass
class Visit:
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def visit(browser: Any, url: str) -> Visit:
    """Load url in a fresh context, recording every request and every JavaScript error.
    Requests to other hosts are recorded and refused, as on an air-gapped network."""
    seen = Visit(url)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    context = browser.new_context()
    page = context.new_page()

    def route(r: Any) -> None:
        seen.requests.append(r.request.url)
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: seen.errors.append(f"uncaught: {error}"))
    page.on("console", lambda m: seen.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    # Loaded, and Material's search worker has fetched its index (the last request a page makes).
    with page.expect_response(lambda response: response.url.endswith("search/search_index.json")):
        page.goto(url)
    context.close()
    return seen


@pytest.fixture(scope="module")
def visits(browser: Any, bundled_site: Path, bundled_url: str) -> dict[str, Visit]:
    """One page of every kind found in the site (home, each section index, each entity kind)."""
    return {kind: visit(browser, urljoin(bundled_url, path)) for kind, path in page_kinds(bundled_site).items()}


def test_page_kinds_cover_the_site(visits: dict[str, Visit]) -> None:
    assert {"", "personas/*/", "playbooks/*/", "checklists/*/", "terms/*/", "frameworks/*/*/"} <= set(visits)


def test_no_page_logs_a_javascript_error(visits: dict[str, Visit]) -> None:
    assert {kind: v.errors for kind, v in visits.items() if v.errors} == {}


def test_no_page_requests_another_host(visits: dict[str, Visit], bundled_url: str) -> None:
    foreign = {kind: [r for r in v.requests if not r.startswith(bundled_url)] for kind, v in visits.items()}
    assert {kind: reqs for kind, reqs in foreign.items() if reqs} == {}
    # The recording works: every page fetched its own stylesheet.
    assert all(any(r.endswith(".css") for r in v.requests) for v in visits.values())


def test_every_page_carries_a_content_security_policy(bundled_site: Path) -> None:
    """With it, the checks above (no JavaScript error: a refused script logs one) prove that
    Material works under a policy that forbids inline script but its own, by hash."""
    pages = sorted(bundled_site.rglob("*.html"))
    missing = [p.relative_to(bundled_site).as_posix() for p in pages
               if "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'sha256-"
               not in p.read_text(encoding="utf-8")]
    assert (len(pages), missing) == (len(pages), [])
