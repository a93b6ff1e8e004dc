"""The user accounts in ``system.duckdb``: bcrypt hashes, roles, sign-in throttling, quotas and the audit log.

Every account action a page offers is one method of `UserStore` (store.py, with the admin actions
mixed in from admin.py), and every method that acts on someone else's account takes the acting
admin's username and checks it, so a page guard is never the only protection. Errors are
`UserError` subclasses whose key names the message in the string catalogue (records.py). Password
hashing and its rule live in passwords.py, the tables and their migrations in schema.py, and the
per-user storage and job limits in quotas.py, the prediction API's tokens in tokens.py.
"""
from __future__ import annotations

from storage.errors import UserError
from storage.users.admin import AdminMixin
from storage.users.passwords import (BCRYPT_ROUNDS, PASSWORD_RULE, PASSWORD_SYMBOLS, check_password,
                                     check_password_rule, hash_password)
from storage.users.quotas import ensure_storage_room, max_concurrent_jobs, storage_quota, storage_used
from storage.users.records import (AUDIT_ACTIONS, EMAIL_PATTERN, LANGUAGE_PATTERN, LOCKOUT, MAX_FAILED_LOGINS, MB,
                                   NAME_PATTERN, ROLES, AccountLocked, AccountSummary, LoginFailed, NotAllowed,
                                   QuotaExceeded, RegistrationPolicy, RegistrationRefused, UnknownUser, User,
                                   UserExists, WeakPassword, WrongPassword, normalise_username)
from storage.users.schema import MIGRATIONS, SCHEMA, USER_COLUMNS
from storage.users.store import UserStore
from storage.users.tokens import (MAX_TOKENS, TOKEN_PREFIX, ApiToken, InvalidToken, TokenMixin, TokenRefused,
                                  UnknownToken, token_hash)

__all__ = [
    "UserStore", "AdminMixin", "TokenMixin", "ApiToken", "InvalidToken", "TokenRefused", "UnknownToken",
    "MAX_TOKENS", "TOKEN_PREFIX", "token_hash", "User", "AccountSummary", "RegistrationPolicy",
    "UserError", "UserExists", "RegistrationRefused", "WeakPassword", "LoginFailed", "AccountLocked",
    "WrongPassword", "NotAllowed", "UnknownUser", "QuotaExceeded",
    "MAX_FAILED_LOGINS", "LOCKOUT", "BCRYPT_ROUNDS", "MB", "ROLES", "AUDIT_ACTIONS",
    "NAME_PATTERN", "EMAIL_PATTERN", "LANGUAGE_PATTERN", "PASSWORD_SYMBOLS", "PASSWORD_RULE",
    "SCHEMA", "MIGRATIONS", "USER_COLUMNS",
    "hash_password", "check_password", "check_password_rule", "normalise_username",
    "storage_used", "storage_quota", "max_concurrent_jobs", "ensure_storage_room",
]
