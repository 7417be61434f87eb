"""Audiences, branding and per-client packs, on the sample tree plus tests/fixtures/audience
(which plants a unique marker, leak01..leak42, in every kind of internal field)."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.core.audience import for_audience
from generator.features import load_knowledge_base
from tests.conftest import FIXTURES, NOTICE, edit, run_kb, serve, tree_digest

MARKERS = [f"leak{n:02d}" for n in range(1, 43)]
CLIENT = "Acme Ltd"


def audience_tree(target: Path) -> Path:
    shutil.copytree(FIXTURES / "sample", target)
    shutil.copytree(FIXTURES / "audience", target, dirs_exist_ok=True)
    return target


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return audience_tree(tmp_path / "kb")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The audience tree built three ways, once for the module."""
    root = audience_tree(tmp_path_factory.mktemp("audience") / "kb")
    out = {name: root.parent / name for name in ("internal", "client", "pack")}
    for args in (
        ("build", "--out", out["internal"]),
        ("build", "--audience", "client", "--out", out["client"]),
        ("pack", "--client", CLIENT, "--persona", "cautious", "--pdf", "--out", out["pack"]),
    ):
        result = run_kb(*args, root=root)
        assert result.exit_code == 0, result.stderr
    return out


def every_text(folder: Path) -> dict[str, str]:
    """Every file of a build as text: gzip decompressed, PDFs as their extracted text,
    anything else decoded byte for byte (so binary files are searched too)."""
    from pypdf import PdfReader

    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix == ".pdf":
            text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
        else:
            text = data.decode("latin-1")
        out[path.relative_to(folder).as_posix()] = text
    return out


def found_markers(folder: Path) -> dict[str, list[str]]:
    texts = every_text(folder)
    return {m: [name for name, text in texts.items() if m in text] for m in MARKERS if any(m in t for t in texts.values())}


def test_the_internal_build_has_every_marker(built: dict[str, Path]) -> None:
    # Proves the leak test below can fail: every planted marker does reach some output file.
    assert sorted(found_markers(built["internal"])) == MARKERS


def test_the_client_build_leaks_nothing(built: dict[str, Path]) -> None:
    assert found_markers(built["client"]) == {}
    files = set(tree_digest(built["client"]))
    assert {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz"} <= files


def test_the_pack_leaks_nothing_not_even_its_pdf(built: dict[str, Path]) -> None:
    assert "acme-ltd-cautious.pdf" in tree_digest(built["pack"])
    assert found_markers(built["pack"]) == {}


def test_client_reverse_indexes_forget_internal_entities(built: dict[str, Path]) -> None:
    page = (built["client"] / "frameworks/mini-csf/pr-aa-01/index.html").read_text()
    assert "Govern the AI pilot" in page  # the client playbook's step still cites it
    internal = (built["internal"] / "frameworks/mini-csf/pr-aa-01/index.html").read_text()
    assert "leak15 internal playbook title" in internal


def test_list_json_for_clients_has_no_internal_entity(tree: Path) -> None:
    everything = json.loads(run_kb("list", "--json", root=tree).stdout)
    client = json.loads(run_kb("list", "--json", "--audience", "client", root=tree).stdout)
    assert {r["audience"] for r in everything} == {"client", "internal"}
    assert {r["audience"] for r in client} == {"client"}
    assert [r for r in everything if r["audience"] == "client"] == client


def test_internal_blocks_are_marked_in_the_internal_build(built: dict[str, Path]) -> None:
    persona = (built["internal"] / "personas/cautious/index.html").read_text()
    assert re.search(r'class="admonition internal"[^>]*>\s*<p class="admonition-title">Internal: sales motion', persona)
    playbook = (built["internal"] / "playbooks/govern-pilot/index.html").read_text()
    assert '<p class="admonition-title">Internal step</p>' in playbook
    checklist = (built["internal"] / "checklists/pilot-readiness/index.html").read_text()
    assert 'leak19 internal item text</label></h2><span class="kb-internal-tag">Internal</span>' in checklist
    page = (built["internal"] / "personas/internal-persona/index.html").read_text()
    assert "Staff only: this is left out of client builds." in page


def test_client_pages_keep_their_client_parts(built: dict[str, Path]) -> None:
    playbook = (built["client"] / "playbooks/govern-pilot/index.html").read_text()
    assert "Agree the scope of the pilot" in playbook
    assert "admonition internal" not in playbook
    checklist = (built["client"] / "checklists/pilot-readiness/index.html").read_text()
    assert "The data the pilot may read is written down" in checklist
    assert not (built["client"] / "pages/internal-runbook").exists()


def test_a_client_reference_to_an_internal_entity_fails_validation(tree: Path) -> None:
    edit(tree / "content/personas/cautious.yaml", "playbooks: [govern-pilot]", "playbooks: [govern-pilot, internal-playbook]")
    edit(tree / "content/faqs/audience-faqs.yaml", "  personas: [cautious]\n  internal_notes", "  personas: [internal-persona]\n  internal_notes")
    result = run_kb("validate", root=tree)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/faqs/audience-faqs.yaml:4: client faq 'can-we-stop' references internal persona 'internal-persona' "
        "(make persona 'internal-persona' audience: client, or drop the reference)",
        "content/personas/cautious.yaml:11: client persona 'cautious' references internal playbook 'internal-playbook' "
        "(make playbook 'internal-playbook' audience: client, or drop the reference)",
        "2 problem(s) found.",
    ]


def test_for_audience_is_pure(tree: Path) -> None:
    kb = load_knowledge_base(tree)
    client = for_audience(kb, "client")
    assert for_audience(kb, "internal") is kb
    assert "internal-playbook" in kb.playbooks and "internal-playbook" not in client.playbooks
    assert kb.personas["cautious"].internal_notes and not client.personas["cautious"].internal_notes
    assert [s.id for s in kb.playbooks["govern-pilot"].steps] == ["agree-scope", "configure-tooling"]
    assert [s.id for s in client.playbooks["govern-pilot"].steps] == ["agree-scope"]


# --- Branding ----------------------------------------------------------------------------------

def test_branding_reaches_html_and_css(built: dict[str, Path]) -> None:
    for name in ("internal", "client", "pack"):
        home = (built[name] / "index.html").read_text()
        assert '<img src="assets/brand/logo.svg" alt="Brightcape IT Ltd">' in home
        assert '<link rel="icon" href="assets/brand/favicon.svg">' in home
        assert 'data-md-color-primary="custom"' in home and 'data-md-color-accent="custom"' in home
        assert "© Brightcape IT Ltd. Guidance, not legal advice." in home
        assert '<a href="mailto:help@brightcape.example">help@brightcape.example</a>' in home
        assert '<a href="tel:+442079460000">+44 20 7946 0000</a>' in home
        assert "Made with" not in home  # white label: no generator credit
        css = (built[name] / "assets/brand/brand.css").read_text()
        assert "--md-primary-fg-color: #0b6e4f;" in css and "--md-accent-fg-color: #c2410c;" in css
        assert "--md-primary-bg-color: #ffffff;" in css  # white reads better on dark green
        assert (built[name] / "assets/brand/logo.svg").read_bytes() == (FIXTURES / "audience/content/branding/logo.svg").read_bytes()


def test_a_missing_logo_is_a_validation_error(tree: Path) -> None:
    edit(tree / "content/site.yaml", "logo: branding/logo.svg", "logo: branding/logo.png")
    result = run_kb("validate", root=tree)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/site.yaml:10: branding.logo: file 'content/branding/logo.png' not found (paths are relative to content/)"
    )


@pytest.mark.browser
def test_the_header_wears_the_brand_colour(built: dict[str, Path], browser) -> None:  # type: ignore[no-untyped-def]
    with serve(built["client"]) as url:
        page = browser.new_page()
        page.goto(url)
        header = page.locator(".md-header")
        assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(11, 110, 79)"
        assert header.evaluate("e => getComputedStyle(e).color") == "rgb(255, 255, 255)"
        page.close()


# --- Packs ----------------------------------------------------------------------------------------

def test_the_pack_holds_exactly_the_persona_material(built: dict[str, Path]) -> None:
    pages = sorted(p for p in tree_digest(built["pack"]) if p.endswith(".html"))
    assert pages == [
        "404.html",
        "checklists/index.html",
        "checklists/pilot-readiness/index.html",
        "faq/index.html",
        "frameworks/index.html",
        "frameworks/mini-csf/index.html",
        "frameworks/mini-csf/pr-aa-01/index.html",
        "frameworks/mini-csf/pr-aa-05/index.html",
        "frameworks/mini-csf/pr-aa/index.html",
        "frameworks/mini-csf/pr/index.html",
        "index.html",
        "personas/cautious/index.html",
        "personas/index.html",
        "playbooks/govern-pilot/index.html",
        "playbooks/index.html",
        "terms/index.html",
        "terms/pilot/index.html",
    ]
    texts = every_text(built["pack"])
    for other in ("Sort out access", "Token theft at a vendor", "Access baseline", "Where do we start?", "Starter"):
        assert not [name for name, text in texts.items() if other in text], other


def test_every_pack_page_and_printout_names_the_client(built: dict[str, Path]) -> None:
    from pypdf import PdfReader

    for path in sorted(built["pack"].rglob("*.html")):
        text = path.read_text()
        if path.name != "404.html":
            assert f"Prepared for <strong>{CLIENT}</strong> by Brightcape IT Ltd" in text, path
            assert f"Guidance pack for {CLIENT}" in text, path
    reader = PdfReader(built["pack"] / "acme-ltd-cautious.pdf")
    sheets = [page.extract_text() for page in reader.pages]
    assert len(sheets) >= 6  # home, persona, playbook, checklist, FAQ, glossary
    assert all(f"Guidance pack for {CLIENT}" in sheet for sheet in sheets)
    assert "Govern the AI pilot" in "".join(sheets)


def test_a_pack_needs_a_client_persona(tree: Path) -> None:
    result = run_kb("pack", "--client", CLIENT, "--persona", "cautios", root=tree)
    assert result.exit_code == 2
    assert "Invalid value for '--persona': unknown persona 'cautios'; closest valid id: 'cautious'" in result.stderr
    result = run_kb("pack", "--client", CLIENT, "--persona", "internal-persona", root=tree)
    assert result.exit_code == 2
    assert "Invalid value for '--persona': persona 'internal-persona' is internal; a pack holds only client content" in result.stderr
    result = run_kb("pack", "--client", "<b>Acme</b>", "--persona", "cautious", root=tree)
    assert result.exit_code == 2
    assert "a client's name cannot contain" in result.stderr
    assert not (tree / "packs").exists()


def test_pack_pdf_without_chromium_says_so_before_building(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tree))  # no chromium on this PATH
    result = run_kb("pack", "--client", CLIENT, "--persona", "cautious", "--pdf", root=tree)
    assert result.exit_code == 1
    assert result.stderr == "error: PDF output needs Debian's chromium: apt-get install chromium\n"
    assert not (tree / "packs").exists()


def test_builds_running_at_once_share_no_files(tree: Path, tmp_path: Path) -> None:
    """An internal build (or a preview) running during a client build once wrote its pages into
    the client site: every build now renders into its own folder."""
    import os
    import subprocess
    import sys

    def kb(*args: str | Path) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-c", "from generator.cli import main; main()", "--root", str(tree),
                                 *map(str, args)], env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    for round_ in range(2):
        builds = [kb("build", "--audience", "client", "--out", tmp_path / f"client{round_}"),
                  kb("build", "--out", tmp_path / f"internal{round_}"),
                  kb("build", "--out", tmp_path / f"internal{round_}b")]
        assert [b.communicate()[1] for b in builds] == [NOTICE] * 3
        assert found_markers(tmp_path / f"client{round_}") == {}
        assert sorted(found_markers(tmp_path / f"internal{round_}")) == MARKERS
    assert not (tree / "build" / "docs").exists()  # nothing is rendered into the shared folder


def test_a_preview_renders_into_a_folder_of_its_own(tree: Path) -> None:
    from generator.core import outdir

    assert outdir.private_docs() == outdir.private_docs()  # one per process, kept across rebuilds
    assert not outdir.private_docs().is_relative_to(tree)


@pytest.mark.parametrize("front", [
    "\ufeff---\naudience: internal\n---\n",       # a byte-order mark
    "--- \naudience: internal\n---\n",            # a trailing space after the opener
    "---\naudience: internal\n...\n",              # YAML's document end as the closer
    "---\r\naudience: internal\r\n---\r\n",         # Windows line ends
    "---\n# staff only\naudience: 'internal'\n--- \t\n",
])
def test_an_internal_page_stays_internal_however_its_front_matter_is_written(front: str, tree: Path, tmp_path: Path) -> None:
    (tree / "content/pages/pricing.md").write_text(front + "# Pricing\n\nleak-fm-page\n", encoding="utf-8", newline="")
    assert run_kb("build", "--audience", "client", "--out", tmp_path / "client", root=tree).exit_code == 0
    assert [name for name, text in every_text(tmp_path / "client").items() if "leak-fm-page" in text] == []
    assert run_kb("build", "--out", tmp_path / "internal", root=tree).exit_code == 0
    assert "leak-fm-page" in (tmp_path / "internal/pages/pricing/index.html").read_text()
