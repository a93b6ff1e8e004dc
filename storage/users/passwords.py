"""Password hashing with bcrypt and the rule a new password must follow."""
from __future__ import annotations

import re

import bcrypt

from storage.users.records import WeakPassword

#: bcrypt work factor for new hashes (tests may lower it; stored hashes keep their own).
BCRYPT_ROUNDS = 12

PASSWORD_SYMBOLS = re.compile(r"[^A-Za-z0-9\s]")
PASSWORD_RULE = ("A password needs 8-64 characters with an uppercase and a lowercase letter, a digit "
                 "and a symbol such as # or !.")


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


_dummy_hash: str | None = None


def spend_a_password_check(password: str) -> None:
    """Check against a throwaway hash, so an unknown username takes as long as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not-a-real-password")
    check_password(password, _dummy_hash)
