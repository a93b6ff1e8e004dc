"""The limits a user's file meets (columns, header line length, Excel size), each with the reason for it.

They are constants, not settings: each keeps one upload from taking the server's memory or time away
from everyone else, and the messages that enforce them (``data.error.too_many_columns``,
``data.error.line_too_long``, ``data.error.excel_too_big``) name the limit and say what to do. The file
size itself is limited by ``server.maxUploadSize`` in ``.streamlit/config.toml`` (2 GB) and by the
user's storage quota.
"""
from __future__ import annotations

#: Columns a table may have (delimited text, Excel, Parquet, JSON). Reading and profiling cost grows with
#: the number of cells; at this width a 200-row file previews and saves in seconds and well under 1 GB.
MAX_COLUMNS = 10_000
#: Bytes the header line of a delimited file may take. The header is sniffed from the first megabyte of
#: the file, so a longer header line is cut short and cannot be read (a 50 MB one-line file is refused at once).
MAX_HEADER_LINE_BYTES = 1 << 20
#: Bytes an Excel workbook (.xlsx) may unpack to, all its parts together, as declared and as read.
#: A .xlsx is a zip file; a few hundred kilobytes can unpack to gigabytes (a "decompression bomb").
#: Sheets are read as a stream, so this bounds time more than memory.
MAX_EXCEL_UNPACKED_BYTES = 2 << 30
#: Bytes the workbook's shared text (``xl/sharedStrings.xml``) may unpack to: it is held in memory whole
#: while the sheet is read, at several times its size. Excel itself caps a cell at 32,767 characters.
MAX_EXCEL_SHARED_TEXT_BYTES = 100 << 20
