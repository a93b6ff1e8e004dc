"""How a file is to be read (options), what reading it found (report and notes), and the error for a bad file."""
from __future__ import annotations

from dataclasses import dataclass, field

from storage.errors import UserError
from storage.ingest.limits import MAX_COLUMNS


class BadFile(UserError):
    """A file that cannot be read as a table; the message says why and what to do."""


def check_column_count(columns: int) -> None:
    """Refuse a table wider than `MAX_COLUMNS`, before it is read."""
    if columns > MAX_COLUMNS:
        raise BadFile(f"The file has {columns:,} columns; AnyML reads at most {MAX_COLUMNS:,}. Keep the columns "
                      "you need (or turn the table so that columns become rows) and upload it again.",
                      key="data.error.too_many_columns",
                      params={"columns": f"{columns:,}", "limit": f"{MAX_COLUMNS:,}"})


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
