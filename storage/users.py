"""The user accounts in ``system.duckdb``: bcrypt hashes, roles, sign-in throttling, quotas and the audit log.

Every account action a page offers is one method here, and every method that acts on someone
else's account takes the acting admin's username and checks it, so a page guard is never the only
protection. Errors are `UserError` subclasses whose key names the message in the string catalogue.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import bcrypt
import duckdb

from core import config
# The variables and defaults are named here too, for the callers and tests that set them.
from storage import paths
from storage.db import connect, release_under
from storage.errors import UserError

#: Failed sign-ins in a row that lock an account, and for how long.
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
#: bcrypt work factor for new hashes (tests may lower it; stored hashes keep their own).
BCRYPT_ROUNDS = 12

MB = 1024 * 1024

ROLES = ("user", "admin")
#: Every action written to the audit log (each has a catalogue entry ``audit.<action>``).
AUDIT_ACTIONS = ("register", "login", "login_failed", "logout", "locked", "password_changed",
                 "password_change_failed", "password_reset", "delete_failed", "deleted", "locked_by_admin",
                 "unlocked", "role_changed", "quota_changed", "added_by_admin")
NAME_PATTERN = re.compile(r"^[^\W_](?:[^\W_]|[ .'\-])*$")
EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,253}\.[A-Za-z]{2,63}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}$")
PASSWORD_SYMBOLS = re.compile(r"[^A-Za-z0-9\s]")
PASSWORD_RULE = ("A password needs 8-64 characters with an uppercase and a lowercase letter, a digit "
                 "and a symbol such as # or !.")

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


# -- errors a user can cause ------------------------------------------------------------------------

class UserExists(UserError, ValueError):
    """A username or email that is already registered."""


class RegistrationRefused(UserError):
    """Registration is closed, the email domain is not allowed, or a field is not valid."""


class WeakPassword(UserError):
    """A new password that does not follow the strength rule."""


class LoginFailed(UserError):
    """Wrong username or password (the message never says which)."""


class AccountLocked(UserError):
    """Too many failed sign-ins (locked for a while) or locked by an admin."""


class WrongPassword(UserError):
    """The current password given to confirm an action is wrong."""


class NotAllowed(UserError):
    """An admin action asked for by someone who is not an admin, or one that would leave no admin."""


class UnknownUser(UserError):
    """An account that does not exist (any more)."""


class QuotaExceeded(UserError):
    """Storing this would take the user past their storage quota."""


# -- accounts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class User:
    username: str
    name: str
    email: str
    password_hash: str
    role: str
    created: datetime
    last_login: datetime | None
    failed_logins: int = 0
    locked_until: datetime | None = None
    disabled: bool = False
    language: str | None = None
    storage_quota: int | None = None
    max_jobs: int | None = None
    sessions_valid_after: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def locked_at(self, now: datetime) -> bool:
        """Whether the account refuses sign-ins at ``now`` (locked by an admin, or throttled)."""
        return self.disabled or (self.locked_until is not None and self.locked_until > now)


@dataclass(frozen=True)
class AccountSummary:
    """One row of the admin's user list: the account, and the bytes its directory holds."""

    user: User
    storage_bytes: int
    storage_quota: int
    max_jobs: int


@dataclass(frozen=True)
class RegistrationPolicy:
    """Who may create an account, read from ``$ANYML_REGISTRATION`` and ``$ANYML_EMAIL_DOMAINS``."""

    open: bool = True
    domains: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> RegistrationPolicy:
        return cls(open=config.registration_open(), domains=config.email_domains())

    def allows_email(self, email: str) -> bool:
        return not self.domains or email.rsplit("@", 1)[-1].lower() in self.domains


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash``; False (never an error) for anything malformed."""
    try:
        return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))
    except (ValueError, TypeError, UnicodeError):
        return False


def check_password_rule(password: str) -> None:
    """Raise `WeakPassword` unless ``password`` has 8-64 characters (at most 72 bytes, bcrypt's limit),
    an uppercase and a lowercase letter, a digit and a symbol."""
    ok = (isinstance(password, str) and 8 <= len(password) <= 64 and len(password.encode("utf-8")) <= 72
          and re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
          and re.search(r"\d", password) and PASSWORD_SYMBOLS.search(password))
    if not ok:
        raise WeakPassword(PASSWORD_RULE, key="error.password_weak")


def normalise_username(username: str) -> str:
    """What the user typed, as a username: surrounding spaces dropped, lower case."""
    return str(username or "").strip().lower()


def _now() -> datetime:
    return datetime.now()


_dummy_hash: str | None = None


def _spend_a_password_check(password: str) -> None:
    """Check against a throwaway hash, so an unknown username takes as long as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not-a-real-password")
    check_password(password, _dummy_hash)


class UserStore:
    """Accounts kept in ``<data dir>/system.duckdb``.

    ``clock`` returns the current time (tests pass a fake one to step past a lockout).
    """

    def __init__(self, root: Path | None = None, clock: Callable[[], datetime] | None = None):
        self.root = root or paths.data_dir()
        self.path = paths.system_db_path(self.root)
        self.now = clock or _now

    def _connect(self):
        return _connect_system(self.path)

    # -- reading ----------------------------------------------------------------------------------

    def get(self, username: str) -> User | None:
        with self._connect() as con:
            return self._get(con, username)

    @staticmethod
    def _get(con, username: str) -> User | None:
        row = con.execute(f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", [username]).fetchone()
        return User(*row) if row else None

    def _require(self, con, username: str) -> User:
        user = self._get(con, username)
        if user is None:
            raise UnknownUser(f"There is no account '{username}'.", key="error.unknown_user",
                              params={"username": username})
        return user

    def list(self) -> list[User]:
        with self._connect() as con:
            rows = con.execute(f"SELECT {USER_COLUMNS} FROM users ORDER BY created, username").fetchall()
        return [User(*r) for r in rows]

    def count(self) -> int:
        with self._connect() as con:
            return con.execute("SELECT count(*) FROM users").fetchone()[0]

    def audit(self, username: str | None = None) -> list[tuple]:
        """``(logged_at, username, action, detail)`` rows, oldest first."""
        with self._connect() as con:
            if username is None:
                return con.execute("SELECT logged_at, username, action, detail FROM audit_log "
                                   "ORDER BY logged_at, rowid").fetchall()
            return con.execute("SELECT logged_at, username, action, detail FROM audit_log WHERE username = ? "
                               "ORDER BY logged_at, rowid", [username]).fetchall()

    def summaries(self, actor: str) -> list[AccountSummary]:
        """Every account with its storage use and quotas, for the admin ``actor``: no user's data."""
        with self._connect() as con:
            self._require_admin(con, actor)
        return [AccountSummary(u, storage_used(u.username, self.root), _quota_of(u), _jobs_of(u))
                for u in self.list()]

    # -- creating and signing in ------------------------------------------------------------------

    def create(self, username: str, name: str, email: str, password_hash: str,
               role: str | None = None) -> User:
        """Add an account; the very first account becomes the admin unless ``role`` says otherwise."""
        paths.check_username(username)
        with self._connect() as con:
            if con.execute("SELECT 1 FROM users WHERE username = ? OR lower(email) = lower(?)",
                           [username, email]).fetchone():
                raise UserExists("That username or email is already registered. Sign in, or choose another.",
                                 key="error.user_exists")
            if role is None:
                role = "admin" if con.execute("SELECT count(*) FROM users").fetchone()[0] == 0 else "user"
            con.execute("INSERT INTO users (username, name, email, password_hash, role, created) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [username, name, email, password_hash, role, self.now()])
            self._log(con, username, "register", None if role == "user" else role)
        return self.get(username)

    def register(self, username: str, name: str, email: str, password: str,
                 policy: RegistrationPolicy | None = None) -> User:
        """Validate everything a visitor typed and create the account (the first one is the admin).

        Refused when registration is closed (unless there is no account yet: someone must become
        the admin), when the email's domain is not allowed, or when a field breaks its rule.
        """
        policy = policy or RegistrationPolicy.from_env()
        if not policy.open and self.count() > 0:
            raise RegistrationRefused("Registration is closed. Ask your administrator for an account.",
                                      key="error.registration_closed")
        return self._create_checked(username, name, email, password, policy)

    def add_account(self, actor: str, username: str, name: str, email: str, password: str) -> User:
        """The admin ``actor`` creates an account (also while registration is closed); the user
        should change the given password on their Account page."""
        with self._connect() as con:
            self._require_admin(con, actor)
        user = self._create_checked(username, name, email, password, RegistrationPolicy())
        with self._connect() as con:
            self._log(con, user.username, "added_by_admin", actor)
        return user

    def _create_checked(self, username: str, name: str, email: str, password: str,
                        policy: RegistrationPolicy) -> User:
        username = paths.check_username(normalise_username(username))
        name = " ".join(str(name or "").split())
        if not 1 <= len(name) <= 100 or not NAME_PATTERN.fullmatch(name):
            raise RegistrationRefused("Type your name using letters, spaces, '.', '-' or an apostrophe "
                                      "(at most 100 characters).", key="error.name_invalid")
        email = str(email or "").strip()
        if not EMAIL_PATTERN.fullmatch(email):
            raise RegistrationRefused("That email address is not valid. Type it as name@example.com.",
                                      key="error.email_invalid")
        if not policy.allows_email(email):
            domains = ", ".join(policy.domains)
            raise RegistrationRefused(f"Only email addresses at {domains} may register. Use your work address.",
                                      key="error.email_domain", params={"domains": domains})
        check_password_rule(password)
        return self.create(username, name, email, hash_password(password))

    def authenticate(self, username: str, password: str) -> User:
        """The account, when ``password`` is right and the account is not locked.

        A wrong password counts as a failed sign-in; the fifth in a row locks the account for
        fifteen minutes and writes the lock, with its time, to the audit log.
        """
        username = normalise_username(username)
        user = self.get(username) if paths.USERNAME_PATTERN.fullmatch(username) else None
        if user is None:
            _spend_a_password_check(str(password))
            raise LoginFailed("Username or password is incorrect.", key="auth.bad_login")
        self._refuse_if_locked(user)
        if not check_password(str(password), user.password_hash):
            self._failed(username, "login_failed")
            raise LoginFailed("Username or password is incorrect.", key="auth.bad_login")
        self.record_login(username)
        return self.get(username)

    def _refuse_if_locked(self, user: User) -> None:
        now = self.now()
        if user.disabled:
            raise AccountLocked("This account is locked. Ask your administrator to unlock it.",
                                key="error.account_disabled")
        if user.locked_until is not None and user.locked_until > now:
            raise AccountLocked(f"Too many wrong passwords: this account is locked until "
                                f"{user.locked_until:%H:%M}. Try again then, or ask your administrator.",
                                key="error.account_locked", params={"until": user.locked_until})

    def _failed(self, username: str, action: str) -> None:
        """Count one wrong password; lock the account (and raise `AccountLocked`) at the limit."""
        now = self.now()
        with self._connect() as con:
            (count,) = con.execute("UPDATE users SET failed_logins = failed_logins + 1 WHERE username = ? "
                                   "RETURNING failed_logins", [username]).fetchone()
            self._log(con, username, action, f"{count}/{MAX_FAILED_LOGINS}")
            if count < MAX_FAILED_LOGINS:
                return
            until = now + LOCKOUT
            con.execute("UPDATE users SET failed_logins = 0, locked_until = ? WHERE username = ?", [until, username])
            self._log(con, username, "locked", f"{until:%Y-%m-%d %H:%M:%S}")
        raise AccountLocked(f"Too many wrong passwords: this account is locked until {until:%H:%M}. "
                            "Try again then, or ask your administrator.",
                            key="error.account_locked", params={"until": until})

    def _confirm_password(self, username: str, password: str, action: str) -> User:
        """The account after checking its current ``password``; a wrong one counts as a failed sign-in."""
        user = self.get(username)
        if user is None:
            raise UnknownUser(f"There is no account '{username}'.", key="error.unknown_user",
                              params={"username": username})
        self._refuse_if_locked(user)
        if not check_password(str(password), user.password_hash):
            self._failed(username, action)
            raise WrongPassword("Your current password is not right. Type it again.", key="error.wrong_password")
        return user

    def verify(self, username: str, password: str) -> bool:
        """Whether the password is right (no throttling: for scripts and tests, never a sign-in form)."""
        user = self.get(username)
        return bool(user) and check_password(password, user.password_hash)

    def record_login(self, username: str) -> None:
        with self._connect() as con:
            con.execute("UPDATE users SET last_login = ?, failed_logins = 0, locked_until = NULL WHERE username = ?",
                        [self.now(), username])
            self._log(con, username, "login")

    def record_logout(self, username: str) -> None:
        """Signing out ends every session of the account, so a cookie left in any browser is void."""
        with self._connect() as con:
            con.execute("UPDATE users SET sessions_valid_after = ? WHERE username = ?", [self.now(), username])
            self._log(con, username, "logout")

    # -- the user's own account -------------------------------------------------------------------

    def set_password_hash(self, username: str, password_hash: str) -> None:
        with self._connect() as con:
            con.execute("UPDATE users SET password_hash = ? WHERE username = ?", [password_hash, username])
            self._log(con, username, "password_changed")

    def change_password(self, username: str, current: str, new: str) -> datetime:
        """Replace the password after checking the current one; returns the time from which older
        sessions (other browsers, old cookies) no longer count."""
        self._confirm_password(username, current, "password_change_failed")
        check_password_rule(new)
        if new == current:
            raise WeakPassword("The new password is the same as the current one. Choose a different one.",
                               key="error.password_same")
        now = self.now()
        with self._connect() as con:
            con.execute("UPDATE users SET password_hash = ?, sessions_valid_after = ? WHERE username = ?",
                        [hash_password(new), now, username])
            self._log(con, username, "password_changed")
        return now

    def set_language(self, username: str, language: str) -> None:
        if not LANGUAGE_PATTERN.fullmatch(str(language)):
            raise ValueError(f"not a language code: {language!r}")
        with self._connect() as con:
            con.execute("UPDATE users SET language = ? WHERE username = ?", [language, username])

    def delete_account(self, username: str, password: str) -> None:
        """Delete the user's own account and every file it owns, after checking the password."""
        user = self._confirm_password(username, password, "delete_failed")
        with self._connect() as con:
            self._keep_an_admin(con, user)
        self._delete(username, None)

    def delete(self, username: str) -> None:
        """Remove the account and every file it owns (no checks: for scripts and admin code)."""
        self._delete(username, None)

    def _delete(self, username: str, detail: str | None) -> None:
        user_dir = paths.user_dir(username, self.root)
        # Files first: if removing them fails, the account stays and the user can try again.
        if user_dir.exists():
            release_under(user_dir)  # close the workspace database before its file goes
            shutil.rmtree(user_dir)
        with self._connect() as con:
            con.execute("DELETE FROM users WHERE username = ?", [username])
            self._log(con, username, "deleted", detail)

    # -- admin actions ----------------------------------------------------------------------------

    def _require_admin(self, con, actor: str) -> User:
        user = self._get(con, actor)
        if user is None or not user.is_admin or user.disabled:
            raise NotAllowed("Only an administrator can do that.", key="error.admin_only")
        return user

    def _keep_an_admin(self, con, target: User) -> None:
        """Refuse to remove the last active admin while other accounts exist."""
        if not target.is_admin:
            return
        admins, others = con.execute(
            "SELECT count(*) FILTER (WHERE role = 'admin' AND NOT coalesce(disabled, false)), count(*) "
            "FROM users WHERE username <> ?", [target.username]).fetchone()
        if admins == 0 and others > 0:
            raise NotAllowed("That would leave no administrator. Make another user an administrator first.",
                             key="error.last_admin")

    def _admin_target(self, con, actor: str, username: str) -> User:
        self._require_admin(con, actor)
        if actor == username:
            raise NotAllowed("Use your Account page for your own account.", key="error.not_on_yourself")
        return self._require(con, username)

    def reset_password(self, actor: str, username: str, new_password: str) -> None:
        """The admin ``actor`` sets a new password for ``username``, which also unlocks the account
        and ends its sessions."""
        check_password_rule(new_password)
        with self._connect() as con:
            self._admin_target(con, actor, username)
            con.execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL, "
                        "sessions_valid_after = ? WHERE username = ?",
                        [hash_password(new_password), self.now(), username])
            self._log(con, username, "password_reset", actor)

    def set_locked(self, actor: str, username: str, locked: bool) -> None:
        """Lock (ending the user's sessions) or unlock an account; unlocking also lifts a sign-in lockout."""
        with self._connect() as con:
            target = self._admin_target(con, actor, username)
            if locked:
                self._keep_an_admin(con, target)
                con.execute("UPDATE users SET disabled = true, sessions_valid_after = ? WHERE username = ?",
                            [self.now(), username])
            else:
                con.execute("UPDATE users SET disabled = false, locked_until = NULL, failed_logins = 0 "
                            "WHERE username = ?", [username])
            self._log(con, username, "locked_by_admin" if locked else "unlocked", actor)

    def set_role(self, actor: str, username: str, role: str) -> None:
        """Promote to ``"admin"`` or demote to ``"user"``."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        with self._connect() as con:
            target = self._admin_target(con, actor, username)
            if role == "user":
                self._keep_an_admin(con, target)
            con.execute("UPDATE users SET role = ? WHERE username = ?", [role, username])
            self._log(con, username, "role_changed", f"{target.role} → {role} ({actor})")

    def delete_user(self, actor: str, username: str) -> None:
        """The admin ``actor`` deletes ``username`` with every file it owns."""
        with self._connect() as con:
            target = self._admin_target(con, actor, username)
            self._keep_an_admin(con, target)
        self._delete(username, actor)

    def set_quotas(self, actor: str, username: str, storage_mb: float | None, max_jobs: int | None) -> None:
        """Per-user limits; None means the configured default."""
        if storage_mb is not None and storage_mb <= 0 or max_jobs is not None and max_jobs < 1:
            raise ValueError("quotas must be positive")
        with self._connect() as con:
            self._require_admin(con, actor)
            self._require(con, username)
            storage = None if storage_mb is None else int(storage_mb * MB)
            con.execute("UPDATE users SET storage_quota = ?, max_jobs = ? WHERE username = ?",
                        [storage, max_jobs, username])
            self._log(con, username, "quota_changed", f"{storage_mb or '–'} MB, {max_jobs or '–'} ({actor})")

    def _log(self, con, username: str | None, action: str, detail: str | None = None) -> None:
        con.execute("INSERT INTO audit_log (logged_at, username, action, detail) VALUES (?, ?, ?, ?)",
                    [self.now(), username, action, detail])


def _connect_system(path: Path):
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


# -- quotas -------------------------------------------------------------------------------------------

def _quota_of(user: User | None) -> int:
    if user is not None and user.storage_quota:
        return int(user.storage_quota)
    return int(config.storage_quota_mb() * MB)


def _jobs_of(user: User | None) -> int:
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
        return UserStore(root).get(username)
    except duckdb.IOException:
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
    return _quota_of(_user_or_default(username, root))


def max_concurrent_jobs(username: str, root: Path | None = None) -> int:
    """How many background jobs the user may run at once: their own limit, else ``$ANYML_MAX_JOBS`` (2)."""
    paths.check_username(username)
    return _jobs_of(_user_or_default(username, root))


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
