"""Every path AnyML touches on disk, derived from the data directory and a validated username."""
from __future__ import annotations

import re
from pathlib import Path

from core import config
from storage.errors import UserError

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{2,31}$")
#: One component of a path below a user's directory: no separators, no leading dot, no "..".
PATH_PART_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


class InvalidUsername(UserError, ValueError):
    """A username that cannot safely become a directory name."""


class UnsafePath(UserError):
    """A path below a user's directory that would leave it, or is not a plain file name."""


def data_dir() -> Path:
    """The root of all stored data: ``$ANYML_DATA_DIR`` or ``./data``."""
    return config.data_dir().resolve()


def check_username(username: str) -> str:
    """Return ``username`` when it matches the safe pattern, else raise `InvalidUsername`.

    Usernames become directory names, so only 3-32 lowercase letters, digits and underscores,
    starting with a letter, are allowed.
    """
    if not isinstance(username, str) or not USERNAME_PATTERN.fullmatch(username):
        raise InvalidUsername(
            "A username is 3-32 characters: lowercase letters, digits and '_', starting with a letter.",
            key="error.username_invalid")
    return username


def system_db_path(root: Path | None = None) -> Path:
    return (root or data_dir()) / "system.duckdb"


def users_root(root: Path | None = None) -> Path:
    """The directory that holds one directory per user."""
    return (root or data_dir()) / "users"


def user_dir(username: str, root: Path | None = None) -> Path:
    """The one directory that holds everything of ``username``; the only way to derive it."""
    return users_root(root) / check_username(username)


def workspace_db_path(username: str, root: Path | None = None) -> Path:
    return user_dir(username, root) / "workspace.duckdb"


def models_dir(username: str, root: Path | None = None) -> Path:
    return user_dir(username, root) / "models"


def user_file(username: str, *parts: str, root: Path | None = None) -> Path:
    """A path below the user's directory built from plain names (``"exports"``, ``"report.html"``).

    Each part must be a plain file name: no separator, no ``..``, no leading dot. The result is
    checked again after resolving symbolic links, so it can never point outside the user's directory.
    Never pass a name the user typed or uploaded: generate one.
    """
    base = user_dir(username, root)
    for part in parts:
        if not isinstance(part, str) or not PATH_PART_PATTERN.fullmatch(part) or ".." in part:
            raise UnsafePath(f"'{part}' is not a plain file name. Use letters, digits, '.', '-' and '_'.",
                             key="error.unsafe_path", params={"name": str(part)})
    path = base.joinpath(*parts)
    if not is_inside(path, base):
        name = "/".join(parts)
        raise UnsafePath(f"'{name}' is not a plain file name. Use letters, digits, '.', '-' and '_'.",
                         key="error.unsafe_path", params={"name": name})
    return path


def is_inside(path: Path, directory: Path) -> bool:
    """True when ``path`` (after resolving symbolic links) is ``directory`` or below it."""
    return Path(path).resolve().is_relative_to(Path(directory).resolve())
