"""Predict in a real browser: a file with an unseen category and an out-of-range value is flagged, and the
downloaded CSV opens with its Korean text intact.

Uses the shared server and browser fixtures of conftest.py and the journey's sign-up steps. The model is
trained in this process into the server's data directory before the user first signs in, so the server
has not opened the workspace yet.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from core.train import TrainSettings, train_dataset
from storage import db
from storage.workspace import Workspace
from tests.browser import steps
from tests.browser.st_helpers import (assert_no_error_box, grid_after, heading, live, sidebar_link, success, upload,
                                      wait_until_idle)

pytestmark = pytest.mark.browser

USER = "paula_predict"
PREDICT_TIMEOUT = 60_000


def students(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = np.round(rng.uniform(2, 30, n), 1)
    subject = rng.choice(["국어", "수학", "영어"], n)
    passed = hours + np.where(subject == "수학", 5, 0) + rng.normal(0, 4, n) > 16
    return pd.DataFrame({"이름": [f"학생{i:03d}" for i in range(n)], "hours": hours, "subject": subject,
                         "passed": np.where(passed, "합격", "불합격")})


def train_model(data_dir) -> str:
    ws = Workspace(USER, data_dir)
    ds = ws.save_frame(students(240, seed=0), "성적")
    outcome = train_dataset(ws, ds.dataset_id, TrainSettings(
        target="passed", models=("linear",), features=("hours", "subject"), folds=2, importance=False))
    db.release_under(Path(data_dir))  # one process may hold a DuckDB file (the user's, system.duckdb): hand them over closed
    return outcome.run_ids["linear"]


def test_a_file_with_an_unseen_category_and_an_out_of_range_value_is_flagged_and_downloads(
        page: Page, anyml_server, tmp_path):
    train_model(anyml_server.data_dir)  # before registering: a new account is signed in at once
    steps.register(page, anyml_server.url, USER, "Paula", "Predict")
    wait_until_idle(page)

    rows = students(20, seed=7).drop(columns="passed")
    rows["hours"] = rows["hours"].clip(3, 29)
    rows.loc[2, "subject"] = "체육"  # a category the model never saw
    rows.loc[5, "hours"] = 400.0  # far outside the training range
    new_csv = tmp_path / "새학기.csv"
    rows.to_csv(new_csv, index=False, encoding="utf-8")

    sidebar_link(page, "Predict").click()
    # The first visit loads the model and the prediction libraries into the server: allow it time.
    expect(heading(page, "Predict")).to_be_visible(timeout=PREDICT_TIMEOUT)
    wait_until_idle(page, timeout=PREDICT_TIMEOUT)
    assert_no_error_box(page)
    upload(page, live(page).get_by_test_id("stFileUploader"), new_csv)
    live(page).get_by_role("button", name="Predict", exact=True).click()
    done = success(page, "Predicted 20 row(s).")
    expect(done).to_be_visible(timeout=PREDICT_TIMEOUT)
    wait_until_idle(page, timeout=PREDICT_TIMEOUT)
    assert_no_error_box(page)
    expect(grid_after(done)).to_be_visible()

    # Both problems are reported, each with its example, and nothing else is.
    alerts = live(page).get_by_test_id("stAlertContentWarning")
    expect(alerts.filter(has_text="1 value(s) in 'subject' are categories the model never saw")
           .filter(has_text="'체육'")).to_be_visible()
    expect(alerts.filter(has_text="1 value(s) in 'hours' are outside the training range")
           .filter(has_text="row 6: 400")).to_be_visible()
    expect(alerts.filter(has_text="Ignored columns the model does not use: 이름.")).to_be_visible()
    expect(alerts).to_have_count(3)

    with page.expect_download(timeout=PREDICT_TIMEOUT) as download_info:
        live(page).get_by_role("button", name="Download predictions (CSV)", exact=True).click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    saved = tmp_path / "downloaded.csv"
    download.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)  # so Excel opens it as UTF-8
    got = pd.read_csv(saved, encoding="utf-8-sig", keep_default_na=False)
    assert got["이름"].tolist() == rows["이름"].tolist() and got.loc[2, "subject"] == "체육"
    assert set(got["passed (predicted)"]) <= {"합격", "불합격"}
    assert got.loc[2, "check"] == "subject: '체육' is a category the model never saw"
    assert got.loc[5, "check"].startswith("hours: 400 is outside the training range")
    assert (got.drop(index=[2, 5])["check"] == "").all()
    assert_no_error_box(page)


def test_a_file_unlike_the_training_rows_gets_the_drift_sentence(page: Page, anyml_server, tmp_path):
    user = "pia_drift"
    ws = Workspace(user, anyml_server.data_dir)
    ds = ws.save_frame(students(240, seed=0), "성적")
    train_dataset(ws, ds.dataset_id, TrainSettings(target="passed", models=("linear",), features=("hours", "subject"),
                                                   folds=2, importance=False))
    db.release_under(Path(anyml_server.data_dir))  # before registering: it signs in at once
    steps.register(page, anyml_server.url, user, "Pia", "Drift")
    wait_until_idle(page)

    rows = students(80, seed=9).drop(columns="passed")
    rows["hours"] = np.round(rows["hours"] / 5, 1)  # the new students study far less than the trained-on ones
    shifted = tmp_path / "shifted.csv"
    rows.to_csv(shifted, index=False, encoding="utf-8")

    sidebar_link(page, "Predict").click()
    expect(heading(page, "Predict")).to_be_visible(timeout=PREDICT_TIMEOUT)
    wait_until_idle(page, timeout=PREDICT_TIMEOUT)
    upload(page, live(page).get_by_test_id("stFileUploader"), shifted)
    live(page).get_by_role("button", name="Predict", exact=True).click()
    expect(success(page, "Predicted 80 row(s).")).to_be_visible(timeout=PREDICT_TIMEOUT)
    wait_until_idle(page, timeout=PREDICT_TIMEOUT)
    assert_no_error_box(page)
    alerts = live(page).get_by_test_id("stAlertContentWarning")
    expect(alerts.filter(has_text="hours is much lower than in training: predictions may be off.")).to_be_visible()
    expect(live(page).get_by_text("Are the new rows like the training rows?")).to_be_visible()
    assert_no_error_box(page)
