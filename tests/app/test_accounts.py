"""AppTest tests of accounts: register, sign in, lockout, sign out, the session guard, Account and Admin pages."""
from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import jwt
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import config
from storage import paths, users
from storage.users import UserStore
from storage.workspace import Workspace
from tests.app.apptest import (HOME, PASSWORD, ROOT, account, browser_session, no_errors, page_text,
                               rerun_router, signed_in)
from tests.helpers.markdown import unescaped
from texts import STRINGS
from ui.i18n import format_bytes
from ui.throttle import sign_in_throttle

pytestmark = pytest.mark.usefixtures("fast_bcrypt")


@pytest.fixture(autouse=True)
def fresh_throttle():
    # The sign-in throttle lives in the server process, and AppTest has no client address.
    sign_in_throttle().clear()
    yield
    sign_in_throttle().clear()


@pytest.fixture(autouse=True)
def long_cookie_key(monkeypatch):
    # PyJWT wants an HS256 key of at least 32 bytes (a generated one has 64 hex digits).
    monkeypatch.setenv("ANYML_COOKIE_KEY", "test-cookie-key-" + "0" * 32)


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="auth.login.username").input(username)
    at.text_input(key="auth.login.password").input(password)
    at.button(key="auth.login.submit").click()
    return at.run()


def fill_registration(at: AppTest, username: str, password: str = PASSWORD, repeat: str | None = None,
                      email: str | None = None, first: str = "Alice", last: str = "Kim") -> AppTest:
    values = {"first": first, "last": last, "email": email or f"{username}@example.com", "username": username,
              "password": password, "repeat": password if repeat is None else repeat}
    for field, value in values.items():
        at.text_input(key=f"auth.register.{field}").input(value)
    at.button(key="auth.register.submit").click()
    return at.run()


# -- registration and sign-in ------------------------------------------------------------------------

def test_a_visitor_registers_signs_in_and_the_first_account_is_admin():
    at = browser_session()
    at.run()
    no_errors(at)
    fill_registration(at, "alice")  # a new account is signed in at once
    no_errors(at)
    assert at.session_state["auth.register.password"] == ""
    user = UserStore().get("alice")
    assert (user.name, user.email, user.is_admin) == ("Alice Kim", "alice@example.com", True)
    assert at.title[0].value == "Welcome, Alice Kim"
    assert "Signed in as **Alice Kim** (alice)" in [m.value for m in at.sidebar.markdown]
    assert at.sidebar.button(key="auth.logout").label == "Sign out"
    assert [a for _, _, a, _ in UserStore().audit("alice")] == ["register"]
    # Admins see the Admin page in the navigation; it is a registered page.
    at.switch_page("pages/admin.py").run()
    no_errors(at)
    assert at.title[0].value == "Administration"


def test_a_korean_browser_gets_korean_forms_and_korean_errors():
    at = browser_session("ko")
    at.run()
    no_errors(at)
    assert [tab.label for tab in at.tabs] == ["로그인", "계정 만들기"]
    fill_registration(at, "minsu", first="민수", last="김", repeat="Other#123")
    assert at.error[0].value == "두 비밀번호가 서로 다릅니다. 다시 입력하세요."
    fill_registration(at, "minsu", first="민수", last="김", password="short")
    assert at.error[0].value.startswith("비밀번호는 영문 대문자, 소문자, 숫자, 기호")
    assert UserStore().count() == 0
    fill_registration(at, "minsu", first="민수", last="김")
    assert at.title[0].value == "김민수 님, 환영합니다"  # signed in at once
    assert UserStore().get("minsu").name == "김민수"  # Hangul names: family name first, no space
    at.sidebar.button(key="auth.logout").click().run()
    rerun_router(at)
    sign_in(at, "minsu", "Wrong#123")
    assert at.error[0].value == STRINGS["auth.bad_login"]["ko"]
    assert not at.session_state["authentication_status"]


def test_closed_registration_shows_no_form(monkeypatch):
    monkeypatch.setenv(config.REGISTRATION_ENV, "closed")
    account("alice", "admin")
    at = browser_session()
    at.run()
    no_errors(at)
    assert "Registration is closed. Ask your administrator for an account." in [i.value for i in at.info]
    assert "Repeat password" not in [w.label for w in at.text_input]


def test_email_domain_rule_is_shown_and_enforced(monkeypatch):
    monkeypatch.setenv(config.EMAIL_DOMAINS_ENV, "corp.com")
    at = browser_session()
    at.run()
    assert "Only email addresses at corp.com may register." in [c.value for c in at.caption]
    fill_registration(at, "eve", email="eve@gmail.com")
    assert unescaped(at.error[0].value) == "Only email addresses at corp.com may register. Use your work address."
    fill_registration(at, "eve", email="eve@corp.com")
    assert UserStore().get("eve").email == "eve@corp.com"


BAD_LOGIN = ("Username or password is incorrect, or sign-in to this account is paused after too many wrong "
             "passwords. Check them and try again in 15 minutes, or ask your administrator.")


def test_a_browser_that_keeps_guessing_is_held_back_before_the_account_locks():
    account("root", role=None)
    at = browser_session()
    at.run()
    for attempt in range(4):
        sign_in(at, "root", f"Wrong#{attempt}")
        assert at.error[0].value == BAD_LOGIN
    sign_in(at, "root", "Wrong#5")
    assert at.error[0].value == "Too many failed sign-ins from this device. Wait 15 minute(s), then try again."
    sign_in(at, "root", PASSWORD)  # held back: not even the right password is checked
    assert "Wait 15 minute(s)" in at.error[0].value and not at.session_state["authentication_status"]
    # The guesser cannot lock the admin out: the account is not locked, and its owner signs in elsewhere.
    assert UserStore().get("root").locked_until is None
    assert "locked" not in [a for _, _, a, _ in UserStore().audit("root")]
    sign_in_throttle().clear()  # as if from the admin's own browser, which was never held back
    sign_in(browser_session().run(), "root", PASSWORD)


def test_a_locked_account_reads_like_a_wrong_password_to_a_visitor():
    account("alice")
    for _ in range(5):  # guessed from several places: the account itself locks
        with pytest.raises(users.LoginFailed):
            UserStore().authenticate("alice", "Wrong#1")
    assert UserStore().get("alice").locked_until is not None
    at = browser_session()
    at.run()
    sign_in(at, "alice", PASSWORD)
    locked = at.error[0].value
    sign_in(at, "nobody", PASSWORD)
    assert locked == at.error[0].value == BAD_LOGIN
    assert not at.session_state["authentication_status"]


def test_without_a_cookie_key_the_app_says_so_and_shows_no_forms(monkeypatch):
    monkeypatch.delenv("ANYML_COOKIE_KEY")
    at = browser_session()
    at.run()
    assert not at.exception
    assert at.error[0].value == "The app has no cookie key. Start it with `make run`, which generates one."
    assert not at.text_input


# -- sign-out and the session guard --------------------------------------------------------------------

def test_sign_out_forgets_everything_of_the_session():
    at = signed_in("alice")
    for key, value in {"current_dataset": "abc123", "train.last": {"runs": []}, "lang": "en"}.items():
        at.session_state[key] = value
    at.run()
    no_errors(at)
    at.sidebar.button(key="auth.logout").click()
    at.run()
    state = at.session_state
    assert state["authentication_status"] is None and state["username"] is None
    assert "current_dataset" not in state and "train.last" not in state and "auth.since" not in state
    assert state["lang"] == "en"
    rerun_router(at)
    no_errors(at)
    assert [tab.label for tab in at.tabs] == ["Sign in", "Create account"]
    assert "You are signed out." in [i.value for i in at.info]
    assert [a for _, _, a, _ in UserStore().audit("alice")][-1] == "logout"
    # Signing out ends the account's sessions everywhere: a cookie issued before now is void.
    assert UserStore().get("alice").sessions_valid_after is not None


@pytest.mark.parametrize("elsewhere, notice", [
    (lambda s: s.delete("alice"), "Your session ended: this account no longer exists."),
    (lambda s: s.set_locked("root", "alice", True), "Your session ended: this account is locked."),
    (lambda s: s.reset_password("root", "alice", "Reset#2026"),
     "Your session ended because the password was changed or you signed out elsewhere. Please sign in again."),
])
def test_the_guard_ends_a_session_when_the_account_changes_elsewhere(elsewhere, notice):
    account("root", "admin")
    at = signed_in("alice")
    at.session_state["current_dataset"] = "abc123"
    at.run()
    no_errors(at)
    elsewhere(UserStore())
    rerun_router(at)
    no_errors(at)
    assert at.session_state["username"] is None and "current_dataset" not in at.session_state
    assert notice in [i.value for i in at.info]
    assert [tab.label for tab in at.tabs] == ["Sign in", "Create account"]


def test_every_page_refuses_a_session_whose_account_is_gone():
    for page in ("pages/home.py", "pages/data.py", "pages/account.py", "pages/admin.py"):
        at = signed_in(f"gone_{Path(page).stem}", script=str(ROOT / page))
        UserStore().delete(f"gone_{Path(page).stem}")
        at.run()
        assert not at.exception
        assert not at.title and not at.dataframe, page


# -- restoring a session from the cookie ---------------------------------------------------------------

def _restore_script(username: str, issued: float) -> None:
    """Runs ``ui.auth.restore_session`` with a cookie controller that returns a token issued at ``issued``."""
    import streamlit as st

    from ui.auth import COOKIE_LIFETIME, restore_session
    from ui.session import check_session

    class Cookie:
        def get_cookie(self):
            return {"username": username, "exp_date": issued + COOKIE_LIFETIME.total_seconds()}

    st.session_state.setdefault("logout", None)
    restore_session(Cookie())
    user = check_session()
    st.write(f"user={user.username if user else None} clear={st.session_state.get('auth.clear_cookie')}")


@pytest.mark.parametrize("change, signed_in_as", [
    (None, "alice"),                                                      # a refresh: still signed in
    (lambda s: s.record_logout("alice"), None),                           # signed out since
    (lambda s: s.change_password("alice", PASSWORD, "Other#456"), None),
    (lambda s: s.set_locked("root", "alice", True), None),
    (lambda s: (s.delete("alice"), account("alice")), None),              # same name, a new account
    (lambda s: s.delete("alice"), None),
])
def test_a_cookie_signs_in_only_while_the_account_is_as_it_was(change, signed_in_as):
    account("root", "admin")
    account("alice")
    time.sleep(0.01)
    issued = time.time()
    time.sleep(0.01)
    if change is not None:
        change(UserStore())
    at = AppTest.from_function(_restore_script, args=("alice", issued), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert at.markdown[0].value == f"user={signed_in_as} clear={None if signed_in_as else True}"


# -- the Account page --------------------------------------------------------------------------------

def test_account_page_shows_the_account_and_its_storage(monkeypatch):
    monkeypatch.setenv(config.STORAGE_QUOTA_ENV, "20")
    at = signed_in("alice", script=str(ROOT / "pages/account.py"))
    Workspace("alice").save_frame(pd.DataFrame({"v": range(100)}), "d")
    at.run()
    no_errors(at)
    assert at.title[0].value == "Your account"
    assert unescaped(at.markdown[0].value) == "**Alice** · alice · alice@example.com · user"
    progress = at.get("progress")[0].proto
    used = users.storage_used("alice")
    assert progress.text == f"Storage: {format_bytes(used)} of 20.0 MB used"
    assert progress.value == min(100, int(100 * used / (20 * users.MB)))


def test_change_password_on_the_account_page():
    at = signed_in("alice", script=str(ROOT / "pages/account.py"))
    at.run()

    def change(current, new, repeat):
        at.text_input(key="account.current").input(current)
        at.text_input(key="account.new").input(new)
        at.text_input(key="account.repeat").input(repeat)
        at.button(key="account.change").click()
        at.run()

    change("Wrong#123", "Better#456", "Better#456")
    assert at.error[0].value == "Your current password is not right. Type it again."
    change(PASSWORD, "Better#456", "Better#789")
    assert at.error[0].value == "The two passwords are not the same. Type them again."
    change(PASSWORD, "weak", "weak")
    assert at.error[0].value.startswith("A password needs 8-64 characters")
    assert UserStore().verify("alice", PASSWORD)
    change(PASSWORD, "Better#456", "Better#456")
    no_errors(at)
    assert at.success[0].value.startswith("Your password is changed.")
    assert UserStore().verify("alice", "Better#456")
    # Older sessions of alice end now, but this one goes on: the guard accepts it.
    assert UserStore().get("alice").sessions_valid_after is not None
    at.run()
    no_errors(at)
    assert at.session_state["username"] == "alice" and at.title[0].value == "Your account"


def test_language_chosen_on_the_account_page_is_remembered_at_the_next_sign_in():
    at = signed_in("alice", script=str(ROOT / "pages/account.py"))
    at.run()
    at.radio(key="account.lang").set_value("ko").run()
    no_errors(at)
    assert at.title[0].value == "내 계정"
    assert UserStore().get("alice").language == "ko"
    # Another browser, in English, signs in: the UI comes up in Korean.
    at = browser_session("en")
    at.run()
    assert at.tabs[0].label == "Sign in"
    sign_in(at, "alice", PASSWORD)
    no_errors(at)
    assert at.title[0].value == "Alice 님, 환영합니다"


def test_the_sidebar_language_switch_is_saved_for_the_user():
    at = signed_in("alice", lang="ko")
    at.run()
    assert at.title[0].value == "Alice 님, 환영합니다"
    at.sidebar.selectbox(key="lang").set_value("en")
    rerun_router(at)
    no_errors(at)
    assert at.title[0].value == "Welcome, Alice"
    assert UserStore().get("alice").language == "en"
    # An anonymous visitor's choice changes the page but is saved nowhere.
    visitor = browser_session("ko")
    visitor.run()
    visitor.sidebar.selectbox(key="lang").set_value("en")
    rerun_router(visitor)
    assert visitor.tabs[0].label == "Sign in"
    assert UserStore().get("alice").language == "en"


def test_delete_own_account_needs_the_password_and_removes_every_file():
    at = signed_in("alice")
    Workspace("alice").save_frame(pd.DataFrame({"v": [1, 2, 3]}), "mine")
    directory = paths.user_dir("alice")
    at.run()
    at.switch_page("pages/account.py").run()
    at.text_input(key="account.delete_password").input("Wrong#123")
    at.button(key="account.delete").click()
    at.run()
    assert at.error[0].value == "Your current password is not right. Type it again."
    assert directory.exists() and UserStore().get("alice")
    at.text_input(key="account.delete_password").input(PASSWORD)
    at.button(key="account.delete").click()
    at.run()
    assert not at.exception
    assert not directory.exists() and UserStore().get("alice") is None
    rerun_router(at)
    assert "Your account and all its data are deleted." in [i.value for i in at.info]
    assert at.session_state["username"] is None


# -- the Admin page ----------------------------------------------------------------------------------

def admin_page() -> AppTest:
    at = signed_in("root", script=str(ROOT / "pages/admin.py"), role="admin")
    account("bob")
    Workspace("bob").save_frame(pd.DataFrame({"bob_secret_column": ["bob secret value"] * 500}), "bob secret data")
    at.run()
    no_errors(at)
    return at


def test_admin_page_lists_accounts_with_storage_and_last_sign_in_but_no_data():
    UserStore()  # system.duckdb first, so "root" is the first account
    at = admin_page()
    table = at.dataframe[0].value
    assert table["Username"].tolist() == ["root", "bob"]
    bob = table.set_index("Username").loc["bob"]
    assert bob["Role"] == "user" and bob["Status"] == "active" and bob["Last sign-in"] == "–"
    used = users.storage_used("bob")
    assert used > 0 and bob["Storage used / quota"].endswith("/ 5.0 GB")
    assert "secret" not in page_text(at)
    assert at.selectbox(key="admin.user").options == ["bob"]


def test_a_non_admin_sees_no_admin_page_by_any_route():
    at = signed_in("bob")
    at.run()
    with pytest.raises(ValueError):
        at.switch_page("pages/admin.py")  # not in the navigation of a non-admin
    direct = signed_in("carol", script=str(ROOT / "pages/admin.py"))
    direct.run()
    assert [e.value for e in direct.error] == ["Only an administrator can do that."]
    assert not direct.dataframe and not direct.button


def test_admin_locks_unlocks_promotes_demotes_and_resets():
    at = admin_page()
    at.button(key="admin.lock").click().run()
    assert at.success[0].value == "'bob' is locked and signed out."
    assert UserStore().get("bob").disabled
    assert at.dataframe[0].value.set_index("Username").loc["bob", "Status"] == "locked by an administrator"
    at.button(key="admin.unlock").click().run()
    assert not UserStore().get("bob").disabled

    at.button(key="admin.promote").click().run()
    assert UserStore().get("bob").is_admin and at.success[0].value == "'bob' is now an administrator."
    at.button(key="admin.demote").click().run()
    assert not UserStore().get("bob").is_admin

    at.text_input(key="admin.new_password").input("Fresh#2026")
    at.text_input(key="admin.repeat_password").input("Fresh#2026")
    at.button(key="admin.reset").click().run()
    no_errors(at)
    assert UserStore().verify("bob", "Fresh#2026")
    actions = at.dataframe[1].value["Action"].tolist()
    assert actions[:3] == ["password reset by an administrator", "role changed", "role changed"]


def test_admin_sets_quotas_and_deletes_a_user_with_their_files():
    at = admin_page()
    at.number_input(key="admin.quota_storage.bob").set_value(100)
    at.number_input(key="admin.quota_jobs.bob").set_value(3)
    at.button(key="admin.quota_save").click().run()
    no_errors(at)
    assert users.storage_quota("bob") == 100 * users.MB and users.max_concurrent_jobs("bob") == 3

    assert at.button(key="admin.delete").disabled
    at.checkbox(key="admin.delete_sure").check().run()
    at.button(key="admin.delete").click().run()
    assert not at.exception
    assert UserStore().get("bob") is None and not paths.user_dir("bob").exists()
    assert at.success[0].value == "'bob' and all their data are deleted."
    assert at.info[0].value == "You are the only user so far."


def test_admin_creates_an_account_who_can_then_sign_in(monkeypatch):
    monkeypatch.setenv(config.REGISTRATION_ENV, "closed")
    at = admin_page()
    for key, value in {"admin.add_name": "Dana Lee", "admin.add_email": "dana@example.com",
                       "admin.add_username": "dana", "admin.add_password": "Temp#Pass1"}.items():
        at.text_input(key=key).input(value)
    at.button(key="admin.add").click().run()
    no_errors(at)
    assert at.success[0].value == "Account 'dana' created."
    assert "dana" in at.dataframe[0].value["Username"].tolist()
    assert UserStore().authenticate("dana", "Temp#Pass1").name == "Dana Lee"


def test_admin_page_in_korean_formats_dates_the_korean_way():
    at = signed_in("root", lang="ko", script=str(ROOT / "pages/admin.py"), role="admin")
    UserStore().record_login("root")
    at.run()
    no_errors(at)
    assert at.title[0].value == "관리"
    last = at.dataframe[0].value["마지막 로그인"].iloc[0]
    now = datetime.now()
    assert last.startswith(f"{now.year}년 {now.month}월 {now.day}일 ")


# -- the language of the browser ---------------------------------------------------------------------

@pytest.mark.parametrize("locale, tab", [("ko-KR", "로그인"), ("en-GB", "Sign in"), ("en", "Sign in"),
                                         ("de-DE", "로그인"), (None, "로그인")])  # Korean unless English
def test_the_sign_in_page_follows_the_browsers_language(locale, tab):
    at = AppTest.from_file(HOME, default_timeout=60)
    at.context["locale"] = locale
    at.run()
    no_errors(at)
    assert at.tabs[0].label == tab
    assert at.sidebar.selectbox(key="lang").value == ("en" if tab == "Sign in" else "ko")


# -- errors in the user's language ---------------------------------------------------------------------

def _raise_keyed_error(kind: str) -> None:
    import streamlit as st

    from storage.errors import UserError
    from storage.users import QuotaExceeded
    from ui.session import user_errors

    st.session_state["lang"] = "ko"
    with user_errors():
        if kind == "keyed":
            raise QuotaExceeded("Not enough storage.", key="error.quota_storage",
                                params={"used_mb": 10.0, "quota_mb": 10.0, "needed_mb": 2.5})
        raise UserError("An English-only message.")


def test_keyed_errors_are_shown_from_the_catalogue_others_as_they_are():
    at = AppTest.from_function(_raise_keyed_error, args=("keyed",), default_timeout=30)
    at.run()
    assert at.error[0].value.startswith("저장 공간이 부족합니다. 10.0 MB 중 10.0 MB를 쓰고 있고 2.5 MB가 더 필요합니다.")
    at = AppTest.from_function(_raise_keyed_error, args=("plain",), default_timeout=30)
    at.run()
    assert unescaped(at.error[0].value) == "An English-only message."


# -- the cookie itself -------------------------------------------------------------------------------

def _claims(**changes) -> dict:
    from ui.auth import client_fingerprint
    return {"username": "alice", "exp_date": time.time() + 60, "client": client_fingerprint(), **changes}


@pytest.mark.parametrize("make_token, accepted", [
    (lambda key: jwt.encode(_claims(), key, algorithm="HS256"), True),
    (lambda key: jwt.encode(_claims(), "another key " * 4, algorithm="HS256"), False),  # forged: not our signature
    (lambda key: jwt.encode(_claims(exp_date=time.time() - 1), key, algorithm="HS256"), False),
    (lambda key: jwt.encode(_claims(), key, algorithm="HS512"), False),
    (lambda key: jwt.encode({k: v for k, v in _claims().items() if k != "username"}, key, algorithm="HS256"), False),
    (lambda key: "not a token", False),
    # Signed with our key, but an expiry no cookie of ours has: refused, never a traceback.
    (lambda key: jwt.encode(_claims(exp_date=float("nan")), key, algorithm="HS256"), False),
    (lambda key: jwt.encode(_claims(exp_date=float("inf")), key, algorithm="HS256"), False),
    (lambda key: jwt.encode(_claims(exp_date="tomorrow"), key, algorithm="HS256"), False),
    (lambda key: jwt.encode(_claims(exp_date=True), key, algorithm="HS256"), False),
    (lambda key: jwt.encode(_claims(exp_date=time.time() + 30 * 86400), key, algorithm="HS256"), False),
    # Issued to another browser or address (a copied cookie), or in the old format without one.
    (lambda key: jwt.encode(_claims(client="0" * 32), key, algorithm="HS256"), False),
    (lambda key: jwt.encode({k: v for k, v in _claims().items() if k != "client"}, key, algorithm="HS256"), False),
])
def test_only_a_short_lived_cookie_signed_with_our_key_for_this_browser_is_read(make_token, accepted, monkeypatch):
    from types import SimpleNamespace

    import streamlit as st

    from ui.auth import COOKIE_NAME, SessionCookie

    key = "k" * 64
    browser = {"headers": {"User-Agent": "Mozilla/5.0 Test"}, "ip_address": "10.0.0.7"}
    monkeypatch.setattr(st, "context", SimpleNamespace(cookies={}, **browser))
    token = make_token(key)
    monkeypatch.setattr(st, "context", SimpleNamespace(cookies={COOKIE_NAME: token}, **browser))
    content = SessionCookie(key).get_cookie()
    assert (content is not None and content["username"] == "alice") == accepted


def test_a_cookie_copied_to_another_address_is_not_read(monkeypatch):
    from types import SimpleNamespace

    import streamlit as st

    from ui.auth import COOKIE_NAME, SessionCookie

    key = "k" * 64
    monkeypatch.setattr(st, "context", SimpleNamespace(cookies={}, headers={"User-Agent": "A"}, ip_address="10.0.0.7"))
    token = jwt.encode(_claims(), key, algorithm="HS256")
    monkeypatch.setattr(st, "context", SimpleNamespace(cookies={COOKIE_NAME: token}, headers={"User-Agent": "A"},
                                                       ip_address="10.0.0.7"))
    assert SessionCookie(key).get_cookie() is not None
    monkeypatch.setattr(st, "context", SimpleNamespace(cookies={COOKIE_NAME: token}, headers={"User-Agent": "A"},
                                                       ip_address="203.0.113.9"))
    assert SessionCookie(key).get_cookie() is None


def test_uncaught_errors_show_no_details_to_the_browser():
    import tomllib

    config_file = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
    settings = tomllib.loads(config_file.read_text())
    # "none": a generic message only; the exception, its message and its traceback go to the server log.
    assert settings["client"]["showErrorDetails"] == "none"
