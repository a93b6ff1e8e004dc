"""The account records, the errors a user can cause, and the limits and patterns accounts follow."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from core import config
from storage.errors import UserError

#: Failed sign-ins in a row that lock an account, and for how long.
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)

MB = 1024 * 1024

ROLES = ("user", "admin")
#: Every action written to the audit log (each has a catalogue entry ``audit.<action>``).
AUDIT_ACTIONS = ("register", "login", "login_failed", "logout", "locked", "password_changed",
                 "password_change_failed", "password_reset", "delete_failed", "deleted", "locked_by_admin",
                 "unlocked", "role_changed", "quota_changed", "added_by_admin", "token_created", "token_revoked")
NAME_PATTERN = re.compile(r"^[^\W_](?:[^\W_]|[ .'\-])*$")
EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,253}\.[A-Za-z]{2,63}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}$")


# -- errors a user can cause ------------------------------------------------------------------------

class UserExists(UserError, ValueError):
    """A username or email that is already registered."""


class RegistrationRefused(UserError):
    """Registration is closed, the email domain is not allowed, or a field is not valid."""


class WeakPassword(UserError):
    """A new password that does not follow the strength rule."""


class LoginFailed(UserError):
    """Wrong username or password (the message never says which)."""


class AccountLocked(LoginFailed):
    """Too many failed sign-ins (locked for a while) or locked by an admin; at sign-in it says no more
    than `LoginFailed`, so a visitor cannot tell a locked account from a wrong password."""


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


def normalise_username(username: str) -> str:
    """What the user typed, as a username: surrounding spaces dropped, lower case."""
    return str(username or "").strip().lower()
