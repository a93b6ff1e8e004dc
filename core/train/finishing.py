"""After the models of a comparison: the ensemble, each classifier's calibration and threshold, the test-part scores.

Everything here works from what the comparison already holds (each model's out-of-fold predictions
and refitted pipeline), so it adds no fit of its own. Notes for the user are kept as catalogue keys
with their values (``TrainResult.note_keys``, ``ModelResult.extras["note_keys"]``) and put into words
when the runs are recorded, in the account's language.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

import core.train.calibration as calibration
import core.train.ensemble as ensemble
import core.train.holdout as holdout
import core.train.threshold as threshold
from core.train.metrics import score_pipeline
from core.train.settings import BASELINE, LOWER_IS_BETTER, TrainSettings


def _proba(oof: pd.DataFrame, n_classes: int) -> np.ndarray:
    return oof[[f"proba_{j}" for j in range(n_classes)]].to_numpy(dtype=float)


def add_ensemble(result, settings: TrainSettings, n_classes: int, model_result_type) -> None:
    """Add the greedy ensemble of ``result``'s models as one more result when it beats the best single
    model on the out-of-fold rows; otherwise leave a note saying why there is none."""
    chosen = ensemble.select(result.results, result.metric, result.task, n_classes, BASELINE)
    if chosen is None:
        return
    if not chosen["beats"]:
        result.note_keys.append(("train.note.ensemble_not_better",
                                 {"model": chosen["best_single"], "metric": result.metric,
                                  "value": f"{chosen['best_single_score']:.4f}"}))
        return
    valid = pd.DataFrame(chosen["folds"])
    member = {r.model: r for r in result.results}
    r = model_result_type(model=ensemble.ENSEMBLE, status="finished")
    r.metrics = valid.mean().to_dict()
    r.metrics_std = valid.std(ddof=0).to_dict()
    r.fold_metrics = [(i, "valid", name, value) for i, scores in enumerate(chosen["folds"])
                      for name, value in scores.items()]
    r.oof = chosen["oof"]
    r.pipeline = chosen["pipeline"]
    r.fit_seconds = float(sum(member[m].fit_seconds for m in chosen["weights"]))
    r.extras["ensemble_mix"] = {"weights": chosen["weights"], "best_single": chosen["best_single"],
                            "best_single_score": chosen["best_single_score"]}
    r.extras["note_keys"] = [("train.note.ensemble_made",
                              {"weights": chosen["weights"],
                               "metric": result.metric, "value": f"{chosen['score']:.4f}",
                               "single": chosen["best_single"],
                               "single_value": f"{chosen['best_single_score']:.4f}"})]
    result.results.append(r)


def calibrate_and_decide(result, settings: TrainSettings, n_classes: int) -> None:
    """For each finished classifier: the calibration to use (if any) and, for two classes, the threshold."""
    if result.task == "regression":
        return
    for r in result.results:
        if r.status != "finished" or r.model == BASELINE or r.oof is None or not len(r.oof):
            continue
        y = r.oof["y_true"].to_numpy(dtype=int)
        proba = _proba(r.oof, n_classes)
        chosen = calibration.choose_calibration(proba, y, r.oof["row"].to_numpy(), settings.seed)
        r.extras["calibration"] = dict(chosen, seed=settings.seed)
        if n_classes == 2:
            calibrated = calibration.apply_calibration(proba, chosen)
            r.extras["decision"] = threshold.choose(y, calibrated, result.metric, settings.threshold_goal)


def score_test_part(result, X: pd.DataFrame, y: np.ndarray, test_idx: np.ndarray, n_classes: int) -> None:
    """Score the winner, the ensemble and tuned runs once on the held-out rows; note when there are none."""
    if not len(test_idx):
        result.note_keys.append(("train.note.cv_only", {"rows": f"{holdout.MIN_ROWS:,}"}))
        return
    lower = result.metric in LOWER_IS_BETTER
    for r in holdout.models_to_test(result.results, result.metric, lower, BASELINE, ensemble.ENSEMBLE):
        r.test_metrics, _, _ = score_pipeline(r.pipeline, X.iloc[test_idx], y[test_idx], result.task, n_classes)
    result.note_keys.append(("train.note.test_part", {"rows": f"{len(test_idx):,}"}))


def finish(result, settings: TrainSettings, X: pd.DataFrame, y: np.ndarray, test_idx: np.ndarray, n_classes: int,
           model_result_type) -> None:
    """Everything after the models: ensemble, calibration and threshold, then the test part."""
    if settings.ensemble:
        add_ensemble(result, settings, n_classes, model_result_type)
    calibrate_and_decide(result, settings, n_classes)
    score_test_part(result, X, y, test_idx, n_classes)
