"""What every AppTest test needs: the app started as a signed-in (or anonymous) user, and an error check."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from storage.users import UserStore, hash_password

HOME = str(Path(__file__).resolve().parents[2] / "Home.py")


def app(user: str | None = "alice", lang: str = "en") -> AppTest:
    """The app as ``user`` (an account created for the test) sees it; ``None`` for a visitor."""
    at = AppTest.from_file(HOME, default_timeout=120)
    at.session_state["lang"] = lang
    if user:
        UserStore().create(user, user.title(), f"{user}@example.com", hash_password("Secret#123"))
        at.session_state["authentication_status"] = True
        at.session_state["username"] = user
        at.session_state["name"] = user.title()
    return at


def no_errors(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
