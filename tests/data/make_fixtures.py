"""Writes the small files in tests/data that the ingest tests read (run it again to refresh them).

``python -m tests.data.make_fixtures`` — every file is deterministic and a few hundred bytes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent

STUDENTS = [("김민준", "1,234", "2025-03-02", "예"), ("이서연", "56", "2025/3/3", "아니오"),
            ("박지호", "7,890", "2025.03.04", "예"), ("최하은", "12", "2025-03-05", "아니오")]


def text_files() -> dict[str, bytes]:
    rows = "".join(f'{n},"{s}",{d},{y}\r\n' for n, s, d, y in STUDENTS)
    korean = "이름,점수,시험일,합격\r\n" + rows
    return {
        # Korean Windows (CP949 / EUC-KR) with CRLF line ends, a quoted thousands separator and mixed date styles.
        "cp949.csv": korean.encode("cp949"),
        # UTF-8 with a byte-order mark, as Excel's "CSV UTF-8" writes it.
        "bom.csv": ("\ufeff" + korean).encode("utf-8"),
        # European style: semicolons between fields and a decimal comma.
        "semicolon.csv": "학생;키;몸무게\n가;172,5;61,2\n나;165,0;55,8\n다;180,25;72,0\n".encode("utf-8"),
        # Line 4 has one field too many.
        "ragged.csv": b"a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12,13\n",
        # A repeated name and a blank name in the header.
        "duplicate_header.csv": "이름,점수,,점수\n가,1,x,2\n나,3,y,4\n".encode("utf-8"),
        "header_only.csv": b"id,name,score\n",
        "empty.csv": b"",
        "garbage.csv": bytes(range(256)) * 2,
        # A title above the header, stray blank rows, a quoted line break and a token-list column.
        "messy.csv": ("2025학년도 1학기 성적\n\n학번,이름,메모,단어\n"
                      '1,가,"첫 줄\n둘째 줄",12 7 300\n,,,\n2,나,보통,5 5\n\n3,다,,1 2 3 4\n').encode("utf-8"),
        "latin1.csv": "name,city\nJosé,Málaga\nRené,Zürich\n".encode("latin-1"),
        "utf16.tsv": "이름\t점수\n가\t1\n나\t2\n".encode("utf-16"),
        "records.jsonl": ('{"학번": 1, "과목": "수학", "점수": 90, "세부": {"중간": 45}}\n'
                          '{"학번": 2, "과목": "영어", "점수": 85, "세부": null}\n').encode("utf-8"),
        "records.json": '[{"id": 1, "when": "2025-03-02"}, {"id": 2, "when": "2025-03-09"}]'.encode("utf-8"),
        "broken.json": b'[{"id": 1,, }]',
        # The OLE2 signature of an Excel 97-2003 workbook with nothing behind it: a damaged .xls.
        # (students.xls, a real one, was written once with xlwt, which is not a dependency.)
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    }


def write_excel(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "성적"
    sheet.append(["2025 성적표"])
    sheet.append([])
    sheet.append(["이름", "점수", "시험일", "합격"])
    sheet.append(["가", 90, dt.datetime(2025, 3, 2), True])
    sheet.append([None, None, None, None])
    sheet.append(["나", 85.5, dt.datetime(2025, 3, 3), False])
    sheet.append(["다", 77, dt.datetime(2025, 3, 4), True])
    other = book.create_sheet("출석")
    other.append(["학번", "출석일수"])
    other.append([1, 180])
    other.append([2, 175])
    book.save(path)


def write_parquet(path: Path) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("COPY (SELECT * FROM (VALUES (1, '가', 3.5), (2, '나', 4.0)) t(id, 이름, 점수)) TO ? "
                "(FORMAT parquet)", [str(path)])
    con.close()


def main() -> None:
    for name, data in text_files().items():
        (HERE / name).write_bytes(data)
    write_excel(HERE / "grades.xlsx")
    write_parquet(HERE / "scores.parquet")


if __name__ == "__main__":
    main()
