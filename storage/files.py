"""Reading user files through DuckDB's own readers, with plain-language errors for broken files."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pandas as pd

from storage.errors import UserError

DELIMITED_SUFFIXES = {".csv": None, ".txt": None, ".tsv": "\t", ".tab": "\t"}
DELIMITER_CANDIDATES = (",", ";", "\t", "|")
SNIFF_BYTES = 64 * 1024


class BadFile(UserError):
    """A file that cannot be read as a table; the message says why and what to do."""


def delimiter_for(path: Path) -> str | None:
    """The delimiter implied by the file name (None: sniff it); refuses formats we do not read."""
    suffix = Path(path).suffix.lower()
    if suffix not in DELIMITED_SUFFIXES:
        raise BadFile(f"'{Path(path).name}' is not a CSV or TSV file. Save it as CSV (comma-separated) "
                      "and upload it again.")
    return DELIMITED_SUFFIXES[suffix]


def sniff_delimiter(path: Path) -> str:
    """Guess the delimiter from the header line: the candidate it contains most often (',' if none).

    Also refuses binary files (NUL bytes) and files with no header line.
    """
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise BadFile("The file is empty: it has no header and no rows.")
    if b"\x00" in head:
        raise BadFile("This is not a text table (it looks like a binary file). Export it as CSV and try again.")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITER_CANDIDATES}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def first_ragged_line(path: Path, delimiter: str) -> int | None:
    """The 1-based line number of the first row whose field count differs from the header's."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        width = None
        for row in reader:
            if not row:
                continue
            if width is None:
                width = len(row)
            elif len(row) != width:
                return reader.line_num
    return None


def _read_csv_sql(path: Path, delimiter: str) -> tuple[str, list]:
    return "read_csv(?, header = true, delim = ?, skip = 0, sample_size = 20480)", [str(path), delimiter]


def explain_csv_error(err: duckdb.Error, path: Path, delimiter: str) -> str:
    """Turn a DuckDB reader error into a sentence that tells the user what to fix."""
    message = str(err)
    lower = message.lower()
    line = first_ragged_line(path, delimiter)
    if line is not None:
        return (f"Line {line} of the file has a different number of fields than the header. "
                "Fix that row (or its quoting) and upload the file again.")
    if "unicode" in lower or "utf-8" in lower or "encoding" in lower:
        return "The file is not UTF-8 text. Save it as a UTF-8 CSV and upload it again."
    match = re.search(r"[Ll]ine:?\s*(\d+)", message)
    where = f" near line {match.group(1)}" if match else ""
    return f"The file could not be read as a table{where}. Check that it is a CSV with one header row."


def create_table_from_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path,
                          delimiter: str | None = None) -> None:
    """``CREATE TABLE table AS`` the delimited file, streamed by DuckDB (never through pandas).

    ``table`` must be a generated identifier; the path and delimiter are bound parameters.
    """
    delimiter = delimiter or sniff_delimiter(path)
    source, args = _read_csv_sql(path, delimiter)
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM {source}", args)
    except duckdb.Error as err:
        raise BadFile(explain_csv_error(err, path, delimiter)) from None


def read_delimited(path: Path, delimiter: str | None = None) -> pd.DataFrame:
    """A delimited text file with a header row, as a pandas frame (for rows to predict)."""
    delimiter = delimiter or sniff_delimiter(path)
    source, args = _read_csv_sql(path, delimiter)
    con = duckdb.connect()
    try:
        return con.execute(f"SELECT * FROM {source}", args).df()
    except duckdb.Error as err:
        raise BadFile(explain_csv_error(err, path, delimiter)) from None
    finally:
        con.close()
