"""Reading user files (delimited text, Excel, Parquet, JSON) into DuckDB tables, with plain-language errors.

Big files stream through DuckDB's own readers and never pass through pandas. Text in an encoding
DuckDB cannot read offline (CP949/EUC-KR, UTF-16) is transcoded to UTF-8 chunk by chunk into a
scratch file first: DuckDB's ``encodings`` extension would need a download. Every table made here
is written once, in file order, by ``CREATE TABLE AS`` and never changed afterwards, so DuckDB's
``rowid`` is a stable row id for it.

The modules, in the order a read goes through them: ``detect`` (format, encoding, delimiter and
header), ``transcode`` (to UTF-8), ``read`` and ``excel`` (into a table, with ``progress``), ``tidy``
(column names, numbers and dates written as text); ``options`` holds what a read is asked for and
what it reports.
"""
from storage.ingest.detect import ENCODINGS, FORMAT_BY_SUFFIX, SNIFF_BYTES, UPLOAD_TYPES
from storage.ingest.options import BadFile, FileReport, Note, ReadOptions
from storage.ingest.progress import Progress
from storage.ingest.read import create_table, read_frame
from storage.ingest.tidy import DATE_FORMATS, RESERVED_NAMES, ROW_ID, clean_column_names

__all__ = [
    "DATE_FORMATS", "ENCODINGS", "FORMAT_BY_SUFFIX", "RESERVED_NAMES", "ROW_ID", "SNIFF_BYTES", "UPLOAD_TYPES",
    "BadFile", "FileReport", "Note", "Progress", "ReadOptions",
    "clean_column_names", "create_table", "read_frame",
]
