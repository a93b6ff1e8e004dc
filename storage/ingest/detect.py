"""Detecting how a file is written: its format, its text encoding, and a delimited file's dialect."""
from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from storage.ingest.limits import MAX_HEADER_LINE_BYTES
from storage.ingest.options import BadFile

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
SNIFF_BYTES = MAX_HEADER_LINE_BYTES  # a header line must fit in the sniffed head
SNIFF_ROWS = 200
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOT_THOUSANDS_COMMA_DECIMAL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


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
    """The stored name of an encoding the user chose (``None``: detect it); refuses one we do not read."""
    if encoding is None or encoding == "":
        return None
    key = encoding.strip().lower().replace("_", "-")
    key = ENCODING_ALIASES.get(key, key)
    if key not in ENCODINGS:
        raise BadFile(f"Unknown encoding '{encoding}': choose one of UTF-8, UTF-8 with BOM (utf-8-sig), "
                      "CP949 (EUC-KR), UTF-16 or Latin-1.")
    return key


def encoding_label(encoding: str) -> str:
    """The name of an encoding as messages show it."""
    return {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp949": "CP949 (EUC-KR)", "utf-16": "UTF-16",
            "latin-1": "Latin-1"}[encoding]


def decodes(data: bytes, encoding: str, final: bool) -> bool:
    """Whether ``data`` is valid ``encoding``; ``final`` says it is the whole text (nothing cut at its end)."""
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
    if decodes(head, "utf-8", complete):
        return "utf-8"
    if decodes(head, "cp949", complete) and _mostly_hangul(head, complete):
        return "cp949"
    return "latin-1"


def _mostly_hangul(head: bytes, complete: bool) -> bool:
    """Latin-1 text with accents can also decode as CP949; real Korean text decodes to Hangul syllables."""
    text = codecs.getincrementaldecoder("cp949")("replace").decode(head, complete)
    wide = [ch for ch in text if ord(ch) > 127]
    hangul = sum(1 for ch in wide if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e")
    return hangul >= 0.8 * len(wide)


def read_head(path: Path, size: int = SNIFF_BYTES) -> tuple[bytes, bool]:
    """The first ``size`` bytes of the file, and whether they are the whole file."""
    with open(path, "rb") as fh:
        data = fh.read(size + 1)
    return data[:size], len(data) <= size


def sample_text(path: Path, encoding: str) -> tuple[str, bool]:
    """The first megabyte of the file as text, cut at the last line break unless it is the whole file;
    and whether it is the whole file."""
    head, complete = read_head(path)
    text = codecs.getincrementaldecoder(encoding)("replace").decode(head, complete)
    text = text.lstrip("\ufeff")
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text, complete


def min_header_cells(width: int) -> int:
    """How many filled cells a row of a ``width``-column table needs to be taken for its header.

    Title lines above the header (common in exports from admin systems) have few filled cells.
    """
    return 1 if width <= 2 else max(2, math.ceil(width / 2))


@dataclass(frozen=True)
class Dialect:
    """How a delimited file is written, as sniffed from its first rows."""

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


def non_blank(row: list[str]) -> int:
    """How many fields of a row hold something other than spaces."""
    return sum(1 for cell in row if cell.strip())


def _choose_delimiter(text: str) -> str:
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITER_CANDIDATES:
        widths = [len(r) for _, r in _rows_with_lines(text, delimiter) if non_blank(r)]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        score = (count / len(widths) if width > 1 else 0.0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sniff_dialect(text: str, delimiter: str | None, header_row: int | None, complete: bool = True) -> Dialect:
    """The delimiter and header line of sampled ``text`` (each detected unless given), its width and rows."""
    delimiter = delimiter or _choose_delimiter(text)
    rows = _rows_with_lines(text, delimiter)
    if not complete and 1 < len(rows) < SNIFF_ROWS:
        rows = rows[:-1]  # the sample may end inside a quoted value: its last row can be cut short
    filled = [(line, r) for line, r in rows if non_blank(r)]
    if not filled:
        raise BadFile("The file is empty: it has no header and no rows.", key="data.error.empty_file",
                      params={"name": ""})
    width = Counter(len(r) for _, r in filled).most_common(1)[0][0]
    if header_row is None:
        need = min_header_cells(width)
        header_row = next((line for line, r in filled if len(r) == width and non_blank(r) >= need), filled[0][0])
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
        if not non_blank(header):
            raise BadFile(f"Line {header_row} is empty, so it cannot be the header: choose another header line.",
                          key="data.error.bad_header_line", params={"line": header_row})
    body = [(line, r) for line, r in rows if line >= start and non_blank(r)]
    ragged = next((line for line, r in body if len(r) != width), None)
    return Dialect(delimiter, header_row, width, header, body, ragged)


def detect_decimal(dialect: Dialect) -> str:
    """',' when numbers in the sample are written like 3,14 (and none like 3.14), else '.'."""
    if dialect.delimiter == ",":
        return "."
    cells = [c.strip() for _, r in dialect.rows for c in r]
    comma = sum(1 for c in cells if _COMMA_DECIMAL.match(c) or _DOT_THOUSANDS_COMMA_DECIMAL.match(c))
    dot = sum(1 for c in cells if _DOT_DECIMAL.match(c))
    return "," if comma and not dot else "."


def normalise_delimiter(delimiter: str | None) -> str | None:
    """The delimiter the user chose (``None``: detect it), with names such as ``tab`` or ``\\t`` understood."""
    if delimiter in (None, ""):
        return None
    delimiter = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(delimiter, delimiter)
    if len(delimiter) != 1 or delimiter in "\r\n\"":
        raise BadFile(f"'{delimiter}' cannot separate fields: use one character such as , ; | or a tab.",
                      key="data.error.bad_delimiter", params={"delimiter": delimiter})
    return delimiter
