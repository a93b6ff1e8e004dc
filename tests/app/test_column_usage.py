"""AppTest of the Train page's note on how the chosen columns are used: words for free text, codes for token lists."""
from __future__ import annotations

import numpy as np
import pandas as pd

from storage.workspace import Workspace
from tests.app.apptest import app, no_errors, wait_for_training


def applicants(rows: int = 120) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    titles = rng.choice(["Mr", "Mrs", "Miss"], rows)
    return pd.DataFrame({
        "지원번호": [f"A{i:05d}" for i in range(rows)],
        "이름": [f"Kim{i % 40}, {t}. {rng.choice(['Minsu', 'Jiwoo', 'Hana', 'Joon'])}" for i, t in enumerate(titles)],
        "광고목록": [" ".join(map(str, rng.integers(1000, 1200, 5))) for _ in range(rows)],
        "점수": rng.normal(70, 10, rows).round(0),
        "합격": np.where(titles == "Mr", "아니오", "예"),
    })


def open_with_target(lang: str):
    Workspace("alice").save_frame(applicants(), "지원자")
    at = app(lang=lang)
    at.switch_page("pages/train.py").run()
    at.selectbox(key="train.target").set_value("합격").run()
    no_errors(at)
    return at


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_the_train_page_says_which_column_is_read_as_words_and_which_as_codes():
    at = open_with_target("en")
    shown = captions(at)
    assert "As words (text): '이름'" in shown
    assert "As a list of codes: '광고목록'" in shown
    assert "As numbers: '점수'" in shown
    assert "Not used: '지원번호'" in shown
    assert any("How the columns will be used" in m.value for m in at.markdown)


def test_the_note_is_in_korean_and_follows_the_features_chosen():
    at = open_with_target("ko")
    assert "글(단어)로: '이름'" in captions(at)
    at.multiselect(key="train.features").set_value(["점수", "광고목록"]).run()
    no_errors(at)
    shown = captions(at)
    assert "코드 목록으로: '광고목록'" in shown and not any("글(단어)로" in c for c in shown)


def test_a_training_with_a_text_column_finishes_and_its_notes_say_how_the_text_was_used():
    at = open_with_target("en")
    at.multiselect(key="train.models").set_value(["linear"]).run()
    at.button(key="train.start").click().run()
    no_errors(at)
    wait_for_training(at)
    runs = Workspace("alice").runs()
    linear = next(r for r in runs if r.model == "linear")
    assert linear.status == "finished"
    # the notes are written in the account's language (Korean unless changed)
    assert any("'이름'은 글(단어)로 사용합니다" in n for n in linear.settings["notes"]), linear.settings["notes"]
