"""The result of a training in one plain sentence: the best model, how far off or how often right it is, against
the do-nothing baseline, and the columns that matter most (for the Train and Runs pages, the CLI and reports)."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.runs.words import class_words
from core.train.settings import BASELINE, LOWER_IS_BETTER
from storage.workspace import Run

Text = Callable[..., str]
#: A binary target whose rarer class is at most this share of the rows is imbalanced: the sentence then also
#: says how many of the rare cases the model finds.
IMBALANCED_SHARE = 0.35
#: How many columns the sentence names.
TOP_COLUMNS = 3
#: The most decimals a typical error is shown with.
MAX_DECIMALS = 4


@dataclass(frozen=True)
class ResultSummary:
    """What one sentence says of a run, in numbers; `result_sentence` puts it in words.

    ``typical_error`` / ``baseline_error`` (regression) are mean absolute errors in the target's own
    units, rounded to ``decimals``; ``correct_in_100`` / ``baseline_correct_in_100`` (classification)
    are accuracies × 100; ``positives_found`` is how many of 100 rows of the rare class
    ``positive_label`` the model finds (imbalanced yes/no targets only).
    """

    run_id: str
    model: str
    target: str
    task: str
    typical_error: float | None = None
    baseline_error: float | None = None
    decimals: int = 0
    correct_in_100: int | None = None
    baseline_correct_in_100: int | None = None
    positives_found: int | None = None
    positive_label: object = None
    top_columns: tuple[str, ...] = ()

    @property
    def error_shown(self) -> str | None:
        """The typical error as the sentence writes it (``3.2``), or None."""
        return None if self.typical_error is None else f"{self.typical_error:,.{self.decimals}f}"

    @property
    def error_reduction(self) -> int | None:
        """How much smaller the error is than the baseline's, in percent (negative when larger)."""
        if self.typical_error is None or not self.baseline_error:
            return None
        return round((1 - self.typical_error / self.baseline_error) * 100)


def _finite(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def best_run(runs: Sequence[Run]) -> Run | None:
    """The finished run (not the baseline) with the best score on its own ranking metric, or None."""
    candidates = [r for r in runs if r.status == "finished" and r.model != BASELINE and r.metric
                  and _finite(r.metrics.get(r.metric)) is not None]
    if not candidates:
        return None
    sign = {True: 1, False: -1}
    return min(candidates, key=lambda r: sign[r.metric in LOWER_IS_BETTER] * r.metrics[r.metric])


def baseline_for(run: Run, runs: Sequence[Run]) -> Run | None:
    """The finished baseline run trained with ``run`` (same dataset version, target and task, nearest in time)."""
    same = [r for r in runs if r.model == BASELINE and r.status == "finished" and r.dataset_id == run.dataset_id
            and r.dataset_version == run.dataset_version and r.target == run.target and r.task == run.task]
    return min(same, key=lambda r: abs((r.created - run.created).total_seconds()), default=None)


def target_decimals(values) -> int:
    """How many decimals the target's own values use (0 for whole numbers), at most 3."""
    present = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    for decimals in range(4):
        if np.allclose(present, np.round(present, decimals), rtol=0, atol=1e-9):
            return decimals
    return 3


def top_columns(importance: pd.DataFrame | None, n: int = TOP_COLUMNS) -> tuple[str, ...]:
    """The ``n`` columns that matter most: by permutation importance, else by the model's own importance."""
    if importance is None or importance.empty:
        return ()
    for column in ("permutation_mean", "model_importance"):
        if column in importance and importance[column].notna().any():
            part = importance[importance[column].notna()].sort_values(column, ascending=False, kind="stable")
            return tuple(str(f) for f in part["feature"].head(n))
    return ()


def _positives_found(oof: pd.DataFrame | None, classes: Sequence) -> tuple[int | None, object]:
    if oof is None or oof.empty or len(classes) != 2 or not {"y_true", "y_pred"} <= set(oof.columns):
        return None, None
    truth = oof["y_true"].to_numpy()
    counts = pd.Series(truth).value_counts()
    rare = counts.idxmin()
    if len(counts) != 2 or counts[rare] / counts.sum() > IMBALANCED_SHARE:
        return None, None
    found = float(np.mean(oof["y_pred"].to_numpy()[truth == rare] == rare))
    return round(found * 100), classes[int(rare)]


def summarise(run: Run, baseline: Run | None = None, importance: pd.DataFrame | None = None,
              oof: pd.DataFrame | None = None) -> ResultSummary:
    """The numbers of ``run``'s sentence, from its validation scores, its baseline's, its importance table and
    its out-of-fold predictions (``y_true``, ``y_pred``; class codes for classifiers)."""
    base = {"run_id": run.run_id, "model": run.model, "target": run.target, "task": run.task,
            "top_columns": top_columns(importance)}
    baseline_metrics = baseline.metrics if baseline is not None else {}
    if run.task == "regression":
        decimals = target_decimals(oof["y_true"]) + 1 if oof is not None and "y_true" in oof else 2
        decimals = min(decimals, MAX_DECIMALS)
        error, base_error = _finite(run.metrics.get("mae")), _finite(baseline_metrics.get("mae"))
        return ResultSummary(**base, decimals=decimals,
                             typical_error=None if error is None else round(error, decimals),
                             baseline_error=None if base_error is None else round(base_error, decimals))
    accuracy, base_accuracy = _finite(run.metrics.get("accuracy")), _finite(baseline_metrics.get("accuracy"))
    found, label = _positives_found(oof, run.settings.get("classes") or [])
    return ResultSummary(**base, correct_in_100=None if accuracy is None else round(accuracy * 100),
                         baseline_correct_in_100=None if base_accuracy is None else round(base_accuracy * 100),
                         positives_found=found, positive_label=label)


def result_sentence(summary: ResultSummary, text: Text, model_name: str) -> str:
    """The summary in plain words (``text`` is `texts.text_for(lang)`; ``model_name`` the model's name in it)."""
    parts = [text("summary.best", model=model_name)]
    if summary.task == "regression":
        if summary.typical_error is not None:
            parts.append(text("summary.error", target=summary.target, error=summary.error_shown))
        reduction = summary.error_reduction
        if reduction is not None:
            key = "summary.error_vs_baseline" if reduction >= 0 else "summary.error_worse_than_baseline"
            parts.append(text(key, percent=abs(reduction)))
    else:
        if summary.correct_in_100 is not None:
            parts.append(text("summary.correct", target=summary.target, n=summary.correct_in_100))
        if summary.positives_found is not None:
            parts.append(text("summary.positives", label=class_words(summary.positive_label, text),
                              n=summary.positives_found))
        if summary.baseline_correct_in_100 is not None:
            parts.append(text("summary.correct_baseline", n=summary.baseline_correct_in_100))
    if summary.top_columns:
        parts.append(text("summary.top_columns", columns=", ".join(summary.top_columns)))
    return " ".join(parts)


def sentence_of(ws, run: Run, lang: str) -> str:
    """The result sentence of a run of ``ws`` in ``lang``, as the result card, the report and the CLI say it."""
    from core.runs import records
    from core.runs.report import model_label
    from texts import text_for

    details = records.load_details(ws, run.run_id)
    baseline = baseline_for(run, ws.runs(run.dataset_id))
    summary = summarise(run, baseline, details.importance, details.oof)
    return result_sentence(summary, text_for(lang), model_label(run.model, lang, run.task))


__all__ = ["ResultSummary", "baseline_for", "best_run", "result_sentence", "sentence_of", "summarise",
           "target_decimals", "top_columns"]
