"""Explore in a real browser: the charts render, a target brings the tests, the report downloads whole.

Uses the shared server and browser fixtures of conftest.py and the journey's sign-up steps.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.browser import steps
from tests.browser.st_helpers import assert_no_error_box, go_to, keyed, live, selectbox, wait_until_idle

pytestmark = pytest.mark.browser

PROFILE_TIMEOUT = 60_000


def students(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    passed = rng.random(n) < 0.4
    return pd.DataFrame({
        "hours": np.round(rng.gamma(2, 2, n) + 2 * passed, 2),
        "school": rng.choice(["north", "south", "east"], n),
        "joined": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D"),
        "passed": np.where(passed, "yes", "no"),
    })


def rendered_charts(page: Page):
    """Plotly charts the browser has drawn (an SVG inside each plot)."""
    return live(page).locator(".js-plotly-plot .main-svg")


def test_explore_draws_charts_tests_a_target_and_downloads_the_report(page: Page, anyml_server, tmp_path):
    csv = tmp_path / "students.csv"
    students().to_csv(csv, index=False)
    # A first visit lets a freshly started server import everything before the forms are used.
    page.goto(anyml_server.url)
    expect(page.get_by_role("tab", name="Create account", exact=True)).to_be_visible(timeout=PROFILE_TIMEOUT)
    wait_until_idle(page, timeout=PROFILE_TIMEOUT)
    steps.register(page, anyml_server.url, "erin_explore", "Erin", "Explorer")
    steps.save_dataset(page, csv, rows=400, columns=4)

    go_to(page, "Explore")
    expect(selectbox(page, "Dataset")).to_have_value(re.compile(r"^students\s+\(400 rows × 4 columns\)$"))
    rows = live(page).get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text("Rows", exact=True))
    expect(rows.get_by_test_id("stMetricValue")).to_have_text("400")
    # The column cards: a histogram and a box for hours, bars for school and passed, date parts for joined.
    page.get_by_role("tab", name="Columns", exact=True).click()
    expect(rendered_charts(page).first).to_be_visible(timeout=PROFILE_TIMEOUT)
    expect(keyed(page, "explore.card.0.0").locator(".js-plotly-plot .main-svg").first).to_be_visible()
    assert keyed(page, "explore.card.0.0").locator(".js-plotly-plot .bars path").count() >= 10
    wait_until_idle(page)
    assert_no_error_box(page)

    # Choose the target: the tests table and the plot of the strongest feature appear.
    selectbox(page, "Column to predict (target), optional").click()
    page.get_by_role("option", name="passed", exact=True).click()
    wait_until_idle(page, timeout=PROFILE_TIMEOUT)
    page.get_by_role("tab", name="Relations", exact=True).click()
    table = live(page).get_by_test_id("stDataFrame")  # the tests table, the page's only data grid
    expect(table).to_be_visible(timeout=PROFILE_TIMEOUT)
    relation = keyed(page, "explore.relation_chart").locator(".js-plotly-plot")
    expect(relation.locator(".main-svg").first).to_be_visible()
    expect(relation.locator(".boxlayer path").first).to_be_attached()
    page.get_by_role("tab", name="Target", exact=True).click()
    expect(keyed(page, "explore.target_chart").locator(".js-plotly-plot .bars path").first).to_be_visible()
    assert_no_error_box(page)

    # The report: one HTML file with the plotting library inside.
    page.get_by_role("tab", name="Report", exact=True).click()
    with page.expect_download(timeout=PROFILE_TIMEOUT) as download_info:
        live(page).get_by_role("button", name="Download the report (HTML)", exact=True).click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == "explore_students.html"
    saved = tmp_path / "report.html"
    download.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert "Exploring &#x27;students&#x27;" in html and "Every feature against the target" in html
    assert re.findall(r"<script\b[^>]*\bsrc=", html) == [] and len(re.findall(r"plotly\.js v\d", html)) == 1

    steps.expect_charts_offline(page, saved, at_least=8)  # opened offline, the report draws its charts too
    assert_no_error_box(page)
