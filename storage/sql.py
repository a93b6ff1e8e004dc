"""The SQL vocabulary of storage: identifiers, generated table names, type names, date parts, transactions."""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from storage.errors import UserError

#: DuckDB type names by family (as DESCRIBE spells them, plus their aliases).
INTEGER_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                           "UINTEGER", "UBIGINT", "UHUGEINT"})
FLOAT_TYPES = frozenset({"FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8"})
DATE_TYPES = frozenset({"DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS",
                        "TIMESTAMP_NS", "DATETIME"})
TIME_TYPE = "TIME"
TEXT_TYPES = frozenset({"VARCHAR"})
#: The families `column_family` names; a column's family says which operations and conversions apply.
FAMILIES = ("integer", "float", "boolean", "datetime", "text", "list", "other")
#: The storage type of each kind of conversion (see `storage.workspace.convert_expression`).
KIND_TYPES = {"text": "VARCHAR", "float": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN",
              "datetime": "TIMESTAMP"}
#: Parts of a date, as DuckDB expressions over a quoted column ``{c}`` (weekday: Monday = 1).
DATE_PART_SQL = {"year": "year({c})", "month": "month({c})", "day": "day({c})", "weekday": "isodow({c})",
                 "hour": "hour(CAST({c} AS TIMESTAMP))"}
#: Words read as yes / no (lower case), in English and Korean, including the O/X of Korean forms.
TRUE_WORDS = ("yes", "y", "true", "t", "1", "예", "네", "o", "ㅇ")
FALSE_WORDS = ("no", "n", "false", "f", "0", "아니오", "아니요", "x")
#: A type name that may be placed in SQL (``CAST(? AS <type>)``).
SAFE_TYPE = re.compile(r"^[A-Z][A-Z0-9_ ]*(\(\d+(, ?\d+)?\))?$")


def quote_identifier(name: str) -> str:
    """Quote a column name (that the caller checked exists, or that we generated) for use in SQL."""
    return '"' + str(name).replace('"', '""') + '"'


def new_id() -> str:
    """A fresh id for a dataset, prediction or file: 12 hex digits."""
    return uuid.uuid4().hex[:12]


def table_name(dataset_id: str, version: int) -> str:
    """The table of one version of a dataset, ``ds_<id>_v<n>``."""
    # Generated from our own hex ids, never from user text, so it is safe to place in SQL.
    assert dataset_id.isalnum()
    return f"ds_{dataset_id}_v{int(version)}"


def split_table_name(table: str) -> tuple[str, int]:
    """The (dataset id, version) of a table named by `table_name`."""
    _, dataset_id, version = table.split("_")
    return dataset_id, int(version[1:])


def describe_table(con, table: str) -> list[tuple[str, str]]:
    """The (column name, DuckDB type name) of each column of ``table`` (a generated name), in order."""
    return [(c, t) for c, t, *_ in con.execute(f"DESCRIBE {table}").fetchall()]


def column_family(sql_type: str) -> str:
    """integer, float, boolean, datetime, text, list or other (see `FAMILIES`), for a DuckDB type name."""
    t = sql_type.upper()
    if t.endswith("]"):
        return "list"
    if t in INTEGER_TYPES:
        return "integer"
    if t in FLOAT_TYPES or t.startswith("DECIMAL") or t.startswith("NUMERIC"):
        return "float"
    if t == "BOOLEAN":
        return "boolean"
    if t in DATE_TYPES or t.startswith("TIMESTAMP") or t == TIME_TYPE:
        return "datetime"
    if t in TEXT_TYPES:
        return "text"
    return "other"


def safe_type(sql_type: str) -> str:
    """``sql_type`` upper-cased, once it is known to be a plain type name that can be placed in SQL."""
    # Type names come from DuckDB's DESCRIBE of our own tables; this keeps anything else out of the SQL.
    if not SAFE_TYPE.fullmatch(sql_type.upper()):
        raise UserError(f"Columns of type {sql_type} cannot be edited here.", key="data.error.type_not_editable",
                        params={"type": sql_type})
    return sql_type.upper()


@contextmanager
def transaction(con) -> Iterator:
    """Run the block in one transaction on ``con``: committed at the end, rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
