"""Free text in a real browser: a table with a name column and a list of ad codes; the Train page says the name is
read as words and the ads as a list of codes, the training finishes, and the run page's notes say the same."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.browser import steps
from tests.browser.st_helpers import assert_no_error_box, go_to, keyed, live, selectbox, wait_until_idle

pytestmark = pytest.mark.browser

USER = "tess_text"
TRAIN_TIMEOUT = 120_000


def passengers(n: int = 300, seed: int = 0) -> pd.DataFrame:
    """A ticket code per row, a fare, a name whose title (Mr / Mrs / Miss) carries the outcome, a list of ad codes."""
    rng = np.random.default_rng(seed)
    titles = rng.choice(["Mr", "Mrs", "Miss"], n, p=[0.6, 0.2, 0.2])
    first = ["John", "Mary", "Anna", "Owen", "Laina", "William"]
    return pd.DataFrame({
        "ticket": [f"S{i:06d}" for i in range(n)],
        "fare": rng.lognormal(3, 0.6, n).round(2),
        "name": [f"Sur{rng.integers(0, 120)}, {t}. {rng.choice(first)} {rng.choice(first)}" for t in titles],
        "ads": [" ".join(map(str, rng.integers(1000, 1300, 6))) for _ in range(n)],
        "survived": np.where((titles != "Mr") ^ (rng.random(n) < 0.1), "yes", "no"),
    })


def test_a_name_column_is_read_as_words_and_the_training_finishes(page: Page, anyml_server, tmp_path):
    csv = tmp_path / "passengers.csv"
    passengers().to_csv(csv, index=False)
    steps.register(page, anyml_server.url, USER, "Tess", "Text")
    steps.save_dataset(page, csv, rows=300, columns=5)

    go_to(page, "Train")
    selectbox(page, "Column to predict (target)").click()
    page.get_by_role("option", name="survived", exact=True).click()
    wait_until_idle(page)
    usage = page.locator(".st-key-train-usage").locator(live(page))  # the note's container, under the features
    expect(usage.get_by_text("How the columns will be used", exact=True)).to_be_visible()
    expect(usage.get_by_text("As words (text): 'name'", exact=True)).to_be_visible()
    expect(usage.get_by_text("As a list of codes: 'ads'", exact=True)).to_be_visible()
    expect(usage.get_by_text("Not used: 'ticket'", exact=True)).to_be_visible()
    # the boosted trees may be told to read categories as number codes instead (the run keeps the choice)
    page.get_by_test_id("stExpander").filter(has_text="Preparing the columns").locator("summary").click()
    native = live(page).get_by_text("Let the boosted trees read categories as they are", exact=True)
    expect(native).to_be_visible()
    native.click()
    wait_until_idle(page)

    live(page).get_by_role("button", name="Train", exact=True).click()
    expect(live(page).get_by_text("What the training found", exact=True)).to_be_visible(timeout=TRAIN_TIMEOUT)
    wait_until_idle(page, timeout=TRAIN_TIMEOUT)
    assert_no_error_box(page)

    go_to(page, "Runs")
    keyed(page, "runs.view").get_by_text("One run in detail", exact=True).click()
    wait_until_idle(page)
    expect(live(page).get_by_text("The columns that matter most: name", exact=False)).to_be_visible()  # not name_has_mr
    page.get_by_role("tab", name="Settings and versions", exact=True).click()
    # The training's notes are written in the account's language when it is recorded (Korean unless changed).
    expect(live(page).get_by_text("• 'name'은 글(단어)로 사용합니다", exact=False).first).to_be_visible()
    expect(live(page).get_by_text("• 'ads'는 코드 목록으로 사용합니다", exact=False).first).to_be_visible()
    assert_no_error_box(page)

    # training again with this run's settings starts from the same choice: categories as number codes
    live(page).get_by_role("button", name="Re-run with changed settings", exact=True).click()
    wait_until_idle(page)
    page.get_by_test_id("stExpander").filter(has_text="Preparing the columns").locator("summary").click()
    expect(live(page).get_by_role("checkbox", name="Let the boosted trees read categories as they are")) \
        .not_to_be_checked()
    assert_no_error_box(page)
