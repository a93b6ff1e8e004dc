"""The user accounts in ``system.duckdb``: bcrypt hashes, roles, timestamps."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import bcrypt

from storage import paths
from storage.db import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    email VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL DEFAULT 'user',
    created TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_login TIMESTAMP,
    failed_logins INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS audit_log (
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    username VARCHAR,
    action VARCHAR NOT NULL,
    detail VARCHAR
);
"""


class UserExists(ValueError):
    """A username or email that is already registered."""


@dataclass(frozen=True)
class User:
    username: str
    name: str
    email: str
    password_hash: str
    role: str
    created: datetime
    last_login: datetime | None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))


class UserStore:
    """Accounts kept in ``<data dir>/system.duckdb``."""

    def __init__(self, root: Path | None = None):
        self.root = root or paths.data_dir()
        self.path = paths.system_db_path(self.root)

    def _connect(self):
        return connect(self.path, SCHEMA)

    def create(self, username: str, name: str, email: str, password_hash: str,
               role: str | None = None) -> User:
        """Add an account; the very first account becomes the admin unless ``role`` says otherwise."""
        paths.check_username(username)
        with self._connect() as con:
            if con.execute("SELECT 1 FROM users WHERE username = ? OR lower(email) = lower(?)",
                           [username, email]).fetchone():
                raise UserExists("That username or email is already registered.")
            if role is None:
                role = "admin" if con.execute("SELECT count(*) FROM users").fetchone()[0] == 0 else "user"
            con.execute("INSERT INTO users (username, name, email, password_hash, role) VALUES (?, ?, ?, ?, ?)",
                        [username, name, email, password_hash, role])
            con.execute("INSERT INTO audit_log (username, action) VALUES (?, 'register')", [username])
        return self.get(username)

    def get(self, username: str) -> User | None:
        with self._connect() as con:
            row = con.execute("SELECT username, name, email, password_hash, role, created, last_login "
                              "FROM users WHERE username = ?", [username]).fetchone()
        return User(*row) if row else None

    def list(self) -> list[User]:
        with self._connect() as con:
            rows = con.execute("SELECT username, name, email, password_hash, role, created, last_login "
                               "FROM users ORDER BY created, username").fetchall()
        return [User(*r) for r in rows]

    def count(self) -> int:
        with self._connect() as con:
            return con.execute("SELECT count(*) FROM users").fetchone()[0]

    def verify(self, username: str, password: str) -> bool:
        user = self.get(username)
        return bool(user) and check_password(password, user.password_hash)

    def set_password_hash(self, username: str, password_hash: str) -> None:
        with self._connect() as con:
            con.execute("UPDATE users SET password_hash = ? WHERE username = ?", [password_hash, username])
            con.execute("INSERT INTO audit_log (username, action) VALUES (?, 'password_changed')", [username])

    def record_login(self, username: str) -> None:
        with self._connect() as con:
            con.execute("UPDATE users SET last_login = current_timestamp, failed_logins = 0 WHERE username = ?",
                        [username])
            con.execute("INSERT INTO audit_log (username, action) VALUES (?, 'login')", [username])

    def delete(self, username: str) -> None:
        """Remove the account and every file it owns."""
        user_dir = paths.user_dir(username, self.root)
        with self._connect() as con:
            con.execute("DELETE FROM users WHERE username = ?", [username])
            con.execute("INSERT INTO audit_log (username, action) VALUES (?, 'deleted')", [username])
        shutil.rmtree(user_dir, ignore_errors=True)

    def audit(self, username: str | None = None) -> list[tuple]:
        with self._connect() as con:
            if username is None:
                return con.execute("SELECT logged_at, username, action, detail FROM audit_log ORDER BY logged_at").fetchall()
            return con.execute("SELECT logged_at, username, action, detail FROM audit_log WHERE username = ? ORDER BY logged_at",
                               [username]).fetchall()
