"""Big tables: the notes of a model trained with quicker settings (`core.train.models.size_caps`) or left out."""
from __future__ import annotations

from core.train.models import SHOWN_NAMES


def quicker_note(model: str, quicker: dict, n_rows: int, params: dict | None = None) -> tuple[str, dict]:
    """The catalogue key and values of the note saying what ``model`` did differently on ``n_rows`` rows
    (``params``: the hyperparameters it really trained with, the user's among them)."""
    rows, params = f"{n_rows:,}", params or {}
    if model == "linear":
        return "train.note.quicker.linear", {"rows": rows, "rounds": quicker.get("max_iter", "")}
    if model in ("lgbm", "xgb"):
        used = {name: params.get(name, quicker.get(f"estimator__{name}", default)) for name, default in
                (("learning_rate", ""), ("n_estimators", ""), ("subsample", 1.0), ("colsample_bytree", 1.0))}
        wide = "estimator__colsample_bytree" in quicker
        return f"train.note.quicker.{'boosting_wide' if wide else 'boosting'}", {
            "rows": rows, "rate": used["learning_rate"], "rounds": used["n_estimators"],
            "row_share": f"{used['subsample']:.0%}", "column_share": f"{used['colsample_bytree']:.0%}"}
    return "train.note.quicker.rounds", {"rows": rows, "rounds": quicker.get("max_iter", "")}


def note_quicker_settings(model_result, quicker: dict, n_rows: int) -> None:
    """Record on ``model_result`` the settings it really trained with and a note for the user (worded later)."""
    for name, shown in SHOWN_NAMES.items():
        if name in quicker and shown in model_result.params:
            model_result.params[shown] = quicker[name]
    model_result.extras.setdefault("note_keys", []).append(
        quicker_note(model_result.model, quicker, n_rows, model_result.params))


def leave_out(model: str, other: str, n_rows: int, result, model_result_type):
    """The result (a ``model_result_type``) of ``model`` left out on ``n_rows`` rows for ``other``, with a
    note on the comparison ``result``."""
    values = {"model": model, "single": other, "rows": f"{n_rows:,}"}
    result.note_keys.append(("train.note.left_out", values))
    return model_result_type(model=model, status="skipped",
                             error=f"left out: on {n_rows:,} rows it would take several minutes and {other} does "
                                   "the same work faster",
                             extras={"error_key": ("train.run_error.left_out", values)})
