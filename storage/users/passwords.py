"""Password hashing with bcrypt and the rules a new password must follow (strength, not common, not personal)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

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


def check_password_rule(password: str, personal: Iterable[str] = ()) -> None:
    """Raise `WeakPassword` unless ``password`` has 8-64 characters (at most 72 bytes, bcrypt's limit),
    an uppercase and a lowercase letter, a digit and a symbol, is not a common password (or a common
    word with digits and symbols around it, such as ``Password1!``), and contains none of the account's
    ``personal`` words (its username, email address and name: the local part of an address and each
    word of a name count, when they have three characters or more)."""
    ok = (isinstance(password, str) and 8 <= len(password) <= 64 and len(password.encode("utf-8")) <= 72
          and re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
          and re.search(r"\d", password) and PASSWORD_SYMBOLS.search(password))
    if not ok:
        raise WeakPassword(PASSWORD_RULE, key="error.password_weak")
    if is_common_password(password):
        raise WeakPassword("That password is one of the most common ones and is guessed first. Choose one that is "
                           "not a common word or pattern with a few digits added.", key="error.password_common")
    lowered = password.casefold()
    parts = {part for word in personal for part in [str(word or "")] + str(word or "").replace("@", " ").split()}
    if any(len(part) >= 3 and part.casefold() in lowered for part in parts):
        raise WeakPassword("The password contains your username, name or email. Choose one without them.",
                           key="error.password_personal")


COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
#: Look-alike characters people put in a common word ("P@ssw0rd").
_LOOK_ALIKES = str.maketrans({"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "1": "i", "!": "i"})


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common passwords shipped in `COMMON_PASSWORDS_FILE`, lower case."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """Whether ``password`` is a common one, or a common word with digits and symbols before or after it
    and look-alike characters inside (``Password1!``, ``P@ssw0rd#2026``, ``!Qwerty123``)."""
    common = common_passwords()
    lowered = password.lower()
    word = re.sub(r"^[^a-z]+|[^a-z]+$", "", lowered)
    return lowered in common or word in common or word.translate(_LOOK_ALIKES) in common


_dummy_hash: str | None = None


def spend_a_password_check(password: str) -> None:
    """Check against a throwaway hash, so an unknown username takes as long as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not-a-real-password")
    check_password(password, _dummy_hash)
