"""AppTest tests of the Data page's guided steps: blank missing values, the size before saving, the next step,
the saved dataset current on every page, dataset sources in words."""
from __future__ import annotations

import pandas as pd

from storage.workspace import Workspace
from tests.app.apptest import app, no_errors

CSV = "이름,점수,반\n가,90,A\n나,,B\n다,75,\n라,60,A\n".encode("utf-8")


def shown_cells(table) -> pd.DataFrame:
    """The cells of an st.dataframe as the browser shows them: a missing cell shows the table's placeholder
    (Streamlit draws "None" when it has none)."""
    frame, placeholder = table.value, table.proto.placeholder
    shown = frame.astype(object).where(frame.notna(), placeholder if table.proto.HasField("placeholder") else "None")
    return shown.map(lambda v: v if isinstance(v, str) else f"{v:g}" if isinstance(v, float) else str(v))


def test_missing_values_show_blank_and_the_size_is_told_before_saving():
    at = app(lang="ko")
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].upload("성적.csv", CSV, "text/csv")
    at.run()
    no_errors(at)
    preview = shown_cells(at.dataframe[0])
    assert "None" not in preview.to_string() and "nan" not in preview.to_string().lower()
    assert preview.iloc[1, 1] == "" and preview.iloc[2, 2] == "" and preview.iloc[0, 1] == "90"
    assert any(c.value == "저장할 표: 4행 × 3열" for c in at.caption)
    at.button(key="data.save").click().run()
    no_errors(at)
    saved = shown_cells(at.dataframe[-1])
    assert "None" not in saved.to_string() and saved.iloc[1, 1] == ""


def test_after_saving_the_next_step_is_training_and_the_new_dataset_is_current_everywhere():
    ws = Workspace("alice")
    ws.save_frame(pd.DataFrame({"x": [1, 2, 3]}), "older")
    at = app(lang="ko")
    at.switch_page("pages/edit.py").run()
    assert at.selectbox(key="edit.dataset").value == ws.dataset("older").dataset_id
    at.switch_page("pages/data.py").run()
    assert not [b for b in at.button if b.key == "data.next_train"]
    at.file_uploader[0].upload("성적.csv", CSV, "text/csv")
    at.run()
    at.button(key="data.save").click().run()
    no_errors(at)
    new = ws.dataset("성적").dataset_id
    assert at.button(key="data.next_train").label == "다음: 모델 학습하기"
    assert at.selectbox(key="data.pick").value == new
    at.button(key="data.next_train").click().run()  # to the Train page, with the new dataset current
    assert at.session_state["current_dataset"] == new
    at.switch_page("pages/edit.py").run()  # the Edit page remembered "older": now it shows the new one
    no_errors(at)
    assert at.selectbox(key="edit.dataset").value == new
    # Picking another dataset by hand holds, and becomes the current one for the other pages.
    older = ws.dataset("older").dataset_id
    at.selectbox(key="edit.dataset").set_value(older).run()
    assert at.selectbox(key="edit.dataset").value == older and at.session_state["current_dataset"] == older
    at.run()
    assert at.selectbox(key="edit.dataset").value == older
    at.switch_page("pages/data.py").run()
    assert at.selectbox(key="data.pick").value == older
    at.selectbox(key="data.pick").set_value(new).run()
    assert at.session_state["current_dataset"] == new


def test_dataset_sources_are_said_in_words():
    ws = Workspace("alice")
    base = ws.save_frame(pd.DataFrame({"x": [1, 2, 3]}), "base", source="blank")
    ws.save_view(base.dataset_id, "some", columns=["x"], filters=[])
    at = app(lang="ko")
    at.switch_page("pages/data.py").run()
    no_errors(at)
    sources = at.dataframe[0].value["출처"].tolist()
    assert "직접 입력" in sources and "'base'의 일부" in sources and not [s for s in sources if "(view)" in s]
