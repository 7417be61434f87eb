"""Checklists linked from PSA tickets: the permalink manifest, redirects of former ids, the check
that no published id disappears, `kb link`, `kb export` (golden files) and the page's markup.

Golden files live in tests/golden/checklists/; regenerate them with KB_UPDATE_GOLDENS=1.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, edit, run_kb

GOLDEN = REPO / "tests" / "golden" / "checklists"
BASE = "https://kb.sample-msp.example/"


def renamed(root: Path) -> None:
    """The sample, after an author renamed a checklist, one of its items and a persona."""
    edit(root / "content/checklists/access-baseline.yaml", "id: access-baseline",
         "id: identity-baseline\naliases: [access-baseline]\n"
         "changes:\n  - {date: 2026-12-01, note: Renamed; MFA now covers *every* sign-in.}")
    edit(root / "content/checklists/access-baseline.yaml", "  - id: mfa-enforced", "  - id: mfa-everywhere\n    aliases: [mfa-enforced]")
    edit(root / "content/playbooks/sort-out-access.yaml", "checklists: [access-baseline]", "checklists: [identity-baseline]")
    edit(root / "content/personas/starter.yaml", "id: starter", "id: beginner\naliases: [starter]")
    edit(root / "content/faqs/first.yaml", "personas: [starter]", "personas: [beginner]")
    edit(root / "content/pages/guide.md", 'persona_card("starter")', 'persona_card("beginner")')
    guide = root / "content/pages/guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace('"access-baseline"', '"identity-baseline"'), encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample built as first published, and again after the renames (built once per module)."""
    out: dict[str, Path] = {}
    for name in ("before", "after"):
        root = tmp_path_factory.mktemp(name) / "kb"
        shutil.copytree(FIXTURES / "sample", root)
        if name == "after":
            renamed(root)
        result = run_kb("build", root=root)
        assert result.exit_code == 0, result.stderr
        out[name] = root
    return out


def manifest(root: Path) -> dict:
    return json.loads((root / "site/permalinks.json").read_text(encoding="utf-8"))


def test_manifest_lists_every_page_and_item(sites: dict[str, Path]) -> None:
    data = manifest(sites["before"])
    assert data["format"] == 1 and data["base_url"] == BASE
    entries = data["entries"]
    by_key = {(e["kind"], e.get("checklist") or e.get("framework") or "", e["id"]): e for e in entries}
    item = by_key[("checklist-item", "access-baseline", "mfa-enforced")]
    assert item == {
        "kind": "checklist-item", "checklist": "access-baseline", "id": "mfa-enforced",
        "path": "checklists/access-baseline/#mfa-enforced",
        "url": BASE + "checklists/access-baseline/#mfa-enforced",
        "title": "MFA is enforced for every user account", "hash": item["hash"],
    }
    assert len(item["hash"]) == 16 and int(item["hash"], 16) >= 0
    assert by_key[("checklist", "", "access-baseline")]["title"] == "Access baseline"
    assert by_key[("control", "mini-csf", "PR.AA-05")]["path"] == "frameworks/mini-csf/pr-aa-05/"
    assert by_key[("faq", "", "where-to-start")]["path"] == "faq/#where-to-start"
    assert by_key[("page", "", "guide")] | {"hash": ""} == {
        "kind": "page", "id": "guide", "path": "pages/guide/", "url": BASE + "pages/guide/",
        "title": "Using the sample", "hash": ""}
    kinds = {e["kind"] for e in entries}
    assert kinds == {"persona", "playbook", "checklist", "checklist-item", "term", "case-study", "faq",
                     "statistic", "takeaway", "framework", "control", "page"}
    # every URL in the manifest is a page of the built site
    for entry in entries:
        assert (sites["before"] / "site" / entry["path"].partition("#")[0] / "index.html").is_file(), entry
    # one entry per line, so `kb validate --since` can name the line
    lines = (sites["before"] / "site/permalinks.json").read_text().splitlines()
    assert len(lines) == len(entries) + 2


def test_manifest_hash_changes_only_with_content(sites: dict[str, Path]) -> None:
    before = {(e["kind"], e["id"]): e["hash"] for e in manifest(sites["before"])["entries"]}
    after = {(e["kind"], e["id"]): e["hash"] for e in manifest(sites["after"])["entries"]}
    assert before[("checklist-item", "owner-named")] == after[("checklist-item", "owner-named")]
    assert before[("term", "shadow-ai")] == after[("term", "shadow-ai")]
    assert before[("checklist", "access-baseline")] != after[("checklist", "identity-baseline")]


def test_aliases_are_in_the_manifest(sites: dict[str, Path]) -> None:
    entries = manifest(sites["after"])["entries"]
    checklist = next(e for e in entries if e["kind"] == "checklist")
    assert (checklist["id"], checklist["aliases"]) == ("identity-baseline", ["access-baseline"])
    item = next(e for e in entries if e["kind"] == "checklist-item" and e["id"] == "mfa-everywhere")
    assert item["aliases"] == ["mfa-enforced"]


def test_former_ids_get_redirect_pages(sites: dict[str, Path]) -> None:
    site = sites["after"] / "site"
    page = (site / "checklists/access-baseline/index.html").read_text(encoding="utf-8")
    assert '<script>location.replace("../identity-baseline/" + location.search + location.hash);</script>' in page
    assert '<meta http-equiv="refresh" content="0; url=../identity-baseline/">' in page
    assert f'<link rel="canonical" href="{BASE}checklists/identity-baseline/">' in page
    assert "../beginner/" in (site / "personas/starter/index.html").read_text(encoding="utf-8")
    new = (site / "checklists/identity-baseline/index.html").read_text(encoding="utf-8")
    assert """data-kb-aliases='{"mfa-enforced": "mfa-everywhere"}'""" in new


def test_validate_since_passes_when_every_id_still_resolves(sites: dict[str, Path]) -> None:
    old = sites["before"] / "site/permalinks.json"
    result = run_kb("validate", "--since", old, root=sites["after"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_validate_since_names_each_removed_id(sites: dict[str, Path], tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(sites["after"] / "content", root / "content")
    shutil.copytree(sites["after"] / "frameworks", root / "frameworks")
    edit(root / "content/checklists/access-baseline.yaml", "aliases: [access-baseline]\n", "")
    edit(root / "content/checklists/access-baseline.yaml", "    aliases: [mfa-enforced]\n", "")
    edit(root / "content/personas/starter.yaml", "aliases: [starter]\n", "")
    old = sites["before"] / "site/permalinks.json"
    lines = old.read_text().splitlines()

    def line_of(fragment: str) -> int:
        return next(n for n, line in enumerate(lines, 1) if fragment in line)

    result = run_kb("validate", "--since", old, root=root)
    assert result.exit_code == 1
    shown = str(old)
    assert result.stderr == "".join(f"{shown}:{line}: {message}\n" for line, message in sorted([
        (line_of('"kind": "persona", "id": "starter"'),
         f"persona 'starter' was published ({BASE}personas/starter/) and is gone; "
         "list 'starter' under `aliases` of the persona that replaces it"),
        (line_of('"kind": "checklist", "id": "access-baseline"'),
         f"checklist 'access-baseline' was published ({BASE}checklists/access-baseline/) and is gone; "
         "list 'access-baseline' under `aliases` of the checklist that replaces it"),
        (line_of('"checklist": "access-baseline", "id": "mfa-enforced"'),
         f"checklist item 'mfa-enforced' of checklist 'access-baseline' was published "
         f"({BASE}checklists/access-baseline/#mfa-enforced) and is gone; "
         "list 'mfa-enforced' under `aliases` of the item that replaces it"),
        (line_of('"checklist": "access-baseline", "id": "owner-named"'),
         f"checklist item 'owner-named' of checklist 'access-baseline' was published "
         f"({BASE}checklists/access-baseline/#owner-named) and is gone; "
         "list 'owner-named' under `aliases` of the item that replaces it"),
    ])) + "4 problem(s) found.\n"


def test_validate_since_rejects_a_file_that_is_not_a_manifest(sample: Path) -> None:
    bad = sample / "old.json"
    bad.write_text('{"entries": [\n{"kind": "checklist",}\n]}\n')
    result = run_kb("validate", "--since", bad, root=sample)
    assert result.exit_code == 1
    assert result.stderr == (f"{bad}:2: not a permalink manifest written by `kb build`: "
                             "Expecting property name enclosed in double quotes (line 2)\n1 problem(s) found.\n")


def test_item_alias_clashing_with_an_item_id_is_an_error(sample: Path) -> None:
    edit(sample / "content/checklists/access-baseline.yaml", "  - id: mfa-enforced", "  - id: mfa-enforced\n    aliases: [owner-named]")
    result = run_kb("validate", root=sample)
    assert result.exit_code == 1
    assert result.stderr == ("content/checklists/access-baseline.yaml:7: alias 'owner-named' of item 'mfa-enforced' "
                             "is already used in 'access-baseline'\n1 problem(s) found.\n")


# --- kb link ----------------------------------------------------------------------------------

def test_link_prints_the_url_with_ticket_context(sample: Path) -> None:
    result = run_kb("link", "access-baseline", "mfa-enforced", "--ticket", "T-12345", "--client", "Acme Ltd",
                    "--tech", "J. Smith", root=sample)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"{BASE}checklists/access-baseline/?ticket=T-12345&client=Acme%20Ltd"
                             "&tech=J.%20Smith#mfa-enforced\n")
    assert run_kb("link", "access-baseline", root=sample).stdout == f"{BASE}checklists/access-baseline/\n"


def test_link_follows_former_ids_to_the_current_url(sites: dict[str, Path]) -> None:
    result = run_kb("link", "access-baseline", "mfa-enforced", root=sites["after"])
    assert result.stdout == f"{BASE}checklists/identity-baseline/#mfa-everywhere\n"


def test_link_to_an_unknown_checklist_or_item_is_a_usage_error(sample: Path) -> None:
    result = run_kb("link", "acess-baseline", root=sample)
    assert result.exit_code == 2
    assert ("Error: Invalid value for 'CHECKLIST': unknown checklist 'acess-baseline'; "
            "closest valid id: 'access-baseline'") in result.stderr
    result = run_kb("link", "access-baseline", "mfa", root=sample)
    assert result.exit_code == 2
    assert "Error: Invalid value for 'ITEM': unknown item 'mfa' in checklist 'access-baseline'" in result.stderr


# --- kb export (golden files) -----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "txt", "csv", "json"])
def test_export_matches_golden_file(sample: Path, fmt: str) -> None:
    # A client name with Markdown and HTML characters: it must stay text in every format.
    result = run_kb("export", "checklist", "access-baseline", "--format", fmt, "--ticket", "T-12345",
                    "--client", "Acme <Ltd> *Group*", "--tech", "J. Smith", root=sample)
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"access-baseline.{fmt}"
    if os.environ.get("KB_UPDATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(result.stdout.encode("utf-8"))
    assert result.stdout == golden.read_bytes().decode("utf-8")


def test_export_csv_and_json_parse_for_a_psa_import(sample: Path) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run_kb("export", "checklist", "access-baseline", "--format", "csv",
                                                  root=sample).stdout)))
    assert rows[1] == {"position": "2", "item_id": "owner-named", "text": "Every service account has a named owner",
                       "required": "false", "evidence": "", "audience": "client", "checklist_id": "access-baseline",
                       "checklist_title": "Access baseline", "url": f"{BASE}checklists/access-baseline/#owner-named"}
    data = json.loads(run_kb("export", "checklist", "access-baseline", "--format", "json", "--ticket", "T-9",
                             root=sample).stdout)
    assert data["context"] == {"ticket": "T-9"}
    assert data["items"][0]["url"] == f"{BASE}checklists/access-baseline/?ticket=T-9#mfa-enforced"


def test_exports_are_downloadable_beside_the_page(sites: dict[str, Path]) -> None:
    folder = sites["before"] / "site/checklists/access-baseline"
    html = (folder / "index.html").read_text(encoding="utf-8")
    for fmt in ("md", "txt", "csv", "json"):
        expected = run_kb("export", "checklist", "access-baseline", "--format", fmt, root=sites["before"]).stdout
        assert (folder / f"access-baseline.{fmt}").read_bytes().decode("utf-8") == expected
        assert f'<a href="access-baseline.{fmt}" download>{fmt}</a>' in html
    assert "Download PDF" not in html  # only `kb build --pdf` prints PDFs


def test_export_unknown_format_is_a_usage_error(sample: Path) -> None:
    result = run_kb("export", "checklist", "access-baseline", "--format", "xlsx", root=sample)
    assert result.exit_code == 2
    assert ("'xlsx' is not one of 'md', 'txt', 'csv', 'json', 'html', 'autotask', 'connectwise', 'halopsa', "
            "'hudu'") in result.stderr


# --- The page ---------------------------------------------------------------------------------

def test_checklist_page_markup(sites: dict[str, Path]) -> None:
    html = (sites["before"] / "site/checklists/access-baseline/index.html").read_text(encoding="utf-8")
    assert '<input type="checkbox" id="check-mfa-enforced" data-item="mfa-enforced">' in html
    assert '<label for="check-mfa-enforced">MFA is enforced for every user account</label>' in html
    assert f'data-kb-url="{BASE}checklists/access-baseline/"' in html
    assert "Version 1.2" in html
    assert '<script src="../../assets/kb/checklist.js"></script>' in html
    assert 'href="../../assets/kb/checklist.css"' in html


def test_page_shows_version_revision_and_what_changed(sites: dict[str, Path]) -> None:
    html = (sites["after"] / "site/checklists/identity-baseline/index.html").read_text(encoding="utf-8")
    assert ('<p class="kb-checklist-meta">Version 1.2 · revised 2026-12-01 · id <code>identity-baseline</code>'
            '<span class="kb-history-link"> · <a href="#kb-history">what changed</a></span></p>') in html
    assert "<li><strong>2026-12-01</strong>: Renamed; MFA now covers <em>every</em> sign-in.</li>" in html


def test_build_pdf_without_chromium_fails_and_keeps_the_site(sample: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import tree_digest

    assert run_kb("build", root=sample).exit_code == 0
    before = tree_digest(sample / "site")
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it
    result = run_kb("build", "--pdf", root=sample)
    assert result.exit_code == 1
    assert result.stderr.endswith(f"build failed: --pdf needs Debian's chromium: apt-get install chromium "
                                  f"(the previous {sample / 'site'} is unchanged)\n")
    assert tree_digest(sample / "site") == before
    assert [p.name for p in sample.iterdir() if p.name.startswith(".site")] == []
