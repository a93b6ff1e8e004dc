"""The rows of a prediction request: a JSON ``records`` list or a CSV body (UTF-8 or CP949), as a frame."""
from __future__ import annotations

import io
import json

import pandas as pd

from api.errors import ApiError
from storage.ingest import ReadOptions, read_frame
from storage.workspace import Workspace
from texts import text_for

#: Read as JSON; curl's ``-d`` sends its default form type when no Content-Type is given.
JSON_TYPES = {"application/json", "text/json", "application/x-www-form-urlencoded"}
CSV_TYPES = {"text/csv", "application/csv", "text/plain"}
SCALARS = (str, int, float, bool, type(None))


def media_type(content_type: str | None) -> str:
    """``json`` or ``csv`` from a Content-Type header (none at all is read as JSON); 415 for anything else."""
    kind = (content_type or "application/json").split(";")[0].strip().lower()
    if kind in JSON_TYPES or kind.endswith("+json"):
        return "json"
    if kind in CSV_TYPES:
        return "csv"
    raise ApiError(415, f"The API reads JSON (Content-Type: application/json) or CSV (Content-Type: text/csv), not "
                        f"'{kind}'. Send the rows in one of those.", key="api.error.media_type",
                   params={"media_type": kind[:100]})


def empty_body() -> ApiError:
    return ApiError(400, "The request has no rows. Send them as JSON with a 'records' list (Content-Type: "
                         "application/json) or as CSV with a header line (Content-Type: text/csv).",
                    key="api.error.empty_body")


def _kind_of(value, lang: str) -> str:
    kind = ("object" if isinstance(value, dict) else "list" if isinstance(value, list)
            else "text" if isinstance(value, str) else "number" if isinstance(value, (int, float)) else "other")
    return text_for(lang)(f"api.json.{kind}")


def json_records(body: bytes, lang: str) -> list[dict]:
    """The ``records`` of a JSON body, each an object of single values; 400/422 naming what is wrong."""
    if not body.strip():
        raise empty_body()
    try:
        data = json.loads(body)
    except json.JSONDecodeError as err:
        raise ApiError(400, f"The body is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno}). "
                            "Check the quotes and commas, or send CSV with Content-Type: text/csv.", key="api.error.bad_json",
                       params={"problem": err.msg, "line": err.lineno, "column": err.colno}) from None
    except UnicodeDecodeError:
        raise ApiError(400, "The body is not valid JSON (not UTF-8 text at line 1, column 1). Check the quotes "
                            "and commas, or send CSV with Content-Type: text/csv.", key="api.error.bad_json",
                       params={"problem": "not UTF-8 text", "line": 1, "column": 1}) from None
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, list):
        raise ApiError(422, "The JSON body must be an object with a 'records' list, one object of column names "
                            "and values per row.", key="api.error.no_records")
    for row, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            got = _kind_of(record, lang)
            raise ApiError(422, f"Record {row} is not an object of column names and values (it is "
                                f"{_kind_of(record, 'en')}). Write it as 'column': value pairs in braces.",
                           key="api.error.record_not_object", params={"row": row, "got": got})
        for column, value in record.items():
            if not isinstance(value, SCALARS):
                raise ApiError(422, f"Record {row}, column '{column}': expected one value (text, a number, "
                                    f"true/false or null), got {_kind_of(value, 'en')}.",
                               key="api.error.nested_value",
                               params={"row": row, "column": column, "got": _kind_of(value, lang)})
    return records


def json_frame(records: list[dict]) -> pd.DataFrame:
    """The records as a frame, columns in the order they first appear; a column a record lacks is missing."""
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def csv_frame(ws: Workspace, body: bytes, max_rows: int) -> pd.DataFrame:
    """A CSV body read the way the Data and Predict pages read an uploaded file (encoding, delimiter and
    header detected, numbers and dates typed), at most ``max_rows + 1`` rows so a longer one can be refused."""
    if not body.strip():
        raise empty_body()
    path = ws.stage_upload(io.BytesIO(body), "rows.csv")
    try:
        frame, _ = read_frame(path, ReadOptions(format="delimited"), name="rows.csv", scratch_dir=ws.staging_dir(),
                              limit=max_rows + 1)
    finally:
        ws.discard_staged(path)
    return frame
