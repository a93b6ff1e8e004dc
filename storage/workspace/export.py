"""Writing a dataset to a file: CSV (with a BOM, for Excel), Excel (a streamed workbook) or Parquet."""
from __future__ import annotations

import codecs
import math
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from storage import paths
from storage.errors import UserError
from storage.sql import describe_table, new_id
from storage.workspace.safe_cells import csv_header, safe_cell, safe_header, safe_select
from storage.workspace.uploads import STAGE_CHUNK_BYTES

#: Excel's last row, less the header.
EXCEL_MAX_ROWS = 1_048_575
EXPORT_FORMATS = ("csv", "xlsx", "parquet")


def _sheet_title(name: str) -> str:
    """``name`` as an Excel sheet title: at most 31 characters, none of ``[]:*?/\\``."""
    title = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31]
    return title or "data"


def write_xlsx_rows(cursor, target: Path, name: str) -> None:
    """Stream the rows of ``cursor`` into a write-only workbook (one sheet); a text that Excel would take
    for a formula (header included) is written as text (`safe_cell`)."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(name))
    sheet.append(safe_header(d[0] for d in cursor.description))

    def cell(value):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        if isinstance(value, str):
            return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
        if value is None or isinstance(value, (int, float, bool, date, datetime)):
            return value
        return safe_cell(str(value))

    while batch := cursor.fetchmany(10_000):
        for row in batch:
            sheet.append([cell(v) for v in row])
    workbook.save(target)


class ExportMixin:
    """Datasets written to files."""

    def export(self, key: str, fmt: str, version: int | None = None, target: Path | None = None) -> Path:
        """Write the dataset to a file: ``csv`` (UTF-8 with a BOM, so Excel shows Korean text), ``xlsx`` or
        ``parquet``. Rows stream from DuckDB, never all in memory. The file goes to ``target`` (the CLI's
        ``--out``) or to a generated name in this user's ``exports`` directory."""
        if fmt not in EXPORT_FORMATS:
            raise UserError(f"Unknown export format '{fmt}': use csv, xlsx or parquet.",
                            key="data.error.bad_format", params={"format": fmt})
        out_dir = paths.user_dir(self.username, self.root) / "exports"
        out_dir.mkdir(parents=True, exist_ok=True)
        if target is None:
            target = out_dir / f"export_{new_id()}.{fmt}"
        else:
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            ds = self._get(con, key)
            table = self._version_table(con, ds, version)
            rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            query = f"SELECT * FROM {table} ORDER BY rowid"
            try:
                if fmt == "parquet":
                    con.execute(f"COPY ({query}) TO ? (FORMAT parquet)", [str(target)])
                elif fmt == "csv":
                    body = out_dir / f"export_{new_id()}.body"
                    try:
                        described = describe_table(con, table)
                        con.execute(f"COPY ({safe_select(described, f'({query})')}) TO ? "
                                    "(FORMAT csv, HEADER false, DELIMITER ',')", [str(body)])
                        with open(target, "wb") as out, open(body, "rb") as src:
                            out.write(codecs.BOM_UTF8)
                            out.write(csv_header([c for c, _ in described]))
                            shutil.copyfileobj(src, out, STAGE_CHUNK_BYTES)
                    finally:
                        body.unlink(missing_ok=True)
                else:
                    if rows > EXCEL_MAX_ROWS:
                        raise UserError(f"Excel holds at most {EXCEL_MAX_ROWS:,} rows and this dataset has "
                                        f"{rows:,}. Download it as CSV or Parquet instead.",
                                        key="data.error.too_many_for_excel",
                                        params={"max": EXCEL_MAX_ROWS, "rows": rows})
                    write_xlsx_rows(con.execute(query), target, ds.name)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
        return target

    def open_export(self, key: str, fmt: str, version: int | None = None) -> BinaryIO:
        """`export` as an open file whose directory entry is already gone (it vanishes once read)."""
        path = self.export(key, fmt, version)
        handle = open(path, "rb")
        path.unlink(missing_ok=True)
        return handle
