"""The tables of ``system.duckdb`` (users, the audit log, API tokens), their migrations, and its connection."""
from __future__ import annotations

from pathlib import Path

from storage.db import connect
from storage.users.records import User

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    email VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    role VARCHAR NOT NULL DEFAULT 'user',
    created TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_login TIMESTAMP,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    disabled BOOLEAN DEFAULT false,
    language VARCHAR,
    storage_quota BIGINT,
    max_jobs INTEGER,
    sessions_valid_after TIMESTAMP
);
CREATE TABLE IF NOT EXISTS audit_log (
    logged_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    username VARCHAR,
    action VARCHAR NOT NULL,
    detail VARCHAR
);
CREATE TABLE IF NOT EXISTS api_tokens (
    token_id VARCHAR PRIMARY KEY,
    username VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    prefix VARCHAR NOT NULL,
    token_hash VARCHAR NOT NULL UNIQUE,
    created TIMESTAMP NOT NULL,
    last_used TIMESTAMP
);
"""
# The columns added after the first release, for system.duckdb files made before it (once per process).
MIGRATIONS = """
ALTER TABLE users ADD COLUMN IF NOT EXISTS locked_until TIMESTAMP;
ALTER TABLE users ADD COLUMN IF NOT EXISTS disabled BOOLEAN DEFAULT false;
ALTER TABLE users ADD COLUMN IF NOT EXISTS language VARCHAR;
ALTER TABLE users ADD COLUMN IF NOT EXISTS storage_quota BIGINT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS max_jobs INTEGER;
ALTER TABLE users ADD COLUMN IF NOT EXISTS sessions_valid_after TIMESTAMP;
"""
_migrated: set[Path] = set()

USER_COLUMNS = ("username, name, email, password_hash, role, created, last_login, failed_logins, locked_until, "
                "coalesce(disabled, false), language, storage_quota, max_jobs, sessions_valid_after")


def connect_system(path: Path):
    """A connection to ``system.duckdb`` with the schema (and, once per process, the migrations) applied."""
    if path in _migrated:
        return connect(path, SCHEMA)
    return _MigratingConnection(path)


class _MigratingConnection:
    def __init__(self, path: Path):
        self._cm = connect(path, SCHEMA)
        self._path = path

    def __enter__(self):
        con = self._cm.__enter__()
        con.execute(MIGRATIONS)
        _migrated.add(self._path)
        return con

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def read_user(con, username: str) -> User | None:
    """The account ``username`` on the open connection ``con``, or None when there is none."""
    row = con.execute(f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", [username]).fetchone()
    return User(*row) if row else None
