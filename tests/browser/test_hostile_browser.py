"""What a probe of the running app found (issue 15), seen in a real browser: sign-in messages that never tell
whether an account exists, a warning holding Markdown shown literally, two tabs editing one dataset, and the
Runs page after a failed training whose task was left to be detected.

Uses the shared server and browser fixtures of conftest.py and the journey's sign-up steps. The server
believes X-Forwarded-For from this machine (conftest.py), so a browser context that sends it is a device
of its own.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from core.train import TrainSettings, train_dataset
from storage import db, paths
from storage.workspace import Workspace
from tests.browser import steps
from tests.browser.conftest import EXPECT_TIMEOUT_MS
from tests.browser.st_helpers import (assert_no_error_box, form, go_to, keyed, live, success, upload,
                                      wait_until_idle)

pytestmark = pytest.mark.browser

BAD_LOGIN = "Username or password is incorrect"
#: Height of a row of Streamlit's data grid (and of its header row), in CSS pixels.
ROW_PX = 35


def device(browser: Browser, address: str) -> Page:
    """A page in a browser of its own, reaching the app from ``address`` (through the trusted proxy)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000},
                                  extra_http_headers={"X-Forwarded-For": address})
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda err: page.js_errors.append(str(err)))
    return page


def open_sign_in(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible(timeout=30_000)
    wait_until_idle(page)


def sign_out(page: Page) -> None:
    """Sign out from Home (registering signs the new user in) and wait for the "Sign in" tab."""
    button = live(page).get_by_role("button", name="Sign out", exact=True)
    expect(button).to_be_visible()
    wait_until_idle(page)
    button.click()
    expect(page.get_by_role("tab", name="Sign in", exact=True)).to_be_visible(timeout=30_000)
    wait_until_idle(page)


def refusal(page: Page, username: str, password: str) -> str:
    """Try to sign in and return the words of the error box that answers."""
    page.get_by_role("tab", name="Sign in", exact=True).click()
    login = form(page, "Login")
    login.get_by_label("Username", exact=True).fill(username)
    login.get_by_label("Password", exact=True).fill(password)
    wait_until_idle(page)
    login.get_by_role("button", name="Login", exact=True).click()
    wait_until_idle(page)
    box = live(page).get_by_test_id("stAlertContentError")
    expect(box).to_have_count(1)
    assert_no_error_box(page)
    return box.inner_text().strip()


def test_a_locked_account_says_what_an_unknown_one_says(browser: Browser, anyml_server):
    url = anyml_server.url
    first, second, stranger = (device(browser, f"198.51.100.{i}") for i in (21, 22, 23))
    try:
        steps.register(first, url, "lucy_locked", "Lucy", "Locked")  # which signs Lucy in on this device
        sign_out(first)
        for page in (second, stranger):
            open_sign_in(page, url)
        # Five wrong passwords from two devices (fewer than hold back either) lock the account...
        said = [refusal(first, "lucy_locked", f"Wrong#{i}") for i in range(3)]
        said += [refusal(second, "lucy_locked", f"Wrong#{i}") for i in range(3, 5)]
        # ...so now even the right password is refused, and in the very words of a wrong one,
        said.append(refusal(second, "lucy_locked", steps.PASSWORD))
        # which are the words for an account that does not exist.
        said.append(refusal(stranger, "nobody_at_all", steps.PASSWORD))
        assert said[0].startswith(BAD_LOGIN) and set(said) == {said[0]}, said
        assert not re.search(r"lock|exist|unknown", said[0], re.IGNORECASE)
    finally:
        for page in (first, second, stranger):
            page.context.close()


def students(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = np.round(rng.uniform(2, 30, n), 1)
    subject = rng.choice(["math", "art"], n)
    passed = hours + np.where(subject == "math", 5, 0) + rng.normal(0, 4, n) > 16
    return pd.DataFrame({"hours": hours, "subject": subject, "passed": np.where(passed, "yes", "no")})


def test_a_predict_warning_shows_a_cells_markdown_and_image_literally(page: Page, anyml_server, tmp_path):
    user = "mona_markdown"
    # The model is trained before registering: a new account is signed in at once, and its Home opens the
    # user's DuckDB file, which one process at a time may hold.
    ws = Workspace(user, anyml_server.data_dir)
    ds = ws.save_frame(students(120, seed=0), "scores")
    train_dataset(ws, ds.dataset_id, TrainSettings(target="passed", models=("linear",), folds=2, importance=False))
    db.release_under(paths.user_dir(user, anyml_server.data_dir))  # hand the DuckDB file over closed
    fetched = []
    page.route("http://198.51.100.99/**", lambda route: (fetched.append(route.request.url), route.abort()))
    steps.register(page, anyml_server.url, user, "Mona", "Markdown")

    rows = students(6, seed=1).drop(columns="passed")
    hostile = "![seen](http://198.51.100.99/pixel.png) **bold** <b>tag</b>"
    rows.loc[1, "subject"] = hostile  # a category the model never saw: the warning quotes it
    new_csv = tmp_path / "new.csv"
    rows.to_csv(new_csv, index=False)
    go_to(page, "Predict")
    wait_until_idle(page, timeout=60_000)
    upload(page, live(page).get_by_test_id("stFileUploader"), new_csv)
    live(page).get_by_role("button", name="Predict", exact=True).click()
    expect(success(page, "Predicted 6 row(s).")).to_be_visible(timeout=60_000)
    wait_until_idle(page)
    warning = live(page).get_by_test_id("stAlertContentWarning").filter(has_text="categories the model never saw")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(hostile)  # every character as typed in the cell
    assert page.locator('[data-testid="stMain"] img[src*="198.51.100.99"]').count() == 0
    expect(warning.locator("img, strong, b")).to_have_count(0)
    assert fetched == []
    assert_no_error_box(page)


def edit_grid(page: Page) -> Locator:
    return page.locator('[data-testid="stElementContainer"][class*="st-key-edit-grid-"]:not([data-stale="true"])'
                        ).get_by_test_id("stDataFrame")


def type_in_cell(page: Page, row: int, value: str) -> None:
    """Type ``value`` into the last column of data row ``row`` (0-based) of the Edit page's grid, as a user
    does: double-click the cell (the grid is drawn on a canvas), type over it, Enter."""
    grid = edit_grid(page)
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    grid.dblclick(position={"x": box["width"] * 0.9, "y": ROW_PX * (row + 1) + ROW_PX / 2})
    editor = page.locator("#portal").locator("textarea, input").first  # the grid's cell editor, over the canvas
    expect(editor).to_be_visible()
    editor.fill(value)
    editor.press("Enter")
    wait_until_idle(page)


def test_two_tabs_editing_one_dataset_the_second_save_asks_what_to_do(page: Page, anyml_server, tmp_path):
    steps.register(page, anyml_server.url, "tabitha_tabs", "Tabitha", "Tabs")
    csv = tmp_path / "marks.csv"
    pd.DataFrame({"name": [f"s{i}" for i in range(5)], "score": [10, 20, 30, 40, 50]}).to_csv(csv, index=False)
    steps.save_dataset(page, csv, rows=5, columns=2)
    tab_b = page.context.new_page()
    tab_b.goto(anyml_server.url)
    for tab in (page, tab_b):
        go_to(tab, "Edit")
        expect(edit_grid(tab)).to_be_visible()

    # Tab A edits a cell and saves version 2; tab B still shows version 1.
    type_in_cell(page, 0, "99")
    live(page).get_by_role("button", name="Save as a new version", exact=True).click()
    expect(success(page, "Saved version 2 of 'marks'.")).to_be_visible()
    assert_no_error_box(page)

    # Tab B edits another cell of version 1: its save is not silent, it asks.
    tab_b.bring_to_front()
    type_in_cell(tab_b, 1, "55")
    conflict = live(tab_b).get_by_test_id("stAlertContentError")
    expect(conflict).to_contain_text("These edits were made on version 1 of 'marks', but version 2 was saved since")
    expect(live(tab_b).get_by_role("button", name="Save as a new version", exact=True)).to_have_count(0)
    for choice in ("Save over version 2", "Save as a new dataset", "Discard edits"):
        expect(live(tab_b).get_by_role("button", name=choice, exact=True)).to_be_visible()
    live(tab_b).get_by_role("button", name="Save as a new dataset", exact=True).click()
    expect(success(tab_b, "Saved as the new dataset 'marks (my edits)'.")).to_be_visible()
    wait_until_idle(tab_b)
    assert_no_error_box(tab_b)
    tab_b.close()


def pick_option(page: Page, widget_key: str, option: str) -> None:
    """Choose the option starting with ``option`` in a select box or multiselect, typing it as a user can,
    and wait until the widget shows it chosen (a multiselect's chip, a select box's value)."""
    widget = keyed(page, widget_key)
    box = widget.get_by_role("combobox")
    wait_until_idle(page)  # a rerun going on would redraw the box under the typing
    expect(widget).to_be_visible()
    # Which kind, asked now: once an option is taken the app reruns, and while it does the widget is stale.
    multi = widget.get_by_test_id("stMultiSelect").count() > 0
    box.click()
    box.fill(option)
    choice = page.get_by_role("option").filter(has_text=option).first
    expect(choice).to_be_visible()
    # A click on the option, not Enter: Enter takes it only once the box has registered its list as open,
    # which can come a moment after the list is drawn (a lost Enter left nothing chosen, 1 run in 4).
    choice.click()
    if multi:
        expect(widget.locator("[data-tag]").filter(has_text=option)).to_have_count(1)  # the chosen chip
        page.keyboard.press("Tab")  # a multiselect's list stays open after a choice: leave the box
    else:  # a select box's list closes on the click (Escape would clear a box that may be left empty)
        expect(box).to_have_value(re.compile("^" + re.escape(option)))
    wait_until_idle(page)


def test_runs_of_a_failed_training_with_the_task_left_to_detect_show_and_delete(page: Page, anyml_server, tmp_path):
    # Runs queued while the task is still "detect automatically" are stored with no task; a job that then
    # fails (a crash, a stopped server) leaves them so. The Train page now refuses an empty target up front,
    # so the runs are recorded as the job runner records them, before registering (a signed-in Home holds
    # the user's data file, and the server holds the system file).
    user = "fay_failed"
    ws = Workspace(user, anyml_server.data_dir)
    ds = ws.save_frame(pd.DataFrame({"hours": range(30), "club": list("ab" * 15), "result": [None] * 30}),
                       "blank_target")
    run_ids = {"dummy": "faydummy0001", "linear": "faylinear001"}
    ws.add_pending_runs(run_ids, dataset=ds, target="result", task="",
                        settings=TrainSettings(target="result", models=("linear",)).to_dict())
    ws.set_runs_status(list(run_ids.values()), "failed", "the training process stopped unexpectedly")
    db.release_under(paths.user_dir(user, anyml_server.data_dir))
    steps.register(page, anyml_server.url, user, "Fay", "Failed")

    # The Runs page shows those runs, whose task was never decided, and deletes one.
    go_to(page, "Runs")
    assert_no_error_box(page)
    expect(live(page).get_by_text("Runs predicting result (not decided yet).", exact=True)).to_be_visible()
    page.get_by_test_id("stExpander").get_by_text("Delete runs", exact=True).click()
    expect(keyed(page, "runs.delete_pick")).to_be_visible()
    pick_option(page, "runs.delete_pick", "Linear model")
    delete = live(page).get_by_role("button", name="Yes, delete 1 run(s) for good", exact=True)
    expect(delete).to_be_enabled()  # the app has the choice: the button counts it
    delete.click()
    expect(success(page, "Deleted 1 run(s).")).to_be_visible()
    wait_until_idle(page)
    assert_no_error_box(page)
