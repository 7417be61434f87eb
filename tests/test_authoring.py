"""Authoring: `kb new` skeletons, review owners and staleness, change notes, and their pages."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from generator.core.feature import RenderContext
from generator.core.render import render
from generator.features import FEATURES, load_knowledge_base
from generator.features.authoring import review
from generator.features.authoring.scaffold import FOLDER_OF_KIND, skeleton
from tests.conftest import edit, kb_serve, run_kb

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_TODAY", TODAY)


def reviewed(sample: Path) -> Path:
    """The sample tree with an owner and a review date on every entity, so it is warning-free."""
    edit(sample / "content/personas/starter.yaml", "owner: Security lead\nreviewed: 2026-11-01\n", "")
    for path in sorted((sample / "content").rglob("*.yaml")):
        if path.name != "site.yaml":
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^(- |)id: (.+)\n", lambda m: (
                f"{m.group(0)}{'  ' if m.group(1) else ''}owner: Security lead\n"
                f"{'  ' if m.group(1) else ''}reviewed: 2026-11-01\n"), text, flags=re.M)
            path.write_text(text, encoding="utf-8")
    result = run_kb("validate", "--strict", root=sample)
    assert (result.exit_code, result.stderr) == (0, "")
    return sample


# --- kb new ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FOLDER_OF_KIND))
def test_new_skeleton_validates_as_written_and_lists_its_placeholders(sample: Path, kind: str) -> None:
    result = run_kb("new", kind, "fresh-start", root=sample)
    assert result.exit_code == 0, result.stderr
    rel = f"content/{FOLDER_OF_KIND[kind]}/fresh-start.yaml"
    assert result.stdout.splitlines()[0] == f"created {rel}"
    text = (sample / rel).read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../schemas/{kind}.json"
    assert "\nid: fresh-start\n" in text
    assert f"\nreviewed: {TODAY}\n" in text

    result = run_kb("validate", root=sample)
    assert result.exit_code == 0, result.stderr
    mine = [line for line in result.stderr.splitlines() if line.startswith(rel)]
    assert mine and all(": warning: placeholder left in '" in line for line in mine)
    assert len(mine) == text.count('"TODO') + text.count("/TODO")  # quoted placeholders, and a placeholder URL
    assert run_kb("validate", "--strict", root=sample).exit_code == 1


def test_new_then_fill_in_then_due_for_review(sample: Path) -> None:
    """The author's path: kb new, replace the TODOs, validate clean; months later, it is due."""
    sample = reviewed(sample)
    assert run_kb("new", "playbook", "vendor-ai-review", root=sample).exit_code == 0
    path = sample / "content/playbooks/vendor-ai-review.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'"TODO: ([^"]*)"', lambda m: '"' + m.group(1).replace("TODO", "") + '"', text)
    path.write_text(text, encoding="utf-8")
    result = run_kb("validate", "--strict", root=sample)
    assert (result.exit_code, result.stderr) == (0, "")

    later = run_kb("validate", "--today", "2027-05-29", root=sample)
    assert later.exit_code == 0
    assert later.stderr.splitlines() == [
        "content/checklists/access-baseline.yaml:3: warning: checklist 'access-baseline' is due for review since "
        "2027-04-30 (last reviewed 2026-11-01; reviewed every 180 days)",
        "content/playbooks/sort-out-access.yaml:3: warning: playbook 'sort-out-access' is due for review since "
        "2027-04-30 (last reviewed 2026-11-01; reviewed every 180 days)",
        "content/playbooks/vendor-ai-review.yaml:9: warning: playbook 'vendor-ai-review' is due for review since "
        "2027-05-29 (last reviewed 2026-11-30; reviewed every 180 days)",
        "3 warning(s); `kb validate --strict` treats them as errors.",
    ]
    strict = run_kb("validate", "--strict", "--today", "2027-05-29", root=sample)
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "3 problem(s) found."


def test_existing_id_is_refused_and_nothing_is_written(sample: Path) -> None:
    before = (sample / "content/playbooks/sort-out-access.yaml").read_bytes()
    result = run_kb("new", "playbook", "sort-out-access", root=sample)
    assert (result.exit_code, result.stderr) == (
        1, "error: content/playbooks/sort-out-access.yaml:1: playbook 'sort-out-access' already exists; choose another id\n")
    assert (sample / "content/playbooks/sort-out-access.yaml").read_bytes() == before


def test_id_inside_a_list_file_or_a_former_id_is_refused(sample: Path) -> None:
    result = run_kb("new", "term", "service-account", root=sample)
    assert result.stderr == "error: content/terms/terms.yaml:5: term 'service-account' already exists; choose another id\n"
    edit(sample / "content/personas/advanced.yaml", "id: advanced\n", "id: advanced\naliases: [expert]\n")
    result = run_kb("new", "persona", "expert", root=sample)
    assert result.stderr == "error: content/personas/advanced.yaml:2: persona 'expert' already exists; choose another id\n"
    assert not (sample / "content/personas/expert.yaml").exists()


def test_invalid_id_is_a_usage_error(sample: Path) -> None:
    result = run_kb("new", "playbook", "Vendor AI", root=sample)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for ID: 'Vendor AI' is not a valid id: use lowercase letters, digits and "
        "hyphens such as 'vendor-ai'")
    assert not list((sample / "content/playbooks").glob("*endor*"))


def test_unknown_kind_is_a_usage_error(sample: Path) -> None:
    result = run_kb("new", "playbok", "x", root=sample)
    assert result.exit_code == 2
    assert "'playbok' is not one of 'persona', 'playbook'" in result.stderr


# --- staleness ---------------------------------------------------------------------------------


def test_missing_owner_and_review_date_are_warnings(sample: Path) -> None:
    result = run_kb("validate", root=sample)
    assert result.exit_code == 0
    assert ("content/playbooks/sort-out-access.yaml:1: warning: playbook 'sort-out-access' has no owner "
            "(add `owner:` with the role that keeps it current)") in result.stderr.splitlines()
    assert ("content/faqs/first.yaml:1: warning: faq 'where-to-start' has never been reviewed "
            "(add `reviewed: YYYY-MM-DD` once it has)") in result.stderr.splitlines()


def test_intervals_per_kind_in_site_settings_and_per_entity(sample: Path) -> None:
    sample = reviewed(sample)
    edit(sample / "content/site.yaml", "base_url:", "review_intervals:\n  term: 10\nbase_url:")
    edit(sample / "content/personas/starter.yaml", "id: starter\n", "id: starter\nreview_every_days: 20\n")
    result = run_kb("validate", "--today", "2026-11-21", root=sample)
    assert result.stderr.splitlines() == [
        "content/personas/starter.yaml:4: warning: persona 'starter' is due for review since 2026-11-21 "
        "(last reviewed 2026-11-01; reviewed every 20 days)",
        "content/terms/terms.yaml:3: warning: term 'shadow-ai' is due for review since 2026-11-11 "
        "(last reviewed 2026-11-01; reviewed every 10 days)",
        "content/terms/terms.yaml:9: warning: term 'service-account' is due for review since 2026-11-11 "
        "(last reviewed 2026-11-01; reviewed every 10 days)",
        "3 warning(s); `kb validate --strict` treats them as errors.",
    ]
    assert run_kb("validate", "--today", "2026-11-20", root=sample).stderr.count("starter") == 0


def test_review_date_in_the_future_is_a_warning(sample: Path) -> None:
    sample = reviewed(sample)
    edit(sample / "content/takeaways/first.yaml", "reviewed: 2026-11-01", "reviewed: 2027-01-01")
    result = run_kb("validate", root=sample)
    assert result.stderr.splitlines()[0] == (
        "content/takeaways/first.yaml:3: warning: takeaway 'foundations-first' has a reviewed date in the future (2027-01-01)")


def test_bad_today_is_a_usage_error(sample: Path) -> None:
    result = run_kb("validate", "--today", "30/11/2026", root=sample)
    assert result.exit_code == 2
    assert "Invalid value for '--today': '30/11/2026' does not match the format '%Y-%m-%d'." in result.stderr


def test_bundled_content_is_current_today() -> None:
    from tests.conftest import REPO

    result = run_kb("validate", "--strict", root=REPO)
    assert (result.exit_code, result.stderr) == (0, "")


# --- pages -------------------------------------------------------------------------------------


def context(audience: str = "internal", client: str | None = None) -> RenderContext:
    """A render context as of $KB_TODAY (the tests set it), as `kb build` makes one."""
    return RenderContext(today=dt.date.fromisoformat(os.environ["KB_TODAY"]), audience=audience, client=client)


def rendered(root: Path) -> dict[str, str]:
    files = render(load_knowledge_base(root), context(), FEATURES).files
    return {path: text for path, text in files.items() if isinstance(text, str)}


def test_review_queue_lists_what_is_due_oldest_first(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample = reviewed(sample)
    edit(sample / "content/personas/starter.yaml", "reviewed: 2026-11-01", "reviewed: 2025-01-15")
    edit(sample / "content/checklists/access-baseline.yaml", "reviewed: 2026-11-01", "reviewed: 2026-04-01")
    edit(sample / "content/playbooks/sort-out-access.yaml", "reviewed: 2026-11-01\n", "")
    page = rendered(sample)["review-queue.md"]
    due = page.split("## Due now")[1].split("## Due in")[0]
    rows = [line for line in due.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows == [
        "| now | playbook | [Sort out access](playbooks/sort-out-access.md) | Security lead | never | 180 days |",
        "| 2026-01-15 | persona | [Starter](personas/starter.md) | Security lead | 2025-01-15 | 365 days |",
        "| 2026-09-28 | checklist | [Access baseline](checklists/access-baseline.md) | Security lead | 2026-04-01 | 180 days |",
    ]
    assert "Nothing else falls due in the next 60 days." in page
    monkeypatch.setenv("KB_TODAY", "2027-09-15")
    soon = rendered(sample)["review-queue.md"].split("## Due in the next 60 days")[1]
    assert [line.split(" | ")[:3] for line in soon.splitlines() if line.startswith("| 2")] == [
        ["| 2027-11-01", "case study", "[Token theft at a vendor](case-studies/token-theft.md)"],
        ["| 2027-11-01", "faq", "[Where do we start?](faq/index.md#where-to-start)"],
        ["| 2027-11-01", "persona", "[Advanced](personas/advanced.md)"],
        ["| 2027-11-01", "statistic", "[Average time to remediate a leaked secret](statistics/index.md#remediation-time)"],
        ["| 2027-11-01", "takeaway", "[Foundations first](takeaways/index.md#foundations-first)"],
    ]


def test_review_queue_is_left_out_of_client_builds(sample: Path) -> None:
    from generator.core.audience import for_audience

    kb = load_knowledge_base(reviewed(sample))
    assert [p.path for p in review.review_queue_pages(kb, context())] == ["review-queue.md"]
    client = for_audience(kb, "client")
    assert list(review.review_queue_pages(client, context("client"))) == []
    files = render(client, context("client"), FEATURES).files
    assert "review-queue.md" not in files
    assert "whats-new.md" in files
    assert "Security lead" not in str(files["playbooks/sort-out-access.md"])  # owners are internal
    from generator.features.packs.pack import pack

    packed = render(pack(kb, "Acme Ltd", "starter"), context("client", "Acme Ltd"), FEATURES).files
    assert "whats-new.md" not in packed and "review-queue.md" not in packed


def test_whats_new_lists_every_change_newest_first(sample: Path) -> None:
    edit(sample / "content/personas/starter.yaml", "owner: Security lead",
         "owner: Security lead\nchanges:\n  - date: 2026-10-01\n    note: Added the **risks** list.\n"
         "  - date: 2026-11-15\n    note: Reworded the summary.")
    edit(sample / "content/playbooks/sort-out-access.yaml", "effort: 2 days",
         "effort: 2 days\nchanges:\n  - date: 2026-11-15\n    note: Added the review step.")
    pages = rendered(sample)
    page = pages["whats-new.md"]
    assert re.findall(r"^## (.+?) \{", page, re.M) == ["2026-11-15", "2026-10-01"]
    assert [line for line in page.splitlines() if line.startswith("- ")] == [
        '- [Starter](personas/starter.md) (persona): Reworded the summary.',
        '- [Sort out access](playbooks/sort-out-access.md) (playbook): Added the review step.',
        '- [Starter](personas/starter.md) (persona): Added the **risks** list.',
    ]
    history = pages["personas/starter.md"].split("## History {#kb-history}")[1]
    assert history.index("2026-11-15") < history.index("2026-10-01")


@pytest.mark.parametrize("path", [
    "personas/starter.md", "playbooks/sort-out-access.md", "checklists/access-baseline.md",
    "terms/shadow-ai.md", "case-studies/token-theft.md",
])
def test_every_entity_page_shows_its_review_line(sample: Path, path: str) -> None:
    sample = reviewed(sample)
    page = rendered(sample)[path]
    assert page.count('<p class="kb-review" data-search-exclude>Last reviewed <time datetime="2026-11-01">2026-11-01</time>'
                      '<span class="kb-owner"> by Security lead</span></p>') == 1


def test_review_line_without_a_review(sample: Path) -> None:
    page = rendered(sample)["playbooks/sort-out-access.md"]
    assert '<p class="kb-review" data-search-exclude>Not yet reviewed</p>' in page


def test_skeleton_is_yaml_text_not_template_code() -> None:
    text = skeleton("term", "x", dt.date(2026, 11, 30))
    assert "{{" not in text and "{%" not in text


# --- the author's loop, end to end: kb new, kb serve, edit, see it live -----------------------


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(url: str, text: str, process: object, seconds: float = 60) -> str:
    """Poll until the served page contains text (each rebuild takes a few seconds)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "kb serve exited"  # type: ignore[attr-defined]
        status, body = _get(url)
        if status == 200 and text in body:
            return body
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


def test_new_playbook_is_live_in_kb_serve_and_edits_reload(sample: Path) -> None:
    assert run_kb("new", "playbook", "vendor-ai-review", root=sample).exit_code == 0
    with kb_serve(sample, KB_TODAY=TODAY) as (base, process):
        url = f"{base}playbooks/vendor-ai-review/"
        page = _wait_for(url, "TODO: what the playbook achieves", process)
        assert f'Last reviewed <time datetime="{TODAY}">{TODAY}</time>' in page
        edit(sample / "content/playbooks/vendor-ai-review.yaml",
             '"TODO: what the playbook achieves, as an instruction (e.g. Review a new vendor before approval)"',
             "Review an AI vendor before approval")
        _wait_for(url, ">Review an AI vendor before approval<a class=\"headerlink\"", process)
    assert process.stderr is not None
    process.stderr.close()
