"""The bundled knowledge base built by each engine: MkDocs 1.6 (the default, `bundled_site`),
ProperDocs and Zensical (each from its own venv, made by `make engines`), compared.

ProperDocs must give the MkDocs site byte for byte, apart from the generator tag. Zensical must
give the same pages, each showing the same title and the same text; its checklists must print
on as many pages; and its search must find the same page first (or, where the two engines'
rankings differ, both within their first three: see README, 'Choosing the engine')."""

from __future__ import annotations

import html
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from pypdf import PdfReader

from generator.core import catalogue
from generator.core.errors import BuildFailed
from generator.engine import engines
from generator.features import load_knowledge_base
from tests.conftest import NOTICE, REPO, edit, material_search, run_kb, serve, tree_digest
from tools.check_updates import GENERATOR_TAG, visible_text

OTHERS = ("properdocs", "zensical")


def require(name: str) -> None:
    """The engines' venvs are part of `make test`: a missing one is a failure, not a skip."""
    try:
        engines.executable(engines.ENGINES[name], REPO)
    except BuildFailed as error:
        pytest.fail(f"{error} (make test creates it)")


@pytest.fixture(scope="module")
def sites(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {"mkdocs": bundled_site}
    for name in OTHERS:
        require(name)
        out = tmp_path_factory.mktemp(name) / "site"
        result = run_kb("build", "--engine", name, "--out", out, root=REPO)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"built {out}\n"
        built[name] = out
    return built


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def pages(site: Path) -> set[str]:
    return {rel for rel in files(site) if rel.endswith(".html")}


def test_properdocs_builds_the_mkdocs_site_byte_for_byte(sites: dict[str, Path]) -> None:
    ours, theirs = sites["mkdocs"], sites["properdocs"]
    assert files(theirs) == files(ours)
    different = []
    for rel in sorted(files(ours)):
        a, b = (ours / rel).read_bytes(), (theirs / rel).read_bytes()
        if rel.endswith(".html"):
            a, b = GENERATOR_TAG.sub("", a.decode()).encode(), GENERATOR_TAG.sub("", b.decode()).encode()
        if a != b:
            different.append(rel)
    assert different == []
    assert 'content="mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.2"' in (theirs / "index.html").read_text()


def test_zensical_builds_the_same_pages_and_files(sites: dict[str, Path]) -> None:
    ours, theirs = sites["mkdocs"], sites["zensical"]
    assert pages(theirs) == pages(ours)
    assert len(pages(ours)) > 300
    # Besides the theme's own assets, only the search index (Zensical's format, in search.json)
    # and the gzipped sitemap (Zensical writes none) differ; the exports, permalink manifest and
    # sitemap are there as the after-build steps wrote them.
    mine = {rel for rel in files(ours) if not rel.startswith("assets/") or rel.startswith("assets/kb/")}
    zens = {rel for rel in files(theirs) if not rel.startswith("assets/") or rel.startswith("assets/kb/")}
    # search/search_index.js (search from a folder opened on file://) is made from Material's index.
    assert (mine - zens, zens - mine) == ({"search/search_index.json", "search/search_index.js", "sitemap.xml.gz"},
                                          {"search.json"})
    for rel in sorted(mine & zens):
        if not rel.endswith((".html", ".xml")):
            assert (ours / rel).read_bytes() == (theirs / rel).read_bytes(), rel


def article(page: str) -> str:
    match = re.search(r"<article\b[^>]*>(.*?)</article>", page, re.S)
    assert match, "no <article>"
    # Zensical shows a page's tags (its kind, which Material keeps for search only) under the
    # article; README "Choosing the engine" says so.
    return re.sub(r'<nav class="md-tags"[^>]*>.*?</nav>', "", match[1], flags=re.S)


def heading(page: str) -> str:
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", article(page), re.S)
    assert match, "no <h1>"
    return html.unescape(re.sub(r"<[^>]+>", "", match[1])).strip()


def test_every_page_shows_the_same_title_and_text_on_zensical(sites: dict[str, Path]) -> None:
    ours, theirs = sites["mkdocs"], sites["zensical"]
    differ = []
    for rel in sorted(pages(ours)):
        if rel == "404.html":
            continue
        a, b = (ours / rel).read_text(encoding="utf-8"), (theirs / rel).read_text(encoding="utf-8")
        if heading(a) != heading(b) or visible_text(f"<article>{article(a)}</article>") != visible_text(f"<article>{article(b)}</article>"):
            differ.append(rel)
    assert differ == []


def anchored(page: str, anchor: str) -> str:
    """The text of the element an entity's URL points into (FAQs, statistics, takeaways)."""
    match = re.search(rf'<(h[1-6])\b[^>]*\bid="{re.escape(anchor)}"[^>]*>(.*?)</\1>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match[2])).strip() if match else f"(no heading #{anchor})"


def test_every_entity_has_its_title_on_every_engine(sites: dict[str, Path]) -> None:
    kb = load_knowledge_base(REPO)
    rows = catalogue.rows(kb)
    assert {row["kind"] for row in rows} >= {"persona", "playbook", "checklist", "term", "control", "faq", "statistic"}
    missing = []
    for row in rows:
        url = urlsplit(row["url"])
        rel = url.path.lstrip("/") + "index.html"
        for name, site in sites.items():
            if not (site / rel).is_file():
                missing.append(f"{name} {rel}: no page")
                continue
            text = (site / rel).read_text(encoding="utf-8")
            shown = anchored(text, url.fragment) if url.fragment else heading(text)
            if " ".join(str(row["title"]).split()) not in shown:
                missing.append(f"{name} {rel}#{url.fragment}: {shown!r}")
    assert missing == []


@pytest.fixture(scope="module")
def urls(sites: dict[str, Path]) -> Iterator[dict[str, str]]:
    with serve(sites["mkdocs"]) as mkdocs, serve(sites["zensical"]) as zensical:
        yield {"mkdocs": mkdocs, "zensical": zensical}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    yield context.new_page()
    context.close()


def zensical_search(page: Any, base: str, query: str) -> list[str]:
    """The URL paths of Zensical's search results for query, best first. Its search is a
    dialog (in a shadow root, which Playwright's selectors enter) opened by the search button."""
    page.goto(base)
    page.click(".md-search__button")
    page.keyboard.type(query)
    page.wait_for_selector("a[role=option]")
    deadline = time.monotonic() + 5
    hrefs: list[str] = []
    while time.monotonic() < deadline:  # results update as the query is typed: wait until they settle
        now = page.locator("a[role=option]").evaluate_all("links => links.map(a => a.href)")
        if now and now == hrefs:
            break
        hrefs = now
        time.sleep(0.3)
    return [urlsplit(href).path for href in hrefs]


def first_pages(results: list[str], n: int) -> list[str]:
    return list(dict.fromkeys(results))[:n]


#: Query, the page it must find, and whether both engines must rank it first.
QUERIES = [
    ("shadow AI", "/terms/shadow-ai/", True),  # a glossary term
    ("PR.AA-05", "/frameworks/nist-csf-2.0/pr-aa-05/", True),  # a control id as NIST prints it
    ("service account", "/terms/service-account/", True),
    ("acceptable use", "/terms/acceptable-use-policy/", True),
    # Ranked differently: MkDocs puts AC-6(7) first, Zensical AC-6(5); AC-6 is third on both.
    ("AC-6", "/frameworks/nist-sp-800-53r5/ac-6/", False),
    # An item's text, as pasted from a ticket: Zensical ranks its checklist first, MkDocs second.
    ("Admin role holders listed", "/checklists/ai-readiness-assessment/", False),
]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected", "first"), QUERIES)
def test_search_finds_the_same_page(page: Any, urls: dict[str, str], query: str, expected: str, first: bool) -> None:
    found = {"mkdocs": material_search(page, urls["mkdocs"], query), "zensical": zensical_search(page, urls["zensical"], query)}
    for name, results in found.items():
        assert expected in first_pages(results, 1 if first else 3), f"{name}: {results[:5]}"


@pytest.mark.browser
def test_checklists_print_on_as_many_pages(page: Any, urls: dict[str, str]) -> None:
    kb = load_knowledge_base(REPO)
    counts: dict[str, dict[str, int]] = {}
    for checklist in kb.checklists.values():
        for name, base in urls.items():
            page.goto(f"{base}checklists/{quote(checklist.id)}/")
            printed = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
            counts.setdefault(checklist.id, {})[name] = len(printed.pages)
    assert len(counts) == len(kb.checklists) > 10
    assert [cid for cid, n in counts.items() if n["mkdocs"] != n["zensical"] or n["mkdocs"] < 1] == [], counts


def test_material_end_of_life_notice(tmp_path: Path) -> None:
    """One line on stderr while Material draws the pages; none on Zensical."""
    result = run_kb("build", "--out", tmp_path / "site", root=REPO)
    assert result.exit_code == 0
    assert result.stderr == ("note: Material for MkDocs, which draws these pages, reaches end of life on 2027-05-05; "
                             "see README.md, 'Choosing the engine'\n") == NOTICE


def test_engine_from_kb_toml(sample: Path) -> None:
    (sample / "kb.toml").write_text('# which engine builds the site\n[build]\nengine = "zensical"\n', encoding="utf-8")
    require("zensical")
    result = run_kb("build", root=sample)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # Zensical: no Material end-of-life notice
    assert (sample / "site" / "search.json").is_file() and not (sample / "site" / "search").exists()
    assert (sample / "site" / "permalinks.json").is_file()  # the after-build steps ran
    guide = (sample / "site" / "pages" / "guide" / "index.html").read_text(encoding="utf-8")
    flag = run_kb("build", "--engine", "mkdocs", root=sample)  # the flag wins over kb.toml
    assert flag.exit_code == 0 and (sample / "site" / "search" / "search_index.json").is_file()
    # The hand-written page's macros give the same text on both engines.
    same = (sample / "site" / "pages" / "guide" / "index.html").read_text(encoding="utf-8")
    assert visible_text(f"<article>{article(guide)}</article>") == visible_text(f"<article>{article(same)}</article>")
    assert "Start here: Starter Data is scattered and identities are unmanaged." in visible_text(same)


@pytest.mark.parametrize("name", OTHERS)
def test_unknown_id_in_a_hand_written_page_fails_on_every_engine(sample: Path, name: str) -> None:
    """MkDocs' strict mode fails on the macro's warning; Zensical would not, so in a static
    build the macro raises and the engine stops."""
    require(name)
    assert run_kb("build", "--engine", name, root=sample).exit_code == 0
    before = tree_digest(sample / "site")
    edit(sample / "content/pages/guide.md", 'persona_card("starter")', 'persona_card("startr")')
    result = run_kb("build", "--engine", name, root=sample)
    assert result.exit_code == 1
    code = {"properdocs": 100, "zensical": 1}[name]  # mkdocs-macros exits with 100
    assert result.stderr.endswith(
        f"build failed: {name} stopped with exit code {code}: UnknownReference: pages/guide.md: unknown persona "
        f"'startr'; closest valid id: 'starter' (the previous {sample / 'site'} is unchanged)\n")
    assert tree_digest(sample / "site") == before


def test_unknown_engine_in_kb_toml(sample: Path) -> None:
    (sample / "kb.toml").write_text('[build]\nengine = "zensicle"\n', encoding="utf-8")
    result = run_kb("build", root=sample)
    assert result.exit_code == 1
    assert result.stderr == ("kb.toml:2: unknown engine 'zensicle' (expected one of: mkdocs, properdocs, zensical)\n"
                             "1 problem(s) found.\n")
    assert not (sample / "site").exists()


def test_unknown_engine_flag(sample: Path) -> None:
    result = run_kb("build", "--engine", "hugo", root=sample)
    assert result.exit_code == 2
    assert "Invalid value for '--engine': 'hugo' is not one of 'mkdocs', 'properdocs', 'zensical'." in result.stderr


def test_an_engine_that_is_not_installed(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(engines.ENGINES, "zensical", engines.Engine("zensical", "zensical-not-installed", None))
    result = run_kb("build", "--engine", "zensical", root=sample)
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "build failed: zensical is not installed: run `make engines` in the generator's checkout (it creates "
        f".venv-zensical), or `pip install zensical` beside kb (the previous {sample / 'site'} is unchanged)\n")
