"""The steps of a user's journey that several browser tests share: register, sign in, save a dataset, open a report."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.st_helpers import (assert_no_error_box, form, go_to, heading, live, sidebar_link, success, upload,
                                      wait_until_idle)

PASSWORD = "Maple#Kite42"
NAV = ["Home", "Data", "Train", "Predict"]


def register(page: Page, server_url: str, username: str, first: str, last: str) -> None:
    """Open the app, create an account on the "Create account" tab, and land on Home signed in."""
    page.goto(server_url)
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible(timeout=30_000)
    wait_until_idle(page)  # the cookie component's first value reruns the page: let that run end
    assert_no_error_box(page)
    page.get_by_role("tab", name="Create account", exact=True).click()
    reg = form(page, "Register user")
    expect(reg).to_be_visible()
    reg.get_by_label("First name", exact=True).fill(first)
    reg.get_by_label("Last name", exact=True).fill(last)
    reg.get_by_label("Email", exact=True).fill(f"{username}@example.com")
    reg.get_by_label("Username", exact=True).fill(username)
    reg.get_by_label("Password", exact=True).fill(PASSWORD)
    reg.get_by_label("Repeat password", exact=True).fill(PASSWORD)
    reg.get_by_role("button", name="Register", exact=True).click()
    expect_home(page, f"{first} {last}", username)


def sign_in(page: Page, username: str, name: str) -> None:
    """Sign in on the "Sign in" tab and land on Home."""
    page.get_by_role("tab", name="Sign in", exact=True).click()
    login = form(page, "Login")
    expect(login).to_be_visible()
    login.get_by_label("Username", exact=True).fill(username)
    login.get_by_label("Password", exact=True).fill(PASSWORD)
    login.get_by_test_id("stFormSubmitButton").get_by_role("button").click()
    expect_home(page, name, username)


def expect_home(page: Page, name: str, username: str) -> None:
    """The signed-in Home page: the welcome heading, the sidebar links, who is signed in, sign out."""
    expect(heading(page, f"Welcome, {name}")).to_be_visible(timeout=30_000)
    for label in NAV:
        expect(sidebar_link(page, label)).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar").locator(live(page))
    expect(sidebar.get_by_text(f"Signed in as {name} ({username})", exact=True)).to_be_visible()
    expect(live(page).get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    wait_until_idle(page)
    assert_no_error_box(page)


def save_dataset(page: Page, csv: Path, rows: int, columns: int) -> None:
    """On the Data page: upload ``csv`` and save it under the name the app suggests (the file's stem)."""
    go_to(page, "Data")
    upload(page, live(page).get_by_test_id("stFileUploader"), csv)
    expect(live(page).get_by_test_id("stDataFrame").first).to_be_visible()  # what the app read from the file
    expect(live(page).get_by_label("Dataset name", exact=True)).to_have_value(csv.stem)
    save = live(page).get_by_role("button", name="Save dataset", exact=True)
    expect(save).to_be_enabled()
    save.click()
    expect(success(page, f"Saved '{csv.stem}': {rows:,} rows × {columns} columns.")).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    assert_no_error_box(page)


def expect_charts_offline(page: Page, report: Path, at_least: int) -> None:
    """Open a downloaded HTML ``report`` with every network request refused: it draws its charts on its own."""
    offline = page.context.new_page()
    offline.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else
                  route.continue_())
    offline.goto(report.as_uri())
    expect(offline.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    assert offline.locator(".js-plotly-plot").count() >= at_least
    offline.close()
