"""Importers (OSCAL, CPRT, CSF 1.1 workbook), the YAML dump and the `kb frameworks` commands."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.core.errors import ContentError
from generator.core.load import parse_text
from generator.core.model import Framework
from generator.features.frameworks.commands import frameworks
from generator.features.frameworks.importers import dump_framework, import_cprt, import_oscal
from generator.features.frameworks.importers.crosswalk import (
    derive_csf20_to_sp80053,
    read_csf11_workbook,
    read_xlsx_rows,
)

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
OSCAL = FIXTURES / "oscal-catalog.json"
CPRT = FIXTURES / "cprt-export.json"
REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
SP80053 = REFERENCE / "nist-sp-800-53-r5" / "NIST_SP-800-53_rev5_catalog.json"
SP80053_HIGH = (
    REFERENCE
    / "nist-sp-800-53-r5"
    / "NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json"
)
CSF20 = REFERENCE / "nist-csf-2.0" / "cprt_CSF_2_0_0_04-24-2024.json"
CSF11_XLSX = REFERENCE / "nist-csf-1.1" / "csf-pf-to-sp800-53r5-mappings.xlsx"

OSCAL_EXPECTED_AC1 = (
    "a. Disseminate a policy to [Assignment: organization-defined personnel or roles]: "
    "1. that follows AC-2; and "
    "2. that is reviewed [Selection (one or more): yearly; [Assignment: organization-defined "
    "frequency]]; "
    "b. Review it after [Assignment: events that trigger a review are defined], "
    "by [organization-defined parameter], with [organization-defined parameter]."
)
OSCAL_EXPECTED_WITHDRAWN = [
    {
        "id": "AC-2(2)",
        "title": "Shared Credentials",
        "replaced_by": ["AC-2", "AC-2(1)"],
        "reason": "Incorporated into AC-2k, AC-2(1)",
    },
    {
        "id": "AC-3",
        "title": "Old Control",
        "replaced_by": ["IA", "IA-1"],
        "reason": "Incorporated into IA; moved to IA-1",
    },
    {"id": "IA-1(1)", "title": "Tailored Away", "reason": "Addressed through tailoring."},
]


def _oscal_expected(with_enhancements: bool) -> dict[str, Any]:
    ac2: dict[str, Any] = {
        "id": "AC-2",
        "title": "Account Management",
        "kind": "control",
        "text": "Manage accounts.",
    }
    if with_enhancements:
        ac2["children"] = [
            {
                "id": "AC-2(1)",
                "title": "Automated Account Management",
                "kind": "enhancement",
                "text": "Automate it.",
            }
        ]
    return {
        "id": "test-catalog",
        "name": "Test Catalog",
        "version": "1.2",
        "publisher": "Joint Task Force",
        "controls": [
            {
                "id": "AC",
                "title": "Access Control",
                "kind": "family",
                "children": [
                    {
                        "id": "AC-1",
                        "title": "Policy and Procedures",
                        "kind": "control",
                        "text": OSCAL_EXPECTED_AC1,
                    },
                    ac2,
                ],
            },
            {
                "id": "IA",
                "title": "Identification and Authentication",
                "kind": "family",
                "children": [
                    {
                        "id": "IA-1",
                        "title": "Identify Users",
                        "kind": "control",
                        "text": "Identify users.",
                    },
                ],
            },
        ],
        "withdrawn": OSCAL_EXPECTED_WITHDRAWN
        if with_enhancements
        else [OSCAL_EXPECTED_WITHDRAWN[1]],
    }


CPRT_EXPECTED: dict[str, Any] = {
    "id": "test-csf",
    "name": "Test Framework",
    "version": "9.0",
    "publisher": "NIST",
    "url": "https://example.org/csf.pdf",
    "controls": [
        {
            "id": "GV",
            "title": "GOVERN",
            "kind": "function",
            "text": "Strategy is set",
            "children": [
                {
                    "id": "GV.PO",
                    "title": "Policy",
                    "kind": "category",
                    "children": [
                        {"id": "GV.PO-01", "title": "Policy is established", "kind": "subcategory"},
                    ],
                },
            ],
        },
        {
            "id": "PR",
            "title": "PROTECT",
            "kind": "function",
            "text": "Safeguards are used",
            "children": [
                {
                    "id": "PR.AA",
                    "title": "Identity Management",
                    "kind": "category",
                    "text": "Access is limited",
                    "children": [
                        {
                            "id": "PR.AA-01",
                            "title": "Identities are managed",
                            "kind": "subcategory",
                        },
                        {
                            "id": "PR.AA-02",
                            "title": "Identities are proofed",
                            "kind": "subcategory",
                        },
                    ],
                },
            ],
        },
    ],
    "withdrawn": [
        {
            "id": "PR.AC",
            "title": "Access Control",
            "replaced_by": ["PR.AA"],
            "reason": "Moved to PR.AA",
        },
        {
            "id": "PR.AC-01",
            "title": "Identities are issued and audited",
            "replaced_by": ["PR.AA-01", "PR.AA-02"],
            "reason": "Incorporated into PR.AA-01, PR.AA-02",
            "also": ["PR.AC-1"],
        },
        {
            "id": "PR.AC-10",
            "title": "Remote access is managed",
            "reason": "Incorporated into other Categories",
        },
    ],
}


def _walk(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [n for node in nodes for n in [node, *_walk(node.get("children", []))]]


def _golden(name: str, text: str) -> None:
    """Compare with a golden file; UPDATE_GOLDENS=1 rewrites it instead."""
    path = FIXTURES / name
    if os.environ.get("UPDATE_GOLDENS") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# --- the importers on small fixtures -------------------------------------------------------------


def test_import_oscal_with_enhancements() -> None:
    assert import_oscal(OSCAL, "test-catalog", with_enhancements=True) == _oscal_expected(True)


def test_import_oscal_without_enhancements_drops_them_and_their_withdrawals() -> None:
    assert import_oscal(OSCAL, "test-catalog") == _oscal_expected(False)


def test_import_cprt() -> None:
    assert import_cprt(CPRT, "test-csf") == CPRT_EXPECTED


def test_dump_framework_golden_and_valid() -> None:
    header = "Produced by a test\nfrom two fixtures."
    for name, data in [
        (
            "oscal-catalog.expected.yaml",
            import_oscal(OSCAL, "test-catalog", with_enhancements=True),
        ),
        ("cprt-export.expected.yaml", import_cprt(CPRT, "test-csf")),
    ]:
        text = dump_framework(data, header)
        _golden(name, text)
        assert text.startswith("# Produced by a test\n# from two fixtures.\nid: ")
        assert "&" not in text and "*id" not in text  # no anchors or aliases
        assert (
            Framework.model_validate(parse_text(text, name)).model_dump(
                mode="json", exclude_defaults=True
            )
            == data
        )


def test_dump_framework_refuses_data_the_model_refuses() -> None:
    data = {**CPRT_EXPECTED, "controls": [{"id": "GV", "title": "GOVERN"}]}
    with pytest.raises(ContentError) as error:
        dump_framework(data, "x")
    assert str(error.value) == "<Framework test-csf>:0: controls.0.kind: Field required"


# --- malformed input: one line naming the file and what was expected -----------------------------

OSCAL_WANTED = 'an OSCAL catalog JSON file (an object with a "catalog" key)'
CPRT_WANTED = (
    'a NIST CPRT JSON export (an object {"response": {"elements": '
    '{"elements": [...], "relationships": [...]}}})'
)
MALFORMED = [
    (
        import_oscal,
        "not-json.json",
        "{ 'catalog': 1 }",
        "1: not valid JSON (Expecting property name enclosed in double quotes at column 3); "
        f"expected {OSCAL_WANTED}",
    ),
    (
        import_cprt,
        "empty.json",
        "",
        f"1: not valid JSON (Expecting value at column 1); expected {CPRT_WANTED}",
    ),
    (
        import_oscal,
        "second-line.json",
        '{"catalog": {}\n,,}',
        "2: not valid JSON (Expecting property name enclosed in double quotes at column 2); "
        f"expected {OSCAL_WANTED}",
    ),
    (
        import_oscal,
        "list.json",
        "[1, 2]",
        f"1: not an OSCAL catalog: expected {OSCAL_WANTED}, found a list",
    ),
    (
        import_oscal,
        "profile.json",
        '{"profile": {}}',
        f"1: not an OSCAL catalog: expected {OSCAL_WANTED}, found an object with keys: profile; "
        "an OSCAL profile must be resolved into a catalog first",
    ),
    (
        import_oscal,
        "no-groups.json",
        '{"catalog": {"metadata": {"title": "T", "version": "1"}}}',
        '1: catalog: "groups" is missing (expected a list)',
    ),
    (
        import_oscal,
        "no-metadata.json",
        '{"catalog": {"groups": []}}',
        '1: catalog: "metadata" is missing (expected an object)',
    ),
    (
        import_oscal,
        "bad-title.json",
        '{"catalog": {"metadata": {"title": "T", "version": "1"}, '
        '"groups": [{"id": "ac", "title": "AC", "controls": [{"id": "ac-1", "title": 7}]}]}}',
        "1: catalog.groups[0].controls[0].title: expected a string, found a number",
    ),
    (
        import_oscal,
        "bad-group.json",
        '{"catalog": {"metadata": {"title": "T", "version": "1"}, "groups": ["ac"]}}',
        "1: catalog.groups[0]: expected an object, found a string",
    ),
    (
        import_oscal,
        "empty-groups.json",
        '{"catalog": {"metadata": {"title": "T", "version": "1"}, "groups": []}}',
        "1: catalog.groups: the catalog has no groups (expected at least one family)",
    ),
    (
        import_oscal,
        "blank-id.json",
        '{"catalog": {"metadata": {"title": "T", "version": "1"}, "groups": [{"id": " ", "title": '
        '"AC"}]}}',
        "1: catalog.groups[0].id: is empty (expected text)",
    ),
    (
        import_oscal,
        "deep.json",
        "[" * 100_000 + "]" * 100_000,
        f"1: JSON nested too deeply to read; expected {OSCAL_WANTED}",
    ),
    (
        import_cprt,
        "catalog.json",
        '{"catalog": {"groups": []}}',
        f"1: not a NIST CPRT export: expected {CPRT_WANTED}, found an object with keys: catalog; "
        "an OSCAL catalog is read by import-oscal",
    ),
    (
        import_cprt,
        "no-relationships.json",
        '{"response": {"elements": {"elements": []}}}',
        '1: response.elements: "relationships" is missing (expected a list)',
    ),
    (
        import_cprt,
        "bad-element.json",
        '{"response": {"elements": {"elements": [{"element_type": "function", '
        '"element_identifier": 3}], '
        '"relationships": []}}}',
        "1: response.elements.elements[0].element_identifier: expected a string, found a number",
    ),
    (
        import_cprt,
        "no-functions.json",
        '{"response": {"elements": {"elements": [{"element_type": "family", "element_identifier": '
        '"AC", '
        '"title": "Access Control", "text": ""}], "relationships": []}}}',
        "1: response.elements.elements: no active element of type function "
        "(expected a CSF-style export with function, category and subcategory elements)",
    ),
]


@pytest.mark.parametrize(
    ("importer", "name", "content", "message"), MALFORMED, ids=[m[1] for m in MALFORMED]
)
def test_malformed_input_is_one_clear_problem(
    tmp_path: Path, importer: Any, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        importer(path, "x")
    assert str(error.value) == f"{path.as_posix()}:{message}"


def test_a_file_of_the_other_kind_is_named_as_such() -> None:
    with pytest.raises(ContentError) as error:
        import_oscal(CPRT, "x")
    assert str(error.value) == (
        f"{CPRT.as_posix()}:1: not an OSCAL catalog: expected {OSCAL_WANTED}, "
        "found an object with keys: response; a NIST CPRT export is read by import-cprt"
    )
    with pytest.raises(ContentError) as error:
        import_cprt(OSCAL, "x")
    assert str(error.value) == (
        f"{OSCAL.as_posix()}:1: not a NIST CPRT export: expected {CPRT_WANTED}, "
        "found an object with keys: catalog; an OSCAL catalog is read by import-oscal"
    )


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(ContentError) as error:
        import_cprt(missing, "x")
    assert str(error.value) == (
        f"{missing.as_posix()}:1: cannot read file: No such file or directory (expected "
        f"{CPRT_WANTED})"
    )
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"catalog":\n "caf\xe9"}')
    with pytest.raises(ContentError) as error:
        import_oscal(latin1, "x")
    assert str(error.value) == (
        f"{latin1.as_posix()}:2: file is not UTF-8 text (byte 0xe9); expected {OSCAL_WANTED}"
    )


def test_invalid_framework_id() -> None:
    with pytest.raises(ContentError) as error:
        import_cprt(CPRT, "NIST CSF")
    assert str(error.value) == (
        f"{CPRT.as_posix()}:1: framework id 'NIST CSF' is not valid "
        "(expected lower-case words joined by '-' or '.', e.g. nist-csf-2.0)"
    )


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    children: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    return [path] + [p for key, child in children for p in _paths(child, (*path, key))]


@pytest.mark.parametrize(("importer", "fixture"), [(import_oscal, OSCAL), (import_cprt, CPRT)])
def test_any_value_of_the_wrong_kind_gives_a_problem_not_a_traceback(
    tmp_path: Path, importer: Any, fixture: Path
) -> None:
    """Replace each value of a fixture in turn; every outcome is valid data or a ContentError."""
    original = json.loads(fixture.read_text(encoding="utf-8"))
    path = tmp_path / fixture.name
    outcomes = {"data": 0, "problem": 0}
    for where in _paths(original)[1:]:
        replacements: tuple[Any, ...] = (None, 1, "", {})
        for replacement in replacements:
            document = json.loads(fixture.read_text(encoding="utf-8"))
            parent = document
            for key in where[:-1]:
                parent = parent[key]
            parent[where[-1]] = replacement
            path.write_text(json.dumps(document), encoding="utf-8")
            try:
                Framework.model_validate(importer(path, "x"))
                outcomes["data"] += 1
            except ContentError as error:
                assert all(p.path == path.as_posix() and p.line == 1 for p in error.problems)
                outcomes["problem"] += 1
    assert outcomes["data"] > 100 and outcomes["problem"] > 50


# --- the CSF 1.1 workbook reader and the CSF 2.0 -> SP 800-53 derivation --------------------------


def _write_xlsx(path: Path, rows: list[list[str]], sheet: str = "CSF to SP 800-53r5") -> None:
    """A minimal workbook: shared strings for column C, inline strings elsewhere."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    shared = [row[2] for row in rows if len(row) > 2]
    cells = []
    for r, row in enumerate(rows, start=1):
        xml = []
        for c, text in enumerate(row):
            ref = f"{'ABCD'[c]}{r}"
            if c == 2:
                xml.append(f'<c r="{ref}" t="s"><v>{shared.index(text)}</v></c>')
            else:
                xml.append(f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>')
        cells.append(f'<row r="{r}">{"".join(xml)}</row>')
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name="README" sheetId="1" r:id="rId1"/>'
            f'<sheet name="{sheet}" sheetId="2" r:id="rId2"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>',
        )
        book.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{main}">{"".join(f"<si><t>{s}</t></si>" for s in shared)}</sst>',
        )
        book.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData/></worksheet>'
        )
        book.writestr(
            "xl/worksheets/sheet2.xml",
            f'<worksheet xmlns="{main}"><sheetData>{"".join(cells)}</sheetData></worksheet>',
        )


def test_read_csf11_workbook(tmp_path: Path) -> None:
    path = tmp_path / "mapping.xlsx"
    _write_xlsx(
        path,
        [
            ["Function", "Category", "Subcategory", "NIST SP 800-53, Revision 5 Control"],
            [
                "Protect (PR)",
                "Access Control (PR.AC): ...",
                "PR.AC-1: Identities are managed",
                "AC-2,  IA-2",
            ],
            ["", "", "PR.AC-2: Physical access is managed", ""],
        ],
    )
    assert read_xlsx_rows(path, "CSF to SP 800-53r5")[1] == {
        "A": "Protect (PR)",
        "B": "Access Control (PR.AC): ...",
        "C": "PR.AC-1: Identities are managed",
        "D": "AC-2,  IA-2",
    }
    assert read_csf11_workbook(path) == {"PR.AC-1": ["AC-2", "IA-2"], "PR.AC-2": []}


def test_workbook_errors(tmp_path: Path) -> None:
    other = tmp_path / "other.xlsx"
    _write_xlsx(other, [["x"]], sheet="PF to SP 800-53r5")
    with pytest.raises(ContentError) as error:
        read_csf11_workbook(other)
    assert str(error.value) == (
        f"{other.as_posix()}:1: the workbook has no sheet 'CSF to SP 800-53r5' (found: README, PF "
        "to SP 800-53r5)"
    )
    with pytest.raises(ContentError) as error:
        read_csf11_workbook(CPRT)
    assert str(error.value) == (
        f"{CPRT.as_posix()}:1: not a readable .xlsx workbook (File is not a zip file); "
        "expected NIST's CSF to SP 800-53r5 mapping"
    )


def test_derive_csf20_to_sp80053() -> None:
    csf11 = {
        "PR.AC-1": ["AC-2", "IA-2", "ZZ-9"],  # withdrawn, incorporated into PR.AA-01 and PR.AA-02
        "GV.PO-1": ["-1 controls from all security control families"],  # kept as GV.PO-01
        "PR.AC-10": ["AC-17"],  # withdrawn into no subcategory
        "ID.XX-1": ["AC-2"],  # unknown to CSF 2.0
    }
    mappings = derive_csf20_to_sp80053(
        csf11,
        import_cprt(CPRT, "test-csf"),
        ["PR.AA-02", "PR.AA-01", "GV.PO-01"],
        ["IA-2", "AC-1", "AC-2", "AC-17"],
    )
    assert mappings == [
        {
            "source": "PR.AA-02",
            "target": "IA-2",
            "relationship": "intersects",
            "rationale": "NIST CSF 1.1 PR.AC-1 maps to IA-2; PR.AC-1 was incorporated into "
            "PR.AA-02.",
        },
        {
            "source": "PR.AA-02",
            "target": "AC-2",
            "relationship": "intersects",
            "rationale": "NIST CSF 1.1 PR.AC-1 maps to AC-2; PR.AC-1 was incorporated into "
            "PR.AA-02.",
        },
        {
            "source": "PR.AA-01",
            "target": "IA-2",
            "relationship": "intersects",
            "rationale": "NIST CSF 1.1 PR.AC-1 maps to IA-2; PR.AC-1 was incorporated into "
            "PR.AA-01.",
        },
        {
            "source": "PR.AA-01",
            "target": "AC-2",
            "relationship": "intersects",
            "rationale": "NIST CSF 1.1 PR.AC-1 maps to AC-2; PR.AC-1 was incorporated into "
            "PR.AA-01.",
        },
        {
            "source": "GV.PO-01",
            "target": "AC-1",
            "relationship": "intersects",
            "rationale": "NIST CSF 1.1 GV.PO-1 maps to the -1 controls of every family (AC-1 "
            "among them); "
            "GV.PO-1 continues in CSF 2.0 as GV.PO-01, reworded.",
        },
    ]


# --- the command line -----------------------------------------------------------------------------


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(frameworks, list(args), env={"SOURCE_DATE_EPOCH": "86400"})


def _header(command: str, source: Path) -> str:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    return f"Produced by `{command}`\nfrom {source.name} (sha256 {digest}) on 1970-01-02."


def test_cli_import_oscal_to_stdout() -> None:
    result = _invoke("import-oscal", str(OSCAL), "--id", "test-catalog", "--with-enhancements")
    assert (result.exit_code, result.stderr) == (0, "")
    command = "kb frameworks import-oscal oscal-catalog.json --id test-catalog --with-enhancements"
    assert result.stdout == dump_framework(_oscal_expected(True), _header(command, OSCAL))
    assert result.stdout.startswith(
        f"# Produced by `{command}`\n# from oscal-catalog.json (sha256 "
    )


def test_cli_import_cprt_to_file(tmp_path: Path) -> None:
    out = tmp_path / "test-csf.yaml"
    result = _invoke("import-cprt", str(CPRT), "--id", "test-csf", "--out", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    command = "kb frameworks import-cprt cprt-export.json --id test-csf"
    assert out.read_text(encoding="utf-8") == dump_framework(CPRT_EXPECTED, _header(command, CPRT))
    assert out.stat().st_mode & 0o777 == 0o644
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_cli_content_error_exits_1_and_keeps_the_old_output(tmp_path: Path) -> None:
    out = tmp_path / "kept.yaml"
    out.write_text("previous\n", encoding="utf-8")
    result = _invoke("import-oscal", str(CPRT), "--id", "x", "--out", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{CPRT.as_posix()}:1: not an OSCAL catalog: expected {OSCAL_WANTED}, "
        "found an object with keys: response; a NIST CPRT export is read by import-cprt\n"
    )
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_cli_unwritable_output_exits_1(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "x.yaml"
    result = _invoke("import-cprt", str(CPRT), "--id", "x", "--out", str(out))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"{out.as_posix()}: cannot write file: No such file or directory\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import-oscal", str(OSCAL)], "Error: Missing option '--id'."),
        (
            ["import-cprt", str(CPRT), "--id", "CSF 2"],
            "Error: Invalid value for '--id': 'CSF 2' is not a framework id "
            "(expected lower-case words joined by '-' or '.', e.g. nist-csf-2.0)",
        ),
        (
            ["import-cprt", "no-such-file.json", "--id", "x"],
            "Error: Invalid value for 'EXPORT': File 'no-such-file.json' does not exist.",
        ),
        (
            ["import-oscal", str(OSCAL), "--id", "x", "--bogus"],
            "Error: No such option '--bogus'. Did you mean '--out'?",
        ),
    ],
)
def test_cli_usage_errors_exit_2(args: list[str], message: str) -> None:
    result = _invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message


def test_cli_help_names_both_commands() -> None:
    result = _invoke("--help")
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "Commands:\n"
        "  import-cprt   NIST CPRT JSON export (CSF 2.0) -> framework YAML.\n"
        "  import-oscal  OSCAL catalog JSON (SP 800-53) -> framework YAML.\n"
    )
    for command in ("import-cprt", "import-oscal"):
        usage = _invoke(command, "--help").stdout
        assert "--id TEXT" in usage and "--out FILE" in usage


# --- the official files ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"official NIST data: ../shared/reference is absent ({REFERENCE})")
    return REFERENCE


def test_sp80053_rev5_with_enhancements(reference: Path) -> None:
    data = import_oscal(SP80053, "nist-sp-800-53r5", with_enhancements=True)
    nodes = _walk(data["controls"])
    families = [n for n in nodes if n["kind"] == "family"]
    assert len(families) == 20 and [f["id"] for f in families][:3] == ["AC", "AT", "AU"]
    active = [n for n in nodes if n["kind"] in ("control", "enhancement")]
    assert (len(active) + len(data["withdrawn"]), len(data["withdrawn"]), len(active)) == (
        1189,
        182,
        1007,
    )
    ac4 = next(n for n in nodes if n["id"] == "AC-4")
    assert ac4["text"] == (
        "Enforce approved authorizations for controlling the flow of information within the "
        "system and between "
        "connected systems based on [Assignment: organization-defined information flow control "
        "policies]."
    )
    assert "AC-4(4)" in [c["id"] for c in ac4["children"]]
    withdrawn = {w["id"]: w for w in data["withdrawn"]}
    assert withdrawn["AC-2(10)"] == {
        "id": "AC-2(10)",
        "title": "Shared and Group Account Credential Change",
        "replaced_by": ["AC-2"],
        "reason": "Incorporated into AC-2k",
    }
    assert withdrawn["SA-12"]["replaced_by"] == ["SR"]
    text = dump_framework(data, "official")
    assert Framework.model_validate(parse_text(text, "x.yaml")).id == "nist-sp-800-53r5"


def test_sp80053_rev5_base_controls_only(reference: Path) -> None:
    data = import_oscal(SP80053, "nist-sp-800-53r5")
    nodes = _walk(data["controls"])
    assert {n["kind"] for n in nodes} == {"family", "control"}
    assert len([n for n in nodes if n["kind"] == "control"]) + len(data["withdrawn"]) == 322


def test_sp80053_rev511_prefers_the_unpadded_label(reference: Path) -> None:
    data = import_oscal(SP80053_HIGH, "high", with_enhancements=True)
    ids = [n["id"] for n in _walk(data["controls"]) if n["kind"] != "family"]
    assert len(ids) == 370 and "withdrawn" not in data
    assert "AC-4" in ids and "AC-2(3)" in ids and not any("-0" in i or "(0" in i for i in ids)


def test_csf20_from_cprt(reference: Path) -> None:
    data = import_cprt(CSF20, "nist-csf-2.0")
    nodes = _walk(data["controls"])
    kinds = [n["kind"] for n in nodes]
    assert (kinds.count("function"), kinds.count("category"), kinds.count("subcategory")) == (
        6,
        22,
        106,
    )
    per_function = {
        f["id"]: len(_walk(f["children"])) - len(f["children"]) for f in data["controls"]
    }
    assert per_function == {"GV": 31, "ID": 21, "PR": 22, "DE": 11, "RS": 13, "RC": 8}
    withdrawn = {w["id"]: w for w in data["withdrawn"]}
    assert len(withdrawn) == 91
    assert withdrawn["PR.AC-01"] == {
        "id": "PR.AC-01",
        "title": "Identities and credentials are issued, managed, verified, revoked, and audited "
        "for authorized "
        "devices, users and processes",
        "replaced_by": ["PR.AA-01", "PR.AA-05"],
        "reason": "Incorporated into PR.AA-01, PR.AA-05",
        "also": ["PR.AC-1"],
    }
    assert (data["name"], data["version"]) == ("NIST Cybersecurity Framework", "2.0")
    pr_aa = next(n for n in nodes if n["id"] == "PR.AA")
    assert "hardware and managed" in pr_aa["text"]  # the export's double space is collapsed
    assert (
        Framework.model_validate(parse_text(dump_framework(data, "official"), "x.yaml")).id
        == "nist-csf-2.0"
    )


def test_csf11_workbook(reference: Path) -> None:
    mapping = read_csf11_workbook(CSF11_XLSX)
    assert len(mapping) == 108
    assert mapping["PR.AC-1"] == [
        "IA-1",
        "IA-2",
        "IA-3",
        "IA-4",
        "IA-5",
        "IA-7",
        "IA-8",
        "IA-9",
        "IA-10",
        "IA-11",
        "IA-12",
    ]
    assert mapping["PR.DS-1"] == ["MP-2", "MP-3", "MP-4", "MP-5", "MP-6", "MP-7", "MP-8", "SC-28"]
