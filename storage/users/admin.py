"""What an admin does to other accounts: list them, add, reset, lock, promote, delete, set quotas.

`AdminMixin` is mixed into `UserStore`, whose connection, audit log and account helpers it uses.
Every method takes the acting admin's username and checks it, so a page guard is never the only
protection.
"""
from __future__ import annotations

from storage.users.passwords import check_password_rule, hash_password
from storage.users.quotas import jobs_of, quota_of, storage_used
from storage.users.records import MB, ROLES, AccountSummary, NotAllowed, RegistrationPolicy, User
from storage.users.schema import read_user


class AdminMixin:
    """The admin actions of `UserStore`."""

    def summaries(self, actor: str) -> list[AccountSummary]:
        """Every account with its storage use and quotas, for the admin ``actor``: no user's data."""
        with self._connect() as con:
            self._require_admin(con, actor)
        return [AccountSummary(u, storage_used(u.username, self.root), quota_of(u), jobs_of(u))
                for u in self.list()]

    def add_account(self, actor: str, username: str, name: str, email: str, password: str) -> User:
        """The admin ``actor`` creates an account (also while registration is closed); the user
        should change the given password on their Account page."""
        with self._connect() as con:
            self._require_admin(con, actor)
        user = self._create_checked(username, name, email, password, RegistrationPolicy())
        with self._connect() as con:
            self._log(con, user.username, "added_by_admin", actor)
        return user

    def _require_admin(self, con, actor: str) -> User:
        user = read_user(con, actor)
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
        with self._connect() as con:
            target = self._admin_target(con, actor, username)
        check_password_rule(new_password, personal=(target.username, target.email, target.name))
        with self._connect() as con:
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
