"""CSV that a spreadsheet opens as text: the one writer behind every CSV the tool prints.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (CSV injection, OWASP). Such a cell gets a leading single quote,
OWASP's recommended neutralisation: spreadsheets show the text and evaluate nothing. Features
cannot share code with each other, so the helper lives in the core.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel opens UTF-8 only with a byte order mark, and expects CRLF line ends.
EXCEL_BOM = "\ufeff"


def neutralise(value: Any) -> str:
    """The cell as text, prefixed with `'` if a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write(header: Iterable[Any], rows: Iterable[Iterable[Any]], excel: bool = False) -> str:
    """CSV text of a header and rows, every cell neutralised. `excel`: CRLF line ends and a
    UTF-8 byte order mark, so Excel shows non-ASCII text and splits lines as written."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if excel else "\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return (EXCEL_BOM if excel else "") + out.getvalue()
