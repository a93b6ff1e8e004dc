"""The input contract of a model bundle, and the check of new rows against it before predicting."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import ColumnError
from core.preprocessing import ColumnRoles

MAX_LEVELS_KEPT = 1000


def build_contract(frame: pd.DataFrame, roles: ColumnRoles) -> dict:
    """Describe the training columns: kind, category levels, numeric ranges and whether values were missing.

    Parameters
    ----------
    frame : DataFrame of shape (n_rows, n_features)
        The training features, as given to the pipeline.
    roles : ColumnRoles
        How each column is used.
    """
    columns = []
    for col in roles.used:
        s = frame[col]
        entry = {"name": col, "dtype": str(s.dtype), "had_missing": bool(s.isna().any())}
        if col in roles.numeric:
            values = pd.to_numeric(s, errors="coerce").dropna().astype("float64")
            entry.update(kind="number", min=float(values.min()), max=float(values.max()),
                         p01=float(values.quantile(0.01)), p99=float(values.quantile(0.99)))
        elif col in roles.dates:
            values = pd.to_datetime(s, errors="coerce").dropna()
            entry.update(kind="date", min=str(values.min()), max=str(values.max()))
        else:
            counts = s.dropna().astype(str).value_counts()
            entry.update(kind="category", levels=counts.index[:MAX_LEVELS_KEPT].tolist(),
                         n_levels=int(len(counts)))
        columns.append(entry)
    return {"columns": columns, "dropped": roles.dropped}


@dataclass
class InputCheck:
    """New rows made ready for the pipeline, with everything that was wrong with them."""

    frame: pd.DataFrame
    row_warnings: pd.Series
    report: dict[str, dict[str, int]] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """One plain sentence per problem found, for the app and the CLI's ``warnings``."""
        out = []
        if self.extra_columns:
            out.append(f"Ignored columns the model does not use: {', '.join(self.extra_columns)}.")
        texts = {
            "unreadable": "{n} value(s) in '{col}' could not be read as numbers/dates and were treated as missing.",
            "unseen": "{n} value(s) in '{col}' are categories the model never saw; they are treated as rare.",
            "out_of_range": "{n} value(s) in '{col}' are outside the training range; those rows are flagged.",
            "missing": "{n} value(s) in '{col}' are missing where training had none; they were filled in.",
        }
        for col, kinds in self.report.items():
            for kind, n in kinds.items():
                if n:
                    out.append(texts[kind].format(n=n, col=col))
        return out


def check_input(frame: pd.DataFrame, contract: dict) -> InputCheck:
    """Check ``frame`` against ``contract`` and return the rows the pipeline should see.

    Raises `ColumnError` naming every required column that is missing; nothing is predicted then.
    Everything else is predicted and reported: unreadable cells become missing, unseen levels are
    counted, numbers outside the training range are flagged per row.
    """
    required = [c["name"] for c in contract["columns"]]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ColumnError(f"The file lacks column(s) the model needs: {', '.join(missing)}. "
                          "Add them (same names as in training) and try again.")
    extra = [c for c in frame.columns if c not in required]
    out = pd.DataFrame(index=frame.index)
    report: dict[str, dict[str, int]] = {}
    flags = [[] for _ in range(len(frame))]
    for entry in contract["columns"]:
        col, s = entry["name"], frame[entry["name"]]
        counts = {}
        if entry["kind"] == "number":
            values = pd.to_numeric(s, errors="coerce")
            counts["unreadable"] = int((values.isna() & s.notna()).sum())
            outside = (values < entry["min"]) | (values > entry["max"])
            counts["out_of_range"] = int(outside.sum())
            for i in np.flatnonzero(outside.to_numpy()):
                flags[i].append(f"{col} outside training range [{entry['min']:g}, {entry['max']:g}]")
        elif entry["kind"] == "date":
            values = pd.to_datetime(s, errors="coerce")
            counts["unreadable"] = int((values.isna() & s.notna()).sum())
        else:
            values = s.astype(object).where(s.notna(), None)
            values = values.map(lambda v: v if v is None else str(v))
            if len(entry["levels"]) < entry["n_levels"]:
                counts["unseen"] = 0  # too many levels to list: the encoder's rare bucket handles them
            else:
                known = set(entry["levels"])
                unseen = values.notna() & ~values.isin(known)
                counts["unseen"] = int(unseen.sum())
                for i in np.flatnonzero(unseen.to_numpy()):
                    flags[i].append(f"{col} has unseen category '{values.iloc[i]}'")
        if not entry["had_missing"]:
            counts["missing"] = int(pd.isna(values).sum())
        out[col] = values
        report[col] = {k: v for k, v in counts.items() if v}
    report = {k: v for k, v in report.items() if v}
    row_warnings = pd.Series(["; ".join(f) for f in flags], index=frame.index, dtype=object)
    return InputCheck(out, row_warnings, report, extra)
