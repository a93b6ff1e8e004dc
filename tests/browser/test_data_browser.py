"""Data in a real browser: a Korean CP949 CSV is uploaded, read as CP949, saved, and its Korean headers
are in the Edit page's grid.

Uses the shared server and browser fixtures of conftest.py and the journey's sign-up steps.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser import steps
from tests.browser.st_helpers import assert_no_error_box, go_to, live, success, upload, wait_until_idle

pytestmark = pytest.mark.browser

CP949_CSV = Path(__file__).resolve().parents[1] / "data" / "cp949.csv"
KOREAN_HEADERS = ["이름", "점수", "시험일", "합격"]


def column_headers(grid: Locator) -> Locator:
    """The header cells of a data grid: Glide draws the grid on a canvas and mirrors it, for screen readers,
    in a table inside the canvas (which Playwright counts as hidden, so CSS finds it, not the role)."""
    return grid.locator('th[role="columnheader"]')


def test_a_korean_cp949_csv_is_uploaded_and_its_headers_are_in_the_grid(page: Page, anyml_server, tmp_path):
    upload_as = tmp_path / "성적_cp949.csv"
    upload_as.write_bytes(CP949_CSV.read_bytes())
    steps.register(page, anyml_server.url, "kim_cp949", "Minjun", "Kim")

    go_to(page, "Data")
    upload(page, live(page).get_by_test_id("stFileUploader"), upload_as)
    # What was detected is shown before saving, with the preview of the rows as they will be stored.
    expect(live(page).get_by_text("encoding CP949 / EUC-KR (Korean Windows)", exact=False)).to_be_visible()
    preview = live(page).get_by_test_id("stDataFrame").first
    expect(preview).to_be_visible()
    for name in KOREAN_HEADERS:
        expect(column_headers(preview).filter(has_text=name).first).to_be_attached()
    live(page).get_by_role("button", name="Save dataset", exact=True).click()
    expect(success(page, "Saved '성적_cp949': 4 rows × 4 columns.")).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    assert_no_error_box(page)

    go_to(page, "Edit")
    grid = page.locator('[data-testid="stElementContainer"][class*="st-key-edit-grid-"]:not([data-stale="true"])')
    expect(grid.get_by_test_id("stDataFrame")).to_be_visible()
    for name in KOREAN_HEADERS:
        expect(column_headers(grid).filter(has_text=name).first).to_be_attached()
    expect(grid.locator('td[role="gridcell"]').filter(has_text="김민준").first).to_be_attached()
    assert_no_error_box(page)
