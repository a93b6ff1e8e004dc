"""Data in: every format, encoding and messy-file case a user brings, from the small files in tests/data."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from core.data import datasets
from storage.errors import UserError
from storage.ingest import SNIFF_BYTES, ReadOptions

DATA = Path(__file__).resolve().parents[1] / "data"
KOREAN_ROWS = [("김민준", 1234), ("이서연", 56), ("박지호", 7890), ("최하은", 12)]


def ingest(ws, name: str, **options):
    return datasets.ingest(ws, DATA / name, original_name=name, options=ReadOptions(**options) if options else None)


def stored_tables(ws) -> list[str]:
    with ws.connect() as con:
        return [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
                if t.startswith("ds_")]


@pytest.mark.parametrize("name, encoding", [("cp949.csv", "cp949"), ("bom.csv", "utf-8-sig")])
def test_korean_text_in_cp949_or_utf8_with_bom_reads_the_same(ws, name, encoding):
    saved = ingest(ws, name)
    assert saved.report.encoding == encoding
    frame = ws.load(saved.dataset.dataset_id)
    assert list(frame.columns) == ["이름", "점수", "시험일", "합격"]
    # "1,234" (quoted, with a thousands separator) is a number; dates in three styles are dates.
    assert list(zip(frame["이름"], frame["점수"])) == KOREAN_ROWS
    assert frame["시험일"].dt.strftime("%Y-%m-%d").tolist() == ["2025-03-02", "2025-03-03", "2025-03-04",
                                                                "2025-03-05"]
    assert saved.types == {"이름": "category", "점수": "number", "시험일": "datetime", "합격": "yes_no"}
    assert {n.code for n in saved.report.notes} == {"numbers_converted", "dates_converted"}


def test_cp949_is_transcoded_in_the_users_staging_dir_and_the_copy_removed(ws):
    ingest(ws, "cp949.csv")
    staging = ws.staging_dir()
    assert staging.is_relative_to(ws.path.parent)
    assert list(staging.iterdir()) == []


def test_a_file_that_looks_utf8_at_first_but_is_cp949_later_is_read_as_cp949(ws, tmp_path):
    path = tmp_path / "late.csv"
    ascii_part = "".join(f"{i},{i}\n" for i in range(SNIFF_BYTES // 8))
    path.write_bytes(("id,name\n" + ascii_part + "99,한글\n").encode("cp949"))
    saved = datasets.ingest(ws, path)
    assert saved.report.encoding == "cp949"
    assert ws.load(saved.dataset.dataset_id)["name"].iloc[-1] == "한글"


def test_semicolons_and_decimal_commas_are_detected(ws):
    saved = ingest(ws, "semicolon.csv")
    assert (saved.report.delimiter, saved.report.decimal) == (";", ",")
    frame = ws.load(saved.dataset.dataset_id)
    assert frame["키"].tolist() == [172.5, 165.0, 180.25]


def test_title_lines_blank_rows_and_quoted_newlines(ws):
    saved = ingest(ws, "messy.csv")
    frame = ws.load(saved.dataset.dataset_id)
    assert saved.report.header_row == 3
    assert list(frame.columns) == ["학번", "이름", "메모", "단어"]
    assert frame["학번"].tolist() == [1, 2, 3]  # the ",,," row is gone
    assert frame["메모"].iloc[0] == "첫 줄\n둘째 줄"
    assert {n.code: n.params for n in saved.report.notes}["blank_rows"] == {"count": 1}
    assert saved.types["단어"] == "token_list"


def test_tsv_latin1_and_utf16(ws):
    latin = ingest(ws, "latin1.csv")
    assert latin.report.encoding == "latin-1"
    assert ws.load(latin.dataset.dataset_id)["city"].tolist() == ["Málaga", "Zürich"]
    utf16 = ingest(ws, "utf16.tsv")
    assert (utf16.report.encoding, utf16.report.delimiter) == ("utf-16", "\t")
    assert ws.load(utf16.dataset.dataset_id).to_dict("list") == {"이름": ["가", "나"], "점수": [1, 2]}


def test_duplicate_and_blank_header_names_are_renamed_and_reported(ws):
    saved = ingest(ws, "duplicate_header.csv")
    assert ws.column_names(saved.dataset.dataset_id) == ["이름", "점수", "column_3", "점수_2"]
    notes = [str(n) for n in saved.report.notes]
    assert "Column 3 had no name: it is named 'column_3'." in notes
    assert "Column '점수' appears more than once: the repeat is named '점수_2'." in notes


def test_excel_every_sheet_is_selectable(ws):
    first = ingest(ws, "grades.xlsx")
    assert (first.report.format, first.report.sheets, first.report.sheet) == ("excel", ("성적", "출석"), "성적")
    frame = ws.load(first.dataset.dataset_id)
    assert list(frame.columns) == ["이름", "점수", "시험일", "합격"]
    assert frame["점수"].tolist() == [90, 85.5, 77]  # the title row and the empty row are skipped
    assert first.types["합격"] == "yes_no" and first.types["시험일"] == "datetime"
    second = ingest(ws, "grades.xlsx", sheet="출석")
    assert ws.load(second.dataset.dataset_id).to_dict("list") == {"학번": [1, 2], "출석일수": [180, 175]}
    with pytest.raises(UserError, match="no sheet 'nope'.*성적, 출석"):
        ingest(ws, "grades.xlsx", sheet="nope")


def test_parquet_json_and_json_lines(ws):
    parquet = ws.load(ingest(ws, "scores.parquet").dataset.dataset_id)
    assert parquet.to_dict("list") == {"id": [1, 2], "이름": ["가", "나"], "점수": [3.5, 4.0]}
    saved = ingest(ws, "records.jsonl")
    lines = ws.load(saved.dataset.dataset_id)
    assert list(lines.columns) == ["학번", "과목", "점수", "세부"]
    assert json.loads(lines["세부"].iloc[0]) == {"중간": 45}  # nested values become JSON text
    array = ws.load(ingest(ws, "records.json").dataset.dataset_id)
    assert array["when"].dt.day.tolist() == [2, 9]


def test_the_user_can_override_what_was_detected(ws):
    as_text = ingest(ws, "semicolon.csv", delimiter=";", decimal=".")
    assert ws.load(as_text.dataset.dataset_id)["키"].tolist() == ["172,5", "165,0", "180,25"]
    no_header = ingest(ws, "bom.csv", header_row=0)
    frame = ws.load(no_header.dataset.dataset_id)
    assert list(frame.columns) == ["column_1", "column_2", "column_3", "column_4"]
    assert frame["column_1"].iloc[0] == "이름" and len(frame) == 5
    wrong = ingest(ws, "cp949.csv", encoding="latin-1")
    assert "김민준" not in ws.load(wrong.dataset.dataset_id).iloc[:, 0].tolist()


@pytest.mark.parametrize("name, message, key", [
    ("empty.csv", "is empty", "data.error.empty_file"),
    ("garbage.csv", "not a text table", "data.error.binary"),
    ("ragged.csv", "Line 4 of the file has a different number of fields", "data.error.ragged"),
    ("header_only.csv", "has a header but no rows", "data.error.header_only"),
    ("broken.json", "not valid JSON", "data.error.invalid_format"),
    ("old.xls", "damaged or protected by a password", "data.error.damaged_excel"),
])
def test_bad_files_save_nothing_and_say_what_to_do(ws, name, message, key):
    with pytest.raises(UserError, match=message) as caught:
        ingest(ws, name)
    assert caught.value.key == key
    assert ws.datasets() == [] and stored_tables(ws) == []


def test_an_excel_97_2003_workbook_is_read_with_its_sheets_dates_and_korean_text(ws):
    report = ingest(ws, "students.xls")
    assert report.report.sheets == ("성적", "memo")
    frame = ws.load(report.dataset.dataset_id)
    assert list(frame.columns) == ["이름", "학년", "공부시간", "시험일", "합격"]
    assert len(frame) == 12 and frame["이름"].iloc[0] == "학생0"
    assert frame["학년"].tolist()[:3] == [1, 2, 3]
    assert str(frame["시험일"].iloc[1])[:10] == "2025-03-02"
    memo = ingest(ws, "students.xls", sheet="memo")
    assert ws.load(memo.dataset.dataset_id)["note"].tolist() == ["hello"]


def test_a_bad_row_far_into_a_big_file_is_found_and_nothing_is_kept(ws, tmp_path):
    path = tmp_path / "late_ragged.csv"
    path.write_text("Scores 2025\na,b\n" + "".join(f"{i},{i}\n" for i in range(30_000)) + "1,2,3\n")
    with pytest.raises(UserError, match="Line 30003 "):
        datasets.ingest(ws, path)
    assert ws.datasets() == [] and stored_tables(ws) == []


def test_a_late_value_that_breaks_the_guessed_type_keeps_the_column_as_text(ws, tmp_path):
    path = tmp_path / "late_text.csv"
    path.write_text("code,score\n" + "".join(f"{i},{i}\n" for i in range(30_000)) + "A7,2.5\n")
    frame = ws.load(datasets.ingest(ws, path).dataset.dataset_id)
    assert frame["code"].iloc[-1] == "A7" and frame["score"].iloc[-1] == 2.5


def test_unsupported_file_types_are_refused_by_name(ws, tmp_path):
    path = tmp_path / "slides.pptx"
    path.write_bytes(b"not a table")
    with pytest.raises(UserError, match="cannot read 'slides.pptx'"):
        datasets.ingest(ws, path)


def test_preview_reads_the_first_rows_without_saving(ws):
    seen = datasets.inspect_file(ws, DATA / "cp949.csv", "cp949.csv")
    assert seen.report.encoding == "cp949" and list(seen.preview.columns)[0] == "이름"
    assert seen.types["점수"] == "number"
    assert ws.datasets() == []


def test_chosen_types_convert_columns_at_save_and_are_kept(ws):
    saved = datasets.ingest(ws, DATA / "bom.csv", original_name="bom.csv", column_types={"점수": "category"})
    assert saved.types["점수"] == "category"
    assert ws.load(saved.dataset.dataset_id)["점수"].tolist() == ["1234", "56", "7890", "12"]


def test_uploads_stream_to_staging_and_are_discarded(ws):
    with open(DATA / "cp949.csv", "rb") as fh:
        staged = ws.stage_upload(fh, "../../etc/passwd.csv")
    assert staged.parent == ws.staging_dir() and staged.suffix == ".csv" and "passwd" not in staged.name
    assert staged.read_bytes() == (DATA / "cp949.csv").read_bytes()
    ws.discard_staged(staged)
    assert not staged.exists()


def test_progress_is_reported_for_a_long_read(ws, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("a,b,c\n" + "".join(f"{i},{i * 2},x{i % 7}\n" for i in range(200_000)))
    seen = []
    datasets.ingest(ws, path, progress=lambda fraction, what: seen.append((fraction, what)))
    assert seen[0] == (0.0, "read") and seen[-1] == (1.0, "done")
    assert all(0 <= f <= 1 for f, _ in seen) and [f for f, _ in seen] == sorted(f for f, _ in seen)


def cli(capsys, data_dir, *args) -> tuple[int, dict | None, str]:
    """Run the command line in this process (as `python -m core --json ...` would) and parse its output."""
    from core.cli import main

    code = main(["--data-dir", str(data_dir), "--json", *map(str, args)])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_cli_ingest_options_versions_and_export(capsys, data_dir, tmp_path):
    code, out, err = cli(capsys, data_dir, "ingest", DATA / "cp949.csv", "--encoding", "euc-kr", "--delimiter", ",",
                         "--name", "성적")
    assert code == 0, err
    assert (out["dataset"], out["rows"], out["encoding"], out["delimiter"]) == ("성적", 4, "cp949", ",")
    assert out["types"] == {"이름": "category", "점수": "number", "시험일": "datetime", "합격": "yes_no"}
    versions = cli(capsys, data_dir, "versions", "성적")[1]["versions"]
    assert [(v["version"], v["current"], v["change"]) for v in versions] == [(1, True, "uploaded cp949.csv")]
    target = tmp_path / "out" / "성적.csv"
    assert cli(capsys, data_dir, "export", "성적", "--out", target)[0] == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf\xec\x9d\xb4\xeb\xa6\x84")  # BOM, then "이름"
    assert pd.read_csv(target, encoding="utf-8-sig")["점수"].tolist() == [1234, 56, 7890, 12]
    code, out, err = cli(capsys, data_dir, "ingest", DATA / "grades.xlsx", "--sheet", "없는시트")
    assert code == 2 and out is None and err.startswith("error: The workbook has no sheet")
