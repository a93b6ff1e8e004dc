"""Sign-in, registration and sign-out with streamlit-authenticator, accounts kept in system.duckdb."""
from __future__ import annotations

import os

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError, RegisterError, Validator

from storage.paths import USERNAME_PATTERN
from storage.secrets import COOKIE_KEY_ENV
from storage.users import UserExists, UserStore
from ui.i18n import t

COOKIE_NAME = "anyml_auth"


class AnyMLValidator(Validator):
    """Usernames become directory names, so they must match our strict pattern."""

    def validate_username(self, username: str) -> bool:
        return bool(USERNAME_PATTERN.fullmatch(username))


def cookie_key() -> str | None:
    key = os.environ.get(COOKIE_KEY_ENV)
    if key:
        return key
    try:
        return st.secrets.get("cookie_key")
    except FileNotFoundError:
        return None


def _credentials(store: UserStore) -> dict:
    return {"usernames": {u.username: {"email": u.email, "first_name": u.name, "last_name": "",
                                       "password": u.password_hash, "roles": [u.role]}
                          for u in store.list()}}


def _on_login(event: dict) -> None:
    UserStore().record_login(event["username"])


def signed_in_user() -> str | None:
    """The signed-in username, or None."""
    if st.session_state.get("authentication_status") and st.session_state.get("username"):
        return st.session_state["username"]
    return None


def authenticator() -> stauth.Authenticate | None:
    """This run's authenticator (it must be built on every run: it renders the cookie component)."""
    key = cookie_key()
    if not key:
        st.error(t("auth.no_key"))
        return None
    store = UserStore()
    credentials = _credentials(store)
    st.session_state["_credentials"] = credentials
    return stauth.Authenticate(credentials, COOKIE_NAME, key, cookie_expiry_days=7,
                               validator=AnyMLValidator(), auto_hash=False)


def sign_in_page() -> None:
    """The page an anonymous visitor sees: sign in, or create an account."""
    st.title(t("app.title"))
    st.caption(t("app.tagline"))
    auth = st.session_state.get("_authenticator")
    if auth is None:
        return
    login_tab, register_tab = st.tabs([t("auth.login_tab"), t("auth.register_tab")])
    with login_tab:
        try:
            auth.login(location="main", key="auth.login", callback=_on_login)
        except LoginError as err:
            st.error(str(err))
        if st.session_state.get("authentication_status") is False:
            st.error(t("auth.bad_login"))
        if signed_in_user():
            st.rerun()
    with register_tab:
        st.caption(t("auth.username_rule"))
        try:
            email, username, name = auth.register_user(location="main", captcha=False, password_hint=False,
                                                       key="auth.register")
        except RegisterError as err:
            st.error(str(err))
            return
        if username:
            entry = st.session_state["_credentials"]["usernames"][username]
            try:
                UserStore().create(username, name.strip(), email, entry["password"])
            except UserExists as err:
                st.error(str(err))
                return
            st.success(t("auth.registered", username=username))


def logout_button(auth: stauth.Authenticate) -> None:
    auth.logout(t("auth.logout"), location="sidebar", key="auth.logout")
