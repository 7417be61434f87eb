"""CSF 2.0 -> SP 800-53 Rev. 5 candidate mappings, derived from two NIST sources.

NIST's control-level CSF 2.0 -> SP 800-53 crosswalk is not available here, so the mapping is
composed: NIST's CSF 1.1 -> SP 800-53r5 workbook (Dec 2020) gives the controls of each CSF 1.1
subcategory, and the CPRT CSF 2.0 export says where each 1.1 subcategory went (withdrawn and
incorporated into / moved to a 2.0 subcategory, or kept under the same number, reworded).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from generator.features.frameworks.importers._json import fail, plain

WORKBOOK_SHEET = "CSF to SP 800-53r5"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SUBCATEGORY = re.compile(r"^([A-Z]{2}\.[A-Z]{2}-\d+):")
_CONTROL = re.compile(r"^[A-Z]{2}-\d+(?:\(\d+\))?$")
_EVERY_FAMILY_1 = re.compile(r"-1 controls")  # "-1 controls from all security control families"


def read_xlsx_rows(path: Path, sheet: str) -> list[dict[str, str]]:
    """The rows of one worksheet as {column letter: text}, with the stdlib only."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as book:
            workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            strings = (
                [
                    "".join(t.text or "" for t in item.iter(f"{_MAIN}t"))
                    for item in ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
                ]
                if "xl/sharedStrings.xml" in book.namelist()
                else []
            )
            targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
            ids = [
                s.get(f"{_REL}id") for s in workbook.iter(f"{_MAIN}sheet") if s.get("name") == sheet
            ]
            if not ids:
                names = ", ".join(s.get("name", "") for s in workbook.iter(f"{_MAIN}sheet"))
                fail(path, f"the workbook has no sheet {sheet!r} (found: {names})")
            worksheet = ElementTree.fromstring(
                book.read("xl/" + targets[ids[0]].removeprefix("/xl/"))
            )
            return [_cells(row, strings) for row in worksheet.iter(f"{_MAIN}row")]
    except (
        zipfile.BadZipFile,
        KeyError,
        ElementTree.ParseError,
        OSError,
        ValueError,
        IndexError,
    ) as error:
        fail(
            path,
            f"not a readable .xlsx workbook ({error}); expected NIST's CSF to SP 800-53r5 mapping",
        )


def _cells(row: ElementTree.Element, strings: list[str]) -> dict[str, str]:
    cells = {}
    for cell in row.iter(f"{_MAIN}c"):
        value = cell.find(f"{_MAIN}v")
        if cell.get("t") == "s" and value is not None and value.text:
            text = strings[int(value.text)]
        elif cell.get("t") == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
        else:
            text = (value.text or "") if value is not None else ""
        cells[re.sub(r"\d", "", cell.get("r", ""))] = text
    return cells


def read_csf11_workbook(path: Path) -> dict[str, list[str]]:
    """CSF 1.1 subcategory as printed (PR.AC-1) -> the SP 800-53r5 entries the workbook lists."""
    mapping: dict[str, list[str]] = {}
    for cells in read_xlsx_rows(path, WORKBOOK_SHEET):
        match = _SUBCATEGORY.match(cells.get("C", "").strip())
        if match:
            mapping[match.group(1)] = [plain(c) for c in cells.get("D", "").split(",") if c.strip()]
    if not mapping:
        fail(
            Path(path),
            f'sheet {WORKBOOK_SHEET!r} has no rows with a subcategory such as "ID.AM-1: ..."',
        )
    return mapping


def _walk(nodes: list[dict[str, Any]]) -> list[str]:
    return [i for node in nodes for i in [node["id"], *_walk(node.get("children", []))]]


def _transitions(csf20: dict[str, Any], csf11_id: str) -> list[tuple[str, str]]:
    """(CSF 2.0 id, how CSF 1.1 csf11_id got there), from the CPRT data of import_cprt()."""
    padded = re.sub(r"-(\d)$", r"-0\1", csf11_id)
    for entry in csf20.get("withdrawn", []):
        if entry["id"] == padded:
            verb = (
                "moved to"
                if entry.get("reason", "").lower().startswith("moved")
                else "incorporated into"
            )
            return [
                (target, f"{csf11_id} was {verb} {target}")
                for target in entry.get("replaced_by", [])
            ]
    if padded in _walk(csf20["controls"]):
        return [(padded, f"{csf11_id} continues in CSF 2.0 as {padded}, reworded")]
    return []


def derive_csf20_to_sp80053(
    csf11: dict[str, list[str]],
    csf20: dict[str, Any],
    subcategories: Sequence[str],
    controls: Sequence[str],
) -> list[dict[str, str]]:
    """Crosswalk mappings CSF 2.0 subcategory -> SP 800-53 control, each with its derivation.

    Only the given subcategories and controls are kept, in the given orders; the relationship is
    `intersects`, since a composed mapping shows overlap, not equivalence.
    """
    reasons: dict[tuple[str, str], list[str]] = {}
    for csf11_id, entries in csf11.items():
        for target, moved in _transitions(csf20, csf11_id):
            if target not in subcategories:
                continue
            for entry in entries:
                if _CONTROL.match(entry) and entry in controls:
                    found = [(entry, entry)]
                elif _EVERY_FAMILY_1.search(entry):
                    found = [
                        (c, f"the -1 controls of every family ({c} among them)")
                        for c in controls
                        if c.endswith("-1") and "(" not in c
                    ]
                else:
                    found = []
                for control, named in found:
                    reasons.setdefault((target, control), []).append(
                        f"NIST CSF 1.1 {csf11_id} maps to {named}; {moved}."
                    )
    return [
        {
            "source": s,
            "target": c,
            "relationship": "intersects",
            "rationale": " ".join(reasons[s, c]),
        }
        for s in subcategories
        for c in controls
        if (s, c) in reasons
    ]
