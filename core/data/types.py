"""Column types in the user's words, inferred from a column's profile, and what changing a type converts.

The nine types are what a user would call a column, not how it is stored: a column of integers may
be a *number* (a count, a score) or an *integer code* (a school year, a region code), and a column of
text may be a *category*, free *text*, an *identifier* or a *token list*. Inference reads a
`storage.stats.ColumnSummary` (facts computed in DuckDB), so it costs the same for any table size.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from core.errors import UserError

#: Every type, in the order a picker shows them.
TYPES = ("number", "integer_code", "category", "yes_no", "datetime", "text", "identifier", "constant",
         "token_list")
#: English names, for the CLI and messages (pages use the string catalogue).
TYPE_NAMES = {"number": "number", "integer_code": "integer code", "category": "category", "yes_no": "yes/no",
              "datetime": "date/time", "text": "text", "identifier": "identifier", "constant": "constant",
              "token_list": "token list"}
#: An identifier needs at least this many rows: in a tiny table every column is unique.
MIN_ROWS_FOR_IDENTIFIER = 20
#: An integer column with at most this many values is a code (school year, class, region).
CODE_MAX_DISTINCT = 10
#: ...or up to this many when its name says it is a code.
NAMED_CODE_MAX_DISTINCT = 100
CODE_NAME = re.compile(r"(code|코드|번호|구분|type|class|반|학년|grade|level|group|category|region|지역|_id$|^id_)",
                       re.IGNORECASE)
#: A text column with at most this many values (or values repeated this often) is a category.
CATEGORY_MAX_DISTINCT = 50
CATEGORY_MAX_SHARE = 0.5
#: Text this long (characters) or with this many words on average is free text.
TEXT_MIN_LENGTH = 30
TEXT_MIN_WORDS = 4
#: How each type is stored: the conversion `storage.workspace.convert_expression` applies, by the
#: column's current storage family (None: keep the column as it is).
_CONVERSIONS = {
    "number": {"integer": None, "float": None, "boolean": "float", "text": "float"},
    "integer_code": {"integer": None, "float": "integer", "boolean": "integer", "text": "integer"},
    "category": {"text": None, "integer": "text", "float": "text", "boolean": "text", "datetime": "text"},
    "yes_no": {"boolean": None, "integer": "boolean", "float": "boolean", "text": "boolean"},
    "datetime": {"datetime": None, "text": "datetime"},
    "text": {"text": None, "integer": "text", "float": "text", "boolean": "text", "datetime": "text",
             "other": "text"},
    "identifier": {"text": None, "integer": None, "float": "text", "boolean": "text", "datetime": "text"},
    "constant": {f: None for f in ("text", "integer", "float", "boolean", "datetime", "other")},
    "token_list": {"text": None, "integer": "text", "float": "text"},
}


def check_type(name: str) -> str:
    """``name`` if it is one of `TYPES` (English names like "yes/no" are accepted too), else a `UserError`."""
    key = str(name).strip().lower().replace(" ", "_").replace("/", "_")
    key = {"date_time": "datetime", "date": "datetime", "boolean": "yes_no", "integer": "integer_code",
           "code": "integer_code", "id": "identifier", "tokens": "token_list"}.get(key, key)
    if key not in TYPES:
        raise UserError(f"Unknown column type '{name}'. Choose one of: {', '.join(TYPE_NAMES.values())}.",
                        key="data.error.bad_type", params={"type": str(name)})
    return key


def infer_type(profile) -> str:
    """The type a user would call the profiled column (see the module docstring)."""
    p = profile
    if p.present == 0 or p.distinct <= 1:
        return "constant"
    if p.family == "boolean":
        return "yes_no"
    if p.distinct == 2 and p.yes_no_share == 1.0:
        return "yes_no"
    if p.family == "datetime":
        return "datetime"
    unique = p.present == p.rows and p.distinct == p.rows and p.rows >= MIN_ROWS_FOR_IDENTIFIER
    if p.family == "integer":
        if unique:
            return "identifier"
        limit = NAMED_CODE_MAX_DISTINCT if CODE_NAME.search(p.name) else CODE_MAX_DISTINCT
        return "integer_code" if p.distinct <= limit and p.distinct < p.present else "number"
    if p.family == "float":
        return "number"
    if p.family == "text":
        if p.token_share == 1.0 and p.multi_token_share > 0:
            return "token_list"
        long_text = (p.mean_length or 0) >= TEXT_MIN_LENGTH or (p.mean_words or 0) >= TEXT_MIN_WORDS
        if unique and not long_text:
            return "identifier"
        if p.distinct <= CATEGORY_MAX_DISTINCT:
            return "category"
        if p.distinct <= CATEGORY_MAX_SHARE * p.present and not long_text:
            return "category"
    return "text"


def infer_types(profiles: Iterable, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """``{column: type}`` for every profiled column, the user's own choices (``overrides``) first."""
    overrides = overrides or {}
    return {p.name: overrides.get(p.name) or infer_type(p) for p in profiles}


def conversion_for(new_type: str, family: str) -> str | None:
    """The storage conversion (a kind such as "float") that giving a column ``new_type`` needs, or None.

    Raises `UserError` when a column of that storage family cannot become ``new_type`` (a date cannot
    become a number).
    """
    new_type = check_type(new_type)
    options = _CONVERSIONS[new_type]
    if family not in options:
        raise UserError(f"A column of {family} values cannot become {TYPE_NAMES[new_type]}.",
                        key="data.error.type_impossible", params={"type": TYPE_NAMES[new_type], "family": family})
    return options[family]


def plan_type_changes(profiles: Iterable, changes: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """For ``changes`` ({column: new type}): the types to record, and the conversions ({column: kind}) to run."""
    by_name = {p.name: p for p in profiles}
    types, casts = {}, {}
    for column, new_type in changes.items():
        if column not in by_name:
            raise UserError(f"There is no column '{column}'.", key="data.error.no_column",
                            params={"name": "", "columns": column})
        new_type = check_type(new_type)
        types[column] = new_type
        try:
            kind = conversion_for(new_type, by_name[column].family)
        except UserError:
            raise UserError(f"Column '{column}' cannot become {TYPE_NAMES[new_type]}.",
                            key="data.error.type_impossible", params={"column": column}) from None
        if kind is not None:
            casts[column] = kind
    return types, casts
