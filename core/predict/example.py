"""An example record built from a model's input contract: typical training values, for API examples."""
from __future__ import annotations

from core.predict.contract import fmt_date


def example_record(contract: dict) -> dict:
    """One record a model accepts without a warning: each column's typical training value.

    Numbers take the training median (whole numbers stay whole), dates the median date, categories
    the most common level, text columns an empty text. The values are plain JSON values.
    """
    record = {}
    for entry in contract["columns"]:
        kind = entry["kind"]
        if kind == "number":
            value = float(entry.get("median", (entry["min"] + entry["max"]) / 2))
            record[entry["name"]] = round(value) if entry.get("whole") else round(value, 6)
        elif kind == "date":
            record[entry["name"]] = fmt_date(entry.get("median", entry["min"]))
        elif kind == "category":
            levels = entry.get("levels") or []
            record[entry["name"]] = levels[0] if levels else None
        else:
            record[entry["name"]] = ""
    return record
