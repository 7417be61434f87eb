"""PSA-native checklists and persona templates: the PSA formats (golden files), their field names
and limits as the vendors document them, audience filtering, CSV formula injection, the persona
template, ticket-button templates and `kb push` (dry run, and real HTTP to a loopback server).

Golden files live in tests/golden/psa/; regenerate them with KB_UPDATE_GOLDENS=1.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner, Result

from generator.cli.app import cli
from generator.core import csvsafe
from tests.conftest import FIXTURES, REPO, edit

GOLDEN = REPO / "tests" / "golden" / "psa"
BASE = "https://kb.sample-msp.example/"
PSAS = ("autotask", "connectwise", "halopsa", "hudu")
CONTEXT = ("--ticket", "4711", "--client", "Acme <Ltd> *Group*", "--tech", "J. Smith")
#: Every variable a push reads; the tests start with none of them set.
PSA_VARIABLES = (
    "AUTOTASK_API_URL", "AUTOTASK_INTEGRATION_CODE", "AUTOTASK_USERNAME", "AUTOTASK_SECRET",
    "CONNECTWISE_API_URL", "CONNECTWISE_COMPANY", "CONNECTWISE_PUBLIC_KEY", "CONNECTWISE_PRIVATE_KEY",
    "CONNECTWISE_CLIENT_ID", "HALOPSA_API_URL", "HALOPSA_TOKEN", "HUDU_API_URL", "HUDU_API_KEY",
)
MARKERS = [f"leak{n:02d}" for n in range(1, 43)]


def kb(*args: str | Path, root: Path, env: dict[str, str] | None = None) -> Result:
    """`kb` in-process with the PSA variables unset (or set as given); the raw bytes stay in
    stdout_bytes (click's Result.stdout turns CRLF into LF)."""
    environment: dict[str, str | None] = {name: None for name in PSA_VARIABLES}
    environment.update(env or {})
    return CliRunner().invoke(cli, ["--root", str(root), *map(str, args)], env=environment,
                              catch_exceptions=False)


def golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("KB_UPDATE_GOLDENS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), f"{name} differs from its golden file"


@pytest.fixture
def audience(tmp_path: Path) -> Path:
    """The sample plus tests/fixtures/audience: internal items, notes, owners, an internal
    checklist and persona, each internal text carrying a leakNN marker."""
    target = tmp_path / "kb"
    shutil.copytree(FIXTURES / "sample", target)
    shutil.copytree(FIXTURES / "audience", target, dirs_exist_ok=True)
    return target


def requests_of(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["requests"]


# --- Golden files ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", PSAS)
def test_checklist_psa_format_matches_golden_file(sample: Path, fmt: str) -> None:
    result = kb("export", "checklist", "access-baseline", "--format", fmt, *CONTEXT, root=sample)
    assert result.exit_code == 0, result.stderr
    golden(f"access-baseline.{fmt}.json", result.stdout_bytes)


def test_html_note_matches_golden_file(sample: Path) -> None:
    result = kb("export", "checklist", "access-baseline", "--format", "html", *CONTEXT, root=sample)
    assert result.exit_code == 0, result.stderr
    golden("access-baseline.html", result.stdout_bytes)
    # The client name is text in the note, never markup
    assert "Acme &lt;Ltd&gt; *Group*" in result.stdout and "<Ltd>" not in result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "connectwise", "hudu"])
def test_persona_template_matches_golden_file(sample: Path, fmt: str) -> None:
    result = kb("export", "persona", "starter", "--format", fmt, "--client", "Acme Ltd", root=sample)
    assert result.exit_code == 0, result.stderr
    golden(f"starter.{fmt}" + (".json" if fmt in PSAS else ""), result.stdout_bytes)


@pytest.mark.parametrize("psa", PSAS)
def test_push_dry_run_matches_golden_file(sample: Path, psa: str) -> None:
    result = kb("push", psa, "access-baseline", "--dry-run", "--ticket", "4711", root=sample)
    assert result.exit_code == 0, result.stderr
    golden(f"push-{psa}.txt", result.stdout_bytes)


def test_excel_csv_has_a_bom_and_crlf(sample: Path) -> None:
    result = kb("export", "checklist", "access-baseline", "--format", "csv", "--excel", root=sample)
    assert result.exit_code == 0, result.stderr
    golden("access-baseline.excel.csv", result.stdout_bytes)
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbfposition,item_id,")
    assert data.count(b"\r\n") == 3 and data.count(b"\n") == 3
    plain = kb("export", "checklist", "access-baseline", "--format", "csv", root=sample).stdout_bytes
    assert b"\r" not in plain and not plain.startswith(b"\xef")
    assert data.decode("utf-8-sig").replace("\r\n", "\n") == plain.decode("utf-8")


def test_excel_applies_to_csv_only(sample: Path) -> None:
    result = kb("export", "checklist", "access-baseline", "--format", "md", "--excel", root=sample)
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: --excel applies to --format csv only\n")


# --- The spreadsheet CSV ----------------------------------------------------------------------

def test_csv_has_position_title_and_url_columns(sample: Path) -> None:
    result = kb("export", "checklist", "access-baseline", "--format", "csv", "--ticket", "T-9", root=sample)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["position"] for row in rows] == ["1", "2"]
    assert rows[0] == {
        "position": "1", "item_id": "mfa-enforced", "text": "MFA is enforced for every user account",
        "required": "true", "evidence": "Conditional access policy export", "audience": "client",
        "checklist_id": "access-baseline", "checklist_title": "Access baseline",
        "url": f"{BASE}checklists/access-baseline/?ticket=T-9#mfa-enforced",
    }


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start: str) -> None:
    cell = f"{start}HYPERLINK(\"http://evil.example\",\"x\")"
    assert csvsafe.neutralise(cell) == "'" + cell
    text = csvsafe.write(["a", "b"], [[cell, "plain"]])
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row == ["'" + cell, "plain"]


@pytest.mark.parametrize("value", ["plain", "", " =not first", "1+1", "a@b", "’=x", None, 3])
def test_harmless_cells_are_left_alone(value: object) -> None:
    assert csvsafe.neutralise(value) == ("" if value is None else str(value))


FORMULAS = ['=1+2', '+SUM(A1:A3)', '-2+3', '@cmd', '=HYPERLINK("http://evil.example","click")']


def formula_sample(root: Path) -> None:
    """The sample with formulas where authors write text: item texts and evidence, a checklist
    and a playbook title, a step title, a control title."""
    checklist = root / "content/checklists/access-baseline.yaml"
    edit(checklist, "text: MFA is enforced for every user account", "text: '=1+2'")
    edit(checklist, "evidence: Conditional access policy export", "evidence: '+SUM(A1:A3)'")
    edit(checklist, "text: Every service account has a named owner", "text: '-2+3'")
    edit(checklist, "title: Access baseline", "title: '@cmd'")
    playbook = root / "content/playbooks/sort-out-access.yaml"
    edit(playbook, "title: Sort out access", """title: '=HYPERLINK("http://evil.example","click")'""")
    edit(playbook, "title: List every account", "title: '=1+2'")
    edit(playbook, "evidence: The exported list, attached to the ticket.", "evidence: '@cmd'")
    edit(root / "frameworks/mini-csf.yaml", "title: Protect", "title: '=1+2'")


def every_cell(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("command", [
    ("export", "checklist", "access-baseline", "--format", "csv"),
    ("export", "checklist", "access-baseline", "--format", "csv", "--excel"),
    ("export", "persona", "starter", "--format", "csv"),
    ("coverage", "--framework", "mini-csf", "--format", "csv"),
])
def test_no_csv_the_tool_writes_starts_a_cell_with_a_formula(sample: Path, command: tuple[str, ...]) -> None:
    formula_sample(sample)
    result = kb(*command, root=sample)
    assert result.exit_code == 0, result.stderr
    cells = every_cell(result.stdout_bytes.decode("utf-8-sig"))
    assert [c for c in cells if c.startswith(csvsafe.FORMULA_STARTS)] == []
    quoted = {c[1:] for c in cells if c.startswith("'")}
    assert quoted and quoted <= set(FORMULAS), quoted


def test_site_csv_download_is_neutralised_too(sample: Path, tmp_path: Path) -> None:
    formula_sample(sample)
    result = kb("build", "--out", tmp_path / "site", root=sample)
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "site/checklists/access-baseline/access-baseline.csv").read_text(encoding="utf-8")
    cells = every_cell(text)
    assert "'=1+2" in cells and "'+SUM(A1:A3)" in cells and "'-2+3" in cells and "'@cmd" in cells
    assert [c for c in cells if c.startswith(csvsafe.FORMULA_STARTS)] == []


# --- Rich-text note, Markdown and text with evidence -----------------------------------------

def test_md_and_txt_carry_evidence_lines(sample: Path) -> None:
    md = kb("export", "checklist", "access-baseline", "--format", "md", root=sample).stdout
    assert ("- [ ] MFA is enforced for every user account `mfa-enforced`\n"
            "    - Evidence: Conditional access policy export\n"
            "- [ ] Every service account has a named owner *(optional)* `owner-named`\n") in md
    txt = kb("export", "checklist", "access-baseline", "--format", "txt", root=sample).stdout
    assert ("[ ] MFA is enforced for every user account [mfa-enforced]\n"
            "    Evidence: Conditional access policy export\n"
            "[ ] Every service account has a named owner (optional) [owner-named]\n") in txt


def test_html_note_escapes_hostile_text(sample: Path) -> None:
    edit(sample / "content/checklists/access-baseline.yaml", "evidence: Conditional access policy export",
         "evidence: '<script>alert(1)</script> {{ 7*7 }}'")
    html = kb("export", "checklist", "access-baseline", "--format", "html", "--client", "<img src=x onerror=1>",
              root=sample).stdout
    assert "<script>" not in html and "<img" not in html
    assert "Evidence: &lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in html
    assert "Client: &lt;img src=x onerror=1&gt;" in html


# --- Audience ---------------------------------------------------------------------------------

ALL_FORMATS = ["md", "txt", "csv", "json", "html", *PSAS]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_internal_export_marks_internal_items(audience: Path, fmt: str) -> None:
    result = kb("export", "checklist", "pilot-readiness", "--format", fmt, root=audience)
    assert result.exit_code == 0, result.stderr
    assert "leak19 internal item text" in result.stdout
    marked = '"audience": "internal"' if fmt == "json" else ",internal," if fmt == "csv" else "(internal)"
    assert marked in result.stdout
    # the checklist's staff notes travel in the notes pasted into a ticket, not in PSA records
    assert ("leak22 checklist note." in result.stdout) == (fmt in ("md", "txt", "html", "json", "halopsa"))


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_client_export_drops_internal_items_notes_and_owners(audience: Path, fmt: str) -> None:
    result = kb("export", "checklist", "pilot-readiness", "--format", fmt, "--audience", "client", root=audience)
    assert result.exit_code == 0, result.stderr
    assert [m for m in MARKERS if m in result.stdout] == []
    assert "data-scoped" in result.stdout and "tooling-licensed" not in result.stdout


@pytest.mark.parametrize("fmt", ["json", "csv", "connectwise", "hudu"])
def test_client_persona_template_has_nothing_internal(audience: Path, fmt: str) -> None:
    internal = kb("export", "persona", "cautious", "--format", fmt, root=audience)
    assert "leak09 internal step title" in internal.stdout
    result = kb("export", "persona", "cautious", "--format", fmt, "--audience", "client", root=audience)
    assert result.exit_code == 0, result.stderr
    assert [m for m in MARKERS if m in result.stdout] == []
    assert "agree-scope" in result.stdout and "configure-tooling" not in result.stdout


def test_halopsa_note_is_hidden_from_the_end_user_unless_for_the_client(audience: Path) -> None:
    staff = requests_of(kb("export", "checklist", "pilot-readiness", "--format", "halopsa", root=audience))
    client = requests_of(kb("export", "checklist", "pilot-readiness", "--format", "halopsa", "--audience", "client",
                            root=audience))
    assert staff[0]["body"][0]["hiddenfromuser"] is True
    assert client[0]["body"][0]["hiddenfromuser"] is False


REFUSED = "is internal; --audience client exports and links only what clients may see\n"


@pytest.mark.parametrize(("args", "message"), [
    (("export", "checklist", "internal-checklist", "--format", "hudu"),
     "Invalid value for 'CHECKLIST': checklist 'internal-checklist' " + REFUSED),
    (("export", "persona", "internal-persona"), "Invalid value for 'PERSONA': persona 'internal-persona' " + REFUSED),
    (("link", "internal-checklist"), "Invalid value for 'CHECKLIST': checklist 'internal-checklist' " + REFUSED),
    (("link", "pilot-readiness", "tooling-licensed"),
     "Invalid value for 'ITEM': item 'tooling-licensed' of checklist 'pilot-readiness' " + REFUSED),
    (("push", "hudu", "internal-checklist", "--dry-run"),
     "Invalid value for 'CHECKLIST': checklist 'internal-checklist' " + REFUSED),
])
def test_client_audience_refuses_internal_content(audience: Path, args: tuple[str, ...], message: str) -> None:
    result = kb(*args, "--audience", "client", root=audience)
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: " + message)
    assert result.stdout == ""
    assert kb(*args, root=audience).exit_code == 0  # the same is fine for staff


def test_client_link_of_a_client_item_works(audience: Path) -> None:
    result = kb("link", "pilot-readiness", "data-scoped", "--audience", "client", root=audience)
    assert result.stdout == "https://kb.brightcape.example/checklists/pilot-readiness/#data-scoped\n"


# --- Field limits -----------------------------------------------------------------------------

def long_item(root: Path, length: int) -> None:
    edit(root / "content/checklists/access-baseline.yaml", "text: MFA is enforced for every user account",
         "text: " + "x" * length)


def test_autotask_item_name_at_its_limit_is_kept_whole(sample: Path) -> None:
    long_item(sample, 600 - len(" [mfa-enforced]"))
    body = requests_of(kb("export", "checklist", "access-baseline", "--format", "autotask", root=sample))[1]["body"]
    assert len(body["itemName"]) == 600 and body["itemName"].endswith("x [mfa-enforced]")


def test_autotask_item_name_over_its_limit_is_an_error_naming_the_item(sample: Path) -> None:
    long_item(sample, 600 - len(" [mfa-enforced]") + 1)
    result = kb("export", "checklist", "access-baseline", "--format", "autotask", root=sample)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "content/checklists/access-baseline.yaml:6: item 'mfa-enforced' of checklist 'access-baseline' is 601 "
        "characters with its id; Autotask's itemName takes at most 600 and has no description field to hold "
        "the rest (shorten the item text)\n1 problem(s) found.\n")
    # the same checklist is fine where the PSA has no such limit
    for psa in ("connectwise", "halopsa", "hudu"):
        assert kb("export", "checklist", "access-baseline", "--format", psa, root=sample).exit_code == 0
    assert kb("push", "autotask", "access-baseline", "--dry-run", root=sample).exit_code == 1


def many_items(root: Path, count: int) -> None:
    items = "".join(f"  - id: item-{n}\n    text: Item {n}\n    no_control_reason: Test.\n" for n in range(count))
    (root / "content/checklists/big.yaml").write_text(
        f"id: big\ntitle: Big\npurpose: Many items.\nitems:\n{items}", encoding="utf-8")


def test_autotask_takes_forty_items_on_a_ticket(sample: Path) -> None:
    many_items(sample, 40)
    assert len(requests_of(kb("export", "checklist", "big", "--format", "autotask", root=sample))) == 41
    (sample / "content/checklists/big.yaml").unlink()
    many_items(sample, 41)
    result = kb("export", "checklist", "big", "--format", "autotask", root=sample)
    assert result.exit_code == 1
    assert result.stderr == ("content/checklists/big.yaml:1: checklist 'big' has 41 items; an Autotask ticket "
                             "takes at most 40 checklist items (split the checklist)\n1 problem(s) found.\n")


def test_autotask_long_title_is_shortened_and_kept_whole_in_the_description(sample: Path) -> None:
    title = "Access baseline for every identity " + "and every other account " * 5
    edit(sample / "content/checklists/access-baseline.yaml", "title: Access baseline", f"title: {title}")
    body = requests_of(kb("export", "checklist", "access-baseline", "--format", "autotask", root=sample))[0]["body"]
    assert len(body["name"]) <= 100 and body["name"].endswith("…")
    assert body["name"][:-1].strip() in title
    assert body["description"].startswith(title.strip() + ". Version 1.2. " + BASE + "checklists/access-baseline/")
    assert len(body["description"]) <= 500


def test_autotask_description_over_its_limit_is_an_error(sample: Path) -> None:
    edit(sample / "content/checklists/access-baseline.yaml", "title: Access baseline", "title: " + "word " * 90)
    result = kb("export", "checklist", "access-baseline", "--format", "autotask", root=sample)
    assert result.exit_code == 1
    assert result.stderr == ("content/checklists/access-baseline.yaml:1: checklist 'access-baseline' needs 618 "
                             "characters of Autotask library description (title, version and URL); Autotask "
                             "takes at most 500 (shorten the title)\n1 problem(s) found.\n")


def test_connectwise_template_ticket_title_is_shortened_with_the_full_title_in_its_notes(sample: Path) -> None:
    title = "Sort out access to every system the client runs, " * 3
    edit(sample / "content/playbooks/sort-out-access.yaml", "title: Sort out access", f"title: {title}")
    body = requests_of(kb("export", "persona", "starter", "--format", "connectwise", root=sample))[1]["body"]
    assert len(body["description"]) <= 100 and body["description"].endswith("…")
    assert body["notes"].split("\n")[0] == title.strip()


# --- Field names and limits as the vendors document them ------------------------------------

#: (PSA, path pattern) -> documented body fields and their length limits (None: no documented
#: limit). Sources are listed in the README's PSA sections.
DOCUMENTED: dict[tuple[str, str], dict[str, int | None]] = {
    ("autotask", r"/V1\.0/ChecklistLibraries"): {"name": 100, "description": 500, "isActive": None},
    ("autotask", r"/V1\.0/ChecklistLibraries/[^/]+/ChecklistItems"):
        {"checklistLibraryID": None, "itemName": 600, "isImportant": None, "position": None,
         "knowledgebaseArticleID": None},
    ("connectwise", r"/service/tickets/[^/]+/tasks"):
        {"notes": None, "priority": None, "closedFlag": None, "resolution": None},
    ("connectwise", r"/project/projectTemplates"): {"name": 200, "description": None},
    ("connectwise", r"/project/projectTemplates/[^/]+/projectTemplateTickets"):
        {"description": 100, "notes": None, "lineNumber": None},
    ("connectwise", r"/project/projectTemplates/[^/]+/projectTemplateTickets/[^/]+/tasks"):
        {"description": None, "sequence": None, "summary": None},
    ("hudu", r"/api/v1/procedures"): {"name": None, "description": None, "company_id": None},
    ("hudu", r"/api/v1/procedure_tasks"):
        {"name": None, "procedure_id": None, "description": None, "position": None, "optional": None,
         "parent_task_id": None},
    ("halopsa", r"/Actions"): {"ticket_id": None, "note_html": None, "hiddenfromuser": None},
}
REQUIRED = {"itemName", "name", "procedure_id", "ticket_id", "note_html"}


def check_against_documentation(psa: str, request: dict[str, Any]) -> None:
    assert request["method"] == "POST"
    fields = next((fields for (name, pattern), fields in DOCUMENTED.items()
                   if name == psa and re.fullmatch(pattern, request["path"])), None)
    assert fields is not None, f"{psa}: {request['path']} is not a documented endpoint"
    bodies = request["body"] if isinstance(request["body"], list) else [request["body"]]
    if psa == "hudu" and "procedure_task" in request["body"]:
        bodies = [request["body"]["procedure_task"]]
    for body in bodies:
        assert set(body) <= set(fields), f"{psa} {request['path']}: undocumented {set(body) - set(fields)}"
        assert REQUIRED & set(fields) <= set(body)
        if psa == "connectwise" and request["path"].endswith("projectTemplateTickets"):
            assert body["description"]  # required by ConnectWise
        for name, value in body.items():
            limit = fields[name]
            if limit is not None:
                assert isinstance(value, str) and 0 < len(value) <= limit, (name, value)
            if name in ("isActive", "isImportant", "closedFlag", "optional", "hiddenfromuser"):
                assert isinstance(value, bool), (name, value)
            if name in ("position", "priority", "lineNumber", "sequence"):
                assert isinstance(value, int) and value >= 1, (name, value)


def dry_run_bodies(text: str) -> list[tuple[str, Any]]:
    """(request line, body) of each request a --dry-run prints."""
    out = []
    for block in text.split("\n### request ")[1:]:
        head, _, body = block.partition("\n\n")
        out.append((head.split("\n")[1], json.loads(body)))
    return out


@pytest.mark.parametrize("psa", PSAS)
def test_push_bodies_use_only_documented_fields_within_their_limits(audience: Path, psa: str) -> None:
    for checklist in ("pilot-readiness", "access-baseline"):
        for extra in ((), ("--audience", "client")):
            exported = requests_of(kb("export", "checklist", checklist, "--format", psa, "--ticket", "4711", *extra,
                                      root=audience))
            for request in exported:
                check_against_documentation(psa, request)
            printed = kb("push", psa, checklist, "--dry-run", "--ticket", "4711", *extra, root=audience)
            assert printed.exit_code == 0, printed.stderr
            # --dry-run prints exactly the exported requests
            assert dry_run_bodies(printed.stdout) == [
                (f"{r['method']} ${psa.upper()}_API_URL{r['path']}", r["body"]) for r in exported]


@pytest.mark.parametrize("psa", ["connectwise", "hudu"])
def test_persona_template_bodies_use_only_documented_fields(audience: Path, psa: str) -> None:
    for persona in ("cautious", "starter"):
        for request in requests_of(kb("export", "persona", persona, "--format", psa, root=audience)):
            check_against_documentation(psa, request)


def test_every_format_carries_the_permanent_url_and_item_ids(sample: Path) -> None:
    url = f"{BASE}checklists/access-baseline/"
    for fmt in PSAS:
        result = kb("export", "checklist", "access-baseline", "--format", fmt, root=sample)
        data = json.loads(result.stdout)
        assert data["kb"]["url"] == url
        assert [i["id"] for i in data["kb"]["items"]] == ["mfa-enforced", "owner-named"]
        bodies = json.dumps(data["requests"])
        # in the records themselves too, so a completed ticket leads back to the checklist
        assert url in bodies and "mfa-enforced" in bodies and "owner-named" in bodies, fmt


# --- Persona template -------------------------------------------------------------------------

def second_playbook(root: Path) -> None:
    (root / "content/playbooks/govern-data.yaml").write_text(
        "id: govern-data\ntitle: Govern the data\nobjective: Know where the data lives.\n"
        "steps:\n  - id: map-data\n    title: Map the data\n    owner: vCIO\n", encoding="utf-8")
    edit(root / "content/personas/starter.yaml", "playbooks: [sort-out-access]", "playbooks: [govern-data, sort-out-access]")


def test_persona_template_keeps_the_playbook_order_and_links_checklists(sample: Path) -> None:
    second_playbook(sample)
    data = json.loads(kb("export", "persona", "starter", "--ticket", "T-1", root=sample).stdout)
    assert [(p["position"], p["playbook"]) for p in data["phases"]] == [(1, "govern-data"), (2, "sort-out-access")]
    assert data["placeholders"] == ["{client}", "{tech}"]
    assert [(t["position"], t["kind"], t["id"]) for t in data["phases"][1]["tasks"]] == [
        (1, "step", "list-accounts"), (2, "step", "review-access"), (3, "checklist", "access-baseline")]
    assert data["phases"][1]["tasks"][2]["url"] == (
        f"{BASE}checklists/access-baseline/?ticket=T-1&client={{client}}&tech={{tech}}")
    assert data["phases"][0]["checklists"] == [] and len(data["phases"][0]["tasks"]) == 1
    rows = list(csv.DictReader(io.StringIO(kb("export", "persona", "starter", "--format", "csv", root=sample).stdout)))
    assert [(r["phase"], r["position"], r["task_id"]) for r in rows] == [
        ("1", "1", "map-data"), ("2", "1", "list-accounts"), ("2", "2", "review-access"), ("2", "3", "access-baseline")]


def test_persona_psa_templates_chain_their_requests(sample: Path) -> None:
    second_playbook(sample)
    cw = requests_of(kb("export", "persona", "starter", "--format", "connectwise", root=sample))
    assert [r["path"] for r in cw] == [
        "/project/projectTemplates",
        "/project/projectTemplates/{id of request 1}/projectTemplateTickets",
        "/project/projectTemplates/{id of request 1}/projectTemplateTickets/{id of request 2}/tasks",
        "/project/projectTemplates/{id of request 1}/projectTemplateTickets",
        "/project/projectTemplates/{id of request 1}/projectTemplateTickets/{id of request 4}/tasks",
        "/project/projectTemplates/{id of request 1}/projectTemplateTickets/{id of request 4}/tasks",
        "/project/projectTemplates/{id of request 1}/projectTemplateTickets/{id of request 4}/tasks",
    ]
    assert [r["body"].get("lineNumber") for r in cw if r["path"].endswith("Tickets")] == [1, 2]
    hudu = requests_of(kb("export", "persona", "starter", "--format", "hudu", root=sample))
    parents = [r["body"]["procedure_task"].get("parent_task_id") for r in hudu[1:]]
    assert parents == [None, "{id of request 2}", None, "{id of request 4}", "{id of request 4}", "{id of request 4}"]


def test_persona_formats_are_those_with_templates(sample: Path) -> None:
    result = kb("export", "persona", "starter", "--format", "autotask", root=sample)
    assert result.exit_code == 2
    assert "'autotask' is not one of 'json', 'csv', 'connectwise', 'hudu'" in result.stderr


def test_unknown_persona_names_the_closest(sample: Path) -> None:
    result = kb("export", "persona", "startr", root=sample)
    assert result.exit_code == 2
    assert "Error: Invalid value for 'PERSONA': unknown persona 'startr'; closest valid id: 'starter'" in result.stderr


# --- Ticket buttons ---------------------------------------------------------------------------

@pytest.mark.parametrize(("psa", "url", "notes"), [
    ("connectwise", f"{BASE}checklists/access-baseline/?ticket=[cw_id]#mfa-enforced",
     [("note: add it as a Manage Hosted API entry (System > Setup Tables > Manage Hosted API) on the Service "
      "Ticket screen, shown as a Pod or a Tab, with the site's origin as its Origin"),
      ("note: ConnectWise replaces [cw_id] with the ticket's record id (the ticket number); it has no URL token for "
      "the company or the member, so the technician types client and technician on the page")]),
    ("autotask", (f"{BASE}checklists/access-baseline/?ticket=<TICKET_NUMBER>&client=<CLIENT_NAME>"
                 "&tech=<TECHNICIAN_NAME>#mfa-enforced"),
     [("note: add it as a LiveLink on the Ticket entity (Admin > Automation > AutoForms & LiveLinks > LiveLinks "
      "Designer > New)"),
      ("unconfirmed: Autotask's LiveLink variable syntax is not in its public documentation; replace "
      "<TICKET_NUMBER>, <CLIENT_NAME> and <TECHNICIAN_NAME> with the LiveLink variables for the ticket number, "
      "the organization name and the resource's name")]),
    ("halopsa", (f"{BASE}checklists/access-baseline/?ticket=<TICKET_NUMBER>&client=<CLIENT_NAME>"
                "&tech=<TECHNICIAN_NAME>#mfa-enforced"),
     ["note: add it as a custom button or URL field on the ticket screen",
      ("unconfirmed: HaloPSA's variable syntax for a ticket URL could not be confirmed from a public source; "
      "replace <TICKET_NUMBER>, <CLIENT_NAME> and <TECHNICIAN_NAME> with Halo's variables for the ticket id, the "
      "client name and the agent name")]),
    ("hudu", f"{BASE}checklists/access-baseline/#mfa-enforced",
     ["note: add it as a procedure task's description (kb export checklist --format hudu puts the link there)",
      ("note: Hudu has no ticket screen and no URL substitution: the link opens the checklist without ticket "
      "context; the technician types ticket, client and technician on the page")]),
])
def test_link_template_prints_the_psa_url_template(sample: Path, psa: str, url: str, notes: list[str]) -> None:
    result = kb("link", "access-baseline", "mfa-enforced", "--template", psa, root=sample)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == url + "\n"
    assert result.stderr == "".join(f"{n}\n" for n in notes)


def test_link_template_keeps_context_given_and_follows_former_ids(sample: Path) -> None:
    edit(sample / "content/checklists/access-baseline.yaml", "id: access-baseline",
         "id: identity-baseline\naliases: [access-baseline]")
    edit(sample / "content/playbooks/sort-out-access.yaml", "checklists: [access-baseline]",
         "checklists: [identity-baseline]")
    result = kb("link", "access-baseline", "--template", "autotask", "--client", "Acme Ltd", root=sample)
    assert result.stdout == (f"{BASE}checklists/identity-baseline/?ticket=<TICKET_NUMBER>&client=Acme%20Ltd"
                             "&tech=<TECHNICIAN_NAME>\n")


# --- kb push ----------------------------------------------------------------------------------

SECRETS = {
    "AUTOTASK_INTEGRATION_CODE": "code-VALUE-1", "AUTOTASK_USERNAME": "api@msp.example",
    "AUTOTASK_SECRET": "s3cret-VALUE-2", "CONNECTWISE_COMPANY": "company-VALUE-8", "CONNECTWISE_PUBLIC_KEY": "pub-VALUE-3",
    "CONNECTWISE_PRIVATE_KEY": "priv-VALUE-4", "CONNECTWISE_CLIENT_ID": "client-VALUE-5",
    "HALOPSA_TOKEN": "token-VALUE-6", "HUDU_API_KEY": "key-VALUE-7",
}


def env_for(base: str) -> dict[str, str]:
    return {**SECRETS, **{f"{psa.upper()}_API_URL": base for psa in PSAS}}


@pytest.mark.parametrize("psa", PSAS)
def test_dry_run_never_prints_a_secret(sample: Path, psa: str) -> None:
    result = kb("push", psa, "access-baseline", "--dry-run", "--ticket", "4711", root=sample,
                env=env_for("https://psa.example/api"))
    assert result.exit_code == 0, result.stderr
    assert [value for value in SECRETS.values() if value in result.stdout + result.stderr] == []
    assert "POST https://psa.example/api/" in result.stdout


def test_push_without_credentials_names_the_variables(sample: Path) -> None:
    result = kb("push", "autotask", "access-baseline", root=sample, env={"AUTOTASK_USERNAME": "api@msp.example"})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "push failed: kb push autotask takes its URL and credentials from the environment: set AUTOTASK_API_URL, "
        "AUTOTASK_INTEGRATION_CODE, AUTOTASK_USERNAME, AUTOTASK_SECRET (missing: AUTOTASK_API_URL, "
        "AUTOTASK_INTEGRATION_CODE, AUTOTASK_SECRET)\n")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_push_without_network_fails_with_a_clear_message(sample: Path) -> None:
    port = closed_port()
    result = kb("push", "autotask", "access-baseline", root=sample, env=env_for(f"http://127.0.0.1:{port}"))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"push failed: could not reach Autotask at http://127.0.0.1:{port} (request 1 of 3, POST "
        "/V1.0/ChecklistLibraries): [Errno 111] Connection refused; nothing was created\n")
    assert "Traceback" not in result.stderr and "VALUE" not in result.stderr


@pytest.mark.parametrize("psa", ["connectwise", "halopsa"])
def test_push_to_a_ticket_needs_its_numeric_id(sample: Path, psa: str) -> None:
    result = kb("push", psa, "access-baseline", "--ticket", "T-12345", root=sample, env=env_for("https://psa.example"))
    assert result.exit_code == 1
    title = {"connectwise": "ConnectWise PSA", "halopsa": "HaloPSA"}[psa]
    assert result.stderr == (f"push failed: kb push {psa} needs --ticket with the numeric {title} ticket id "
                             "the checklist goes on\n")


class Recorder(BaseHTTPRequestHandler):
    """A PSA stand-in on loopback: records each request and answers with a new id."""

    received: ClassVar[list[dict[str, Any]]] = []
    answer: ClassVar[str] = "itemId"

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.received.append({"path": self.path, "headers": headers, "body": body})
        payload = json.dumps({self.answer: 100 + len(self.received)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def psa_server() -> Iterator[tuple[str, type[Recorder]]]:
    handler = type("Handler", (Recorder,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ATServicesRest", handler
    finally:
        server.shutdown()
        server.server_close()


def test_push_sends_the_requests_in_order_with_the_ids_the_psa_returns(
        sample: Path, psa_server: tuple[str, type[Recorder]]) -> None:
    base, handler = psa_server
    result = kb("push", "autotask", "access-baseline", root=sample, env=env_for(base))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "pushed 3 record(s) to Autotask\n"
    exported = requests_of(kb("export", "checklist", "access-baseline", "--format", "autotask", root=sample))
    assert [r["path"] for r in handler.received] == [
        "/ATServicesRest/V1.0/ChecklistLibraries",
        "/ATServicesRest/V1.0/ChecklistLibraries/101/ChecklistItems",
        "/ATServicesRest/V1.0/ChecklistLibraries/101/ChecklistItems",
    ]
    assert handler.received[0]["body"] == exported[0]["body"]
    assert handler.received[1]["body"] == {**exported[1]["body"], "checklistLibraryID": 101}
    headers = handler.received[0]["headers"]
    assert (headers["apiintegrationcode"], headers["username"], headers["secret"]) == (
        "code-VALUE-1", "api@msp.example", "s3cret-VALUE-2")
    assert headers["content-type"] == "application/json"


def test_push_to_connectwise_sends_basic_auth_and_client_id(
        sample: Path, psa_server: tuple[str, type[Recorder]]) -> None:
    base, handler = psa_server
    handler.answer = "id"
    result = kb("push", "connectwise", "access-baseline", "--ticket", "4711", root=sample, env=env_for(base))
    assert result.exit_code == 0, result.stderr
    assert [r["path"] for r in handler.received] == ["/ATServicesRest/service/tickets/4711/tasks"] * 2
    headers = handler.received[0]["headers"]
    # HTTP header names are case-insensitive; urllib sends them capitalised
    assert headers["authorization"] == "Basic " + base64.b64encode(b"company-VALUE-8+pub-VALUE-3:priv-VALUE-4").decode()
    assert headers["clientid"] == "client-VALUE-5"
