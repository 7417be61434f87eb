"""Hostile content: tests/fixtures/hostile/ is the sample tree with a payload appended to every
text field (see tests/fixtures/make_hostile.py): script and img tags, javascript: and data:
links, remote images, template code, Markdown that tries to close our HTML, attribute lists.
The site builds, shows the payload as text, runs none of it in Chromium, fetches nothing from
another host, and its search index holds the text, not markup."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown as python_markdown
import pytest

from generator.core import markup
from tests.conftest import FIXTURES, edit, run_kb, serve
from tests.htmlcheck import html_errors
from tests.linkcheck import broken_links

MARKDOWN_EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "def_list", "admonition",
                       "pymdownx.details", "pymdownx.superfences"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "kb"
    shutil.copytree(FIXTURES / "hostile", root)
    result = run_kb("build", root=root)
    assert result.exit_code == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with serve(hostile_site) as url:
        yield url


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_corpus_covers_every_entity_kind() -> None:
    text = "\n".join(p.read_text() for p in (FIXTURES / "hostile").rglob("*.yaml"))
    folders = {p.parent.name for p in (FIXTURES / "sample/content").rglob("*.yaml")}
    assert folders <= {p.parent.name for p in (FIXTURES / "hostile/content").rglob("*.yaml")}
    assert text.count("alert(1)") >= 60


@pytest.mark.browser
def test_no_payload_runs_in_chromium(browser: Any, hostile_site: Path, hostile_url: str) -> None:
    """Every page: no dialog, no JS error, no script or event handler from content, no
    javascript:/data: link, and no request to another host."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    foreign: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))

    def route(r: Any) -> None:
        if r.request.url.startswith(hostile_url):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    for rel in pages(hostile_site):
        page.goto(hostile_url + rel)
        found = page.evaluate("""() => ({
            handlers: [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
                .filter(a => a.name.startsWith('on')).map(a => el.tagName + ' ' + a.name)),
            scripts: [...document.scripts].filter(s => /alert/.test(s.src + s.textContent)).length,
            frames: document.querySelectorAll('iframe, object, embed').length,
            links: [...document.querySelectorAll('[href], [src]')].map(e => e.getAttribute('href') || e.getAttribute('src'))
                .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)),
            shown: document.querySelector('article').innerText,
        })""")
        assert (found["handlers"], found["scripts"], found["frames"], found["links"]) == ([], 0, 0, []), rel
        if "alert(1)" in found["shown"]:  # the payload is on the page, as text
            assert "<script>alert(1)</script>" in found["shown"], rel
            assert "{{ 7*7 }}" in found["shown"] and "{% raw %}" in found["shown"], rel
    context.close()
    assert (dialogs, errors, foreign) == ([], [], [])


def test_payload_is_shown_as_text_on_entity_pages(hostile_site: Path) -> None:
    html = (hostile_site / "personas/starter/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "onerror=alert(1)>" not in html and "</title><" not in html
    assert "{{ 7*7 }}" in html.replace("&#123;", "{").replace("&#125;", "}") and ">49<" not in html
    assert "<em>kept emphasis</em>" in html  # Markdown fields keep their Markdown
    assert '<a href="https://evil.example/pixel.png">pixel</a>' in html  # a remote image is a link
    assert "<img" not in html.split('<article')[1].split("</article>")[0]


def test_search_index_holds_text_not_markup(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search/search_index.json").read_text())
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    for markup_from_content in ("<script", "<img", "<iframe", "</title", "javascript:alert(8)>"):
        assert markup_from_content not in text


def test_hostile_site_is_valid_html_with_no_broken_links(hostile_site: Path) -> None:
    ours, _ = html_errors(hostile_site)
    assert [str(e) for e in ours] == []
    assert [str(b) for b in broken_links(hostile_site)] == []


def render(field: str) -> str:
    return python_markdown.markdown(str(markup.markdown(field)), extensions=MARKDOWN_EXTENSIONS)


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        # An escaped backtick opens no code span, so what follows must be escaped like prose.
        ("\\`<img src=x onerror=alert(1)>\\`", "<p>`&lt;img src=x onerror=alert(1)&gt;`</p>"),
        # A code span cannot cross a blank line: the HTML between is prose.
        ("`a\n\n<script>alert(1)</script>\n\nb`", "<p>`a</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>b`</p>"),
        # Link text may hold brackets and line breaks; the target is still checked.
        ("[a [b] c](javascript:alert(1))", "<p>[a [b] c](javascript:alert(1))</p>"),
        ("[a\nb](javascript:alert(1))", "<p>[a\nb](javascript:alert(1))</p>"),
        ("[a](<javascript:alert(1)>)", "<p>[a](&lt;javascript:alert(1)&gt;)</p>"),
        ("[a](data:text/html,x)", "<p>[a](data:text/html,x)</p>"),
        ("[a][r]\n\n[r]:\n  javascript:alert(1)", "<p>[a][r]</p>\n<p>[r]:\n  javascript:alert(1)</p>"),
        ("![p](https://evil.example/p.png)", '<p><a href="https://evil.example/p.png">p</a></p>'),
        ("![p](/\\evil.example/p.png)", '<p><a href="/\\evil.example/p.png">p</a></p>'),
        ("![p](../assets/p.png)", '<p><img alt="p" src="../assets/p.png" /></p>'),
        ("```{ onclick=alert(1) }\nx\n```", "<p><code>&amp;#123; onclick=alert(1) &amp;#125;\nx</code></p>"),
        ("Text\n{: onclick=\"alert(1)\" }", "<p>Text\n&#123;: onclick=\"alert(1)\" &#125;</p>"),
        ("`<b>code</b>` and [ok](https://example.com/)", '<p><code>&lt;b&gt;code&lt;/b&gt;</code> and <a href="https://example.com/">ok</a></p>'),
        # Reference definitions inside a list item, a quote or an admonition (issue 15).
        ("- [a][r]\n\n    [r]: javascript:alert(1)", "<ul>\n<li>\n<p>[a][r]</p>\n<p>[r]: javascript:alert(1)</p>\n</li>\n</ul>"),
        ("- [a][r]\n- [r]: javascript:alert(1)", "<ul>\n<li>[a][r]</li>\n<li>[r]: javascript:alert(1)</li>\n</ul>"),
        ("!!! note\n    [a][r]\n\n    [r]: javascript:alert(1)",
         '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>[a][r]</p>\n<p>[r]: javascript:alert(1)</p>\n</div>'),
        # Images by reference come from the site, like inline ones; links by reference may go anywhere.
        ("![p][r]\n\n[r]: https://evil.example/p.png", "<p>![p][r]</p>\n<p>[r]: https://evil.example/p.png</p>"),
        ("![R]\n\n[r]: https://evil.example/p.png", "<p>![R]</p>\n<p>[r]: https://evil.example/p.png</p>"),
        ("![p][r]\n\n[r]: ../assets/p.png", '<p><img alt="p" src="../assets/p.png" /></p>'),
        ("[a][r]\n\n[r]: https://example.com/", '<p><a href="https://example.com/">a</a></p>'),
    ],
)
def test_markdown_fields_cannot_smuggle_html(field: str, shown: str) -> None:
    assert render(field) == shown


def test_html_filter_escapes_braces() -> None:
    assert str(markup.html('<b>{: onclick="x" } {{ 7*7 }}</b>')) == (
        "&lt;b&gt;&#123;: onclick=&#34;x&#34; &#125; &#123;&#123; 7*7 &#125;&#125;&lt;/b&gt;"
    )


# --- URLs are parsed in the model (issue 15): no field can carry script or break Markdown ---------

URL_CASES = {
    "attribute list after the link": ("https://x.example/){:onclick=alert(1)}",
                                      "a URL may not hold '{' (percent-encode it, e.g. %20 for a space)"),
    "javascript:": ("javascript:alert(1)", "expected an http:// or https:// URL with a host name, e.g. https://example.com/page"),
    "data:": ("data:text/html,<b>x", "a URL may not hold '<' (percent-encode it, e.g. %20 for a space)"),
    "quote": ('https://x.example/a"onmouseover="alert(1)', "a URL may not hold '\"' (percent-encode it, e.g. %20 for a space)"),
    "space": ("https://x.example/a b", "a URL may not hold ' ' (percent-encode it, e.g. %20 for a space)"),
    "lone parenthesis": ("https://x.example/a)", "a URL's parentheses must pair up (percent-encode a lone one: %28, %29)"),
    "no host": ("https:///path", "expected an http:// or https:// URL with a host name, e.g. https://example.com/page"),
}


@pytest.mark.parametrize("case", URL_CASES)
def test_a_url_field_that_could_carry_script_is_refused(case: str, sample: Path) -> None:
    url, reason = URL_CASES[case]
    edit(sample / "content/statistics/remediation.yaml", "  url: https://research.example.org/survey-2025",
         f"  url: '{url}'")
    result = run_kb("validate", root=sample)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[0] == f"content/statistics/remediation.yaml:8: source.url: {reason} (got {url!r})"


def test_base_url_cannot_close_the_canonical_link(sample: Path) -> None:
    edit(sample / "content/site.yaml", "base_url: https://kb.sample-msp.example/",
         "base_url: 'https://kb.sample-msp.example/\"><script>alert(1)</script>/'")
    result = run_kb("validate", root=sample)
    assert result.stderr.splitlines() == [
        "content/site.yaml:4: base_url: a URL may not hold '\"' (percent-encode it, e.g. %20 for a space) "
        "(got 'https://kb.sample-msp.example/\"><script>alert(1)</script>/')", "1 problem(s) found."]


def test_an_email_that_could_break_its_mailto_link_is_refused(sample: Path) -> None:
    edit(sample / "content/site.yaml", "email: help@sample-msp.example", "email: 'x@y.example\"onclick=\"alert(1)'")
    result = run_kb("validate", root=sample)
    assert result.exit_code == 1
    assert result.stderr.startswith("content/site.yaml:6: contact.email: string should match pattern")


def test_a_url_with_paired_parentheses_is_fine(sample: Path) -> None:
    edit(sample / "content/statistics/remediation.yaml", "  url: https://research.example.org/survey-2025",
         "  url: https://en.wikipedia.org/wiki/Foo_(bar)")
    assert run_kb("validate", root=sample).exit_code == 0


# --- The sanitiser: the built HTML, whatever Markdown or a macro made of the content (issue 15) ---

from generator.core import sanitise  # noqa: E402


def article(body: str) -> str:
    return f'<html><head><meta charset="utf-8"></head><body><article class="md-content__inner">{body}</article></body></html>'


@pytest.mark.parametrize(("body", "cleaned"), [
    ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
    ('<a href="javascript:alert(1)">a</a>', "<a>a</a>"),
    ('<a href="java&#x09;script:alert(1)">a</a>', "<a>a</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">a</a>', "<a>a</a>"),
    ('<a href="vbscript:x" title="t">a</a>', '<a title="t">a</a>'),
    ('<a href="data:text/html,x">a</a>', "<a>a</a>"),
    ('<a href="https://elsewhere.example/" ping="https://track.example/">a</a>', '<a href="https://elsewhere.example/">a</a>'),
    ('<img src="https://evil.example/p.png" alt="p">', ""),
    ('<img src="//evil.example/p.png">', ""),
    ('<img srcset="a.png 1x, https://evil.example/b.png 2x" src="a.png">', '<img src="a.png">'),
    ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "<svg><a>x</a></svg>"),
    ("<script>alert(1)</script>after", "after"),
    ('<script type="module">alert(1)</script>', ""),
    ("<style>p { background: url(https://evil.example/) }</style>", ""),
    ('<iframe src="https://evil.example/"></iframe>', ""),
    ('<object data="x"></object><embed src="y">', ""),
    ('<link rel="stylesheet" href="https://evil.example/x.css">', ""),
    ('<base href="https://evil.example/">', ""),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', ""),
    ('<script type="application/json" id="data">{"a": 1}</script>', '<script type="application/json" id="data">{"a": 1}</script>'),
    ('<script src="../assets/kb/assessment.js"></script>', '<script src="../assets/kb/assessment.js"></script>'),
    ('<link rel="stylesheet" href="../assets/kb/assessment.css">', '<link rel="stylesheet" href="../assets/kb/assessment.css">'),
    ('<a href="mailto:help@example.com">m</a> <a href="#x">x</a> <a href="../y/">y</a>',
     '<a href="mailto:help@example.com">m</a> <a href="#x">x</a> <a href="../y/">y</a>'),
])
def test_the_sanitiser_removes_what_could_run_or_fetch(body: str, cleaned: str) -> None:
    page, _ = sanitise.clean(article(body))
    assert page == article(cleaned)


def test_the_sanitiser_keeps_every_byte_of_a_clean_page(bundled_page: str = "") -> None:
    page = ('<!doctype html><html><head><meta charset="utf-8"><script>var a = 1 < 2;</script>'
            '<link rel="canonical" href="https://kb.example.com/x/"></head><body ><div  class=x>'
            '<article class="md-content__inner"><p>T&amp;C <a href=\'../y/\'>y</a></p></article></div></body></html>')
    assert sanitise.clean(page) == (page, sanitise.Report([]))


def test_the_policy_allows_the_theme_s_inline_scripts_by_hash_and_nothing_else() -> None:
    import base64
    import hashlib

    page = ('<html><head><meta charset="utf-8"><script>__md_scope=1</script></head><body>'
            '<article class="md-content__inner"><script>alert(1)</script></article><script>x()</script></body></html>')
    cleaned, _ = sanitise.clean(page, csp=True)
    digest = [base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in ("__md_scope=1", "x()")]
    assert cleaned.startswith(
        '<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
        f"script-src 'self' 'sha256-{digest[0]}' 'sha256-{digest[1]}'; style-src 'self' 'unsafe-inline';")
    assert "alert(1)" not in cleaned and "unsafe-inline'; img-src" in cleaned


def test_raw_html_in_a_hand_written_page_is_disarmed(hostile_site: Path) -> None:
    html = (hostile_site / "pages/raw-html/index.html").read_text()
    content = html.split("<article")[1].split("</article>")[0]
    for gone in ("alert(20)", "onerror", "onclick", "onmouseover", "javascript", "evil.example", "<iframe",
                 "<object", "<style", "data:text"):
        assert gone not in content, gone
    assert "tab in the scheme" in content and "hover" in content  # the text stays
    assert all('http-equiv="Content-Security-Policy"' in p.read_text() for p in hostile_site.rglob("*.html"))


@pytest.mark.browser
def test_the_pdf_printer_fetches_nothing_from_another_host(tmp_path: Path) -> None:
    """A remote image in a page: the printer's Chromium on the build machine must not fetch it.
    The "other host" is a second local server that counts its requests."""
    from generator.support.pdf import print_pdf

    other = tmp_path / "other"
    other.mkdir()
    (other / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "local.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    with serve(other) as foreign:
        (site / "page.html").write_text(f'<p>x</p><img src="{foreign}pixel.png"><img src="local.png">'
                                        f'<link rel="stylesheet" href="{foreign}x.css">')
        fetched: list[str] = []
        import http.server

        original = http.server.SimpleHTTPRequestHandler.do_GET

        def counting(self: Any) -> None:
            fetched.append(self.path)
            original(self)

        http.server.SimpleHTTPRequestHandler.do_GET = counting  # type: ignore[method-assign]
        try:
            with serve(site) as own:
                print_pdf(own + "page.html", tmp_path / "page.pdf")
            print_pdf(site / "page.html", tmp_path / "file.pdf")
        finally:
            http.server.SimpleHTTPRequestHandler.do_GET = original  # type: ignore[method-assign]
    assert sorted(fetched) == ["/local.png", "/page.html"]
    assert (tmp_path / "file.pdf").stat().st_size > 0
