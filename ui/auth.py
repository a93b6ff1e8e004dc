"""Sign-in, registration and sign-out; accounts in system.duckdb, sessions kept by a signed cookie.

The forms are ours (streamlit-authenticator's login keeps failed attempts in memory only, and its
widgets have no keys and English-only messages); the re-authentication cookie is a signed token in
the authenticator's format, written by its cookie component. A script cannot set a cookie from the
server in Streamlit 1.67 (``st.context.cookies`` is read-only, and ``st.login``'s HttpOnly cookie comes
only from an OpenID provider), so the cookie is readable by the page's JavaScript: it is therefore
short-lived, bound to the browser and address it was issued to, Secure over HTTPS and SameSite=Strict. Form buttons act in callbacks, which run before
``Home.py``, so the router already shows the right pages on the run that follows a click.
"""
from __future__ import annotations

import hashlib
import math
import time
import uuid
from datetime import datetime, timedelta

import extra_streamlit_components as stx
import jwt
import streamlit as st

from core import config
from storage.errors import UserError
from storage.users import RegistrationPolicy, User, UserStore
from ui.i18n import t
from ui.literal import t_md
from ui.session import check_session, end_session, flash, show_flash, signed_in_username, start_session
from ui.throttle import current_client, sign_in_throttle, wait_minutes

COOKIE_NAME = "anyml_auth"
#: How long a sign-in cookie lasts: a working day, not a week (a stolen copy is of little use for long).
COOKIE_LIFETIME = timedelta(hours=12)


class PasswordsDiffer(UserError):
    """The two password fields of a form do not match."""


def cookie_key() -> str | None:
    """The cookie signing key: ``$ANYML_COOKIE_KEY``, else ``cookie_key`` of the generated secrets file."""
    key = config.cookie_key()
    if key:
        return key
    try:
        key = st.secrets.get("cookie_key")
    except (FileNotFoundError, KeyError):
        return None
    return key if isinstance(key, str) and key.strip() else None


class SessionCookie:
    """The sign-in cookie of this browser, in streamlit-authenticator's format and with its component.

    The cookie is the authenticator's JWT (``username``, ``exp_date``; HS256 with the cookie key).
    Reading it needs no component: the browser sends it with the page request (``st.context.cookies``).
    Writing it takes the cookie component, which `draw` renders on every run after ``st.navigation``
    (a component drawn before it could send its first value while the browser does not know the page
    yet, and that rerun would land a reload of ``/data`` on Home). A write is drawn under its own key
    on every run until the browser reports it done: a rerun that came first would otherwise remove
    the component before it ran. It is drawn in a slot made at the same place on every run, so the
    elements after it keep their place (a moved ``st.tabs`` is redrawn on its first tab).
    """

    def __init__(self, key: str):
        self._key = key
        self._manager = None
        self._slot = None

    def get_cookie(self) -> dict | None:
        """The cookie's content (``username``, ``exp_date``) when its signature is ours, it has not expired,
        it was issued for at most `COOKIE_LIFETIME`, and to this browser at this address."""
        token = st.context.cookies.get(COOKIE_NAME)
        if not isinstance(token, str) or not token:
            return None
        try:
            content = jwt.decode(token, self._key, algorithms=["HS256"])
        except jwt.PyJWTError:
            return None
        expires = content.get("exp_date")
        now = time.time()
        if (not isinstance(content.get("username"), str) or isinstance(expires, bool)
                or not isinstance(expires, (int, float)) or not math.isfinite(expires)
                or not now < expires <= now + COOKIE_LIFETIME.total_seconds() + 60
                or content.get("client") != client_fingerprint()):
            return None
        return content

    def set_cookie(self) -> None:
        """Sign this browser in for `COOKIE_LIFETIME` as the session's user."""
        expires = datetime.now() + COOKIE_LIFETIME
        token = jwt.encode({"username": st.session_state["username"], "exp_date": expires.timestamp(),
                            "client": client_fingerprint()}, self._key, algorithm="HS256")
        self._request({"action": "set", "token": token, "expires": expires})

    def delete_cookie(self) -> None:
        self._request({"action": "delete"})

    def _request(self, write: dict) -> None:
        st.session_state[_COOKIE_WRITE] = dict(write, key=f"anyml_cookie_{uuid.uuid4().hex[:12]}")
        if self._manager is not None:
            self._draw_write()

    def draw(self) -> None:
        """Render the cookie component (call right after ``st.navigation``) and any unfinished write."""
        self._manager = stx.CookieManager(key="anyml_cookies")
        self._slot = st.container()
        self._draw_write()

    def _draw_write(self) -> None:
        write = st.session_state.get(_COOKIE_WRITE)
        if not write:
            return
        if st.session_state.get(write["key"]):  # the browser has done it
            del st.session_state[_COOKIE_WRITE]
            return
        with self._slot:
            if write["action"] == "set":
                self._manager.set(COOKIE_NAME, write["token"], key=write["key"], expires_at=write["expires"],
                                  secure=_served_over_https(), same_site="strict")
            else:
                try:
                    self._manager.delete(COOKIE_NAME, key=write["key"])
                except KeyError:  # drawn; it only was not among the cookies the component read first
                    pass


_COOKIE_WRITE = "auth.cookie_write"


def client_fingerprint() -> str:
    """A digest of this browser's User-Agent and address, which a cookie must have been issued to."""
    context = st.context
    headers = getattr(context, "headers", None) or {}
    agent = headers.get("User-Agent", "") if hasattr(headers, "get") else ""
    address = getattr(context, "ip_address", None) or ""
    return hashlib.sha256(f"{agent}\n{address}".encode()).hexdigest()[:32]


def _served_over_https() -> bool:
    return str(getattr(st.context, "url", None) or "").startswith("https://")


def cookie_controller() -> SessionCookie | None:
    """This run's sign-in cookie, or None when there is no cookie key."""
    key = cookie_key()
    if not key:
        return None
    cookies = SessionCookie(key)
    st.session_state["_auth_cookies"] = cookies
    return cookies


def signed_in_user(cookies: SessionCookie) -> User | None:
    """The account of this session after a refresh (from the cookie) and the session guard; then set or
    delete the browser's cookie as the last sign-in or sign-out asked."""
    restore_session(cookies)
    user = check_session()
    if st.session_state.pop("auth.clear_cookie", False):
        cookies.delete_cookie()
    elif st.session_state.pop("auth.set_cookie", False) and user is not None:
        cookies.set_cookie()
    return user


def restore_session(cookies: SessionCookie) -> None:
    """Sign in from a valid cookie after a browser refresh.

    The cookie names the user and its expiry; it is refused when it was issued before the account
    existed or before its sessions were ended (password change or reset, sign-out, lock).
    """
    if signed_in_username() or st.session_state.get("logout"):
        return
    token = cookies.get_cookie()
    if not token:
        return
    store = UserStore()
    user = store.get(str(token.get("username", "")))
    issued = datetime.fromtimestamp(float(token["exp_date"])) - COOKIE_LIFETIME
    valid_after = max(filter(None, [user and user.created, user and user.sessions_valid_after]), default=None)
    if user is None or user.locked_at(store.now()) or (valid_after is not None and issued < valid_after):
        st.session_state["logout"] = True  # do not read this cookie again in this session
        st.session_state["auth.clear_cookie"] = True
        return
    start_session(user, since=issued)


def renew_cookie() -> None:
    """Issue a fresh cookie for this browser (after the user's own password change ended older ones)."""
    cookies = st.session_state.get("_auth_cookies")
    if cookies is not None and signed_in_username():
        cookies.set_cookie()


# -- the sign-in page ----------------------------------------------------------------------------------

def _sign_in() -> None:
    username = st.session_state.get("auth.login.username", "")
    password = st.session_state.get("auth.login.password", "")
    st.session_state["auth.login.password"] = ""
    throttle, client = sign_in_throttle(), current_client()
    wait = throttle.wait_seconds(client, username)
    if wait > 0:  # held back: the password is not even checked
        st.session_state["authentication_status"] = False
        flash("auth.login.notice", "error", key="auth.throttled", minutes=wait_minutes(wait))
        return
    try:
        user = UserStore().authenticate(username, password)
    except UserError as err:
        throttle.failed(client, username)
        st.session_state["authentication_status"] = False
        flash("auth.login.notice", "error", err=err)
        return
    throttle.succeeded(client, username)
    start_session(user)
    st.session_state["auth.set_cookie"] = True


def _full_name(first: str, last: str) -> str:
    first, last = " ".join(first.split()), " ".join(last.split())
    if first and last and all("\uac00" <= ch <= "\ud7a3" for ch in first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def _register() -> None:
    get = st.session_state.get
    try:
        if get("auth.register.password", "") != get("auth.register.repeat", ""):
            raise PasswordsDiffer("The two passwords are not the same. Type them again.",
                                  key="error.password_mismatch")
        user = UserStore().register(get("auth.register.username", ""),
                                    _full_name(get("auth.register.first", ""), get("auth.register.last", "")),
                                    get("auth.register.email", ""), get("auth.register.password", ""))
    except UserError as err:
        flash("auth.register.notice", "error", err=err)
        return
    finally:
        st.session_state["auth.register.password"] = st.session_state["auth.register.repeat"] = ""
    for field in ("first", "last", "email", "username"):
        st.session_state[f"auth.register.{field}"] = ""
    start_session(user)  # a new account is signed in at once: no second form to fill in
    st.session_state["auth.set_cookie"] = True


def sign_in_page() -> None:
    """The page an anonymous visitor sees: sign in, or create an account."""
    st.title(t("app.title"))
    st.caption(t("app.tagline"))
    show_flash("auth.notice", keep=True)  # why the last session ended; kept until the next sign-in
    login_tab, register_tab = st.tabs([t("auth.login_tab"), t("auth.register_tab")])
    with login_tab:
        show_flash("auth.login.notice")
        with st.form("auth.login", enter_to_submit=True):
            st.subheader(t("auth.login_form"))
            st.text_input(t("auth.username"), key="auth.login.username", autocomplete="username")
            st.text_input(t("auth.password"), type="password", key="auth.login.password",
                          autocomplete="current-password")
            st.form_submit_button(t("auth.login_button"), on_click=_sign_in, key="auth.login.submit",
                                  type="primary")
    with register_tab:
        show_flash("auth.register.notice")
        policy = RegistrationPolicy.from_env()
        if not policy.open and UserStore().count() > 0:
            st.info(t("error.registration_closed"))
            return
        st.caption(t("auth.username_rule"))
        if policy.domains:
            st.caption(t("auth.domains_rule", domains=", ".join(policy.domains)))
        with st.form("auth.register"):
            st.subheader(t("auth.register_form"))
            first, last = st.columns(2)
            first.text_input(t("auth.first_name"), key="auth.register.first", autocomplete="given-name")
            last.text_input(t("auth.last_name"), key="auth.register.last", autocomplete="family-name")
            email, username = st.columns(2)
            email.text_input(t("auth.email"), key="auth.register.email", autocomplete="email")
            username.text_input(t("auth.username"), key="auth.register.username", autocomplete="username")
            password, repeat = st.columns(2)
            password.text_input(t("auth.password"), type="password", key="auth.register.password",
                                help=t("auth.password_rule"), autocomplete="new-password")
            repeat.text_input(t("auth.repeat_password"), type="password", key="auth.register.repeat",
                              autocomplete="new-password")
            st.form_submit_button(t("auth.register_button"), on_click=_register, key="auth.register.submit",
                                  type="primary")


# -- signed in: the sidebar ------------------------------------------------------------------------------

def _sign_out() -> None:
    username = signed_in_username()
    if username:
        UserStore().record_logout(username)
    end_session("auth.signed_out")


def sidebar(name: str, username: str) -> None:
    """Who is signed in, and the sign-out button."""
    st.sidebar.markdown(t_md("auth.signed_in_as", name=name, username=username))
    st.sidebar.button(t("auth.logout"), key="auth.logout", on_click=_sign_out)
