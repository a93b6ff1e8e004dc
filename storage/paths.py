"""Every path AnyML touches on disk, derived from the data directory and a validated username."""
from __future__ import annotations

import os
import re
from pathlib import Path

DATA_DIR_ENV = "ANYML_DATA_DIR"
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,31}$")


class InvalidUsername(ValueError):
    """A username that cannot safely become a directory name."""


def data_dir() -> Path:
    """The root of all stored data: ``$ANYML_DATA_DIR`` or ``./data``."""
    return Path(os.environ.get(DATA_DIR_ENV) or "data").resolve()


def check_username(username: str) -> str:
    """Return ``username`` when it matches the safe pattern, else raise `InvalidUsername`.

    Usernames become directory names, so only 3-32 lowercase letters, digits and underscores,
    starting with a letter, are allowed.
    """
    if not isinstance(username, str) or not USERNAME_PATTERN.fullmatch(username):
        raise InvalidUsername(
            "A username is 3-32 characters: lowercase letters, digits and '_', starting with a letter."
        )
    return username


def system_db_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / "system.duckdb"


def user_dir(username: str, root: Path | None = None) -> Path:
    """The one directory that holds everything of ``username``; the only way to derive it."""
    return (root or data_dir()) / "users" / check_username(username)


def workspace_db_path(username: str, root: Path | None = None) -> Path:
    return user_dir(username, root) / "workspace.duckdb"


def models_dir(username: str, root: Path | None = None) -> Path:
    return user_dir(username, root) / "models"
