"""Reading one sheet of an Excel workbook (.xlsx through openpyxl, .xls through xlrd) into a DuckDB table."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from datetime import time as dtime
from itertools import islice
from pathlib import Path

from storage.ingest.detect import SNIFF_ROWS, min_header_cells
from storage.ingest.limits import MAX_EXCEL_SHARED_TEXT_BYTES, MAX_EXCEL_UNPACKED_BYTES
from storage.ingest.options import BadFile, FileReport, Note, check_column_count
from storage.ingest.tidy import clean_column_names
from storage.sql import quote_identifier

EXCEL_BATCH_ROWS = 20_000


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


def _too_big(unpacked: int, limit: int) -> BadFile:
    mb = lambda n: f"{n / 2**20:,.0f}"
    return BadFile(f"The Excel file unpacks to more than {mb(unpacked)} MB, over AnyML's limit of {mb(limit)} MB "
                   "(a small .xlsx file can hold a huge amount of text). Save the sheet as CSV and upload that, "
                   "or remove what makes it so large.", key="data.error.excel_too_big",
                   params={"size_mb": mb(unpacked), "limit_mb": mb(limit)})


def check_unpacked_size(path: Path) -> None:
    """Refuse an .xlsx whose parts unpack past `MAX_EXCEL_UNPACKED_BYTES` (or whose shared text passes
    `MAX_EXCEL_SHARED_TEXT_BYTES`) before any parser sees it: first the sizes the zip declares, then the
    bytes each part really unpacks to, counted as a stream (a zip may declare less than it holds)."""
    import zipfile
    import zlib

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: openpyxl refuses it with the damaged-file message
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        limits = {m.filename: (MAX_EXCEL_SHARED_TEXT_BYTES if m.filename.lower().endswith("sharedstrings.xml")
                               else MAX_EXCEL_UNPACKED_BYTES) for m in members}
        declared = sum(m.file_size for m in members)
        if declared > MAX_EXCEL_UNPACKED_BYTES:
            raise _too_big(declared, MAX_EXCEL_UNPACKED_BYTES)
        for m in members:
            if m.file_size > limits[m.filename]:
                raise _too_big(m.file_size, limits[m.filename])
        total = 0
        for m in members:
            unpacked = 0
            try:
                with archive.open(m) as part:
                    while chunk := part.read(1 << 20):
                        unpacked += len(chunk)
                        total += len(chunk)
                        if unpacked > limits[m.filename]:
                            raise _too_big(unpacked, limits[m.filename])
                        if total > MAX_EXCEL_UNPACKED_BYTES:
                            raise _too_big(total, MAX_EXCEL_UNPACKED_BYTES)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError):
                return  # damaged or encrypted: openpyxl refuses it with the damaged-file message


def _open_workbook(path: Path):
    """An .xlsx workbook through openpyxl (read-only, streaming) or an .xls one through xlrd."""
    with open(path, "rb") as fh:
        old = fh.read(4) == b"\xd0\xcf\x11\xe0"
    if not old:
        check_unpacked_size(path)
    try:
        if old:
            return _XlsWorkbook(path)
        import openpyxl

        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # both libraries raise many types for a damaged or encrypted file
        raise BadFile("The Excel file could not be opened: it may be damaged or protected by a password. "
                      "Open it in Excel, save it again (without a password) and upload it.",
                      key="data.error.damaged_excel") from None


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


def excel_to_table(con, table, path, options, limit, progress) -> FileReport:
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
            need = min_header_cells(width)
            header_row = next((i for i, r in filled if sum(1 for c in r[:width] if _cell_text(c)[0]) >= need),
                              filled[0][0])
        if header_row == 0:
            first = filled[0][0]
            width = max(width_of(r) for _, r in filled)
            check_column_count(width)
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
            check_column_count(width)
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
