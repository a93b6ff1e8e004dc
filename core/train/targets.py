"""Which column a user most likely wants to predict, and which columns cannot be predicted at all."""
from __future__ import annotations

import re
from collections.abc import Iterable

#: Column types (`core.data.types`) a model cannot learn to predict, and why (the catalogue's
#: ``train.target_bad.<reason>`` says it in words).
UNPREDICTABLE = {"identifier": "identifier", "constant": "constant", "text": "text", "token_list": "text"}
#: A category with more distinct values than this is an unlikely target (a city, a school name).
FEW_VALUES = 20
#: Names that say "this is the outcome" in the words of an export.
OUTCOME_NAME = re.compile(r"(target|label|result|outcome|final|pass|churn|survived|^y$|"
                          r"결과|성적|등급|합격|여부|최종|점수|이탈|목표)", re.IGNORECASE)
#: Types whose columns make natural targets: a yes/no, a category or code, a number.
TARGET_TYPES = {"yes_no", "category", "integer_code", "number"}


def target_problem(column_type: str | None) -> str | None:
    """Why a column of ``column_type`` cannot be the target ("identifier", "constant", "text"), or None."""
    return UNPREDICTABLE.get(column_type or "")


def likely_targets(profiles: Iterable, types: dict[str, str]) -> list[str]:
    """The columns in the order a target picker offers them, the likely targets first.

    The order, from first to last:

    1. columns that can be a target (not an identifier, a constant, free text or a token list) come
       before those that cannot, which are offered last only so a user sees them refused with a reason;
    2. among those, a name that says "outcome" (결과, 성적, 합격, 여부, final, label, ...) first;
    3. then a natural target type (yes/no, category, integer code, number) with few distinct values
       (at most `FEW_VALUES`) or a number, before dates and many-valued categories;
    4. then from the last column to the first, because an export usually ends with the outcome.

    Parameters
    ----------
    profiles : iterable of objects with ``name`` and ``distinct``
        One per column, in the table's order (`storage.stats.ColumnSummary`).
    types : dict
        ``{column: type}`` of the same columns (`core.data.dataset_types`).
    """
    profiles = list(profiles)

    def rank(item: tuple[int, object]) -> tuple:
        position, p = item
        kind = types.get(p.name)
        natural = kind in TARGET_TYPES and (kind == "number" or (p.distinct or 0) <= FEW_VALUES)
        return (target_problem(kind) is not None, not OUTCOME_NAME.search(str(p.name)), not natural, -position)

    return [p.name for _, p in sorted(enumerate(profiles), key=rank)]


__all__ = ["FEW_VALUES", "UNPREDICTABLE", "likely_targets", "target_problem"]
