"""Big tables: the notes of a model trained with quicker settings (`core.train.models.size_caps`) or left out."""
from __future__ import annotations

from core.train.models import SHOWN_NAMES


def quicker_note(model: str, quicker: dict, n_rows: int) -> tuple[str, dict]:
    """The catalogue key and values of the note saying what ``model`` did differently on ``n_rows`` rows."""
    rows = f"{n_rows:,}"
    if model == "linear":
        return "train.note.quicker.linear", {"rows": rows, "rounds": quicker.get("max_iter", "")}
    if "estimator__learning_rate" in quicker:
        return "train.note.quicker.boosting", {"rows": rows, "rate": quicker["estimator__learning_rate"],
                                               "rounds": quicker.get("estimator__n_estimators", "")}
    return "train.note.quicker.rounds", {"rows": rows, "rounds": quicker.get("max_iter", "")}


def note_quicker_settings(model_result, quicker: dict, n_rows: int) -> None:
    """Record on ``model_result`` the settings it really trained with and a note for the user (worded later)."""
    for name, shown in SHOWN_NAMES.items():
        if name in quicker and shown in model_result.params:
            model_result.params[shown] = quicker[name]
    model_result.extras.setdefault("note_keys", []).append(quicker_note(model_result.model, quicker, n_rows))


def leave_out(model: str, other: str, n_rows: int, result, model_result_type):
    """The result (a ``model_result_type``) of ``model`` left out on ``n_rows`` rows for ``other``, with a
    note on the comparison ``result``."""
    values = {"model": model, "single": other, "rows": f"{n_rows:,}"}
    result.note_keys.append(("train.note.left_out", values))
    return model_result_type(model=model, status="skipped",
                       error=f"left out: on {n_rows:,} rows it would take several minutes and {other} does "
                             "the same work faster")
