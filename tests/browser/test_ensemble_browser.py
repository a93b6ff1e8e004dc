"""The ensemble and the decision threshold in a real browser: train the default models on an imbalanced two-class
table, see the ensemble among the results, then move a run's threshold and see the counts it gives change."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.browser import steps
from tests.browser.st_helpers import assert_no_error_box, go_to, keyed, live, selectbox, wait_until_idle

pytestmark = pytest.mark.browser

USER = "erin_ensemble"
TRAIN_TIMEOUT = 120_000
ENSEMBLE_NAME = "Ensemble (a mix of the models)"


def enrolment(n: int = 600, seed: int = 0) -> pd.DataFrame:
    """About one row in six is "yes": two additive effects a linear model sees and an interaction trees see."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    logit = -2.5 + 1.2 * X[:, 0] + 1.2 * X[:, 1] + 1.5 * np.sign(X[:, 2] * X[:, 3])
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame(X.round(3), columns=["hours", "absences", "score", "visits"])
    frame["enrolled"] = np.where(y, "yes", "no")
    return frame


def test_defaults_on_an_imbalanced_table_give_an_ensemble_and_a_movable_threshold(page: Page, anyml_server,
                                                                                    tmp_path):
    csv = tmp_path / "enrolment.csv"
    enrolment().to_csv(csv, index=False)
    steps.register(page, anyml_server.url, USER, "Erin", "Ensemble")  # which signs in
    steps.save_dataset(page, csv, rows=600, columns=5)

    go_to(page, "Train")
    selectbox(page, "Column to predict (target)").click()  # asked for, nothing chosen at first
    page.get_by_role("option", name="enrolled", exact=True).click()
    wait_until_idle(page)
    page.get_by_test_id("stExpander").get_by_text("Validation and time", exact=True).click()
    expect(keyed(page, "train.ensemble").get_by_role("checkbox")).to_be_checked()  # on by default
    live(page).get_by_role("button", name="Train", exact=True).click()
    expect(live(page).get_by_text("What the training found", exact=True)).to_be_visible(timeout=TRAIN_TIMEOUT)
    wait_until_idle(page, timeout=TRAIN_TIMEOUT)
    assert_no_error_box(page)
    page.get_by_test_id("stExpander").filter(has_text="Every score, in numbers").locator("summary").click()
    results = live(page).get_by_text(re.compile(r"^Results, best first \(ranked by .+\)$"))
    expect(results).to_be_visible()
    expect(live(page).locator('td[role="gridcell"]').filter(has_text=ENSEMBLE_NAME).first).to_be_attached()

    go_to(page, "Runs")
    keyed(page, "runs.view").get_by_text("One run in detail", exact=True).click()
    wait_until_idle(page)
    expect(live(page).get_by_role("heading", name=ENSEMBLE_NAME, exact=True)).to_be_visible()  # the best run
    expect(live(page).get_by_text(re.compile(r"^Mixed from: "))).to_be_visible()
    summary = live(page).get_by_text(re.compile(r"^At 0\.\d{3}: \d+ of the \d+ '\w+' rows are found"))
    expect(summary).to_be_visible()
    before = summary.inner_text()
    thumb = keyed(page, "runs.threshold").get_by_role("slider")
    thumb.focus()
    for _ in range(40):  # 40 steps of 0.005 lower: more rows of the class found, more false alarms
        thumb.press("ArrowLeft")
    wait_until_idle(page, timeout=60_000)  # redrawing an ensemble's run page took over 30 s on a loaded machine
    expect(summary).not_to_have_text(before)
    after = summary.inner_text()
    found = [int(re.search(r": (\d+) of the", text).group(1)) for text in (before, after)]
    assert found[1] >= found[0]
    save = keyed(page, "runs.save_threshold").get_by_role("button")
    expect(save).to_be_enabled()
    save.click()
    expect(live(page).get_by_text(re.compile(r"^Saved: Predict now uses the threshold 0\.\d{3}\.$"))).to_be_visible()
    assert_no_error_box(page)
