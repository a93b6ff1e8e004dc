"""A first-time Korean user, from a raw CP949 export to a prediction CSV, in at most 12 clicks and selections.

Chromium with the ko-KR locale: register (which signs in), upload a CP949 CSV with Korean headers, save it,
choose the target on Train (offered first), train with the defaults, read the result sentence, press
"이 모델로 예측하기", upload new rows, predict and download. Every click, selection and upload goes through
`Actions`, which counts them. Labels come from the string catalogue, so the test follows its wording.
A screenshot of each step is left in /tmp/shots13a/.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.st_helpers import assert_no_error_box, form, heading, live, selectbox, success, wait_until_idle
from texts import STRINGS

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots13a")
TARGET = "최종성적"
MAX_ACTIONS = 12
TRAIN_TIMEOUT = 120_000
PASSWORD = "Maple#Kite42"


def ko(key: str, **values) -> str:
    text = STRINGS[key]["ko"]
    return text.format(**values) if values else text


def export(rows: int, seed: int) -> pd.DataFrame:
    """A school's export: student number, year, attendance, mock exam, final grade (a few hundred rows)."""
    rng = np.random.default_rng(seed)
    year = rng.integers(1, 4, rows)
    attendance = rng.uniform(70, 100, rows).round(1)
    mock = rng.integers(30, 100, rows)
    final = np.clip(0.6 * mock + 0.3 * attendance + 2 * year + rng.normal(0, 4, rows), 0, 100).round(0).astype(int)
    return pd.DataFrame({"학생번호": [f"2025{i:04d}" for i in range(rows)], "학년": year, "출석률": attendance,
                         "모의고사": mock, TARGET: final})


class Actions:
    """The user's clicks, selections and uploads, counted; a screenshot after each step."""

    def __init__(self, page: Page):
        self.page, self.count, self.shots = page, 0, 0

    def click(self, target: Locator) -> None:
        self.count += 1
        target.click()

    def select(self, box: Locator, option: str, first: str | None = None) -> None:
        """Choose ``option`` in a select box: one selection (opening the list is part of it); ``first`` is the
        option the list must offer first."""
        self.count += 1
        box.click()
        if first is not None:
            expect(self.page.get_by_role("option").first).to_have_text(first)
        self.page.get_by_role("option", name=option, exact=True).click()

    def upload(self, uploader: Locator, path: Path) -> None:
        self.count += 1
        uploader.locator("input[type=file]").set_input_files(str(path))
        expect(uploader.get_by_text(path.name, exact=True)).to_be_visible()

    def shot(self, name: str, show: Locator | None = None) -> None:
        """A screenshot of what the user sees, scrolled to ``show`` when given."""
        self.shots += 1
        wait_until_idle(self.page)
        if show is not None:
            show.scroll_into_view_if_needed()
        self.page.screenshot(path=str(SHOTS / f"{self.shots:02d}_{name}.png"))


@pytest.fixture
def korean_page(browser):
    ctx = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(20_000)
    page = ctx.new_page()
    page.js_errors = []
    page.on("pageerror", lambda err: page.js_errors.append(str(err)))
    try:
        yield page
    finally:
        ctx.close()


def test_a_first_time_korean_user_gets_a_prediction_csv_in_twelve_actions(korean_page: Page, anyml_server,
                                                                          tmp_path):
    page, act = korean_page, Actions(korean_page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    exported = tmp_path / "성적_내보내기.csv"
    export(300, seed=13).to_csv(exported, index=False, encoding="cp949")
    new_rows = export(25, seed=14).drop(columns=[TARGET])
    new_csv = tmp_path / "새_학생.csv"
    new_rows.to_csv(new_csv, index=False, encoding="cp949")

    # Register: the new account is signed in at once.
    page.goto(anyml_server.url)
    expect(page.get_by_role("tab", name=ko("auth.register_tab"), exact=True)).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    act.click(page.get_by_role("tab", name=ko("auth.register_tab"), exact=True))
    reg = form(page, ko("auth.register_form"))
    expect(reg).to_be_visible(timeout=30_000)  # a cold server may take a while to show the tab's form
    for key, value in (("auth.last_name", "김"), ("auth.first_name", "민지"), ("auth.email", "minji@example.com"),
                       ("auth.username", "minji"), ("auth.password", PASSWORD), ("auth.repeat_password", PASSWORD)):
        reg.get_by_label(ko(key), exact=True).fill(value)
    act.shot("register")
    act.click(reg.get_by_role("button", name=ko("auth.register_button"), exact=True))
    expect(heading(page, ko("home.welcome", name="김민지"))).to_be_visible(timeout=30_000)
    act.shot("home_signed_in")

    # Home's guided path: the data step is next.
    act.click(live(page).get_by_role("link", name=re.compile("^" + re.escape(ko("guide.data")))))
    expect(heading(page, ko("data.title"))).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    act.upload(live(page).get_by_test_id("stFileUploader").first, exported)
    wait_until_idle(page)
    act.shot("data_uploaded")
    act.click(live(page).get_by_role("button", name=ko("data.save"), exact=True))
    expect(live(page).get_by_test_id("stAlertContentSuccess").first).to_be_visible(timeout=30_000)
    act.shot("data_saved")
    assert_no_error_box(page)

    # Train: the target is asked for, the likely one first; train with the defaults.
    act.click(page.get_by_test_id("stSidebarNav").get_by_role("link", name=ko("nav.train"), exact=True))
    expect(heading(page, ko("train.title"))).to_be_visible(timeout=30_000)
    target = selectbox(page, ko("train.target"))
    expect(target).to_be_visible()
    wait_until_idle(page)
    act.shot("train_asks_target")
    act.select(target, TARGET, first=TARGET)
    wait_until_idle(page)
    act.shot("train_form")
    act.click(live(page).get_by_role("button", name=ko("train.start"), exact=True))
    card_title = live(page).get_by_text(ko("summary.title"), exact=True)
    expect(card_title).to_be_visible(timeout=TRAIN_TIMEOUT)
    wait_until_idle(page, timeout=TRAIN_TIMEOUT)
    sentence = live(page).get_by_text(re.compile("^가장 좋은 모델은 ")).inner_text()
    act.shot("train_result", card_title)
    model_names = [STRINGS[k]["ko"] for k in STRINGS if re.fullmatch(r"model\.\w+\.name", k)]
    assert any(sentence.startswith(f"가장 좋은 모델은 {name}입니다.") for name in model_names), sentence
    error = re.search(rf"{TARGET} 예측값은 실제와 평균 ([\d.,]+)만큼 차이 납니다\.", sentence)
    assert error and 0 < float(error[1].replace(",", "")) < 20, sentence
    assert "아무것도 배우지 않은 기준(항상 평균값)보다 오차가" in sentence, sentence
    assert "가장 중요한 열: 모의고사" in sentence, sentence
    assert_no_error_box(page)

    # "이 모델로 예측하기": Predict with that run chosen; upload the new rows, predict, download.
    act.click(live(page).get_by_role("button", name=ko("summary.predict"), exact=True))
    expect(heading(page, ko("predict.title"))).to_be_visible(timeout=30_000)
    wait_until_idle(page)
    act.shot("predict_opened")
    uploader = live(page).get_by_test_id("stFileUploader").filter(has_text=ko("predict.upload"))
    act.upload(uploader, new_csv)
    wait_until_idle(page)
    act.click(live(page).get_by_role("button", name=ko("predict.go"), exact=True))
    expect(success(page, re.compile(f"{len(new_rows)}"))).to_be_visible(timeout=60_000)
    act.shot("predicted", live(page).get_by_role("button", name=ko("predict.download"), exact=True))
    with page.expect_download() as download_info:
        act.click(live(page).get_by_role("button", name=ko("predict.download"), exact=True))
    saved = tmp_path / "예측.csv"
    download_info.value.save_as(saved)
    assert_no_error_box(page)

    raw = saved.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads the Korean as UTF-8
    got = pd.read_csv(saved, encoding="utf-8-sig")
    assert len(got) == len(new_rows)
    assert list(got.columns[: len(new_rows.columns)]) == list(new_rows.columns)  # Korean headers kept
    print(f"\nfirst-time journey: {act.count} clicks, selections and uploads; result: {sentence}")
    assert act.count <= MAX_ACTIONS, f"{act.count} clicks and selections"
    named = [c for c in got.columns if TARGET in c and "예측" in c]
    assert named, f"no prediction column named after {TARGET}: {list(got.columns)}"
