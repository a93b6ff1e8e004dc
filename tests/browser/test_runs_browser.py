"""Runs in a real browser: the leaderboard lists every run, two runs compare side by side with their curves
overlaid, and one run's report downloads whole and draws offline.

Uses the shared server and browser fixtures of conftest.py and the journey's sign-up steps. The runs are
trained in this process into the server's data directory before the user first signs in, so the server
has not opened the workspace yet.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from core.train import TrainSettings, train_dataset
from storage import db
from storage.workspace import Workspace
from tests.browser import steps
from tests.browser.st_helpers import (assert_no_error_box, heading, keyed, live, sidebar_link,
                                      wait_until_idle)

pytestmark = pytest.mark.browser

USER = "rita_runs"


def exam(n: int = 240, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    hours = rng.gamma(2, 2, n)
    frame = pd.DataFrame({"hours": hours, "absences": rng.poisson(3, n), "club": rng.choice(["art", "sport"], n)})
    frame["passed"] = np.where(hours - 0.3 * frame["absences"] + rng.normal(0, 1.5, n) > 3, "yes", "no")
    return frame


def train_runs(data_dir) -> dict[str, str]:
    ws = Workspace(USER, data_dir)
    ds = ws.save_frame(exam(), "exam")
    settings = TrainSettings(target="passed", models=("linear", "dt"), folds=3, seed=3,
                             params={"dt": {"max_depth": 30, "min_samples_leaf": 1}})
    ids = train_dataset(ws, ds.dataset_id, settings).run_ids
    release = getattr(db, "release_under", None)
    if release is not None:  # hand the file over closed: one process may hold a DuckDB file
        release(Path(data_dir))  # the user's file and system.duckdb
    return ids


def grid_cell(page: Page, text: str):
    return live(page).locator('td[role="gridcell"]').filter(has_text=text).first


def pick_option(page: Page, widget_key: str, option: str) -> None:
    keyed(page, widget_key).get_by_role("combobox").click()
    page.get_by_role("option", name=option).click()
    wait_until_idle(page)


def test_compare_two_runs_and_download_a_runs_report(page: Page, anyml_server, tmp_path):
    ids = train_runs(anyml_server.data_dir)  # before registering: a new account is signed in at once
    steps.register(page, anyml_server.url, USER, "Rita", "Runs")
    wait_until_idle(page)

    sidebar_link(page, "Runs").click()
    # The first visit imports the charting and metrics libraries into the server: allow it time.
    expect(heading(page, "Runs")).to_be_visible(timeout=60_000)
    wait_until_idle(page, timeout=60_000)
    assert_no_error_box(page)
    for model in ("Linear model (logistic / ridge regression)", "Decision tree",
                  "Baseline (always the most common answer)"):  # the leaderboard lists every run
        expect(grid_cell(page, model)).to_be_attached()
    expect(grid_cell(page, "⚠ over-fitting")).to_be_attached()  # the memorising tree is flagged

    # Compare exactly the linear model and the tree.
    compare = keyed(page, "runs.compare")
    for chip in compare.get_by_role("button", name=re.compile("^Remove")).all()[::-1]:
        chip.click()
        wait_until_idle(page)
    pick_option(page, "runs.compare", re.compile(f"^Linear model .*{ids['linear'][:6]}$"))
    pick_option(page, "runs.compare", re.compile(f"^Decision tree .*{ids['dt'][:6]}$"))
    assert_no_error_box(page)
    expect(grid_cell(page, f"Decision tree · {ids['dt'][:6]}")).to_be_attached()  # the side-by-side table
    expect(live(page).locator('th, [role="columnheader"]').filter(has_text="Valid AUC").first).to_be_attached()
    roc = keyed(page, "runs.compare_roc").locator(".js-plotly-plot")
    expect(roc.locator(".main-svg").first).to_be_visible()
    legend = roc.locator(".legendtext")
    for name in (rf"Linear model .*{ids['linear'][:6]}", rf"Decision tree · {ids['dt'][:6]}"):
        expect(legend.filter(has_text=re.compile(rf"^{name} \(AUC 0\.\d{{3}}\)$"))).to_have_count(1)
    bars = keyed(page, "runs.compare_metrics").locator(".js-plotly-plot .bars")
    expect(bars).to_have_count(2)  # one series of bars per run

    # One run in detail, and its report.
    keyed(page, "runs.view").get_by_text("One run in detail", exact=True).click()
    wait_until_idle(page)
    pick_option(page, "runs.detail", re.compile(f"^Decision tree .*{ids['dt'][:6]}$"))
    expect(live(page).get_by_role("heading", name="Decision tree", exact=True)).to_be_visible()
    page.get_by_role("tab", name="Charts", exact=True).click()
    expect(keyed(page, "runs.chart.roc").locator(".js-plotly-plot .main-svg").first).to_be_visible()
    expect(keyed(page, "runs.chart.confusion_counts").locator(".js-plotly-plot .main-svg").first).to_be_visible()
    with page.expect_download(timeout=60_000) as download_info:
        keyed(page, "runs.download_report").get_by_role("button").click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"run_{ids['dt']}.html"
    saved = tmp_path / "run.html"
    download.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert f"AnyML run report: Decision tree ({ids['dt']})" in html
    assert re.findall(r"<script\b[^>]*\bsrc=", html) == [] and len(re.findall(r"plotly\.js v\d", html)) == 1
    steps.expect_charts_offline(page, saved, at_least=7)
    assert_no_error_box(page)
