"""Accounts in a real browser: two users kept apart, the lockout, Korean and back, deleting an account.

Runs the system Chromium against `streamlit run Home.py` (see conftest.py), typing into the forms and
clicking links and buttons as a user does, and typing page addresses into the address bar.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sklearn.datasets import load_iris

from core.train import TrainSettings, train_dataset
from storage import db, paths
from storage.workspace import Workspace
from tests.browser.st_helpers import (assert_no_error_box, form, go_to, heading, live, selectbox, sidebar_link,
                                      wait_for_cookie, wait_until_idle)

pytestmark = pytest.mark.browser

PASSWORD = "Maple#Kite42"
COOKIE = "anyml_auth"  # ui/auth.py COOKIE_NAME


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible(timeout=30_000)
    wait_until_idle(page)


def register(page: Page, url: str, username: str, first: str, last: str) -> None:
    open_app(page, url)
    page.get_by_role("tab", name="Create account", exact=True).click()
    reg = form(page, "Register user")
    expect(reg).to_be_visible()
    for label, value in (("First name", first), ("Last name", last), ("Email", f"{username}@example.com"),
                         ("Username", username), ("Password", PASSWORD), ("Repeat password", PASSWORD)):
        reg.get_by_label(label, exact=True).fill(value)
    wait_until_idle(page)
    reg.get_by_role("button", name="Register", exact=True).click()
    # A new account is signed in at once.
    expect(heading(page, f"Welcome, {first} {last}")).to_be_visible(timeout=30_000)
    wait_for_cookie(page, COOKIE)
    assert_no_error_box(page)


def try_sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_role("tab", name="Sign in", exact=True).click()
    login = form(page, "Login")
    login.get_by_label("Username", exact=True).fill(username)
    login.get_by_label("Password", exact=True).fill(password)
    wait_until_idle(page)
    login.get_by_role("button", name="Login", exact=True).click()
    wait_until_idle(page)


def sign_in(page: Page, username: str, name: str) -> None:
    try_sign_in(page, username, PASSWORD)
    expect(heading(page, f"Welcome, {name}")).to_be_visible(timeout=30_000)
    wait_for_cookie(page, COOKIE)  # written by a component a moment after the page shows
    assert_no_error_box(page)


def sign_out(page: Page) -> None:
    button = live(page).get_by_role("button", name="Sign out", exact=True)
    expect(button).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    button.click()
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible()
    expect(live(page).get_by_text("You are signed out.", exact=True)).to_be_visible()
    wait_for_cookie(page, COOKIE, present=False)
    wait_until_idle(page)


def error_box(page: Page, text: str | re.Pattern):
    return live(page).get_by_test_id("stAlertContentError").filter(has_text=text)


def test_a_second_user_cannot_see_or_reach_the_first_users_data(page: Page, anyml_server):
    url, data_dir = anyml_server.url, anyml_server.data_dir
    # The owner's dataset and run, made through the same functions the pages call, before the account is
    # registered (a new account is signed in at once, and its Home page opens the workspace).
    owner = Workspace("iso_owner", data_dir)
    iris = load_iris(as_frame=True).frame
    dataset = owner.save_frame(iris, "owner secret flowers")
    run_id = train_dataset(owner, dataset.dataset_id, TrainSettings(
        target="target", task="multiclass", models=("dummy",), folds=2, importance=False)).run_ids["dummy"]
    secrets = ["owner secret flowers", dataset.dataset_id, run_id]
    # DuckDB lets one process hold a file: hand the owner's workspace over to the server.
    db.release_all()

    register(page, url, "iso_owner", "Olivia", "Owner")
    go_to(page, "Predict")
    expect(selectbox(page, "Model (run)")).to_have_value(re.compile(re.escape(run_id)))
    sign_out(page)
    page.reload()  # the sign-in cookie is gone: a refresh stays signed out
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible(timeout=30_000)

    register(page, url, "iso_other", "Oscar", "Other")
    expect(live(page).get_by_text("You have 0 dataset(s) and 0 run(s).", exact=True)).to_be_visible()
    expect(sidebar_link(page, "Admin")).to_have_count(0)

    def nothing_of_the_owner() -> None:
        wait_until_idle(page)
        assert_no_error_box(page)
        html = page.content()
        assert not [s for s in secrets if s in html], f"the owner's data shows on {page.url}"

    # Every route a user can click...
    go_to(page, "Data")
    expect(live(page).get_by_text("No datasets yet. Upload a file or load a sample above.", exact=True)).to_be_visible()
    nothing_of_the_owner()
    go_to(page, "Train")
    expect(live(page).get_by_text("You have no datasets yet: add one on the Data page.", exact=True)).to_be_visible()
    nothing_of_the_owner()
    go_to(page, "Predict")
    expect(live(page).get_by_text("No trained models yet: train one on the Train page.", exact=True)).to_be_visible()
    nothing_of_the_owner()
    go_to(page, "Account", "Your account")
    nothing_of_the_owner()
    # ...and every address a user can type, with the owner's ids in it.
    for path in ("admin", "predict", "data", "train", f"predict?run={run_id}", f"data?dataset={dataset.dataset_id}"):
        page.goto(f"{url}/{path}")
        expect(heading(page, "Administration")).to_have_count(0)
        expect(live(page).get_by_role("button", name="Sign out", exact=True)).to_be_visible(timeout=30_000)
        nothing_of_the_owner()
    # Nor does the server hand out the owner's files to a typed address.
    for path in (f"/media/{run_id}", "/app/static/../../users/iso_owner/workspace.duckdb",
                 "/app/static/%2e%2e/%2e%2e/users/iso_owner/workspace.duckdb",
                 f"/users/iso_owner/models/{run_id}/pipeline.joblib",
                 f"/../users/iso_owner/models/{run_id}/bundle.json"):
        body = page.request.get(f"{url}{path}").body()
        assert b"DUCK" not in body and b"owner secret flowers" not in body and b"sklearn" not in body, path
    # The owner's data is untouched, and still the owner's.
    page.goto(url)
    sign_out(page)
    sign_in(page, "iso_owner", "Olivia Owner")
    go_to(page, "Predict")
    expect(selectbox(page, "Model (run)")).to_have_value(re.compile(re.escape(run_id)))


def test_a_browser_that_keeps_guessing_is_held_back_before_the_account_locks(page: Page, anyml_server):
    register(page, anyml_server.url, "lock_me", "Lena", "Locked")
    sign_out(page)
    for attempt in range(1, 5):
        try_sign_in(page, "lock_me", f"Wrong#{attempt}")
        expect(error_box(page, "Username or password is incorrect")).to_be_visible()
    try_sign_in(page, "lock_me", "Wrong#5")
    held = re.compile(r"^Too many failed sign-ins from this device\. Wait \d+ minute\(s\), then try again\.")
    expect(error_box(page, held)).to_be_visible()
    try_sign_in(page, "lock_me", PASSWORD)
    expect(error_box(page, held)).to_be_visible()
    expect(live(page).get_by_role("button", name="Sign out", exact=True)).to_have_count(0)
    # The hold is kept by the server, not the browser: a fresh page is still held back.
    open_app(page, anyml_server.url)
    try_sign_in(page, "lock_me", PASSWORD)
    expect(error_box(page, held)).to_be_visible()


def test_switch_to_korean_is_remembered_and_back_to_english(page: Page, anyml_server):
    register(page, anyml_server.url, "lang_user", "Lee", "Kim")

    def choose(current_label: str, option: str) -> None:
        selectbox(page, current_label).click()
        page.get_by_role("option", name=option, exact=True).click()
        wait_until_idle(page)

    choose("Language", "한국어")
    expect(heading(page, "Lee Kim 님, 환영합니다")).to_be_visible()
    expect(sidebar_link(page, "데이터")).to_be_visible()
    expect(live(page).get_by_role("button", name="로그아웃", exact=True)).to_be_visible()
    # Remembered for this user: a refresh (signed in again by the cookie) comes back in Korean.
    page.reload()
    expect(heading(page, "Lee Kim 님, 환영합니다")).to_be_visible(timeout=30_000)
    choose("언어", "English")
    expect(heading(page, "Welcome, Lee Kim")).to_be_visible()
    expect(sidebar_link(page, "Data")).to_be_visible()
    page.reload()
    expect(heading(page, "Welcome, Lee Kim")).to_be_visible(timeout=30_000)
    assert_no_error_box(page)


def test_deleting_an_account_removes_its_directory(page: Page, anyml_server):
    register(page, anyml_server.url, "del_me", "Dana", "Gone")
    directory = paths.user_dir("del_me", anyml_server.data_dir)
    assert directory.is_dir()  # the Home page opened the workspace

    go_to(page, "Account", "Your account")
    page.get_by_test_id("stExpander").filter(has_text="Delete your account").locator("summary").click()
    delete_form = page.get_by_test_id("stForm").filter(has=page.get_by_label("Type your password to confirm"))
    delete_form.get_by_label("Type your password to confirm", exact=True).fill("Wrong#123")
    delete_form.get_by_role("button", name="Delete account 'del_me' and all its data", exact=True).click()
    expect(error_box(page, "Your current password is not right. Type it again.")).to_be_visible()
    assert directory.is_dir()

    delete_form.get_by_label("Type your password to confirm", exact=True).fill(PASSWORD)
    delete_form.get_by_role("button", name="Delete account 'del_me' and all its data", exact=True).click()
    expect(live(page).get_by_text("Your account and all its data are deleted.", exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible()
    assert not directory.exists()
    try_sign_in(page, "del_me", PASSWORD)
    expect(error_box(page, "Username or password is incorrect")).to_be_visible()
    page.reload()
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible(timeout=30_000)
