"""AppTest tests of the Data and Edit pages: upload (Korean CP949), the paged grid, drafts, versions."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from storage.workspace import Workspace
from tests.app.apptest import HOME, app, no_errors

DATA = Path(__file__).resolve().parents[1] / "data"


def grid(at: AppTest):
    return next(e for e in at.data_editor if e.key and e.key.startswith("edit.grid."))


def tables(at: AppTest) -> list[pd.DataFrame]:
    """The read-only tables (st.dataframe) on the page, in order."""
    return [d.value for d in at.dataframe if d.editing_mode == "read_only"]


def edit_grid(at: AppTest, edited=None, added=None, deleted=None) -> None:
    """What a user's typing in the grid sends back: the editor's edit state, then a rerun."""
    at.session_state[grid(at).key] = {"edited_rows": edited or {}, "added_rows": added or [],
                                      "deleted_rows": deleted or []}
    at.run()


def add_condition(at: AppTest, column: str, op: str, value: str | None = None) -> None:
    """The "add a condition" flow: column, condition, value, then the Add button."""
    at.selectbox(key="edit.new_filter_column").set_value(column)
    at.selectbox(key="edit.new_filter_op").set_value(op)
    if value is not None:
        at.text_input(key="edit.new_filter_value").input(value)
    at.button(key="edit.add_filter").click().run()


@pytest.fixture
def scores():
    frame = pd.DataFrame({"name": [f"학생{i:03d}" for i in range(120)], "score": [float(i) for i in range(120)]})
    return Workspace("alice").save_frame(frame, "scores")


def test_edit_a_cell_save_it_and_restore_the_earlier_version(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    no_errors(at)
    assert grid(at).value["score"].iloc[0] == 0
    edit_grid(at, edited={0: {"score": 99}})
    no_errors(at)
    assert "1 unsaved change(s): 1 cell(s) edited" in at.warning[0].value
    assert grid(at).value["score"].iloc[0] == 99
    at.button(key="edit.save_draft").click().run()
    no_errors(at)
    assert at.success[0].value == "Saved version 2 of 'scores'."
    assert Workspace("alice").load("scores")["score"].iloc[0] == 99
    history = tables(at)[0]
    assert history.iloc[0, 1] == "edited 1 cell(s), deleted 0 row(s), added 0 row(s)"

    at.selectbox(key="edit.version").set_value(1).run()
    at.button(key="edit.restore").click().run()
    no_errors(at)
    assert at.success[0].value == "Version 1 is current again (saved as version 3)."
    assert grid(at).value["score"].iloc[0] == 0
    assert Workspace("alice").load("scores")["score"].iloc[0] == 0
    assert [v.version for v in Workspace("alice").versions("scores")] == [3, 2, 1]


def test_edits_are_kept_while_paging_and_can_be_discarded(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    at.selectbox(key="edit.page_size").set_value(50).run()
    edit_grid(at, edited={0: {"name": "첫 장"}})
    at.number_input(key="edit.page").set_value(3).run()
    no_errors(at)
    assert grid(at).value["name"].iloc[0] == "학생100"
    edit_grid(at, edited={1: {"name": "셋째 장"}}, deleted=[2])
    assert "Rows 101–119 of 119" in at.caption[0].value
    at.number_input(key="edit.page").set_value(1).run()
    assert grid(at).value["name"].iloc[0] == "첫 장"
    assert "3 unsaved change(s): 2 cell(s) edited, 1 row(s) deleted" in at.warning[0].value
    # Leaving the page and coming back: the draft is stored in the workspace, not in the browser.
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/edit.py").run()
    assert "3 unsaved change(s)" in at.warning[0].value
    at.button(key="edit.discard_draft").click().run()
    no_errors(at)
    assert not at.warning and grid(at).value["name"].iloc[0] == "학생000"
    assert Workspace("alice").dataset("scores").version == 1


def test_rows_added_in_the_grid_appear_on_the_last_page(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    edit_grid(at, added=[{"name": "새 학생", "score": 77}])
    no_errors(at)
    shown = grid(at).value
    assert shown["name"].iloc[-1] == "새 학생" and shown.index[-1] == "+1"
    assert at.number_input(key="edit.page").value == 3


def test_a_value_that_does_not_fit_is_refused_and_nothing_is_kept(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    edit_grid(at, edited={0: {"score": "many"}})
    assert "'many' does not fit column 'score'" in at.error[0].value
    assert Workspace("alice").draft("scores") is None


def test_column_tools_each_save_a_version(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    at.text_input(key="edit.find").input("학생")
    at.text_input(key="edit.replace_with").input("S")
    at.button(key="FormSubmitter:edit.replace_form-Replace").click().run()
    no_errors(at)
    assert at.success[0].value == "Replaced 120 cell(s): saved version 2."
    assert grid(at).value["name"].iloc[0] == "S000"


def test_data_page_uploads_a_korean_cp949_file_and_saves_it():
    at = app()
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].upload("성적.csv", (DATA / "cp949.csv").read_bytes(), "text/csv")
    at.run()
    no_errors(at)
    assert "CP949 / EUC-KR" in at.caption[0].value and "header on line 1" in at.caption[0].value
    assert list(tables(at)[0].columns) == ["이름", "점수", "시험일", "합격"]  # the preview, before saving
    types = next(e for e in at.data_editor if e.key.startswith("data.types.")).value
    assert types.set_index(types.columns[0])[types.columns[1]].to_dict() == {"이름": "category", "점수": "number",
                                                           "시험일": "date/time", "합격": "yes/no"}
    assert any("'점수' had numbers written as text" in i.value for i in at.info)
    at.button(key="data.save").click().run()
    no_errors(at)
    assert at.success[0].value == "Saved '성적': 4 rows × 4 columns."
    assert not at.file_uploader[0].value  # a fresh uploader for the next file
    assert len(tables(at)) == 2  # the datasets list and the saved dataset's preview
    assert list(tables(at)[-1].columns) == ["이름", "점수", "시험일", "합격"]
    assert Workspace("alice").load("성적")["점수"].tolist() == [1234, 56, 7890, 12]


def test_data_page_reports_a_bad_file_and_saves_nothing():
    at = app()
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].upload("ragged.csv", (DATA / "ragged.csv").read_bytes(), "text/csv")
    at.run()
    assert not at.exception
    assert "Line 4 of the file has a different number of fields" in at.error[0].value
    assert Workspace("alice").datasets() == []


def test_data_page_reading_options_change_the_preview():
    at = app()
    at.switch_page("pages/data.py").run()
    at.file_uploader[0].upload("semicolon.csv", (DATA / "semicolon.csv").read_bytes(), "text/csv")
    at.run()
    assert tables(at)[0]["키"].tolist() == [172.5, 165.0, 180.25]
    at.selectbox(key="data.decimal").set_value(".").run()
    no_errors(at)
    assert tables(at)[0]["키"].tolist() == ["172,5", "165,0", "180,25"]


def test_blank_table_and_rename():
    at = app()
    at.switch_page("pages/data.py").run()
    at.toggle(key="data.blank").set_value(True).run()
    at.text_input(key="data.blank_columns").input("이름, 점수").run()
    at.session_state["data.blank_rows"] = {"edited_rows": {}, "deleted_rows": [],
                                           "added_rows": [{"이름": "가", "점수": "90"}, {"이름": "나", "점수": "85"}]}
    at.text_input(key="data.blank_name").input("손으로 만든 표")
    at.button(key="data.blank_save").click().run()
    no_errors(at)
    assert at.success[0].value == "Saved '손으로 만든 표': 2 rows × 2 columns."
    assert Workspace("alice").load("손으로 만든 표")["점수"].tolist() == [90, 85]
    ds = Workspace("alice").dataset("손으로 만든 표")
    at.text_input(key=f"data.rename.{ds.dataset_id}").input("hand made").run()
    at.button(key="data.rename_button").click().run()
    no_errors(at)
    assert at.success[0].value == "The dataset is now called 'hand made'."
    assert [b.label for b in at.get("download_button")] == ["CSV (opens in Excel)", "Excel (.xlsx)", "Parquet"]


@pytest.mark.parametrize("lang, title", [("ko", "편집"), ("en", "Edit")])
def test_edit_page_renders_in_both_languages(scores, lang, title):
    at = app(lang=lang)
    at.switch_page("pages/edit.py").run()
    no_errors(at)
    assert at.title[0].value == title
    assert len(grid(at).value) == 50


def test_filter_and_sort_the_grid_then_save_the_rows_as_a_view(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    add_condition(at, "score", "ge", "100")
    at.selectbox(key="edit.sort").set_value("score")
    at.toggle(key="edit.descending").set_value(True).run()
    no_errors(at)
    shown = grid(at).value
    assert shown["score"].tolist() == [float(s) for s in range(119, 99, -1)]
    assert "of 20" in at.caption[0].value
    at.multiselect(key="edit.view_columns").set_value(["name"])
    at.text_input(key="edit.view_name").input("top 20")
    at.button(key="edit.view_save").click().run()
    no_errors(at)
    assert at.success[0].value == "Saved the view 'top 20' with 20 row(s)."
    assert Workspace("alice").load("top 20")["name"].tolist()[:2] == ["학생100", "학생101"]


def _two_tabs(scores):
    """Two tabs on the Edit page of one dataset: tab A saves an edit, then tab B (still showing version 1)
    edits another cell. Returns tab B, whose page now shows the conflict."""
    tab_a = app()
    tab_b = AppTest.from_file(HOME, default_timeout=120)  # the same signed-in user, in a second tab
    for key in ("lang", "authentication_status", "username", "name"):
        tab_b.session_state[key] = tab_a.session_state[key]
    for tab in (tab_a, tab_b):
        tab.switch_page("pages/edit.py").run()
    edit_grid(tab_a, edited={0: {"score": 99}})
    tab_a.button(key="edit.save_draft").click().run()
    assert Workspace("alice").dataset("scores").version == 2
    edit_grid(tab_b, edited={1: {"score": 55}})
    assert not tab_b.exception, tab_b.exception
    return tab_b


@pytest.mark.parametrize("choice", ["over", "branch", "discard"])
def test_two_tabs_editing_one_dataset_are_asked_what_to_do(scores, choice):
    tab_b = _two_tabs(scores)
    assert ("These edits were made on version 1 of 'scores', but version 2 was saved since (in another tab or "
            "session)") in tab_b.error[0].value
    assert not [b for b in tab_b.button if b.key == "edit.save_draft"]  # no silent save over tab A's version
    ws = Workspace("alice")
    if choice == "over":
        tab_b.button(key="edit.conflict_over").click().run()
        no_errors(tab_b)
        assert tab_b.success[0].value == ("Saved version 3 of 'scores'. It replaces version 2, which stays in the "
                                          "history.")
        assert ws.load("scores")["score"].tolist()[:2] == [0, 55]
        assert tables(tab_b)[0].iloc[0, 1] == ("edited 1 cell(s), deleted 0 row(s), added 0 row(s) on version 1, "
                                               "replacing version 2")
    elif choice == "branch":
        tab_b.text_input(key="edit.conflict_name").set_value("scores from tab B")
        tab_b.button(key="edit.conflict_branch").click().run()
        no_errors(tab_b)
        assert tab_b.success[0].value == "Saved as the new dataset 'scores from tab B'."
        assert ws.load("scores from tab B")["score"].tolist()[:2] == [0, 55]
        assert ws.load("scores")["score"].tolist()[:2] == [99, 1] and ws.draft("scores") is None
    else:
        tab_b.button(key="edit.conflict_discard").click().run()
        no_errors(tab_b)
        assert ws.dataset("scores").version == 2 and ws.draft("scores") is None
        assert ws.load("scores")["score"].tolist()[:2] == [99, 1]


def test_a_condition_is_added_shown_as_a_chip_and_removed_and_the_grid_never_disappears(scores):
    at = app(lang="ko")
    at.switch_page("pages/edit.py").run()
    at.selectbox(key="edit.sort").set_value("score").run()
    # Half a condition (a column, no condition yet): nothing is filtered, the grid stays.
    at.selectbox(key="edit.new_filter_column").set_value("score").run()
    no_errors(at)
    assert len(grid(at).value) == 50
    at.button(key="edit.add_filter").click().run()  # added while incomplete: a hint, still the whole table
    assert len(grid(at).value) == 50 and any("열과 조건을 고르고" in c.value for c in at.caption)
    at.selectbox(key="edit.new_filter_op").set_value("lt")
    at.text_input(key="edit.new_filter_value").input("10")
    at.button(key="edit.add_filter").click().run()
    no_errors(at)
    assert grid(at).value["score"].tolist() == [float(i) for i in range(10)]
    chip = at.button(key="edit.remove_filter.0")
    assert chip.label == "score: 10 보다 작음"
    # The sort box kept its choice through all of it.
    assert at.selectbox(key="edit.sort").value == "score"
    assert at.selectbox(key="edit.sort").format_func(at.selectbox(key="edit.sort").value) == "score"
    chip.click().run()
    no_errors(at)
    assert len(grid(at).value) == 50 and not [b for b in at.button if b.key == "edit.remove_filter.0"]
    assert at.selectbox(key="edit.sort").value == "score"


def test_the_sort_box_never_shows_no_choice(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    sort = at.selectbox(key="edit.sort")
    assert sort.value == "" and sort.format_func(sort.value) == "(stored order)"
    add_condition(at, "score", "ge", "100")
    assert at.selectbox(key="edit.sort").value == ""


def test_the_unsaved_edits_banner_is_below_the_grid(scores):
    at = app()
    at.switch_page("pages/edit.py").run()
    edit_grid(at, edited={0: {"score": 1000.0}})
    no_errors(at)
    order = [e for e in _walk(at._tree) if type(e).__name__ == "Warning" or e is grid(at)]
    assert order[0] is grid(at) and "unsaved" in order[1].value.lower(), order


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)
