"""The Account page's work: the account's details and storage use, changing its password, deleting it."""
from __future__ import annotations

import streamlit as st

from storage.users import User, UserStore, max_concurrent_jobs, storage_quota, storage_used
from ui.auth import PasswordsDiffer, renew_cookie
from ui.i18n import format_bytes, format_datetime, t
from ui.literal import t_md
from ui.session import end_session, user_errors


def details(user: User) -> None:
    """Who the user is, the storage they use against their quota, their job limit and sign-in dates."""
    st.markdown(t_md("account.who", name=user.name, username=user.username, email=user.email,
                  role=t(f"account.role_{user.role}")))
    used, quota = storage_used(user.username), storage_quota(user.username)
    st.progress(min(used / quota, 1.0), text=t("account.storage", used=format_bytes(used),
                                                quota=format_bytes(quota)))
    st.caption(t("account.details", jobs=max_concurrent_jobs(user.username), created=format_datetime(user.created),
                 last_login=format_datetime(user.last_login)))


def password_form(user: User) -> None:
    """Change the password (the current one, the new one twice)."""
    with st.form("account.password_form", clear_on_submit=True):
        st.subheader(t("account.password_title"))
        current = st.text_input(t("account.current_password"), type="password", key="account.current",
                                autocomplete="current-password")
        new = st.text_input(t("account.new_password"), type="password", key="account.new",
                            help=t("auth.password_rule"), autocomplete="new-password")
        repeat = st.text_input(t("account.repeat_password"), type="password", key="account.repeat",
                               autocomplete="new-password")
        change = st.form_submit_button(t("account.change_password"), key="account.change", type="primary")
    if change:
        with user_errors():
            if new != repeat:
                raise PasswordsDiffer("The two passwords are not the same. Type them again.",
                                      key="error.password_mismatch")
            # Other sessions and older cookies end now; this one goes on with a fresh cookie.
            st.session_state["auth.since"] = UserStore().change_password(user.username, current, new)
            renew_cookie()
            st.success(t("account.password_changed"))


def delete_form(user: User) -> None:
    """Delete the account and all its data, once the password is typed; the session ends with it."""
    st.warning(t("account.delete_warning"))
    with st.form("account.delete_form", clear_on_submit=True):
        password = st.text_input(t("account.delete_password"), type="password", key="account.delete_password",
                                 autocomplete="current-password")
        delete = st.form_submit_button(t("account.delete_button", username=user.username), key="account.delete")
    if delete:
        with user_errors():
            UserStore().delete_account(user.username, password)
            end_session("account.deleted")
            st.rerun()
