"""Files handed from the app process to a worker process: a dataset snapshot as Parquet."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from storage import paths


def job_dir(username: str, job_id: str, root: Path | None = None) -> Path:
    """A scratch directory for one job inside the user's own directory."""
    if not job_id.isalnum():
        raise ValueError(f"'{job_id}' is not a job id")
    directory = paths.user_dir(username, root) / "jobs" / job_id
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def remove_job_dir(username: str, job_id: str, root: Path | None = None) -> None:
    shutil.rmtree(paths.user_dir(username, root) / "jobs" / job_id, ignore_errors=True)


def read_snapshot(path: Path) -> pd.DataFrame:
    """The dataset snapshot a worker trains on (written by ``Workspace.export(..., "parquet", target=...)``)."""
    return pd.read_parquet(path)


__all__ = ["job_dir", "remove_job_dir", "read_snapshot"]
