"""Column types in the user's words, inferred in DuckDB and changed by the user; and the Korean sample."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.data import change_column_types, dataset_types, load_sample, samples, types


from storage.errors import UserError


def test_each_type_is_recognised(ws):
    n = 60
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "score": rng.normal(70, 10, n).round(1),          # a quantity
        "school_year": rng.integers(1, 4, n),             # few whole numbers: a code
        "absences": rng.integers(0, 40, n),               # many whole numbers: a count
        "club": rng.choice(["과학", "음악", "체육"], n),   # repeated words
        "passed": rng.choice(["예", "아니오"], n),          # a yes/no in Korean
        "flag": rng.choice([True, False], n),
        "exam_day": pd.date_range("2025-03-01", periods=n, freq="D"),
        "comment": [f"학생 {i}은 수업 태도가 좋고 과제를 성실히 합니다" for i in range(n)],
        "student_no": [f"S{i:04d}" for i in range(n)],      # one per row
        "row": np.arange(n),
        "school": ["한빛고"] * n,                             # the same everywhere
        "words": [" ".join(map(str, rng.integers(0, 500, 4))) for _ in range(n)],
    })
    ds = ws.save_frame(frame, "mixed")
    assert dataset_types(ws, ds.dataset_id) == {
        "score": "number", "school_year": "integer_code", "absences": "number", "club": "category",
        "passed": "yes_no", "flag": "yes_no", "exam_day": "datetime", "comment": "text",
        "student_no": "identifier", "row": "identifier", "school": "constant", "words": "token_list"}


def test_in_a_tiny_table_nothing_is_called_an_identifier(ws):
    ds = ws.save_frame(pd.DataFrame({"id": [1, 2, 3], "name": ["a", "b", "c"]}), "tiny")
    assert "identifier" not in dataset_types(ws, ds.dataset_id).values()


def test_changing_a_type_converts_the_column_as_a_new_version(ws):
    ds = ws.save_frame(pd.DataFrame({"code": [11, 26, 11, 27] * 10, "answer": ["1", "0", "1", "0"] * 10,
                                     "when": ["2025-03-01", "2025/03/02", "2025.03.03", "2025-03-04"] * 10}), "t")
    with pytest.raises(UserError, match="Nothing to change"):
        change_column_types(ws, ds.dataset_id, {"answer": "yes_no"})  # already seen as yes/no
    new = change_column_types(ws, ds.dataset_id, {"code": "category", "when": "datetime"})
    assert new.version == 2
    frame = ws.load(ds.dataset_id)
    assert frame["code"].iloc[:2].tolist() == ["11", "26"]
    assert frame["when"].dt.day.iloc[:4].tolist() == [1, 2, 3, 4]
    assert dataset_types(ws, ds.dataset_id)["code"] == "category"
    # Version 1 is untouched and keeps its own types.
    assert ws.load(ds.dataset_id, version=1)["code"].iloc[0] == 11
    assert dataset_types(ws, ds.dataset_id, 1)["code"] == "integer_code"


def test_values_that_do_not_fit_stop_the_change_unless_the_user_lets_them_go(ws):
    ds = ws.save_frame(pd.DataFrame({"score": ["90", "85", "n/a", "결석"]}), "t")
    with pytest.raises(UserError, match="2 value\\(s\\) of 'score' do not fit.*'n/a'") as caught:
        change_column_types(ws, ds.dataset_id, {"score": "number"})
    assert caught.value.key == "data.error.values_do_not_fit"
    assert ws.dataset(ds.dataset_id).version == 1
    change_column_types(ws, ds.dataset_id, {"score": "number"}, strict=False)
    assert ws.load(ds.dataset_id)["score"].tolist()[:2] == [90.0, 85.0]
    assert ws.load(ds.dataset_id)["score"].isna().sum() == 2


def test_impossible_and_unknown_types_are_refused(ws):
    ds = ws.save_frame(pd.DataFrame({"day": pd.date_range("2025-01-01", periods=3)}), "t")
    with pytest.raises(UserError, match="'day' cannot become number"):
        change_column_types(ws, ds.dataset_id, {"day": "number"})
    with pytest.raises(UserError, match="Unknown column type 'colour'"):
        types.check_type("colour")
    assert types.check_type("yes/no") == "yes_no" and types.check_type("date/time") == "datetime"


def test_the_korean_student_sample_is_seeded_and_learnable():
    first, again = samples.student_records(), samples.student_records()
    pd.testing.assert_frame_equal(first, again)
    assert len(first) == samples.STUDENT_ROWS and list(first.columns)[-1] == "최종등급"
    assert set(first["최종등급"]) == {"A", "B", "C", "D", "F"}
    assert first["주간학습시간"].isna().any()  # real records have gaps
    # More study hours go with better grades.
    order = {"F": 0, "D": 1, "C": 2, "B": 3, "A": 4}
    assert first["주간학습시간"].corr(first["최종등급"].map(order)) > 0.3


def test_the_student_sample_loads_with_sensible_types(ws):
    ds = load_sample(ws, "students")
    assert ds.rows == samples.STUDENT_ROWS and ds.source == "sample:students"
    kinds = dataset_types(ws, ds.dataset_id)
    assert kinds["학번"] == "identifier" and kinds["학년"] == "integer_code" and kinds["과제제출"] == "yes_no"
    assert kinds["국어"] == "number" and kinds["최종등급"] == "category"


def test_every_message_the_data_pages_build_from_a_code_has_korean_and_english_text():
    """Notes, types, encodings, changes and errors are looked up by code; each code needs both languages."""
    import re
    from pathlib import Path

    from storage import workspace

    from storage.ingest import ENCODINGS, Note
    from texts import STRINGS

    keys = {f"data.note.{code}" for code in Note.TEXT}
    keys |= {f"data.type.{t}" for t in types.TYPES} | {f"data.type_help.{t}" for t in types.TYPES}
    keys |= {f"data.enc.{e}" for e in ENCODINGS} | {f"data.sample.{k}" for k in samples.SAMPLES}
    keys |= {f"data.format.{f}" for f in ("delimited", "excel", "parquet", "json")}
    keys |= {f"data.progress.{w}" for w in ("read", "transcode", "done")}
    keys |= {f"edit.op.{op}" for op in workspace.FILTER_OPS} | {f"edit.part.{p}" for p in workspace.DATE_PART_SQL}
    keys |= {f"edit.kind.{k}" for k in workspace.KIND_TYPES}
    keys |= {f"data.change.{code}" for code in ("uploaded", "created", "branched", "view", "edited", "restored",
                                                "types", "add_column", "rename_column", "drop_columns",
                                                "fill_missing", "find_replace", "date_parts", "drop_duplicates")}
    keys |= {f"data.error.bad_value_{f}" for f in ("integer", "float", "boolean", "datetime", "other")}
    root = Path(__file__).resolve().parents[2]
    for source in [*root.glob("storage/**/*.py"), *root.glob("core/**/*.py")]:
        keys |= set(re.findall(r'key="(data\.error\.[a-z_]+)"', source.read_text(encoding="utf-8")))
    missing = sorted(k for k in keys if k not in STRINGS)
    assert missing == []
    assert all(STRINGS[k]["ko"] != STRINGS[k]["en"] or k.startswith(("data.enc.", "data.format.", "data.download"))
               for k in keys if k.startswith(("data.note.", "data.error.", "data.change.")))
