"""Reading user files (delimited text, Excel, Parquet, JSON) into DuckDB tables, with plain-language errors.

Big files stream through DuckDB's own readers and never pass through pandas. Text in an encoding
DuckDB cannot read offline (CP949/EUC-KR, UTF-16) is transcoded to UTF-8 chunk by chunk into a
scratch file first: DuckDB's ``encodings`` extension would need a download. Every table made here
is written once, in file order, by ``CREATE TABLE AS`` and never changed afterwards, so DuckDB's
``rowid`` is a stable row id for it.
"""
from __future__ import annotations

import codecs
import csv
import io
import math
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from datetime import time as dtime
from itertools import islice
from pathlib import Path

import duckdb
import pandas as pd

from storage.errors import UserError
from storage.sql import quote_identifier

#: ``progress(fraction, what)``: called on the calling thread, ``fraction`` from 0 to 1.
Progress = Callable[[float, str], None]

FORMAT_BY_SUFFIX = {
    ".csv": "delimited", ".txt": "delimited", ".tsv": "delimited", ".tab": "delimited", ".dat": "delimited",
    ".psv": "delimited", ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel", ".parquet": "parquet",
    ".pq": "parquet", ".json": "json", ".jsonl": "json", ".ndjson": "json",
}
#: File name endings the upload widget accepts.
UPLOAD_TYPES = sorted(suffix[1:] for suffix in FORMAT_BY_SUFFIX)
DELIMITED_SUFFIXES = {".csv": None, ".txt": None, ".tsv": "\t", ".tab": "\t", ".psv": "|", ".dat": None}
DELIMITER_CANDIDATES = (",", ";", "\t", "|")
#: Encodings we read, by the name we store; DuckDB reads the first two itself.
ENCODINGS = ("utf-8", "utf-8-sig", "cp949", "utf-16", "latin-1")
ENCODING_ALIASES = {"utf8": "utf-8", "utf-8-bom": "utf-8-sig", "utf8-bom": "utf-8-sig", "euc-kr": "cp949",
                    "euckr": "cp949", "ms949": "cp949", "uhc": "cp949", "cp-949": "cp949", "latin1": "latin-1",
                    "iso-8859-1": "latin-1", "iso8859-1": "latin-1", "utf16": "utf-16"}
SNIFF_BYTES = 1 << 20
SNIFF_ROWS = 200
TRANSCODE_CHUNK = 4 << 20
PREVIEW_SOURCE_BYTES = 2 << 20
EXCEL_BATCH_ROWS = 20_000
FULL_SCAN_BYTES = 32 << 20
#: The name of the row id column in frames handed out for paging; user columns may not take it.
ROW_ID = "__row_id"
#: Date formats tried on text columns, most specific first; a column is converted when every value parses.
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S", "%Y.%m.%d %H:%M", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y. %m. %d", "%Y.%m.%d.",
    "%Y. %m. %d.", "%Y년 %m월 %d일", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y",
)
NESTED_TYPE = re.compile(r"STRUCT|MAP|UNION|\[\]|\[\d+\]|BLOB|BIT|JSON|VARIANT", re.IGNORECASE)


class BadFile(UserError):
    """A file that cannot be read as a table; the message says why and what to do."""


@dataclass(frozen=True)
class Note:
    """Something the reader changed or decided on the user's behalf, to show after reading.

    ``code`` names the kind of note (pages translate it); ``params`` fill its sentence.
    """

    code: str
    params: dict = field(default_factory=dict)

    TEXT = {
        "duplicate_column": "Column '{name}' appears more than once: the repeat is named '{new_name}'.",
        "blank_column": "Column {position} had no name: it is named '{new_name}'.",
        "reserved_column": "Column '{name}' uses a name reserved by AnyML: it is named '{new_name}'.",
        "blank_rows": "Removed {count} empty row(s).",
        "numbers_converted": "Column '{column}' had numbers written as text (like 1,234): stored as numbers.",
        "dates_converted": "Column '{column}' had dates written as text: stored as date/time.",
        "nested_as_text": "Column '{column}' held nested values (lists or objects): stored as text.",
        "header_row": "The header is on line {line}; the lines above it were skipped.",
        "encoding_fallback": "The file is not valid {tried} text: it was read as {encoding}. "
                             "If letters look wrong, choose the encoding yourself.",
    }

    def __str__(self) -> str:
        return self.TEXT[self.code].format(**self.params)


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file; ``None`` means "detect it". Shown to the user, who may override any of it.

    ``header_row`` is the 1-based line (or Excel row) of the header; 0 means the file has no header.
    ``thousands`` is the thousands separator ("" for none), ``decimal`` the decimal mark.
    """

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    decimal: str | None = None
    thousands: str | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class FileReport:
    """What was read: the options actually used (detected or given), the sheets, and the notes."""

    format: str
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    decimal: str | None = None
    thousands: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()

    def options(self) -> ReadOptions:
        """The options that reproduce this read."""
        return ReadOptions(self.format, self.encoding, self.delimiter, self.header_row, self.decimal,
                           self.thousands, self.sheet)


# -- format, encoding and dialect detection ------------------------------------------------------

def detect_format(path: Path, name: str | None = None, given: str | None = None) -> str:
    """``delimited``, ``excel``, ``parquet`` or ``json``: from the file's first bytes, then its name."""
    if given:
        if given not in {"delimited", "excel", "parquet", "json"}:
            raise BadFile(f"Unknown file format '{given}': choose delimited, excel, parquet or json.")
        return given
    shown = name or Path(path).name
    suffix = Path(shown).suffix.lower()
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if not magic:
        raise BadFile(f"'{shown}' is empty: it has no header and no rows. Choose a file with data.",
                      key="data.error.empty_file", params={"name": shown})
    if magic.startswith(b"PK\x03\x04") and suffix not in {".parquet", ".pq", ".json", ".jsonl", ".ndjson"}:
        return "excel"
    if magic.startswith(b"PAR1"):
        return "parquet"
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return "excel"  # an Excel 97-2003 workbook (.xls), read through xlrd
    if suffix in FORMAT_BY_SUFFIX:
        fmt = FORMAT_BY_SUFFIX[suffix]
        # Admin systems often export tab-separated text (or a web page) named ".xls".
        if fmt == "excel":
            if magic.lstrip().startswith(b"<"):
                raise BadFile(f"'{shown}' is a web page (HTML) saved with an Excel name. Open it in Excel, "
                              "save it as 'Excel Workbook (.xlsx)' or CSV, and upload that file.",
                              key="data.error.html_excel", params={"name": shown})
            return "delimited"
        return fmt
    supported = ", ".join(UPLOAD_TYPES)
    raise BadFile(f"AnyML cannot read '{shown}': use a CSV, TSV, Excel, Parquet or JSON file ({supported}).",
                  key="data.error.unsupported", params={"name": shown})


def normalise_encoding(encoding: str | None) -> str | None:
    if encoding is None or encoding == "":
        return None
    key = encoding.strip().lower().replace("_", "-")
    key = ENCODING_ALIASES.get(key, key)
    if key not in ENCODINGS:
        raise BadFile(f"Unknown encoding '{encoding}': choose one of UTF-8, UTF-8 with BOM (utf-8-sig), "
                      "CP949 (EUC-KR), UTF-16 or Latin-1.")
    return key


def _decodes(data: bytes, encoding: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)("strict").decode(data, final)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(head: bytes, complete: bool) -> str:
    """The encoding of a text file from its first bytes: a BOM, else strict UTF-8, else CP949, else Latin-1.

    ``complete`` says ``head`` is the whole file (so a character cut at its end is an error).
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise BadFile("This is not a text table (it looks like a binary file). Export it as CSV and try again.",
                      key="data.error.binary")
    if _decodes(head, "utf-8", complete):
        return "utf-8"
    if _decodes(head, "cp949", complete) and _mostly_hangul(head, complete):
        return "cp949"
    return "latin-1"


def _mostly_hangul(head: bytes, complete: bool) -> bool:
    """Latin-1 text with accents can also decode as CP949; real Korean text decodes to Hangul syllables."""
    text = codecs.getincrementaldecoder("cp949")("replace").decode(head, complete)
    wide = [ch for ch in text if ord(ch) > 127]
    hangul = sum(1 for ch in wide if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e")
    return hangul >= 0.8 * len(wide)


def _head(path: Path, size: int = SNIFF_BYTES) -> tuple[bytes, bool]:
    with open(path, "rb") as fh:
        data = fh.read(size + 1)
    return data[:size], len(data) <= size


def _sample_text(path: Path, encoding: str) -> tuple[str, bool]:
    """The first megabyte of the file as text, cut at the last line break unless it is the whole file;
    and whether it is the whole file."""
    head, complete = _head(path)
    text = codecs.getincrementaldecoder(encoding)("replace").decode(head, complete)
    text = text.lstrip("\ufeff")
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text, complete


@dataclass(frozen=True)
class _Dialect:
    delimiter: str
    header_row: int  # 1-based physical line; 0 = no header
    width: int
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (first line, fields) of sampled rows after the header
    ragged_line: int | None


def _rows_with_lines(text: str, delimiter: str, limit: int = SNIFF_ROWS) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def _non_blank(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _choose_delimiter(text: str) -> str:
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITER_CANDIDATES:
        widths = [len(r) for _, r in _rows_with_lines(text, delimiter) if _non_blank(r)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count / len(widths) if width > 1 else 0.0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sniff_dialect(text: str, delimiter: str | None, header_row: int | None, complete: bool = True) -> _Dialect:
    delimiter = delimiter or _choose_delimiter(text)
    rows = _rows_with_lines(text, delimiter)
    if not complete and 1 < len(rows) < SNIFF_ROWS:
        rows = rows[:-1]  # the sample may end inside a quoted value: its last row can be cut short
    filled = [(line, r) for line, r in rows if _non_blank(r)]
    if not filled:
        raise BadFile("The file is empty: it has no header and no rows.", key="data.error.empty_file",
                      params={"name": ""})
    width = Counter(len(r) for _, r in filled).most_common(1)[0][0]
    if header_row is None:
        # Title lines above the header (common in exports from admin systems) have few filled cells.
        need = 1 if width <= 2 else max(2, math.ceil(width / 2))
        header_row = next((line for line, r in filled if len(r) == width and _non_blank(r) >= need), filled[0][0])
    if header_row == 0:
        header, start = [], filled[0][0]
        width = len(filled[0][1])
    else:
        found = next(((line, r) for line, r in rows if line == header_row), None)
        if found is None:
            raise BadFile(f"Line {header_row} is not in the file (or is inside a quoted value): "
                          "choose another header line.", key="data.error.bad_header_line", params={"line": header_row})
        header, start = found[1], header_row + 1
        width = len(header)
        if not _non_blank(header):
            raise BadFile(f"Line {header_row} is empty, so it cannot be the header: choose another header line.",
                          key="data.error.bad_header_line", params={"line": header_row})
    body = [(line, r) for line, r in rows if line >= start and _non_blank(r)]
    ragged = next((line for line, r in body if len(r) != width), None)
    return _Dialect(delimiter, header_row, width, header, body, ragged)


_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOT_THOUSANDS_COMMA_DECIMAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


def _detect_decimal(dialect: _Dialect) -> str:
    """',' when numbers in the sample are written like 3,14 (and none like 3.14), else '.'."""
    if dialect.delimiter == ",":
        return "."
    cells = [c.strip() for _, r in dialect.rows for c in r]
    comma = sum(1 for c in cells if _COMMA_DECIMAL.match(c) or _DOT_THOUSANDS_COMMA_DECIMAL.match(c))
    dot = sum(1 for c in cells if _DOT_DECIMAL.match(c))
    return "," if comma and not dot else "."


# -- names ---------------------------------------------------------------------------------------

def clean_column_names(names: list[str]) -> tuple[list[str], list[Note]]:
    """Give every column a non-blank name that no other column has (ignoring case, as DuckDB does).

    Blank names become ``column_<position>``; a repeat gets a suffix ``_2``, ``_3``…; each change is a note.
    """
    taken: set[str] = set()
    cleaned: list[str] = []
    notes: list[Note] = []
    stripped = [" ".join(str(n if n is not None else "").split()) for n in names]
    for position, name in enumerate(stripped, start=1):
        if not name:
            new = _unused(f"column_{position}", taken, stripped)
            notes.append(Note("blank_column", {"position": position, "new_name": new}))
        elif name.lower() == ROW_ID:
            new = _unused(f"{name}_data", taken, stripped)
            notes.append(Note("reserved_column", {"name": name, "new_name": new}))
        elif name.lower() in taken:
            new = _unused(name, taken, stripped)
            notes.append(Note("duplicate_column", {"name": name, "new_name": new}))
        else:
            new = name
        taken.add(new.lower())
        cleaned.append(new)
    return cleaned, notes


def _unused(base: str, taken: set[str], others: list[str]) -> str:
    reserved = taken | {o.lower() for o in others}
    if base.lower() not in reserved:
        return base
    n = 2
    while f"{base}_{n}".lower() in reserved:
        n += 1
    return f"{base}_{n}"


# -- running DuckDB statements with progress --------------------------------------------------------

def execute(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None, progress: Progress | None = None,
            what: str = "", span: tuple[float, float] = (0.0, 1.0)):
    """Run one statement; with ``progress``, run it on a worker thread and report DuckDB's own progress.

    The callback is always called on the calling thread (Streamlit elements need that).
    """
    if progress is None:
        return con.execute(sql, args or [])
    con.execute("SET enable_progress_bar_print = false")
    con.execute("SET enable_progress_bar = true")
    outcome: dict = {}

    def work():
        try:
            outcome["result"] = con.execute(sql, args or [])
        except BaseException as err:  # handed to the calling thread
            outcome["error"] = err

    low, high = span
    progress(low, what)
    worker = threading.Thread(target=work, name="anyml-duckdb", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.25)
            done = con.query_progress()
            if done >= 0:
                progress(low + (high - low) * min(done, 100.0) / 100.0, what)
    except BaseException:
        con.interrupt()
        worker.join()
        raise
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


# -- transcoding -------------------------------------------------------------------------------------

def transcode_to_utf8(source: Path, target: Path, encoding: str, limit_bytes: int | None = None,
                      progress: Progress | None = None, span: tuple[float, float] = (0.0, 1.0)) -> None:
    """Copy ``source`` to ``target`` as UTF-8, a few megabytes at a time (never the whole file in memory).

    Raises ``UnicodeDecodeError`` (with the byte offset) when the file is not valid ``encoding``.
    ``limit_bytes`` stops after about that many bytes, at a line break (for previews).
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    total = max(Path(source).stat().st_size, 1)
    done = 0
    first = True
    with open(source, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while True:
            chunk = src.read(TRANSCODE_CHUNK)
            final = not chunk
            try:
                text = decoder.decode(chunk, final)
            except UnicodeDecodeError as err:
                raise UnicodeDecodeError(err.encoding, err.object, done + err.start, done + err.end,
                                         err.reason) from None
            if first:
                text = text.lstrip("\ufeff")
                first = False
            if limit_bytes is not None and done + len(chunk) >= limit_bytes and not final:
                cut = text.rfind("\n")
                dst.write(text[: cut + 1] if cut >= 0 else text)
                return
            dst.write(text)
            done += len(chunk)
            if progress is not None:
                low, high = span
                progress(low + (high - low) * done / total, "transcode")
            if final:
                return


@contextmanager
def _scratch_file(scratch_dir: Path | None, suffix: str) -> Iterator[Path]:
    if scratch_dir is not None:
        Path(scratch_dir).mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=scratch_dir, suffix=suffix, delete=False)
    handle.close()
    path = Path(handle.name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


# -- reading into a table ----------------------------------------------------------------------------

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
        report = _excel_to_table(con, table, path, options, limit, progress)
    elif fmt == "parquet":
        report = _reader_to_table(con, table, "read_parquet(?)", [str(path)], limit, progress, "parquet")
        report = replace(report, format="parquet")
    else:
        report = _json_to_table(con, table, path, options, scratch_dir, limit, progress)
    report = _tidy(con, table, report, options)
    if con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0:
        if fmt in {"delimited", "excel"} and report.header_row != 0:
            raise BadFile("The file has a header but no rows: add some rows and upload it again.",
                          key="data.error.header_only")
        raise BadFile("The file has no rows: add some rows and upload it again.", key="data.error.no_rows")
    return report


def _delimited_to_table(con, table, path, options, name, scratch_dir, limit, progress) -> FileReport:
    given_encoding = normalise_encoding(options.encoding)
    head, complete = _head(path)
    if not head.strip():
        raise BadFile("The file is empty: it has no header and no rows.", key="data.error.empty_file",
                      params={"name": ""})
    encoding = given_encoding or detect_encoding(head, complete)
    try:
        return _read_delimited_as(con, table, path, options, name, encoding, scratch_dir, limit, progress)
    except UnicodeDecodeError as err:
        if given_encoding:
            raise BadFile(f"The file is not valid {_encoding_label(encoding)} text (byte {err.start:,}). "
                          "Choose another encoding and try again.", key="data.error.bad_encoding",
                          params={"encoding": _encoding_label(encoding), "byte": f"{err.start:,}"}) from None
        fallback = "cp949" if encoding == "utf-8" else "latin-1"
    try:
        report = _read_delimited_as(con, table, path, options, name, fallback, scratch_dir, limit, progress)
    except UnicodeDecodeError:
        fallback = "latin-1"
        report = _read_delimited_as(con, table, path, options, name, fallback, scratch_dir, limit, progress)
    if fallback == "latin-1":
        note = Note("encoding_fallback", {"tried": _encoding_label(encoding), "encoding": "Latin-1"})
        report = replace(report, notes=report.notes + (note,))
    return report


def _encoding_label(encoding: str) -> str:
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp949": "CP949 (EUC-KR)", "utf-16": "UTF-16",
            "latin-1": "Latin-1"}[encoding]


def _read_delimited_as(con, table, path, options, name, encoding, scratch_dir, limit, progress) -> FileReport:
    """Read the file as ``encoding``; raises ``UnicodeDecodeError`` when it is not that encoding."""
    if encoding in {"utf-8", "utf-8-sig", "latin-1"}:
        return _read_text_file(con, table, path, path, options, name, encoding, limit, progress)
    with _scratch_file(scratch_dir, ".csv") as utf8:
        transcode_to_utf8(path, utf8, encoding, PREVIEW_SOURCE_BYTES if limit else None, progress, (0.0, 0.4))
        return _read_text_file(con, table, path, utf8, options, name, encoding, limit, progress)


def _read_text_file(con, table, original: Path, readable: Path, options, name, encoding, limit,
                    progress) -> FileReport:
    """Read ``readable`` (``original`` itself, or its UTF-8 copy) with DuckDB's ``read_csv``."""
    duck_encoding = "latin-1" if encoding == "latin-1" else "utf-8"
    text, complete = _sample_text(readable, "latin-1" if encoding == "latin-1" else "utf-8")
    if encoding in {"utf-8", "utf-8-sig"}:
        head, complete = _head(original)
        if not _decodes(head.removeprefix(codecs.BOM_UTF8), "utf-8", complete):
            raise UnicodeDecodeError("utf-8", head, 0, 1, "invalid start")
    suffix_delimiter = DELIMITED_SUFFIXES.get(Path(name or original.name).suffix.lower())
    delimiter = _check_delimiter(options.delimiter) or suffix_delimiter
    dialect = _sniff_dialect(text, delimiter, options.header_row, complete)
    if dialect.ragged_line is not None:
        raise _ragged(dialect.ragged_line)
    decimal = options.decimal or _detect_decimal(dialect)
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
    span = (0.4, 0.95) if encoding not in {"utf-8", "utf-8-sig", "latin-1"} else (0.0, 0.95)
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
            if encoding != "latin-1" and ("invalid unicode" in str(err).lower() or not _valid_utf8(readable)):
                raise UnicodeDecodeError(encoding, b"", 0, 1, "invalid unicode") from None
            raise _explain(err, readable, dialect.delimiter, dialect.width, max(dialect.header_row, 1)) from None
    return FileReport("delimited", encoding, dialect.delimiter, dialect.header_row, decimal, thousands,
                      notes=tuple(notes))


def _valid_utf8(path: Path) -> bool:
    """Whether the whole file is UTF-8 (read in chunks; only asked when DuckDB has failed on it)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(TRANSCODE_CHUNK):
                decoder.decode(chunk, False)
            decoder.decode(b"", True)
    except UnicodeDecodeError:
        return False
    return True


def _check_delimiter(delimiter: str | None) -> str | None:
    if delimiter in (None, ""):
        return None
    delimiter = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(delimiter, delimiter)
    if len(delimiter) != 1 or delimiter in "\r\n\"":
        raise BadFile(f"'{delimiter}' cannot separate fields: use one character such as , ; | or a tab.",
                      key="data.error.bad_delimiter", params={"delimiter": delimiter})
    return delimiter


def _failed_column(message: str, names: list[str]) -> str | None:
    match = re.search(r'converting column "(.*?)"', message)
    if match and match.group(1) in names:
        return match.group(1)
    return None


def _ragged_message(line: int) -> str:
    return (f"Line {line} of the file has a different number of fields than the header. "
            "Fix that row (or its quoting) and upload the file again.")


def _ragged(line: int) -> BadFile:
    return BadFile(_ragged_message(line), key="data.error.ragged", params={"line": line})


def first_ragged_line(path: Path, delimiter: str, encoding: str = "utf-8", *, width: int | None = None,
                      start: int = 1) -> int | None:
    """The 1-based line number of the first row (from line ``start``) whose field count differs from the
    header's (``width``, else the first row's). Reads the whole file: only asked once a read has failed."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            line = 1
            for row in reader:
                first, line = line, reader.line_num + 1
                if first < start or not row or not _non_blank(row):
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
    line = first_ragged_line(path, delimiter, width=width, start=start)
    if line is not None:
        return _ragged(line)
    lower = str(err).lower()
    if "unicode" in lower or "encoding" in lower:
        return BadFile("The file's text encoding could not be read. Choose the encoding yourself and try again.",
                       key="data.error.bad_encoding", params={"encoding": "?", "byte": "?"})
    return BadFile("The file could not be read as a table. Check that it is a CSV with one header row.",
                   key="data.error.unreadable")


def explain_csv_error(err: duckdb.Error, path: Path, delimiter: str) -> str:
    """The sentence for a DuckDB reader error (kept for older callers)."""
    return str(_explain(err, path, delimiter))


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
    cleaned, notes = clean_column_names(names)
    for old, new in zip(names, cleaned):
        if old != new:
            con.execute(f"ALTER TABLE {table} RENAME COLUMN {quote_identifier(old)} TO {quote_identifier(new)}")
    return FileReport(kind, notes=tuple(notes))


def _json_to_table(con, table, path, options, scratch_dir, limit, progress) -> FileReport:
    given = normalise_encoding(options.encoding)
    head, complete = _head(path)
    if not head.strip():
        raise BadFile("The file is empty: it has no rows.", key="data.error.empty_file", params={"name": ""})
    encoding = given or detect_encoding(head, complete)
    if encoding == "utf-8":
        report = _reader_to_table(con, table, "read_json(?, format = 'auto')", [str(path)], limit, progress, "json")
        return replace(report, encoding=encoding)
    with _scratch_file(scratch_dir, ".json") as utf8:
        try:
            transcode_to_utf8(path, utf8, encoding, None, progress, (0.0, 0.4))
        except UnicodeDecodeError as err:
            raise BadFile(f"The file is not valid {_encoding_label(encoding)} text (byte {err.start:,}). "
                          "Choose another encoding and try again.", key="data.error.bad_encoding",
                          params={"encoding": _encoding_label(encoding), "byte": f"{err.start:,}"}) from None
        report = _reader_to_table(con, table, "read_json(?, format = 'auto')", [str(utf8)], limit, progress, "json")
    return replace(report, encoding=encoding)


# -- Excel ---------------------------------------------------------------------------------------------

class _XlsSheet:
    """One sheet of an Excel 97-2003 workbook, with the part of openpyxl's read-only API we use."""

    def __init__(self, book, sheet):
        self._book, self._sheet = book, sheet
        self.max_row = sheet.nrows

    def reset_dimensions(self) -> None:
        pass

    def iter_rows(self, values_only: bool = True):
        import xlrd

        for r in range(self._sheet.nrows):
            row = []
            for cell in self._sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, self._book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
                    row.append(int(cell.value))
                else:
                    row.append(cell.value)
            yield tuple(row)


class _XlsWorkbook:
    """An Excel 97-2003 workbook opened with xlrd, shaped like openpyxl's read-only workbook."""

    def __init__(self, path: Path):
        import xlrd

        self._book = xlrd.open_workbook(str(path), on_demand=True)
        self.sheetnames = self._book.sheet_names()

    def __getitem__(self, name: str) -> _XlsSheet:
        return _XlsSheet(self._book, self._book.sheet_by_name(name))

    def close(self) -> None:
        self._book.release_resources()


def _open_workbook(path: Path):
    """An .xlsx workbook through openpyxl (read-only, streaming) or an .xls one through xlrd."""
    with open(path, "rb") as fh:
        old = fh.read(4) == b"\xd0\xcf\x11\xe0"
    try:
        if old:
            return _XlsWorkbook(path)
        import openpyxl

        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # both libraries raise many types for a damaged or encrypted file
        raise BadFile("The Excel file could not be opened: it may be damaged or protected by a password. "
                      "Open it in Excel, save it again (without a password) and upload it.",
                      key="data.error.damaged_excel") from None


def excel_sheets(path: Path) -> list[str]:
    """The sheet names of an Excel workbook (.xlsx or .xls), in order."""
    workbook = _open_workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _cell_text(value) -> tuple[str | None, type | None]:
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("true" if value else "false"), bool
    if isinstance(value, int):
        return str(value), int
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, None
        return repr(value), float
    if isinstance(value, datetime):
        return value.isoformat(sep=" "), datetime
    if isinstance(value, date):
        return value.isoformat(), date
    if isinstance(value, dtime):
        return value.isoformat(), dtime
    text = str(value)
    if not text.strip():
        return None, None
    return text, str


def _sql_type_for(kinds: set) -> str:
    if not kinds or str in kinds:
        return "VARCHAR"
    if kinds <= {int}:
        return "BIGINT"
    if kinds <= {int, float}:
        return "DOUBLE"
    if kinds == {bool}:
        return "BOOLEAN"
    if kinds <= {date, datetime}:
        return "TIMESTAMP" if datetime in kinds else "DATE"
    if kinds == {dtime}:
        return "TIME"
    return "VARCHAR"


def _excel_to_table(con, table, path, options, limit, progress) -> FileReport:
    """Stream the rows of one sheet (openpyxl, read-only) into DuckDB as Arrow batches.

    Cells go in as text with the Python type of every value remembered; the final table casts each
    column to the narrowest type all its values share, so one odd cell never breaks the read.
    """
    import pyarrow as pa

    workbook = _open_workbook(path)
    staging = f"{table}_staging"
    try:
        sheets = tuple(workbook.sheetnames)
        sheet = options.sheet or sheets[0]
        if sheet not in sheets:
            raise BadFile(f"The workbook has no sheet '{sheet}'. Its sheets are: {', '.join(sheets)}.",
                          key="data.error.no_sheet", params={"sheet": sheet, "sheets": ", ".join(sheets)})
        worksheet = workbook[sheet]
        total = worksheet.max_row if isinstance(worksheet.max_row, int) and worksheet.max_row > 1 else None
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        head = list(islice(rows, SNIFF_ROWS))
        filled = [(i, [c for c in r]) for i, r in enumerate(head, start=1) if any(_cell_text(c)[0] for c in r)]
        if not filled:
            raise BadFile(f"The sheet '{sheet}' is empty: choose a sheet with a header and rows.",
                          key="data.error.empty_sheet", params={"sheet": sheet})

        def width_of(row) -> int:
            last = 0
            for i, c in enumerate(row, start=1):
                if _cell_text(c)[0] is not None:
                    last = i
            return last

        width = Counter(width_of(r) for _, r in filled).most_common(1)[0][0]
        header_row = options.header_row
        if header_row is None:
            need = 1 if width <= 2 else max(2, math.ceil(width / 2))
            header_row = next((i for i, r in filled if sum(1 for c in r[:width] if _cell_text(c)[0]) >= need),
                              filled[0][0])
        if header_row == 0:
            first = filled[0][0]
            width = max(width_of(r) for _, r in filled)
            names, notes = clean_column_names([f"column_{i}" for i in range(1, width + 1)])
        else:
            if header_row > len(head):
                raise BadFile(f"Row {header_row} is beyond the first {len(head)} rows of the sheet: "
                              "choose a header row near the top.", key="data.error.bad_header_line",
                              params={"line": header_row})
            header = list(head[header_row - 1])
            width = max(width_of(header), max((width_of(r) for i, r in filled if i > header_row), default=0))
            header = (header + [None] * width)[:width]
            if not any(_cell_text(c)[0] for c in header):
                raise BadFile(f"Row {header_row} is empty, so it cannot be the header: choose another row.",
                              key="data.error.bad_header_line", params={"line": header_row})
            names, notes = clean_column_names([_cell_text(c)[0] or "" for c in header])
            first = header_row + 1
        if header_row and header_row > 1:
            notes.append(Note("header_row", {"line": header_row}))

        kinds: list[set] = [set() for _ in names]
        staged_columns = [f"c{i}" for i in range(len(names))]
        schema = pa.schema([(c, pa.string()) for c in staged_columns])
        con.execute(f"CREATE TABLE {staging} ({', '.join(f'{c} VARCHAR' for c in staged_columns)})")

        def all_rows():
            yield from enumerate(head, start=1)
            yield from enumerate(rows, start=len(head) + 1)

        batch: list[list] = [[] for _ in names]
        stored = 0
        for number, row in all_rows():
            if number < first:
                continue
            cells = [_cell_text(c) for c in row]
            if not any(text is not None for text, _ in cells):
                continue
            if any(text is not None for text, _ in cells[len(names):]):
                raise BadFile(f"Row {number} of sheet '{sheet}' has values to the right of the last header "
                              "column. Give that column a header (or delete the values) and upload again.",
                              key="data.error.excel_extra_cells", params={"row": number, "sheet": sheet})
            for i in range(len(names)):
                text, kind = cells[i] if i < len(cells) else (None, None)
                batch[i].append(text)
                if kind is not None:
                    kinds[i].add(kind)
            stored += 1
            if len(batch[0]) >= EXCEL_BATCH_ROWS:
                _append_batch(con, staging, batch, schema)
                batch = [[] for _ in names]
                if progress is not None and total:
                    progress(min(0.9, 0.9 * number / total), "read")
            if limit is not None and stored >= limit:
                break
        if batch[0]:
            _append_batch(con, staging, batch, schema)
    finally:
        workbook.close()
    select = ", ".join(_excel_cast(f"c{i}", _sql_type_for(kinds[i])) + f" AS {quote_identifier(n)}"
                       for i, n in enumerate(names))
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT {select} FROM {staging} ORDER BY rowid")
    finally:
        con.execute(f"DROP TABLE IF EXISTS {staging}")
    return FileReport("excel", header_row=header_row, sheet=sheet, sheets=sheets, notes=tuple(notes))


def _excel_cast(column: str, sql_type: str) -> str:
    return column if sql_type == "VARCHAR" else f"CAST({column} AS {sql_type})"


def _append_batch(con, staging: str, batch: list[list], schema) -> None:
    import pyarrow as pa

    arrow = pa.Table.from_arrays([pa.array(col, type=pa.string()) for col in batch], schema=schema)
    con.register("anyml_excel_batch", arrow)
    try:
        con.execute(f"INSERT INTO {staging} SELECT * FROM anyml_excel_batch")
    finally:
        con.unregister("anyml_excel_batch")


# -- tidying --------------------------------------------------------------------------------------------

def _number_pattern(thousands: str, decimal: str) -> str:
    dec = re.escape(decimal)
    if thousands:
        sep = re.escape(thousands)
        return rf"[+-]?(\d{{1,3}}({sep}\d{{3}})+|\d+)({dec}\d+)?"
    return rf"[+-]?\d+({dec}\d+)?"


def _tidy(con, table: str, report: FileReport, options: ReadOptions) -> FileReport:
    """Drop empty rows, turn numbers and dates written as text into numbers and dates, and nested values
    into text: one rebuild of the table, only when something needs it."""
    columns = [(c, t) for c, t, *_ in con.execute(f"DESCRIBE {table}").fetchall()]
    notes = list(report.notes)
    decimal = report.decimal or options.decimal or "."
    thousands = report.thousands if report.thousands is not None else ("." if decimal == "," else ",")
    number = _sql_literal(_number_pattern(thousands, decimal))
    dates = "[" + ", ".join(_sql_literal(f) for f in DATE_FORMATS) + "]"
    text_columns = [c for c, t in columns if t == "VARCHAR"]
    # A cheap look at the first values of each text column; only a column that passes is checked in full.
    candidates: dict[str, str] = {}
    for c in text_columns:
        q = quote_identifier(c)
        present, numeric, leading_zero, dated = con.execute(
            f"SELECT count(v), count(*) FILTER (WHERE regexp_full_match(v, {number})), "
            f"count(*) FILTER (WHERE regexp_matches(v, '^[+-]?0[0-9]')), count(try_strptime(v, {dates})) "
            f"FROM (SELECT trim({q}) AS v FROM {table} WHERE {q} IS NOT NULL LIMIT 1000)").fetchone()
        if present and numeric == present and not leading_zero:
            candidates[c] = "number"
        elif present and dated == present:
            candidates[c] = "date"
    all_null = " AND ".join(f"{quote_identifier(c)} IS NULL" for c, _ in columns)
    checks = []
    for c, kind in candidates.items():
        q = quote_identifier(c)
        if kind == "number":
            checks.append(f"count(*) FILTER (WHERE {q} IS NOT NULL AND NOT (regexp_full_match(trim({q}), {number}) "
                          f"AND NOT regexp_matches(trim({q}), '^[+-]?0[0-9]')))")
        else:
            checks.append(f"count(*) FILTER (WHERE {q} IS NOT NULL AND try_strptime(trim({q}), {dates}) IS NULL)")
    stats = con.execute(f"SELECT count(*) FILTER (WHERE {all_null}){''.join(', ' + c for c in checks)} "
                        f"FROM {table}").fetchone()
    blank_rows = stats[0]
    expressions = {c: quote_identifier(c) for c, _ in columns}
    changed = blank_rows > 0
    for (c, kind), misfits in zip(candidates.items(), stats[1:]):
        if misfits:
            continue
        if kind == "number":
            expressions[c] = _number_expression(con, table, c, thousands, decimal)
            notes.append(Note("numbers_converted", {"column": c}))
        else:
            expressions[c] = _date_expression(con, table, c)
            notes.append(Note("dates_converted", {"column": c}))
        changed = True
    for c, t in columns:
        if NESTED_TYPE.search(t):
            q = quote_identifier(c)
            binary = "BLOB" in t.upper() or t.upper().startswith("BIT")
            expressions[c] = f"CAST({q} AS VARCHAR)" if binary else f"CAST(to_json({q}) AS VARCHAR)"
            notes.append(Note("nested_as_text", {"column": c}))
            changed = True
    if blank_rows:
        notes.append(Note("blank_rows", {"count": int(blank_rows)}))
    if changed:
        select = ", ".join(f"{expr} AS {quote_identifier(c)}" for c, expr in expressions.items())
        where = f"WHERE NOT ({all_null})" if blank_rows else ""
        tidy = f"{table}_tidy"
        con.execute(f"CREATE TABLE {tidy} AS SELECT {select} FROM {table} {where} ORDER BY rowid")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {tidy} RENAME TO {table}")
    return replace(report, notes=tuple(notes))


def _number_expression(con, table: str, column: str, thousands: str, decimal: str) -> str:
    q = quote_identifier(column)
    cleaned = f"trim({q})"
    if thousands:
        cleaned = f"replace({cleaned}, {_sql_literal(thousands)}, '')"
    if decimal != ".":
        cleaned = f"replace({cleaned}, {_sql_literal(decimal)}, '.')"
    has_fraction = con.execute(f"SELECT bool_or(contains({cleaned}, '.')) FROM {table}").fetchone()[0]
    longest = con.execute(f"SELECT max(length({cleaned})) FROM {table}").fetchone()[0] or 0
    sql_type = "DOUBLE" if has_fraction or longest > 18 else "BIGINT"
    return f"CAST({cleaned} AS {sql_type})"


def _date_expression(con, table: str, column: str) -> str:
    """One format for the whole column when one fits every value (so 03/04 is read the same way in
    every row), else each value's first matching format; DATE when no value has a time."""
    q = quote_identifier(column)
    counts = con.execute(
        f"SELECT count({q}), " + ", ".join(f"count(try_strptime(trim({q}), {_sql_literal(f)}))" for f in DATE_FORMATS)
        + f" FROM {table}").fetchone()
    present = counts[0]
    fits = [fmt for fmt, n in zip(DATE_FORMATS, counts[1:]) if n == present]
    formats = [fits[0]] if fits else list(DATE_FORMATS)
    literal = "[" + ", ".join(_sql_literal(f) for f in formats) + "]"
    parsed = f"try_strptime(trim({q}), {literal})"
    has_time = con.execute(f"SELECT bool_or(CAST({parsed} AS TIME) <> TIME '00:00:00') FROM {table}").fetchone()[0]
    return parsed if has_time else f"CAST({parsed} AS DATE)"


def _sql_literal(text: str) -> str:
    # Only for our own constants (date formats, separators), never for user text.
    return "'" + text.replace("'", "''") + "'"


# -- whole files as frames (rows to predict, previews) ------------------------------------------------

def read_frame(path: Path, options: ReadOptions | None = None, *, name: str | None = None,
               scratch_dir: Path | None = None, limit: int | None = None) -> tuple[pd.DataFrame, FileReport]:
    """The file as a pandas frame (all rows, or the first ``limit``) and what was detected."""
    con = duckdb.connect()
    try:
        report = create_table(con, "incoming", Path(path), options, name=name, scratch_dir=scratch_dir,
                              limit=limit)
        return con.execute("SELECT * FROM incoming ORDER BY rowid").df(), report
    finally:
        con.close()


# -- the older, CSV-only entry points (kept for callers that use them) ----------------------------------

def delimiter_for(path: Path) -> str | None:
    """The delimiter implied by the file name (None: sniff it); refuses formats we do not read as text."""
    suffix = Path(path).suffix.lower()
    if suffix not in DELIMITED_SUFFIXES:
        raise BadFile(f"'{Path(path).name}' is not a CSV or TSV file. Save it as CSV (comma-separated) "
                      "and upload it again.")
    return DELIMITED_SUFFIXES[suffix]


def sniff_delimiter(path: Path) -> str:
    """Guess the delimiter of a text file (refusing binary and empty files)."""
    head, complete = _head(path)
    if not head.strip():
        raise BadFile("The file is empty: it has no header and no rows.", key="data.error.empty_file",
                      params={"name": ""})
    encoding = detect_encoding(head, complete)
    return _choose_delimiter(_sample_text(path, "utf-8" if encoding == "utf-8-sig" else encoding)[0])


def create_table_from_csv(con: duckdb.DuckDBPyConnection, table: str, path: Path,
                          delimiter: str | None = None) -> FileReport:
    """``CREATE TABLE table AS`` the delimited file, streamed by DuckDB (never through pandas)."""
    return create_table(con, table, Path(path), ReadOptions(format="delimited", delimiter=delimiter))


def read_delimited(path: Path, delimiter: str | None = None) -> pd.DataFrame:
    """A delimited text file with a header row, as a pandas frame (for rows to predict)."""
    return read_frame(Path(path), ReadOptions(format="delimited", delimiter=delimiter))[0]
