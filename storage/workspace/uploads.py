"""Files into datasets: staging uploads, previewing a file as it would be saved, and ingesting it."""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import BinaryIO

from storage.ingest import FORMAT_BY_SUFFIX, FileReport, Progress, ReadOptions, create_table
from storage import paths
from storage.db import scratch_database
from storage.sql import new_id, table_name, transaction
from storage.stats import profile_table
from storage.workspace.columns import convert_in_place
from storage.workspace.datasets import clean_dataset_name
from storage.workspace.records import Dataset, FilePreview

#: Staged uploads older than this are removed when a new one arrives.
STAGED_MAX_AGE_SECONDS = 24 * 3600
#: Files are copied in chunks of this many bytes.
STAGE_CHUNK_BYTES = 8 << 20
#: A preview reads this many rows of a file unless asked for another number.
PREVIEW_READ_ROWS = 1000


class UploadsMixin:
    """Uploads of a workspace, from a staged file to a saved dataset."""

    def staging_dir(self) -> Path:
        """Where uploads wait between preview and save, and where files are transcoded (this user's only)."""
        return paths.user_dir(self.username, self.root) / "staging"

    def stage_upload(self, stream: BinaryIO, original_name: str) -> Path:
        """Copy an uploaded file (a file-like object) to this user's staging directory, in chunks.

        The user's file name only chooses the suffix; the stored name is generated.
        """
        staging = self.staging_dir()
        staging.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - STAGED_MAX_AGE_SECONDS
        for old in staging.iterdir():
            if old.is_file() and old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        suffix = Path(original_name).suffix.lower()
        suffix = suffix if suffix in FORMAT_BY_SUFFIX else ".bin"
        target = staging / f"upload_{new_id()}{suffix}"
        with open(target, "wb") as out:
            shutil.copyfileobj(stream, out, STAGE_CHUNK_BYTES)
        return target

    def discard_staged(self, path: Path) -> None:
        """Delete a staged upload (only ever a file inside this user's staging directory)."""
        path = Path(path)
        if path.parent.resolve() == self.staging_dir().resolve() and path.name.startswith("upload_"):
            path.unlink(missing_ok=True)

    def preview_file(self, file: Path, options: ReadOptions | None = None, *, name: str | None = None,
                     rows: int | None = None) -> FilePreview:
        """The first ``rows`` rows of a file as it would be saved, what was detected, and column profiles.

        Nothing is stored: the rows are read into a private in-memory database.
        """
        con = scratch_database()
        try:
            report = create_table(con, "preview", Path(file), options, name=name,
                                  scratch_dir=self.staging_dir(), limit=rows or PREVIEW_READ_ROWS)
            frame = con.execute("SELECT * FROM preview ORDER BY rowid").df()
            return FilePreview(frame, report, profile_table(con, "preview"))
        finally:
            con.close()

    def ingest(self, file: Path, name: str, *, source: str | None = None, options: ReadOptions | None = None,
               casts: dict[str, str] | None = None, types: dict[str, str] | None = None,
               progress: Progress | None = None) -> tuple[Dataset, FileReport]:
        """Stream any supported file into a new dataset through DuckDB's own readers.

        ``casts`` converts columns ({column: kind}, see `convert_expression`) and ``types`` records the
        user's column types; a file that cannot be read (or converted) saves nothing at all.
        """
        name = clean_dataset_name(name)
        file = Path(file)
        dataset_id = new_id()
        table = table_name(dataset_id, 1)
        # The file is read into a scratch table outside any transaction, since a failed read is retried
        # (another encoding, a column as text) and DuckDB cannot retry inside an aborted transaction.
        # Only when it is complete does it get its real name, in the transaction that registers it.
        load = f"{table}_load"
        shown = source or file.name
        try:
            with self.connect() as con:
                report = create_table(con, load, file, options, name=shown,
                                      scratch_dir=self.staging_dir(), progress=progress)
                if casts:
                    convert_in_place(con, load, casts, strict=True)
                change = {"code": "uploaded", "file": shown, "format": report.format, "encoding": report.encoding,
                          "delimiter": report.delimiter, "sheet": report.sheet}
                with transaction(con):
                    con.execute(f"ALTER TABLE {load} RENAME TO {table}")
                    dataset = self.register_table(con, dataset_id, name, shown, table, "uploaded", change=change,
                                                  size=file.stat().st_size)
                    if types:
                        self._store_types(con, dataset_id, 1, types, table)
        except BaseException:
            with self.connect() as con:
                for scratch in (load, f"{load}_tidy", f"{load}_staging", f"{load}_converted"):
                    con.execute(f"DROP TABLE IF EXISTS {scratch}")
            raise
        if progress is not None:
            progress(1.0, "done")
        return dataset, report

    def ingest_csv(self, file: Path, name: str, source: str | None = None,
                   delimiter: str | None = None) -> Dataset:
        """Stream a delimited text file into a new dataset through DuckDB's own ``read_csv``.

        The file never passes through pandas; a file DuckDB cannot parse saves nothing.
        """
        options = ReadOptions(format="delimited", delimiter=delimiter)
        return self.ingest(Path(file), name, source=source or Path(file).name, options=options)[0]
