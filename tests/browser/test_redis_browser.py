"""Import from Redis in a real browser: hashes in a real redis-server are previewed on the Data page and saved.

Uses the shared server and browser fixtures of conftest.py, the journey's sign-up steps, and the
redis-server of tests/conftest.py (started on a free port of 127.0.0.1).
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import steps
from tests.browser.st_helpers import assert_no_error_box, go_to, live, success, wait_until_idle

pytestmark = pytest.mark.browser


def type_into(page: Page, label: str, value: str) -> None:
    """Type ``value`` into the text input labelled ``label`` and commit it (Enter), as a user does."""
    box = live(page).get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_until_idle(page)


def test_redis_hashes_are_previewed_and_saved_as_a_dataset(page: Page, anyml_server, redis_db):
    client = redis_db.client()
    for i in range(7):
        client.hset(f"student:{i}", mapping={"name": f"학생{i}", "score": str(60 + 5 * i)})
    client.rpush("not-a-student", '{"a": 1}')
    steps.register(page, anyml_server.url, "redis_user", "Seoyeon", "Lee")  # which signs her in

    go_to(page, "Data")
    live(page).get_by_text("Or import from a Redis server", exact=True).click()
    wait_until_idle(page)
    type_into(page, "Redis address", redis_db.url)
    type_into(page, "Keys to read (pattern)", "student:*")
    expect(live(page).get_by_label("Password (if the server has one)", exact=True)).to_have_attribute(
        "type", "password")
    live(page).get_by_role("button", name="Preview", exact=True).click()
    wait_until_idle(page)
    expect(live(page).get_by_text("7 rows × 3 columns from 7 keys (hash 7)", exact=False)).to_be_visible()
    expect(live(page).get_by_test_id("stDataFrame").first).to_be_visible()
    expect(live(page).get_by_label("Dataset name", exact=True)).to_have_value("student")
    assert_no_error_box(page)

    live(page).get_by_role("button", name="Save as dataset", exact=True).click()
    expect(success(page, "Saved 'student': 7 rows × 3 columns.")).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    assert_no_error_box(page)
    # The saved dataset's preview heads each column with its type: the scores were stored as numbers.
    headers = live(page).get_by_test_id("stDataFrame").last.locator('th[role="columnheader"]')
    expect(headers.filter(has_text="score · number").first).to_be_attached()
