"""What every AppTest test needs: the app started as a visitor or a signed-in user, and checks on what it shows."""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from storage.users import UserStore, hash_password
from tests.helpers.markdown import unescaped

ROOT = Path(__file__).resolve().parents[2]
HOME = str(ROOT / "Home.py")
PASSWORD = "Maple#Kite42"
LOCALES = {"en": "en-US", "ko": "ko-KR"}


def account(username: str, role: str | None = "user", language: str | None = None) -> None:
    """A new account ``username`` with the password `PASSWORD`; ``role=None`` makes the very first one admin."""
    UserStore().create(username, username.title(), f"{username}@example.com", hash_password(PASSWORD), role=role)
    if language:
        UserStore().set_language(username, language)


def app(user: str | None = "alice", lang: str = "en", role: str | None = None) -> AppTest:
    """The app as ``user`` (an account created for the test) sees it in ``lang``; ``None`` for a visitor."""
    at = AppTest.from_file(HOME, default_timeout=120)
    at.session_state["lang"] = lang
    if user:
        account(user, role)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = user
        at.session_state["name"] = user.title()
    return at


def browser_session(lang: str = "en", script: str = HOME) -> AppTest:
    """A browser session whose language is ``lang`` (from ``st.context.locale``, as a browser sends it)."""
    at = AppTest.from_file(script, default_timeout=60)
    at.context["locale"] = LOCALES[lang]
    return at


def signed_in(username: str, lang: str = "en", script: str = HOME, role: str = "user") -> AppTest:
    """A browser session signed in as a new account ``username`` (as after the sign-in form)."""
    account(username, role)
    at = browser_session(lang, script)
    for key, value in {"authentication_status": True, "username": username, "name": username.title(),
                       "auth.since": datetime.now()}.items():
        at.session_state[key] = value
    return at


def rerun_router(at: AppTest) -> AppTest:
    """Run Home.py again, as the browser does on every click.

    Once a page has run, AppTest 1.67 reruns only that page's file (it resets Streamlit's
    pages-directory flag between runs), so the router and its session guard would be skipped.
    """
    at._page_hash = at._finished_page_script_hash = ""
    return at.run()


def wait_for_training(at: AppTest, timeout: float = 180) -> None:
    """Rerun the page as a user watching it would, until the background job has finished."""
    from ui.jobs import runner

    deadline = time.time() + timeout
    while time.time() < deadline:
        at.run()
        assert not at.exception, at.exception
        job_id = at.session_state["train.last_job"]
        if runner().job(at.session_state["username"], job_id).done:
            at.run()
            return
        time.sleep(0.5)
    raise AssertionError("training did not finish in time")


def page_text(at: AppTest) -> str:
    """Everything the page says in words and tables, as one string to search."""
    parts = [unescaped(e.value) for kind in ("title", "subheader", "markdown", "caption", "info", "success",
                                             "warning", "error") for e in getattr(at, kind)]
    parts += [str(d.value.to_dict()) for d in at.dataframe]
    return "\n".join(map(str, parts))


def no_errors(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


TEXT_ELEMENTS = ("Title", "Header", "Subheader", "Markdown", "Caption", "Text", "Info", "Success", "Warning", "Error")


def _elements(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _elements(child)


def shown_texts(at: AppTest) -> list[tuple[str, str]]:
    """``(element type, text)`` for every sentence a reader sees: text elements, and the labels and options
    of widgets, tabs, expanders and metrics (tables and charts excluded: they show the user's data)."""
    shown = []
    for element in _elements(at._tree):
        kind = type(element).__name__
        if kind in TEXT_ELEMENTS:
            shown.append((kind, unescaped(element.value)))
        label = getattr(element, "label", None)
        if isinstance(label, str) and label:
            shown.append((kind, unescaped(label)))
        if kind in ("Selectbox", "Multiselect", "Radio", "SelectSlider"):
            shown += [(f"{kind} option", str(option)) for option in element.options]
        if kind == "ButtonGroup":  # segmented controls and pills
            shown += [(f"{kind} option", option.content) for option in element.proto.options]
    return shown
