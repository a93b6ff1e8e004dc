"""Reading a user's file (delimited text, Excel, Parquet, JSON) into a DuckDB table, with plain-language errors."""
from __future__ import annotations

import codecs
import csv
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from storage.ingest.detect import (DELIMITED_SUFFIXES, decodes, detect_decimal, detect_encoding, detect_format,
                                   encoding_label, non_blank, normalise_delimiter, normalise_encoding, read_head,
                                   sample_text, sniff_dialect)
from storage.ingest.excel import excel_to_table
from storage.ingest.limits import MAX_HEADER_LINE_BYTES
from storage.ingest.options import BadFile, FileReport, Note, ReadOptions, check_column_count
from storage.ingest.progress import Progress, execute
from storage.ingest.tidy import clean_column_names, tidy_values
from storage.db import scratch_database
from storage.sql import quote_identifier
from storage.ingest.transcode import is_utf8, mixed_encoding_line, scratch_file, transcode_to_utf8

if TYPE_CHECKING:
    import pandas as pd

PREVIEW_SOURCE_BYTES = 2 << 20
FULL_SCAN_BYTES = 32 << 20
#: Encodings DuckDB's ``read_csv`` reads itself; text in any other is transcoded to UTF-8 first.
READ_AS_IS = {"utf-8", "utf-8-sig", "latin-1"}
#: Errors a file with lines in two encodings can end in; each is checked for that cause before it is shown.
MIXED_ENCODING_SYMPTOMS = {"data.error.unreadable", "data.error.bad_encoding", "data.error.ragged"}


def create_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, options: ReadOptions | None = None, *,
                 name: str | None = None, scratch_dir: Path | None = None, limit: int | None = None,
                 progress: Progress | None = None) -> FileReport:
    """``CREATE TABLE table`` from the file at ``path``, tidied, and say what was detected and changed.

    ``table`` must be a generated identifier; every value from the user goes in as a bound parameter.
    ``name`` is the user's file name (only used to guess the format and in messages). ``limit`` reads
    only the first rows (previews). Statements run outside any transaction, since a failed read is
    retried (another encoding, a column read as text); when this raises, the caller drops ``table`` and
    its scratch tables (``<table>_tidy``, ``<table>_staging``) so nothing is kept half-way.
    """
    options = options or ReadOptions()
    path = Path(path)
    fmt = detect_format(path, name, options.format)
    if fmt == "delimited":
        report = _delimited_to_table(con, table, path, options, name, scratch_dir, limit, progress)
    elif fmt == "excel":
        report = excel_to_table(con, table, path, options, limit, progress)
    elif fmt == "parquet":
        report = _reader_to_table(con, table, "read_parquet(?)", [str(path)], limit, progress, "parquet")
        report = replace(report, format="parquet")
    else:
        report = _json_to_table(con, table, path, options, scratch_dir, limit, progress)
    report = tidy_values(con, table, report, options)
    if con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0:
        if fmt in {"delimited", "excel"} and report.header_row != 0:
            raise BadFile("The file has a header but no rows: add some rows and upload it again.",
                          key="data.error.header_only")
        raise BadFile("The file has no rows: add some rows and upload it again.", key="data.error.no_rows")
    return report


def read_frame(path: Path, options: ReadOptions | None = None, *, name: str | None = None,
               scratch_dir: Path | None = None, limit: int | None = None) -> tuple[pd.DataFrame, FileReport]:
    """The file as a pandas frame (all rows, or the first ``limit``) and what was detected."""
    con = scratch_database()
    try:
        report = create_table(con, "incoming", Path(path), options, name=name, scratch_dir=scratch_dir,
                              limit=limit)
        return con.execute("SELECT * FROM incoming ORDER BY rowid").df(), report
    finally:
        con.close()


def _delimited_to_table(con, table, path, options, name, scratch_dir, limit, progress) -> FileReport:
    try:
        return _read_delimited(con, table, path, options, name, scratch_dir, limit, progress)
    except (BadFile, UnicodeDecodeError) as err:
        # A file whose lines are in two encodings fails in many ways (a bad byte, a garbled row);
        # saying which line and which encodings tells the user what to fix.
        if isinstance(err, BadFile) and err.key not in MIXED_ENCODING_SYMPTOMS:
            raise
        mixed = mixed_encoding_line(path)
        if mixed is not None:
            raise _mixed_encodings(*mixed) from None
        raise


def _read_delimited(con, table, path, options, name, scratch_dir, limit, progress) -> FileReport:
    given_encoding = normalise_encoding(options.encoding)
    head, complete = read_head(path)
    if not head.strip():
        raise BadFile("The file is empty: it has no header and no rows.", key="data.error.empty_file",
                      params={"name": ""})
    encoding = given_encoding or detect_encoding(head, complete)
    try:
        return _read_delimited_as(con, table, path, options, name, encoding, scratch_dir, limit, progress)
    except UnicodeDecodeError as err:
        if given_encoding:
            raise _wrong_encoding(encoding, err) from None
        fallback = "cp949" if encoding == "utf-8" else "latin-1"
    try:
        report = _read_delimited_as(con, table, path, options, name, fallback, scratch_dir, limit, progress)
    except UnicodeDecodeError:
        fallback = "latin-1"
        report = _read_delimited_as(con, table, path, options, name, fallback, scratch_dir, limit, progress)
    if fallback == "latin-1":
        note = Note("encoding_fallback", {"tried": encoding_label(encoding), "encoding": "Latin-1"})
        report = replace(report, notes=report.notes + (note,))
    return report


def _mixed_encodings(line: int, first: str, second: str) -> BadFile:
    """The error for a file whose lines are in two encodings (one part saved as UTF-8, another as CP949)."""
    first, second = encoding_label(first), encoding_label(second)
    return BadFile(f"The file mixes two text encodings: the lines before line {line} are {first}, but line {line} "
                   f"is {second}. Open the file in Excel or a text editor, save it again as 'CSV UTF-8', and upload "
                   "that file.", key="data.error.mixed_encoding", params={"line": line, "first": first, "second": second})


def _wrong_encoding(encoding: str, err: UnicodeDecodeError) -> BadFile:
    """The error for a file that is not valid text in the encoding the user chose."""
    return BadFile(f"The file is not valid {encoding_label(encoding)} text (byte {err.start:,}). "
                   "Choose another encoding and try again.", key="data.error.bad_encoding",
                   params={"encoding": encoding_label(encoding), "byte": f"{err.start:,}"})


def _read_delimited_as(con, table, path, options, name, encoding, scratch_dir, limit, progress) -> FileReport:
    """Read the file as ``encoding``; raises ``UnicodeDecodeError`` when it is not that encoding."""
    if encoding in READ_AS_IS:
        return _read_text_file(con, table, path, path, options, name, encoding, limit, progress)
    with scratch_file(scratch_dir, ".csv") as utf8:
        transcode_to_utf8(path, utf8, encoding, PREVIEW_SOURCE_BYTES if limit else None, progress, (0.0, 0.4))
        return _read_text_file(con, table, path, utf8, options, name, encoding, limit, progress)


def _read_text_file(con, table, original: Path, readable: Path, options, name, encoding, limit,
                    progress) -> FileReport:
    """Read ``readable`` (``original`` itself, or its UTF-8 copy) with DuckDB's ``read_csv``."""
    duck_encoding = "latin-1" if encoding == "latin-1" else "utf-8"
    text, complete = sample_text(readable, "latin-1" if encoding == "latin-1" else "utf-8")
    if not complete and "\n" not in text:
        mb = f"{MAX_HEADER_LINE_BYTES / 2**20:,.0f}"
        raise BadFile(f"The first line of the file is longer than {mb} MB, AnyML's limit for a header line. "
                      "Check that the file has one row per line (and not one very long line), then upload it again.",
                      key="data.error.line_too_long", params={"limit_mb": mb})
    if encoding in {"utf-8", "utf-8-sig"}:
        head, complete = read_head(original)
        if not decodes(head.removeprefix(codecs.BOM_UTF8), "utf-8", complete):
            raise UnicodeDecodeError("utf-8", head, 0, 1, "invalid start")
    suffix_delimiter = DELIMITED_SUFFIXES.get(Path(name or original.name).suffix.lower())
    delimiter = normalise_delimiter(options.delimiter) or suffix_delimiter
    dialect = sniff_dialect(text, delimiter, options.header_row, complete)
    check_column_count(dialect.width)
    if dialect.ragged_line is not None:
        raise _ragged(dialect.ragged_line)
    decimal = options.decimal or detect_decimal(dialect)
    if decimal not in {".", ","}:
        raise BadFile("The decimal mark must be '.' or ','.", key="data.error.unreadable")
    thousands = options.thousands if options.thousands is not None else ("." if decimal == "," else ",")
    if dialect.header_row == 0:
        names, notes = clean_column_names([f"column_{i}" for i in range(1, dialect.width + 1)])
    else:
        names, notes = clean_column_names(dialect.header)
    if dialect.header_row > 1:
        notes.append(Note("header_row", {"line": dialect.header_row}))
    if dialect.header_row:
        skip = dialect.header_row - 1
    else:
        skip = dialect.rows[0][0] - 1 if dialect.rows else 0
    forced_text: dict[str, str] = {}
    # DuckDB guesses types from a sample and rounds a later 2.5 in a column it took for integers; a
    # small file is cheap to scan in full, so its types are exact. (A big one keeps the fast sample.)
    sample_size = -1 if Path(readable).stat().st_size <= FULL_SCAN_BYTES else 20480
    span = (0.4, 0.95) if encoding not in READ_AS_IS else (0.0, 0.95)
    while True:
        source = ("read_csv(?, delim = ?, header = ?, skip = ?, names = ?, decimal_separator = ?, "
                  "encoding = ?, sample_size = ?" + (", types = ?)" if forced_text else ")"))
        args = [str(readable), dialect.delimiter, dialect.header_row != 0, skip, names, decimal, duck_encoding,
                sample_size]
        if forced_text:
            args.append(dict(forced_text))
        sql = f"CREATE TABLE {table} AS SELECT * FROM {source}"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(int(limit))
        try:
            execute(con, sql, args, progress, "read", span)
            break
        except duckdb.ConversionException as err:
            column = _failed_column(str(err), names)
            if column is None or column in forced_text:
                raise _explain(err, readable, dialect.delimiter, dialect.width, max(dialect.header_row, 1)) from None
            # DuckDB guessed the type from the first rows; a later value does not fit, so read it as text.
            forced_text[column] = "VARCHAR"
            con.execute(f"DROP TABLE IF EXISTS {table}")
        except duckdb.Error as err:
            if encoding != "latin-1" and ("invalid unicode" in str(err).lower() or not is_utf8(readable)):
                raise UnicodeDecodeError(encoding, b"", 0, 1, "invalid unicode") from None
            raise _explain(err, readable, dialect.delimiter, dialect.width, max(dialect.header_row, 1)) from None
    return FileReport("delimited", encoding, dialect.delimiter, dialect.header_row, decimal, thousands,
                      notes=tuple(notes))


def _failed_column(message: str, names: list[str]) -> str | None:
    match = re.search(r'converting column "(.*?)"', message)
    if match and match.group(1) in names:
        return match.group(1)
    return None


def _ragged(line: int) -> BadFile:
    return BadFile(f"Line {line} of the file has a different number of fields than the header. "
                   "Fix that row (or its quoting) and upload the file again.", key="data.error.ragged",
                   params={"line": line})


def _first_ragged_line(path: Path, delimiter: str, encoding: str = "utf-8", *, width: int | None = None,
                       start: int = 1) -> int | None:
    """The 1-based line number of the first row (from line ``start``) whose field count differs from the
    header's (``width``, else the first row's). Reads the whole file: only asked once a read has failed."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            line = 1
            for row in reader:
                first, line = line, reader.line_num + 1
                if first < start or not row or not non_blank(row):
                    continue
                if width is None:
                    width = len(row)
                elif len(row) != width:
                    return first
        except csv.Error:
            return reader.line_num
    return None


def _explain(err: duckdb.Error, path: Path, delimiter: str, width: int | None = None, start: int = 1) -> BadFile:
    """Turn a DuckDB reader error into an error that tells the user what to fix."""
    line = _first_ragged_line(path, delimiter, width=width, start=start)
    if line is not None:
        return _ragged(line)
    lower = str(err).lower()
    if "unicode" in lower or "encoding" in lower:
        return BadFile("The file's text encoding could not be read. Choose the encoding yourself and try again.",
                       key="data.error.bad_encoding", params={"encoding": "?", "byte": "?"})
    return BadFile("The file could not be read as a table. Check that it is a CSV with one header row.",
                   key="data.error.unreadable")


def _reader_to_table(con, table, source, args, limit, progress, kind) -> FileReport:
    sql = f"CREATE TABLE {table} AS SELECT * FROM {source}"
    args = list(args)
    if limit is not None:
        sql += " LIMIT ?"
        args.append(int(limit))
    try:
        execute(con, sql, args, progress, "read", (0.0, 0.95))
    except duckdb.Error as err:
        what = {"parquet": "Parquet", "json": "JSON"}[kind]
        detail = str(err).splitlines()[0].split(":", 1)[-1].strip()
        raise BadFile(f"The file is not valid {what} ({detail[:160]}). Export it again and upload it.",
                      key="data.error.invalid_format", params={"format": what}) from None
    names = [c for c, *_ in con.execute(f"DESCRIBE {table}").fetchall()]
    check_column_count(len(names))
    cleaned, notes = clean_column_names(names)
    for old, new in zip(names, cleaned):
        if old != new:
            con.execute(f"ALTER TABLE {table} RENAME COLUMN {quote_identifier(old)} TO {quote_identifier(new)}")
    return FileReport(kind, notes=tuple(notes))


def _json_to_table(con, table, path, options, scratch_dir, limit, progress) -> FileReport:
    given = normalise_encoding(options.encoding)
    head, complete = read_head(path)
    if not head.strip():
        raise BadFile("The file is empty: it has no rows.", key="data.error.empty_file", params={"name": ""})
    encoding = given or detect_encoding(head, complete)
    if encoding == "utf-8":
        report = _reader_to_table(con, table, "read_json(?, format = 'auto')", [str(path)], limit, progress, "json")
        return replace(report, encoding=encoding)
    with scratch_file(scratch_dir, ".json") as utf8:
        try:
            transcode_to_utf8(path, utf8, encoding, None, progress, (0.0, 0.4))
        except UnicodeDecodeError as err:
            raise _wrong_encoding(encoding, err) from None
        report = _reader_to_table(con, table, "read_json(?, format = 'auto')", [str(utf8)], limit, progress, "json")
    return replace(report, encoding=encoding)
