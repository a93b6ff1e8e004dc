"""Session guards and pickers shared by pages: the signed-in user, their workspace, datasets and errors.

A session belongs to one account. On every run the guard checks that the account still exists,
is not locked, and has not ended its sessions since this one began (password changed or reset,
signed out elsewhere); if any of that fails the session is ended, and nothing of it is kept.
"""
from __future__ import annotations

import logging
from datetime import datetime

import streamlit as st

from core.errors import USER_ERRORS
from storage.users import User, UserStore
from storage.workspace import Dataset, Workspace
from texts import LANGUAGES, STRINGS
from ui.i18n import browser_language, language, t, use_saved_language
from ui.literal import literal, t_md

#: Session keys that outlive a sign-out: the language, the "signed out" mark (so the cookie is not
#: read again in this session), the cookie component's state and the sign-in notice.
KEEP_ON_SIGN_OUT = {"lang", "logout", "anyml_cookies", "auth.notice", "auth.clear_cookie", "_auth_cookies"}


def start_session(user: User, since: datetime | None = None) -> None:
    """Mark ``user`` as signed in for this browser session (from the sign-in form or a valid cookie)."""
    st.session_state.pop("auth.notice", None)
    st.session_state.update({
        "authentication_status": True, "username": user.username, "name": user.name, "email": user.email,
        "roles": [user.role], "auth.since": since or datetime.now(), "logout": False,
    })
    use_saved_language(user.language)


def end_session(notice: str | None = None) -> None:
    """Forget everything of the signed-in user in this session and have the sign-in cookie deleted.

    ``notice`` is a catalogue key shown on the sign-in page (why the session ended).
    """
    for key in list(st.session_state):
        if key not in KEEP_ON_SIGN_OUT:
            del st.session_state[key]
    st.session_state.update({"authentication_status": None, "username": None, "name": None,
                             "logout": True, "auth.clear_cookie": True})
    if notice:
        flash("auth.notice", "info", key=notice)


def signed_in_username() -> str | None:
    """The username this session says is signed in (not yet checked against the account)."""
    if st.session_state.get("authentication_status") and st.session_state.get("username"):
        return st.session_state["username"]
    return None


def check_session() -> User | None:
    """The signed-in account if this session is still valid; otherwise end the session and return None."""
    username = signed_in_username()
    if username is None:
        return None
    store = UserStore()
    user = store.get(username)
    since = st.session_state.get("auth.since")
    if user is None:
        end_session("auth.ended_deleted")
    elif user.locked_at(store.now()):
        end_session("auth.ended_locked")
    elif since is not None and user.sessions_valid_after is not None and since < user.sessions_valid_after:
        end_session("auth.ended_elsewhere")
    else:
        return user
    return None


def require_user() -> User:
    """The signed-in account; stops the page (which the router then never shows) otherwise."""
    user = check_session()
    if user is None:
        st.stop()
    return user


def require_admin() -> User:
    """The signed-in admin; anyone else sees a refusal and nothing more."""
    user = require_user()
    if not user.is_admin:
        st.error(t("error.admin_only"))
        st.stop()
    return user


def workspace() -> Workspace:
    """The signed-in user's workspace; a page never builds one from anything else."""
    return Workspace(require_user().username)


def pick_dataset(ws: Workspace, key: str) -> Dataset:
    """A dataset select box; shows a hint and stops the page when there is none."""
    datasets = ws.datasets()
    if not datasets:
        st.info(t("pick.none"))
        st.stop()
    ids = [d.dataset_id for d in datasets]
    by_id = {d.dataset_id: d for d in datasets}
    # The current dataset (the one saved, branched or picked last, on any page) is the one shown here too,
    # even when this page's box remembers another.
    # A pick made in this box (its value differs from what it was last shown) wins over the current one.
    picked, shown = st.session_state.get(key), st.session_state.get(f"{key}.shown")
    chosen = picked if picked in ids and picked != shown else st.session_state.get("current_dataset")
    st.session_state[key] = chosen if chosen in ids else picked if picked in ids else ids[0]
    st.session_state[f"{key}.shown"] = st.session_state[key]
    labels = {i: t("pick.dataset_label", name=d.name, rows=f"{d.rows:,}", columns=d.columns) for i, d in by_id.items()}
    dataset_id = st.selectbox(t("pick.dataset"), ids, key=key, format_func=labels.get)
    st.session_state["current_dataset"] = dataset_id
    return by_id[dataset_id]


def flash(slot: str, kind: str = "success", *, err: BaseException | None = None, key: str | None = None,
          **params) -> None:
    """Keep a message for the next run (after a callback or ``st.rerun``): an error, or a catalogue key."""
    st.session_state[slot] = {"kind": kind, "text": error_text(err) if err else None, "key": key, "params": params}


def show_flash(slot: str, keep: bool = False) -> None:
    """Show the message kept in ``slot`` by `flash`: once, or on every run while ``keep`` (until
    something removes it), for a message that must survive the reruns a component may trigger."""
    message = st.session_state.get(slot) if keep else st.session_state.pop(slot, None)
    if not message:
        return
    text = message.get("text") or t_md(message["key"], **message.get("params", {}))
    {"error": st.error, "success": st.success, "warning": st.warning}.get(message["kind"], st.info)(text)


def error_text(err: BaseException) -> str:
    """What to show for a user's error (Markdown for ``st.error``): its catalogue entry in the chosen
    language, else its message; the user's own text in it (names, values) is shown literally."""
    key = getattr(err, "key", None)
    if key in STRINGS:
        try:
            return t_md(key, **getattr(err, "params", {}))
        except (KeyError, IndexError, ValueError):
            logging.getLogger("anyml").warning("string %s does not fit the params of %r", key, err)
    return literal(str(err))


class user_errors:
    """``with user_errors():`` shows a user's mistake as ``st.error`` and any bug without a traceback."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None:
            return False
        if isinstance(exc, USER_ERRORS):
            st.error(error_text(exc))
            return True
        if isinstance(exc, Exception) and not _is_streamlit_control_flow(exc):
            st.error(t("error.unexpected", kind=type(exc).__name__))
            logging.getLogger("anyml").exception("unexpected error on a page")
            return True
        return False


def _is_streamlit_control_flow(exc: BaseException) -> bool:
    # st.stop / st.rerun work by raising; they must pass through.
    return type(exc).__module__.startswith("streamlit.")


# -- the language switch, saved with the signed-in user's account ------------------------------------------

def _remember_language() -> None:
    username = st.session_state.get("username")
    if st.session_state.get("authentication_status") and username and st.session_state.get("lang") in LANGUAGES:
        UserStore().set_language(username, st.session_state["lang"])


def _choose_language(key: str) -> None:
    st.session_state["lang"] = st.session_state[key]
    _remember_language()


def language_choice(key: str) -> None:
    """The language as radio buttons on a page, in step with the sidebar switch and saved the same way."""
    st.session_state[key] = language()
    st.radio(t("lang.label"), list(LANGUAGES), format_func=LANGUAGES.get, key=key, horizontal=True,
             on_change=_choose_language, args=(key,))


def language_switch() -> None:
    """The sidebar language select box; a signed-in user's choice is saved with their account."""
    if st.session_state.get("lang") not in LANGUAGES:
        st.session_state["lang"] = browser_language()
    st.sidebar.selectbox(t("lang.label"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang",
                         on_change=_remember_language)
