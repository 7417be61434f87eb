"""Coverage and gaps: the counting rules on the sample tree, `kb coverage` in each format, and the
coverage page of the bundled site agreeing with `kb coverage` number for number."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest

from generator.features import load_knowledge_base
from generator.features.frameworks.coverage import band, coverage
from tests.conftest import REPO, edit, run_kb


def counts(report, control_id: str) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    row = next(r for r in report.walk() if r.node.control.id == control_id)
    return {c: (row.items[c], row.addressed[c]) for c in report.columns}


def test_counting_rules_on_the_sample(sample: Path) -> None:
    report = coverage(load_knowledge_base(sample), "mini-csf")
    assert report.columns == ["starter", "advanced", "all"]
    # starter: its own ref + the playbook step (PR.AA-01) + the linked checklist's item (PR.AA-05);
    # advanced: the same without a persona ref of its own; all: plus the FAQ, which no persona reaches.
    assert counts(report, "PR") == {"starter": (3, 2), "advanced": (2, 2), "all": (4, 2)}
    assert counts(report, "PR.AA-01") == {"starter": (2, 1), "advanced": (1, 1), "all": (3, 1)}
    assert counts(report, "PR.AA-05") == {"starter": (1, 1), "advanced": (1, 1), "all": (1, 1)}
    assert (report.outcomes, report.addressed, report.gaps) == (2, 2, [])


def test_an_item_citing_two_outcomes_counts_once_above_them(sample: Path) -> None:
    edit(sample / "content/playbooks/sort-out-access.yaml", "      - framework: mini-csf\n        id: PR.AA-01\n",
         "      - framework: mini-csf\n        id: PR.AA-01\n        why: Both.\n"
         "      - framework: mini-csf\n        id: PR.AA-05\n")
    report = coverage(load_knowledge_base(sample), "mini-csf")
    assert counts(report, "PR.AA-05")["starter"] == (2, 1)
    assert counts(report, "PR.AA-01")["starter"] == (2, 1)
    assert counts(report, "PR.AA")["starter"] == (3, 2)  # the step counts once, not twice


def test_gaps_name_cited_controls_a_crosswalk_relates(sample: Path) -> None:
    report = coverage(load_knowledge_base(sample), "mini-zt")
    assert [(g.node.control.id, [n.control.id for n in g.related]) for g in report.gaps] == [("tenet-6", ["PR.AA-05"])]
    assert (report.outcomes, report.addressed) == (1, 0)


def test_a_persona_scope_judges_gaps_by_that_persona(sample: Path) -> None:
    edit(sample / "content/playbooks/sort-out-access.yaml", "checklists: [access-baseline]", "checklists: []")
    kb = load_knowledge_base(sample)
    assert [g.node.control.id for g in coverage(kb, "mini-csf", "advanced").gaps] == ["PR.AA-05"]
    assert coverage(kb, "mini-csf").gaps == []  # the checklist still cites it; no persona reaches it


@pytest.mark.parametrize(("count", "expected"), [(0, 0), (1, 1), (2, 1), (3, 2), (5, 2), (6, 3), (11, 3), (12, 4), (90, 4)])
def test_heat_bands(count: int, expected: int) -> None:
    assert band(count) == expected


def test_cli_markdown(sample: Path) -> None:
    result = run_kb("coverage", "--framework", "mini-zt", root=sample)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == """# Coverage of Mini Zero Trust (mini-zt)

0 of 1 outcomes addressed by all guidance; 1 gap.
Cells: guidance items (outcomes addressed/outcomes below).

| Persona | tenets |
| --- | --- |
| Starter | 0 (0/1) |
| Advanced | 0 (0/1) |
| All guidance | 0 (0/1) |

## tenets Tenets

| Tenet | Starter | Advanced | All guidance |
| --- | --- | --- | --- |
| tenet-6 Dynamic, enforced authentication and authorisation | 0 (0/1) | 0 (0/1) | 0 (0/1) |

## Gaps (1)

- tenet-6 Dynamic, enforced authentication and authorisation (related: MINI PR.AA-05)
"""


def test_cli_csv_one_row_per_control(sample: Path) -> None:
    result = run_kb("coverage", "--framework", "mini-csf", "--persona", "starter", "--format", "csv", root=sample)
    assert result.exit_code == 0, result.stderr
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["id", "title", "kind", "parent", "depth", "outcomes", "starter_items", "starter_addressed", "gap"],
        ["PR", "Protect", "function", "", "0", "2", "3", "2", ""],
        ["PR.AA", "Identity Management, Authentication, and Access Control", "category", "PR", "1", "2", "3", "2", ""],
        ["PR.AA-01", "Identities and credentials are managed", "subcategory", "PR.AA", "2", "1", "2", "1", ""],
        ["PR.AA-05", "Access permissions are defined and reviewed", "subcategory", "PR.AA", "2", "1", "1", "1", ""],
    ]


def test_cli_json(sample: Path) -> None:
    result = run_kb("coverage", "--framework", "mini-zt", "--format", "json", root=sample)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["framework"] == {"id": "mini-zt", "name": "Mini Zero Trust", "version": "1"}
    assert data["persona"] is None
    assert [c["id"] for c in data["columns"]] == ["starter", "advanced", "all"]
    assert data["controls"][1] == {
        "id": "tenet-6", "title": "Dynamic, enforced authentication and authorisation", "kind": "tenet",
        "parent": "tenets", "depth": 1, "outcomes": 1,
        "items": {"starter": 0, "advanced": 0, "all": 0}, "addressed": {"starter": 0, "advanced": 0, "all": 0},
    }
    assert data["gaps"] == [{"id": "tenet-6", "title": "Dynamic, enforced authentication and authorisation",
                             "parent": "tenets", "related": [{"framework": "mini-csf", "id": "PR.AA-05"}]}]


@pytest.mark.parametrize(("args", "message"), [
    (["--framework", "mini-cfs"],
     "Invalid value for '--framework': unknown id 'mini-cfs' (known: mini-csf, mini-zt); closest valid id: 'mini-csf'"),
    (["--framework", "mini-csf", "--persona", "starer"],
     "Invalid value for '--persona': unknown id 'starer' (known: starter, advanced); closest valid id: 'starter'"),
])
def test_cli_unknown_ids_are_usage_errors(sample: Path, args: list[str], message: str) -> None:
    result = run_kb("coverage", *args, root=sample)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_reports_content_errors(sample: Path) -> None:
    edit(sample / "content/personas/starter.yaml", "id: PR.AA-01", "id: PR.AC-1")
    result = run_kb("coverage", "--framework", "mini-csf", root=sample)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "content/personas/starter.yaml:18: control 'PR.AC-1' is withdrawn from 'mini-csf'; use PR.AA-01, PR.AA-05 instead\n")


# --- The bundled knowledge base: the page and the command line agree --------------------------

CELL = re.compile(r'<td class="kb-heat kb-heat-(\d)" data-control="([^"]+)" data-column="([^"]+)">'
                  r'<span class="kb-heat-count">(\d+)</span>(?: <span class="kb-heat-outcomes"[^>]*>(\d+)/(\d+)</span>)?</td>')


def page_numbers(html: str, framework: str) -> dict[tuple[str, str], tuple[int, int | None, int | None]]:
    """(control, column) -> (items, addressed, outcomes) from every matrix of one framework."""
    found: dict[tuple[str, str], tuple[int, int | None, int | None]] = {}
    for table in re.findall(rf'<table class="kb-coverage" data-framework="{re.escape(framework)}">(.*?)</table>', html, re.S):
        for heat, control, column, items, addressed, outcomes in CELL.findall(table):
            value = (int(items), int(addressed) if addressed else None, int(outcomes) if outcomes else None)
            assert band(int(items)) == int(heat), (control, column)
            assert found.setdefault((unescape(control), column), value) == value
    return found


@pytest.mark.parametrize("framework", ["nist-csf-2.0", "nist-sp-800-207", "nist-sp-800-53r5"])
def test_bundled_coverage_page_agrees_with_kb_coverage(bundled_site: Path, framework: str) -> None:
    html = (bundled_site / "coverage/index.html").read_text(encoding="utf-8")
    result = run_kb("coverage", "--framework", framework, "--format", "json", root=REPO)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    expected = {  # the page shows no a/b where there are no outcomes below (an empty family)
        (c["id"], col["id"]): (c["items"][col["id"]], *((c["addressed"][col["id"]], c["outcomes"]) if c["outcomes"] else (None, None)))
        for c in data["controls"] if c["depth"] <= 1 for col in data["columns"]
    }
    assert page_numbers(html, framework) == expected
    section = html.split(f'id="{framework}-gaps"')[1].split("<h2")[0]
    page_gaps = re.findall(r'<a href="[^"]+"><strong>([^<]+)</strong>', section)
    assert page_gaps == [g["id"] for g in data["gaps"]]
    assert f"<strong>{data['addressed']} of {data['outcomes']}</strong> outcomes addressed" in html


def test_bundled_csf_matrix_covers_every_function(bundled_site: Path) -> None:
    html = (bundled_site / "coverage/index.html").read_text(encoding="utf-8")
    numbers = page_numbers(html, "nist-csf-2.0")
    assert {c for c, col in numbers if col == "all" and "." not in c} == {"GV", "ID", "PR", "DE", "RS", "RC"}
    assert len({c for c, _ in numbers if "." in c}) == 22  # every category, in the expandable tables
    assert {col for _, col in numbers} == {"unaware", "risk-averse", "ready", "all"}


def test_bundled_recover_function_has_guidance() -> None:
    """Issue 20: the Recover row is no longer empty; every RC outcome is cited by some guidance."""
    result = run_kb("coverage", "--framework", "nist-csf-2.0", "--format", "json", root=REPO)
    assert result.exit_code == 0, result.stderr
    rc = next(c for c in json.loads(result.stdout)["controls"] if c["id"] == "RC")
    assert rc["addressed"]["all"] == rc["outcomes"] == 8
    assert rc["items"]["ready"] > 0 and rc["items"]["risk-averse"] > 0
