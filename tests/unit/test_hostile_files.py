"""Hostile files: very wide tables, repeated header names, overlong lines and Excel decompression bombs.

Each is refused with a message that says what is wrong, or read. How long they take is measured in
bench/bench_wide.py beside a plain DuckDB read of the same file, never asserted here (machines are noisy).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from core.data import datasets
from storage.errors import UserError
from storage.ingest import clean_column_names
from storage.ingest import excel as excel_reader
from storage.ingest.limits import MAX_COLUMNS


def write_wide_csv(path: Path, columns: int, rows: int = 200, header: list[str] | None = None) -> Path:
    names = header or [f"c{i}" for i in range(columns)]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(",".join(names) + "\n")
        for r in range(rows):
            fh.write(",".join(str((r * 7919 + i * 104729) % 100_000) for i in range(columns)) + "\n")
    return path


def test_a_wide_file_previews_with_unique_columns_profiled(ws, tmp_path):
    # Before batching, one profile SELECT over 600 near-unique columns took ~40 s and over 1 GB.
    path = write_wide_csv(tmp_path / "wide.csv", 600)
    seen = datasets.inspect_file(ws, path, "wide.csv")
    assert len(seen.types) == 600
    by_name = {p.name: p for p in seen.profiles}
    assert by_name["c0"].distinct == len(set(seen.preview["c0"]))
    assert by_name["c599"].present == 200


def test_a_file_past_the_column_limit_is_refused_with_the_limit_named(ws, tmp_path):
    path = tmp_path / "too_wide.csv"
    with open(path, "w") as fh:
        fh.write(",".join(f"c{i}" for i in range(MAX_COLUMNS + 1)) + "\n")
        fh.write(",".join("1" for _ in range(MAX_COLUMNS + 1)) + "\n")
    with pytest.raises(UserError) as caught:
        datasets.inspect_file(ws, path, "too_wide.csv")
    assert caught.value.key == "data.error.too_many_columns"
    assert f"{MAX_COLUMNS:,}" in str(caught.value) and f"{MAX_COLUMNS + 1:,}" in str(caught.value)


def test_repeated_header_names_are_made_unique():
    # Before: each repeat rebuilt a set of every name, so 8,000 copies took ~25 s.
    names, notes = clean_column_names(["v"] * 8_000 + ["V_2", ""])
    assert len({n.lower() for n in names}) == len(names) == 8_002
    assert names[:3] == ["v", "v_3", "v_4"]  # "v_2" is kept free for the "V_2" the file has
    assert names[-2:] == ["V_2", "column_8002"]
    assert len(notes) == 8_000


def test_a_file_of_repeated_header_names_reads_with_a_note_per_repeat(ws, tmp_path):
    path = write_wide_csv(tmp_path / "same.csv", 3_000, rows=3, header=["v"] * 3_000)
    seen = datasets.inspect_file(ws, path, "same.csv")
    assert list(seen.preview.columns[:3]) == ["v", "v_2", "v_3"]
    assert sum(n.code == "duplicate_column" for n in seen.report.notes) == 2_999


def test_one_endless_line_is_refused(ws, tmp_path):
    path = tmp_path / "one_line.csv"
    path.write_text("v," * (3 << 20))
    with pytest.raises(UserError) as caught:
        datasets.inspect_file(ws, path, "one_line.csv")
    assert caught.value.key == "data.error.line_too_long"


def _workbook(path: Path) -> Path:
    pd.DataFrame({"name": ["a", "b"], "score": [1, 2]}).to_excel(path, index=False)
    return path


def _with_huge_shared_text(source: Path, target: Path, size: int) -> Path:
    """``source`` with one shared string of ``size`` bytes: a few kilobytes compressed."""
    text = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" count="1" uniqueCount="1"><si><t>' + "a" * size + "</t></si></sst>")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item))
        dst.writestr("xl/sharedStrings.xml", text)
    return target


def test_an_excel_decompression_bomb_is_refused_before_parsing(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(excel_reader, "MAX_EXCEL_SHARED_TEXT_BYTES", 1 << 20, raising=False)
    bomb = _with_huge_shared_text(_workbook(tmp_path / "plain.xlsx"), tmp_path / "bomb.xlsx", 4 << 20)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(UserError) as caught:
        datasets.inspect_file(ws, bomb, "bomb.xlsx")
    assert caught.value.key == "data.error.excel_too_big"
    assert caught.value.params["limit_mb"] == "1"


def test_an_excel_file_unpacking_past_the_total_limit_is_refused(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(excel_reader, "MAX_EXCEL_UNPACKED_BYTES", 2_000, raising=False)
    with pytest.raises(UserError) as caught:
        datasets.inspect_file(ws, _workbook(tmp_path / "plain.xlsx"), "plain.xlsx")
    assert caught.value.key == "data.error.excel_too_big"


def test_an_ordinary_workbook_still_reads(ws, tmp_path):
    seen = datasets.inspect_file(ws, _workbook(tmp_path / "plain.xlsx"), "plain.xlsx")
    assert list(seen.preview["name"]) == ["a", "b"]


@pytest.mark.parametrize("first, second, label_first, label_second",
                         [("utf-8", "cp949", "UTF-8", "CP949 (EUC-KR)"), ("cp949", "utf-8", "CP949 (EUC-KR)", "UTF-8")])
def test_a_file_mixing_utf8_and_cp949_lines_says_which_line_and_which_encodings(ws, tmp_path, first, second,
                                                                              label_first, label_second):
    lines = (["이름,점수\n".encode(first)] + [f"김민준{i},{i}\n".encode(first) for i in range(5)]
             + [f"이서연{i},{i}\n".encode(second) for i in range(5)])
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"".join(lines))
    for attempt in (lambda: datasets.inspect_file(ws, path, "mixed.csv"),
                    lambda: datasets.ingest(ws, path, original_name="mixed.csv")):
        with pytest.raises(UserError) as caught:
            attempt()
        assert caught.value.key == "data.error.mixed_encoding"
        assert caught.value.params == {"line": 7, "first": label_first, "second": label_second}
        assert "line 7" in str(caught.value) and "UTF-8" in str(caught.value)
    assert ws.datasets() == []  # nothing half-saved
