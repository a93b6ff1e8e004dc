"""`UserStore`: the accounts in ``system.duckdb``, registration, sign-in with throttling, and the user's own account.

The admin actions on other accounts are mixed in from `storage.users.admin`, the API tokens from
`storage.users.tokens`.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from storage import paths
from storage.db import release_under
from storage.users.admin import AdminMixin
from storage.users.passwords import check_password, check_password_rule, hash_password, spend_a_password_check
from storage.users.records import (EMAIL_PATTERN, LANGUAGE_PATTERN, LOCKOUT, MAX_FAILED_LOGINS, NAME_PATTERN,
                                   AccountLocked, LoginFailed, RegistrationPolicy, RegistrationRefused, UnknownUser,
                                   User, UserExists, WeakPassword, WrongPassword, normalise_username)
from storage.users.schema import USER_COLUMNS, connect_system, read_user
from storage.users.tokens import TokenMixin


#: What a visitor is told for every refused sign-in (catalogue ``auth.bad_login``).
BAD_LOGIN = ("Username or password is incorrect, or sign-in to this account is paused after too many wrong "
             "passwords. Check them and try again in 15 minutes, or ask your administrator.")


def _now() -> datetime:
    return datetime.now()


class UserStore(AdminMixin, TokenMixin):
    """Accounts kept in ``<data dir>/system.duckdb``.

    ``clock`` returns the current time (tests pass a fake one to step past a lockout).
    """

    def __init__(self, root: Path | None = None, clock: Callable[[], datetime] | None = None):
        self.root = root or paths.data_dir()
        self.path = paths.system_db_path(self.root)
        self.now = clock or _now

    def _connect(self):
        return connect_system(self.path)

    # -- reading ----------------------------------------------------------------------------------

    def get(self, username: str) -> User | None:
        with self._connect() as con:
            return read_user(con, username)

    def _require(self, con, username: str) -> User:
        user = read_user(con, username)
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

    def _log(self, con, username: str | None, action: str, detail: str | None = None) -> None:
        con.execute("INSERT INTO audit_log (logged_at, username, action, detail) VALUES (?, ?, ?, ?)",
                    [self.now(), username, action, detail])

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
        check_password_rule(password, personal=(username, email, name))
        return self.create(username, name, email, hash_password(password))

    def authenticate(self, username: str, password: str) -> User:
        """The account, when ``password`` is right and the account is not locked.

        A wrong password counts as a failed sign-in; the fifth within fifteen minutes of each other locks
        the account for fifteen minutes and writes the lock, with its time, to the audit log. Every
        refusal (unknown user, wrong password, locked account) says the same and takes as long, so a
        visitor learns nothing about which accounts exist; the lock's details are in the audit log.
        """
        username = normalise_username(username)
        user = self.get(username) if paths.USERNAME_PATTERN.fullmatch(username) else None
        if user is None:
            spend_a_password_check(str(password))
            raise LoginFailed(BAD_LOGIN, key="auth.bad_login")
        if user.locked_at(self.now()):
            spend_a_password_check(str(password))  # no password is checked while locked, but as slowly
            raise AccountLocked(BAD_LOGIN, key="auth.bad_login")
        if not check_password(str(password), user.password_hash):
            try:
                self._failed(username, "login_failed")
            except AccountLocked:
                raise AccountLocked(BAD_LOGIN, key="auth.bad_login") from None
            raise LoginFailed(BAD_LOGIN, key="auth.bad_login")
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
        """Count one wrong password; lock the account (and raise `AccountLocked`) at the limit.

        Failures older than `LOCKOUT` are forgotten: the count is of failures in a row, each within
        fifteen minutes of the one before (so one client held back by the sign-in throttle, which
        allows fewer, never locks an account on its own).
        """
        now = self.now()
        with self._connect() as con:
            (last,) = con.execute("SELECT max(logged_at) FROM audit_log WHERE username = ? AND action IN "
                                  "('login_failed', 'password_change_failed', 'delete_failed')",
                                  [username]).fetchone()
            if last is not None and now - last >= LOCKOUT:
                con.execute("UPDATE users SET failed_logins = 0 WHERE username = ?", [username])
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
        with self._connect() as con:
            user = self._require(con, username)
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
        user = self._confirm_password(username, current, "password_change_failed")
        check_password_rule(new, personal=(user.username, user.email, user.name))
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
            con.execute("DELETE FROM api_tokens WHERE username = ?", [username])
            con.execute("DELETE FROM users WHERE username = ?", [username])
            self._log(con, username, "deleted", detail)
