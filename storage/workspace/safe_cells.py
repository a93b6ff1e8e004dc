"""Keeping downloaded cells from being run as formulas when a CSV or Excel file is opened in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``). As OWASP
advises ("CSV injection"), such a text gets a single quote in front, so the program shows it as text.
Numbers are never touched: a numeric -5 stays a number, and a text that is just a number ("-5",
"+1.5e3") is harmless and stays as it is. Header names go through the same rule as cells.

One rule, in two forms: `safe_cell` for Python values and `safe_text_sql` for DuckDB columns, both
built from the two patterns below.
"""
from __future__ import annotations

import csv
import io
import re
from typing import TYPE_CHECKING

from storage.sql import column_family, quote_identifier

if TYPE_CHECKING:
    import pandas as pd

#: A text that starts with one of these is read as a formula by spreadsheet programs.
FORMULA_START = r"^[=+\-@\t\r]"
#: ...unless the whole text is a plain number, which a spreadsheet reads as that number and nothing more.
PLAIN_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"

_FORMULA_START = re.compile(FORMULA_START)
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER)
#: Column families whose values DuckDB writes as numbers, yes/no or dates, never as free text.
_NOT_TEXT = {"integer", "float", "boolean", "datetime"}


def safe_cell(value):
    """``value`` as it may go into a downloaded CSV or Excel cell: a text that a spreadsheet would run as
    a formula gets a ``'`` in front; anything else (numbers included) is returned unchanged."""
    if isinstance(value, str) and _FORMULA_START.match(value) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_text_sql(expression: str) -> str:
    """SQL for the text ``expression`` (a VARCHAR) with `safe_cell`'s rule applied in DuckDB."""
    return (f"CASE WHEN regexp_matches({expression}, '{FORMULA_START}') AND NOT "
            f"regexp_full_match({expression}, '{PLAIN_NUMBER}') THEN '''' || {expression} ELSE {expression} END")


def safe_select(described: list[tuple[str, str]], source: str) -> str:
    """``SELECT`` of every column of ``source`` (a table or a parenthesised query; ``described`` is its
    (name, DuckDB type) list) with text columns made safe; numbers, yes/no and dates are left as they are."""
    parts = []
    for name, sql_type in described:
        q = quote_identifier(name)
        if column_family(sql_type) in _NOT_TEXT:
            parts.append(q)
        else:
            parts.append(f"{safe_text_sql(f'CAST({q} AS VARCHAR)')} AS {q}")
    return f"SELECT {', '.join(parts)} FROM {source}"


def safe_header(names) -> list[str]:
    """Column names as they may go into a downloaded header row."""
    return [safe_cell(str(n)) for n in names]


def csv_header(names: list[str]) -> bytes:
    """The header line of a CSV download (UTF-8, names made safe, quoted as DuckDB quotes cells)."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(safe_header(names))
    return line.getvalue().encode("utf-8")


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names follow `safe_cell` (numeric columns as they are)."""
    import pandas as pd
    columns = {}
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)
                or pd.api.types.is_datetime64_any_dtype(column)):
            column = column.astype(object).map(safe_cell)
        columns[i] = column.to_numpy()
    out = pd.DataFrame(columns, index=frame.index)
    out.columns = safe_header(frame.columns)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as a CSV download: UTF-8 with a BOM (so Excel shows Korean text), cells made safe."""
    # CRLF lines (RFC 4180): with them pandas also quotes a cell holding a lone carriage return.
    return safe_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
