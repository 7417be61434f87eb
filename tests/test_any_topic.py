"""A knowledge base on another topic (tests/fixtures/backup-kb: backup and recovery, four
personas, its own framework and branding) builds into a site, a client site and a pack that say
nothing of the bundled knowledge base's topic: every sentence is its own or neutral."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.features import load_knowledge_base
from tests.conftest import FIXTURES, run_kb

#: Words of the bundled topic (AI readiness) that must not appear in another topic's output.
BUNDLED_WORDS = re.compile(r"\bAI\b|copilot|shadow|connector|jumpcloud|salesloft|readiness|800-207|800-53",
                           re.IGNORECASE)


@pytest.fixture(scope="module")
def backup_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("topic") / "backup-kb"
    shutil.copytree(FIXTURES / "backup-kb", root)
    return root


@pytest.fixture(scope="module")
def outputs(backup_kb: Path) -> dict[str, Path]:
    out = {"internal": backup_kb / "site", "client": backup_kb / "client", "pack": backup_kb / "pack"}
    assert run_kb("build", root=backup_kb).exit_code == 0
    assert run_kb("build", "--audience", "client", "--out", out["client"], root=backup_kb).exit_code == 0
    result = run_kb("pack", "--client", "Acme Ltd", "--persona", "offsite", "--out", out["pack"], root=backup_kb)
    assert result.exit_code == 0, result.stderr
    return out


class _Words(HTMLParser):
    """What a page says: its text, and the attributes a reader or a search engine sees."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style")
        self.parts += [value or "" for name, value in attrs if name in ("title", "alt", "content", "aria-label")]

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def said(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".html":
        return text
    parser = _Words()
    parser.feed(text)
    return " ".join(parser.parts)


def bundled_words(folder: Path) -> dict[str, list[str]]:
    """Words of the bundled topic in what the site says: pages, search index, manifest and
    exports (the theme's own scripts and stylesheets are code, not wording)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".md", ".txt", ".csv", ".xml"}:
            hits = sorted({m.group(0) for m in BUNDLED_WORDS.finditer(said(path))})
            if hits:
                found[path.relative_to(folder).as_posix()] = hits
    return found


@pytest.mark.parametrize("which", ["internal", "client", "pack"])
def test_no_wording_of_the_bundled_topic_anywhere(outputs: dict[str, Path], which: str) -> None:
    assert (outputs[which] / "search" / "search_index.json").is_file()
    assert bundled_words(outputs[which]) == {}


def test_the_word_scan_would_see_the_bundled_topic(bundled_site: Path) -> None:
    assert "index.html" in bundled_words(bundled_site)


def test_its_own_wording_plural_counts_and_sections(outputs: dict[str, Path]) -> None:
    home = (outputs["internal"] / "index.html").read_text(encoding="utf-8")
    assert "Each client&rsquo;s data protection sits at one of four levels." in home or \
        "Each client's data protection sits at one of four levels." in home
    assert "Is one copy immutable?" in home
    persona = (outputs["internal"] / "personas" / "offsite" / "index.html").read_text(encoding="utf-8")
    assert "What a bad day looks like" in persona
    assert re.search(r">\s*Terms\s*<", home)  # site.yaml renamed the glossary section
    assert re.search(r'<h1 id="terms">Terms<a class="headerlink"', (outputs["internal"] / "terms" / "index.html").read_text(encoding="utf-8"))
    pack = (outputs["pack"] / "index.html").read_text(encoding="utf-8")
    assert "Recovery plan for Acme Ltd" in pack


def test_terms_with_punctuation_and_non_ascii_letters_are_found(backup_kb: Path) -> None:
    kb = load_knowledge_base(backup_kb)
    assert [e.id for e in kb.term_usage["rto"]] == ["test-restores"]
    assert [e.id for e in kb.term_usage["rucksicherung"]] == ["offsite-copies", "protect-first", "test-restores"]


def test_a_pack_folder_keeps_transliterated_letters(backup_kb: Path) -> None:
    result = run_kb("pack", "--client", "Rücksicherung GmbH", "--persona", "tested", root=backup_kb)
    assert result.exit_code == 0, result.stderr
    assert (backup_kb / "packs" / "rucksicherung-gmbh-tested" / "index.html").is_file()
