"""What a run keeps beyond its scores: the ensemble's weights, calibration, threshold, search trials, notes in words."""
from __future__ import annotations

from typing import Callable

#: Extras stored in a model bundle's sidecar (what prediction needs) and in the run's settings (what the page shows).
BUNDLE_KEYS = ("calibration", "decision", "ensemble_mix")
RUN_KEYS = ("calibration", "decision", "ensemble_mix", "trials", "tuned")


def _worded(text: Callable[..., str], key: str, values: dict) -> str:
    """One note in words: model keys (``model``, ``single``) as model names, ``metric`` by its name in words, ``weights`` as "name 60%, …"."""
    def name(model: str) -> str:
        try:
            return text(f"model.{model}.name")
        except KeyError:
            return model

    values = dict(values)
    if "metric" in values:  # the metric in words, as the Runs page names it ("구분하는 힘 (AUC)")
        try:
            values["metric"] = text(f"runs.metric.{values['metric']}")
        except KeyError:
            pass
    for field in ("model", "single"):
        if field in values:
            values[field] = name(values[field])
    if "weights" in values:
        values["models"] = ", ".join(f"{name(m)} {w:.0%}" for m, w in values.pop("weights").items())
    return text(key, **values)


def add_worded_notes(result, text: Callable[..., str]) -> None:
    """Put the notes kept as catalogue keys (on the comparison and on each model) into words, once."""
    for key, values in result.note_keys:
        result.notes.append(_worded(text, key, values))
    result.note_keys = []
    for r in result.results:
        for key, values in r.extras.pop("note_keys", []):
            r.notes.append(_worded(text, key, values))
        if "error_key" in r.extras:  # why a model was skipped, in the words of the user's language
            r.error = _worded(text, *r.extras.pop("error_key"))


def bundle_extras(r) -> dict:
    """The extras of a model result that prediction reads from the bundle's sidecar."""
    return {k: r.extras[k] for k in BUNDLE_KEYS if k in r.extras}


def run_extras(r, n_test_rows: int) -> dict:
    """The extras of a model result stored with its run (and how many rows its test score used)."""
    out = {k: r.extras[k] for k in RUN_KEYS if k in r.extras}
    if r.test_metrics:
        out["test_rows"] = int(n_test_rows)
    return out


def json_extras(r, n_test_rows: int) -> dict:
    """`run_extras` for the CLI's JSON, with the calibration reduced to its method and log losses."""
    out = run_extras(r, n_test_rows)
    if "calibration" in out:
        c = out["calibration"]
        out["calibration"] = {"method": c.get("method"), "log_loss_before": c.get("log_loss_before"),
                              "log_loss_after": c.get("log_loss_after")}
    return out
