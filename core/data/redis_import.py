"""Datasets from a Redis server: keys read into a staged CSV, previewed, then saved through the file flow.

The rows go through the same steps as an uploaded CSV (`core.data.datasets.inspect_file` and `ingest`), so
column types, the storage quota, dataset names and versions follow the same rules.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.data.datasets import Ingested, Inspection, ingest, inspect_file
from storage.ingest import Progress, ReadOptions
from storage.ingest.redis_source import DEFAULT_ROW_LIMIT, TIMEOUT_SECONDS, RedisRows, read_redis
from storage.workspace import Workspace
from texts import text_for

#: How the staged rows are read: the CSV this module writes, so nothing needs detecting but the types.
STAGED_OPTIONS = ReadOptions(format="delimited", encoding="utf-8", delimiter=",", header_row=1, decimal=".")


@dataclass(frozen=True)
class RedisPreview:
    """Rows read from Redis and staged for saving: where they wait, what was read, and the file flow's look."""

    path: Path
    read: RedisRows
    inspection: Inspection

    @property
    def default_name(self) -> str:
        """A dataset name from the pattern (``student:*`` → ``student``), else ``redis``."""
        words = re.sub(r"[*?\[\]\\]", " ", self.read.pattern)
        words = " ".join(re.split(r"[:\s]+", words)).strip(" _-.")
        return words[:60] or "redis"

    def summary(self) -> dict:
        r = self.read
        return {"source": r.source, "rows": len(r.rows), "columns": len(r.columns), "keys": r.keys,
                "key_types": r.key_types, "limit": r.limit, "truncated": r.truncated}


def preview_redis(ws: Workspace, address: str, pattern: str = "*", *, password: str | None = None,
                  limit: int = DEFAULT_ROW_LIMIT, timeout: float = TIMEOUT_SECONDS) -> RedisPreview:
    """Read the keys matching ``pattern`` (at most ``limit`` rows) into the user's staging directory.

    Nothing is saved as a dataset; `save_redis_preview` saves the staged rows, `ws.discard_staged` drops them.
    """
    read = read_redis(address, pattern, password=password, limit=limit, timeout=timeout)
    with tempfile.SpooledTemporaryFile(max_size=32 << 20) as buffer:
        read.write_csv(buffer)
        buffer.seek(0)
        path = ws.stage_upload(buffer, "redis.csv")
    try:
        inspection = inspect_file(ws, path, read.source, STAGED_OPTIONS)
    except BaseException:
        ws.discard_staged(path)
        raise
    return RedisPreview(path, read, inspection)


def save_redis_rows(ws: Workspace, path: Path, source: str, name: str,
                    column_types: dict[str, str] | None = None, progress: Progress | None = None) -> Ingested:
    """Save rows staged by `preview_redis` as a new dataset, as an uploaded CSV is saved (quota, name, version)."""
    return ingest(ws, Path(path), name, source, STAGED_OPTIONS, column_types, progress=progress)


def ingest_redis(ws: Workspace, address: str, pattern: str = "*", *, name: str | None = None,
                 password: str | None = None, limit: int = DEFAULT_ROW_LIMIT,
                 progress: Progress | None = None) -> tuple[Ingested, RedisPreview]:
    """Read and save in one step (the command line); the staged rows are removed either way."""
    preview = preview_redis(ws, address, pattern, password=password, limit=limit)
    try:
        saved = save_redis_rows(ws, preview.path, preview.read.source, name or preview.default_name,
                                progress=progress)
    finally:
        ws.discard_staged(preview.path)
    return saved, preview


def ingest_redis_command(ws: Workspace, address: str, pattern: str | None, name: str | None, limit: int | None,
                         password: str | None, progress: Progress | None = None) -> dict:
    """`ingest_redis` for the command line: what was saved and read, as one JSON-able answer (English notes)."""
    saved, preview = ingest_redis(ws, address, pattern or "*", name=name, password=password,
                                  limit=DEFAULT_ROW_LIMIT if limit is None else limit, progress=progress)
    answer = saved.to_json() | {"redis": preview.summary()}
    answer.pop("encoding"), answer.pop("delimiter"), answer.pop("header_row"), answer.pop("sheet")
    answer["format"] = "redis"
    if preview.read.truncated:
        answer["notes"].append(text_for("en")("data.redis.cli_truncated", limit=f"{preview.read.limit:,}"))
    return answer
