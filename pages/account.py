"""Account: who you are and how much space you use, your language, your password, deleting your account."""
import streamlit as st

from storage.users import UserStore, max_concurrent_jobs, storage_quota, storage_used
from ui.auth import PasswordsDiffer, renew_cookie
from ui.i18n import format_bytes, format_datetime, t
from ui.session import end_session, language_choice, require_user, user_errors

user = require_user()
store = UserStore()
st.title(t("account.title"))
st.markdown(t("account.who", name=user.name, username=user.username, email=user.email,
              role=t(f"account.role_{user.role}")))
used, quota = storage_used(user.username), storage_quota(user.username)
st.progress(min(used / quota, 1.0), text=t("account.storage", used=format_bytes(used), quota=format_bytes(quota)))
st.caption(t("account.details", jobs=max_concurrent_jobs(user.username), created=format_datetime(user.created),
             last_login=format_datetime(user.last_login)))

language_choice("account.lang")

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
        st.session_state["auth.since"] = store.change_password(user.username, current, new)
        renew_cookie()
        st.success(t("account.password_changed"))

with st.expander(t("account.delete_title")):
    st.warning(t("account.delete_warning"))
    with st.form("account.delete_form", clear_on_submit=True):
        password = st.text_input(t("account.delete_password"), type="password", key="account.delete_password",
                                 autocomplete="current-password")
        delete = st.form_submit_button(t("account.delete_button", username=user.username), key="account.delete")
    if delete:
        with user_errors():
            store.delete_account(user.username, password)
            end_session("account.deleted")
            st.rerun()
