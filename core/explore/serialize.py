"""The profile and the target analysis as plain JSON values, for ``python -m core profile``."""
from __future__ import annotations

import math
from dataclasses import asdict

from core.explore.profile import Profile
from core.explore.target import TargetAnalysis


def to_json(profile: Profile, analysis: TargetAnalysis | None = None) -> dict:
    """The profile (and the target analysis) as plain JSON values, for ``python -m core profile``."""
    columns = []
    for c in profile.columns:
        entry = {"name": c.name, "type": c.kind, "sql_type": c.sql_type, "count": c.count, "missing": c.missing,
                 "unique": c.unique, "unique_exact": c.unique_exact, "warnings": c.flags}
        if c.number:
            entry.update({k: v for k, v in asdict(c.number).items() if k != "count"})
        if c.top is not None:
            entry["top"] = [{"value": v, "count": n} for v, n in c.top]
            entry["other"] = c.other_count
        if c.first is not None:
            entry.update(first=c.first, last=c.last,
                         parts={p: {str(v): n for v, n in counts} for p, counts in (c.date_parts or {}).items()})
        if c.lengths:
            entry["lengths"] = {m: asdict(s) for m, s in c.lengths.items()}
        columns.append(entry)
    out = {"dataset": profile.dataset_name, "dataset_id": profile.dataset_id, "version": profile.version,
           "rows": profile.rows, "missing_cells": profile.missing_cells, "duplicate_rows": profile.duplicate_rows,
           "memory_bytes": profile.memory_bytes, "columns": columns,
           "warnings": [{"code": f.code, "column": f.column, **_jsonable(f.values)} for f in profile.findings]}
    if profile.correlations:
        corr = profile.correlations
        out["correlations"] = {"columns": corr.columns, "pearson": corr.pearson, "spearman": corr.spearman,
                               "spearman_sample_rows": corr.sample_rows}
    if analysis is not None:
        if analysis.task == "regression":
            distribution = {k: v for k, v in asdict(analysis.number).items()} if analysis.number else {}
        else:
            distribution = dict(analysis.classes or [])
            if analysis.other_classes:
                distribution["(other)"] = analysis.other_classes
        out["target"] = {"name": analysis.target, "task": analysis.task, "missing": analysis.missing,
                         "distribution": distribution, "imbalance_ratio": analysis.imbalance_ratio,
                         "leaks": analysis.leaks,
                         "findings": [{"code": f.code, **_jsonable(f.values)} for f in analysis.findings]}
        out["tests"] = [{"feature": t.feature, "part": t.part, "test": t.test, "statistic": _num(t.statistic),
                         "p_value": _num(t.p_value), "effect_size": _num(t.effect_size), "effect": t.effect_name,
                         "strength": t.strength, "n": t.n, "dof": t.dof, "on_sample": t.on_sample,
                         "notes": t.notes} for t in analysis.tests]
        out["sample_rows"] = analysis.sample_rows
    return out


def _num(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _jsonable(values: dict) -> dict:
    return {k: (_num(v) if isinstance(v, float) else v) for k, v in values.items()}
