"""Files handed from the app process to a worker process: a dataset snapshot as Parquet."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from storage import paths


def _job_path(username: str, job_id: str, root: Path | None) -> Path:
    # Job ids are our own hex ids; anything else (a path, "..") is refused before it becomes a path.
    if not isinstance(job_id, str) or not job_id.isalnum() or not job_id.isascii():
        raise ValueError(f"'{job_id}' is not a job id")
    return paths.user_dir(username, root) / "jobs" / job_id


def job_dir(username: str, job_id: str, root: Path | None = None) -> Path:
    """A scratch directory for one job inside the user's own directory."""
    directory = _job_path(username, job_id, root)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def remove_job_dir(username: str, job_id: str, root: Path | None = None) -> None:
    shutil.rmtree(_job_path(username, job_id, root), ignore_errors=True)


def remove_all_job_dirs(root: Path | None = None) -> int:
    """Remove every user's job scratch directories (at server start, when no job can be running):
    what a server that died mid-job left behind would otherwise count against the user's quota.
    Returns how many were removed."""
    removed = 0
    for directory in paths.users_root(root).glob("*/jobs/*"):
        if directory.is_dir() and not directory.is_symlink():
            shutil.rmtree(directory, ignore_errors=True)
            removed += 1
    return removed


def read_snapshot(path: Path) -> pd.DataFrame:
    """The dataset snapshot a worker trains on (written by ``Workspace.export(..., "parquet", target=...)``)."""
    return pd.read_parquet(path)
