"""Per-user API tokens for the prediction API: created (the secret shown once), listed, revoked, checked.

`TokenMixin` is mixed into `UserStore`, whose connection, clock and audit log it uses. Only a hash of
each token is stored. A token is 32 random bytes (256 bits) from `secrets`, so a plain SHA-256 of it
is enough: slow, salted hashes such as bcrypt exist to make guessing *low-entropy* passwords costly,
and no one can guess 2^256 values however fast the hash is. SHA-256 also lets a request find its token
with one indexed lookup instead of checking a bcrypt hash per stored token.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.errors import UserError
from storage.sql import new_id
from storage.users.records import User
from storage.users.schema import USER_COLUMNS

#: What every token starts with, so a leaked one is easy to recognise (and to search for in code).
TOKEN_PREFIX = "anyml_"
#: The random bytes of a token.
TOKEN_BYTES = 32
#: How many characters of a token are kept in the clear, to tell tokens apart in the list.
SHOWN_CHARS = len(TOKEN_PREFIX) + 6
#: Tokens one account may hold at once.
MAX_TOKENS = 20
TOKEN_NAME_PATTERN = re.compile(r"^[^\x00-\x1f\x7f]{1,60}$")


class TokenRefused(UserError):
    """A token name that is not valid, or one token more than an account may hold."""


class UnknownToken(UserError):
    """A token that does not exist (or no longer does) among the user's tokens."""


class InvalidToken(UserError):
    """A request whose token is missing, unknown, revoked, or whose account is gone or locked."""


@dataclass(frozen=True)
class ApiToken:
    """One token as its owner sees it in the list: never the secret, only its first characters."""

    token_id: str
    username: str
    name: str
    prefix: str
    created: datetime
    last_used: datetime | None


def token_hash(secret: str) -> str:
    """The stored form of a token: its SHA-256, in hex (see the module docstring for why that is enough)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenMixin:
    """The API token actions of `UserStore`."""

    def create_token(self, username: str, name: str) -> tuple[ApiToken, str]:
        """A new token of ``username`` called ``name``; returns it and its secret, which is never stored."""
        name = " ".join(str(name or "").split())
        if not TOKEN_NAME_PATTERN.fullmatch(name):
            raise TokenRefused("Give the token a name of 1 to 60 characters, e.g. 'CRM' or 'nightly script'.",
                               key="api.error.token_name")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        token = ApiToken(new_id(), username, name, secret[:SHOWN_CHARS], self.now(), None)
        with self._connect() as con:
            self._require(con, username)
            (count,) = con.execute("SELECT count(*) FROM api_tokens WHERE username = ?", [username]).fetchone()
            if count >= MAX_TOKENS:
                raise TokenRefused(f"An account may hold at most {MAX_TOKENS} tokens. Revoke one you no longer "
                                   "use first.", key="api.error.too_many_tokens", params={"max": MAX_TOKENS})
            con.execute("INSERT INTO api_tokens (token_id, username, name, prefix, token_hash, created) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        [token.token_id, username, name, token.prefix, token_hash(secret), token.created])
            self._log(con, username, "token_created", f"{name} ({token.prefix}…)")
        return token, secret

    def tokens(self, username: str) -> list[ApiToken]:
        """The user's tokens, newest first."""
        with self._connect() as con:
            rows = con.execute("SELECT token_id, username, name, prefix, created, last_used FROM api_tokens "
                               "WHERE username = ? ORDER BY created DESC, token_id", [username]).fetchall()
        return [ApiToken(*row) for row in rows]

    def revoke_token(self, username: str, token_id: str) -> None:
        """Delete one of the user's tokens: every request with it is refused from now on."""
        with self._connect() as con:
            row = con.execute("DELETE FROM api_tokens WHERE username = ? AND token_id = ? RETURNING name, prefix",
                              [username, token_id]).fetchone()
            if row is None:
                raise UnknownToken("That token does not exist any more. Reload the page.",
                                   key="api.error.unknown_token")
            self._log(con, username, "token_revoked", f"{row[0]} ({row[1]}…)")

    def token_user(self, secret: str) -> tuple[User, str]:
        """The account a token belongs to and the token's id, noting when it was used; else `InvalidToken`.

        The token is found by its hash, so nothing compares secrets character by character.
        """
        refused = InvalidToken("The API token is missing, wrong or revoked. Send 'Authorization: Bearer <token>' "
                               "with a token from your Account page.", key="api.error.bad_token")
        if not isinstance(secret, str) or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            raise refused
        with self._connect() as con:
            row = con.execute("SELECT token_id, username FROM api_tokens WHERE token_hash = ?",
                              [token_hash(secret)]).fetchone()
            user = row and con.execute(f"SELECT {USER_COLUMNS} FROM users WHERE username = ?", [row[1]]).fetchone()
            if not user:
                raise refused
            user = User(*user)
            if user.disabled:
                raise refused
            con.execute("UPDATE api_tokens SET last_used = ? WHERE token_id = ?", [self.now(), row[0]])
        return user, row[0]
