"""Per-user limits: the bytes a user's directory holds, their storage quota and their concurrent jobs."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from core import config
from storage import paths
from storage.errors import DataBusy
from storage.users.records import MB, QuotaExceeded, User
from storage.users.schema import connect_system, read_user


def quota_of(user: User | None) -> int:
    """The account's own storage quota in bytes, else the configured default."""
    if user is not None and user.storage_quota:
        return int(user.storage_quota)
    return int(config.storage_quota_mb() * MB)


def jobs_of(user: User | None) -> int:
    """The account's own limit of concurrent jobs, else the configured default."""
    if user is not None and user.max_jobs:
        return int(user.max_jobs)
    return config.max_jobs()


def _user_or_default(username: str, root: Path | None) -> User | None:
    """The account, or None for a user without one (the CLI's ``local``) or while the server holds
    ``system.duckdb`` (another process): then the configured defaults apply."""
    path = paths.system_db_path(root)
    if not path.exists():
        return None
    try:
        with connect_system(path) as con:
            return read_user(con, username)
    except (duckdb.IOException, DataBusy):  # storage.db waits for a held file, then raises DataBusy
        return None


def storage_used(username: str, root: Path | None = None) -> int:
    """Bytes of every file under the user's directory (symbolic links are not followed)."""
    total = 0
    for folder, _, names in os.walk(paths.user_dir(username, root)):
        for name in names:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass  # removed while we walked
    return total


def storage_quota(username: str, root: Path | None = None) -> int:
    """The most bytes the user may keep: their own quota, else ``$ANYML_STORAGE_QUOTA_MB`` (default 5 GB)."""
    paths.check_username(username)
    return quota_of(_user_or_default(username, root))


def max_concurrent_jobs(username: str, root: Path | None = None) -> int:
    """How many background jobs the user may run at once: their own limit, else ``$ANYML_MAX_JOBS`` (2)."""
    paths.check_username(username)
    return jobs_of(_user_or_default(username, root))


def ensure_storage_room(username: str, incoming_bytes: int, root: Path | None = None) -> None:
    """Raise `QuotaExceeded` when storing ``incoming_bytes`` more would pass the user's storage quota."""
    quota = storage_quota(username, root)
    used = storage_used(username, root)
    if used + max(int(incoming_bytes), 0) > quota:
        params = {"used_mb": used / MB, "quota_mb": quota / MB, "needed_mb": incoming_bytes / MB}
        raise QuotaExceeded(
            f"Not enough storage: you use {params['used_mb']:.1f} MB of your {params['quota_mb']:.1f} MB and this "
            f"needs {params['needed_mb']:.1f} MB more. Delete datasets you no longer need, or ask your "
            "administrator for more space.", key="error.quota_storage", params=params)
