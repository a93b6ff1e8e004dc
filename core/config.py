"""Every environment variable AnyML reads, with its default and meaning, read each time it is asked for.

Each setting is a small function that reads the environment when called, never at import, so a test
may ``monkeypatch.setenv`` a variable and the next call sees it. README.md's "Configuration" table
lists the same variables for the people who run the app.

This module imports nothing from the project, so every layer may use it: ``storage`` imports it too.
That is the one documented exception to the arrows ``pages -> ui -> core -> storage``: storage may
import ``core.config`` and no other module of ``core``.
"""
from __future__ import annotations

import os
from pathlib import Path

#: The data directory, with ``system.duckdb`` and ``users/<name>/`` below it; unset or empty: ``./data``.
DATA_DIR_ENV = "ANYML_DATA_DIR"
DEFAULT_DATA_DIR = "data"
#: The signing key of the sign-in cookie; unset or blank: ``cookie_key`` of ``.streamlit/secrets.toml``
#: (``make run`` generates that file).
COOKIE_KEY_ENV = "ANYML_COOKIE_KEY"
#: Whether people may create accounts: ``closed`` (any case) stops them; anything else, or unset, is ``open``.
REGISTRATION_ENV = "ANYML_REGISTRATION"
#: Comma-separated e-mail domains allowed to register (``corp.com, @school.ac.kr``); unset or empty: any.
EMAIL_DOMAINS_ENV = "ANYML_EMAIL_DOMAINS"
#: Storage of a user without a quota of their own, in MB; unset, not a number or not positive: 5 GB.
STORAGE_QUOTA_ENV = "ANYML_STORAGE_QUOTA_MB"
DEFAULT_STORAGE_QUOTA_MB = 5 * 1024
#: Trainings a user without a limit of their own may run at once; unset, not a number or not positive: 2.
MAX_JOBS_ENV = "ANYML_MAX_JOBS"
DEFAULT_MAX_JOBS = 2
#: Trainings one user may have waiting for a free slot; unset, not a number or not positive: 3.
MAX_QUEUED_ENV = "ANYML_MAX_QUEUED"
DEFAULT_MAX_QUEUED = 3
#: Trainings running at once on this server (an integer); unset or 0: half the cores, at least 1.
SERVER_JOBS_ENV = "ANYML_SERVER_JOBS"
#: Whose workspace the command line uses when ``--user`` is not given; unset: ``local``.
CLI_USER_ENV = "ANYML_USER"
DEFAULT_CLI_USER = "local"
#: Seconds after which a process closes a data file no one has used, so another process (the prediction
#: API beside the web app) can open it; unset, not a number or not positive: files stay open.
DB_IDLE_SECONDS_ENV = "ANYML_DB_IDLE_SECONDS"
#: Requests one API token may make per minute; unset, not a number or not positive: 60.
API_RATE_ENV = "ANYML_API_RATE"
DEFAULT_API_RATE = 60
#: The largest request body the prediction API takes, in bytes; unset, not a number or not positive: 5 MB.
API_MAX_BYTES_ENV = "ANYML_API_MAX_BYTES"
DEFAULT_API_MAX_BYTES = 5 * 1024 * 1024
#: The most rows one API request may predict; unset, not a number or not positive: 10,000.
API_MAX_ROWS_ENV = "ANYML_API_MAX_ROWS"
DEFAULT_API_MAX_ROWS = 10_000
#: Where people reach the prediction API (shown in the Account page's example); unset: the local server.
API_URL_ENV = "ANYML_API_URL"
DEFAULT_API_URL = "http://127.0.0.1:8502"
#: Where training's model × fold fits run: unset or empty, in worker processes of this server (dask is
#: never imported); ``tcp://host:8786``, on that Dask distributed scheduler's workers; ``local``, on a
#: Dask cluster of this machine the app starts itself (worker processes on half the cores).
DASK_SCHEDULER_ENV = "ANYML_DASK_SCHEDULER"
#: The password of a Redis server the command line imports from (redis-cli reads the same variable); unset: none.
REDIS_PASSWORD_ENV = "REDISCLI_AUTH"
#: Comma-separated addresses or networks (``10.0.0.5, 172.16.0.0/12``) of reverse proxies in front of the app,
#: whose ``X-Forwarded-For`` header is believed for the sign-in throttle; unset or empty: none.
TRUSTED_PROXIES_ENV = "ANYML_TRUSTED_PROXIES"


def data_dir() -> Path:
    """The data directory as given (relative paths are relative to the working directory)."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def cookie_key() -> str | None:
    """The cookie signing key from the environment, or None when it is unset or blank."""
    key = os.environ.get(COOKIE_KEY_ENV)
    return key if key and key.strip() else None


def registration_open() -> bool:
    """Whether new accounts may be created."""
    return os.environ.get(REGISTRATION_ENV, "open").strip().lower() != "closed"


def email_domains() -> tuple[str, ...]:
    """The e-mail domains allowed to register, lower-case and without ``@``; empty means any."""
    return tuple(d.strip().lower().lstrip("@") for d in os.environ.get(EMAIL_DOMAINS_ENV, "").split(",")
                 if d.strip())


def storage_quota_mb() -> float:
    """The default per-user storage quota, in MB."""
    return _positive_number(STORAGE_QUOTA_ENV, DEFAULT_STORAGE_QUOTA_MB)


def max_jobs() -> int:
    """The default number of trainings one user may run at once."""
    return int(_positive_number(MAX_JOBS_ENV, DEFAULT_MAX_JOBS))


def max_queued() -> int:
    """How many trainings one user may have waiting in the queue at once."""
    return int(_positive_number(MAX_QUEUED_ENV, DEFAULT_MAX_QUEUED))


def server_jobs() -> int:
    """Trainings running at once on this server (a value that is not an integer raises ValueError)."""
    return int(os.environ.get(SERVER_JOBS_ENV, 0)) or max(1, (os.cpu_count() or 2) // 2)


def cli_user() -> str:
    """The command line's default user."""
    return os.environ.get(CLI_USER_ENV, DEFAULT_CLI_USER)


def db_idle_seconds() -> float:
    """Seconds after which an unused data file is closed; 0 keeps files open while the process runs."""
    try:
        value = float(os.environ.get(DB_IDLE_SECONDS_ENV, "") or 0)
    except ValueError:
        return 0.0
    return value if value > 0 else 0.0


def api_rate() -> int:
    """Requests one API token may make per minute."""
    return int(_positive_number(API_RATE_ENV, DEFAULT_API_RATE))


def api_max_bytes() -> int:
    """The largest request body the prediction API takes, in bytes."""
    return int(_positive_number(API_MAX_BYTES_ENV, DEFAULT_API_MAX_BYTES))


def api_max_rows() -> int:
    """The most rows one prediction API request may hold."""
    return int(_positive_number(API_MAX_ROWS_ENV, DEFAULT_API_MAX_ROWS))


def api_url() -> str:
    """The prediction API's base URL as people reach it, without a trailing slash."""
    return (os.environ.get(API_URL_ENV) or DEFAULT_API_URL).strip().rstrip("/")


def dask_scheduler() -> str | None:
    """The Dask scheduler training uses (an address, or ``local``), or None when training stays on this server."""
    value = os.environ.get(DASK_SCHEDULER_ENV, "").strip()
    return value or None


def child_environment(**overrides: str) -> dict[str, str]:
    """This process's environment with ``overrides``, for a process it starts (a training job's worker)."""
    return {**os.environ, **overrides}


def redis_password() -> str | None:
    """The Redis password for the command line, or None when it is unset or empty."""
    return os.environ.get(REDIS_PASSWORD_ENV) or None


def trusted_proxies() -> tuple[str, ...]:
    """The reverse proxies whose ``X-Forwarded-For`` is believed, as written (addresses or CIDR networks)."""
    return tuple(p.strip() for p in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",") if p.strip())


def _positive_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default
