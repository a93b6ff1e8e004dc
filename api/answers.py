"""The API's answers made from what core returns: a prediction, the runs, a model's input contract."""
from __future__ import annotations

import math

import numpy as np

from api.schemas import (ContractColumn, DatasetModels, InputProblem, ModelContract, ModelList, ModelSummary,
                         PredictResponse, ProblemExample, RowPrediction)
from core.errors import UserError
from core.predict import Prediction, default_run
from core.predict.contract import KINDS
from core.predict.example import example_record
from storage.workspace import Run, Workspace
from texts import text_for


def row_texts(lang: str) -> dict[str, str]:
    """The per-row warning texts in ``lang`` (the same catalogue entries as the Predict page's)."""
    text = text_for(lang)
    return {kind: text(f"predict.row.{kind}") for kind in KINDS}


def _plain(value):
    """A numpy or pandas scalar as the JSON value it stands for."""
    return value.item() if isinstance(value, np.generic) else value


def prediction_answer(prediction: Prediction, sidecar: dict, run_id: str, lang: str) -> PredictResponse:
    frame, names, check = prediction.frame, prediction.names, prediction.check
    text = text_for(lang)
    classes = [str(c) for c in sidecar.get("classes") or []]
    # the frame gives percentages with one decimal, as the page and the CSV show them; the API answers shares 0–1
    probabilities = (frame[list(names.probabilities)].to_numpy(dtype="float64") / 100).round(3) \
        if names.probabilities else None
    rows = []
    for i, (value, warnings) in enumerate(zip(frame[names.prediction].tolist(), frame[names.warnings].tolist())):
        rows.append(RowPrediction(
            row=i + 1, prediction=_plain(value),
            probabilities=dict(zip(classes, probabilities[i].tolist())) if probabilities is not None else None,
            # The same split as the Predict page's one-record form: problems are joined with "; ".
            warnings=[w for w in str(warnings or "").split("; ") if w]))
    problems = [InputProblem(column=column, problem=kind, count=count,
                             examples=[ProblemExample(row=r, value=v)
                                       for r, v in check.examples.get(column, {}).get(kind, [])],
                             meaning=text(f"predict.kind_name.{kind}"), action=text(f"predict.action.{kind}"))
                for column, kinds in check.report.items() for kind, count in kinds.items()]
    return PredictResponse(run_id=run_id, model=sidecar["model"], task=sidecar["task"], target=sidecar["target"],
                           rows=len(frame), predictions=rows, problems=problems,
                           ignored_columns=list(check.extra_columns))


def _active_runs(ws: Workspace, runs: list[Run]) -> dict[str, str | None]:
    """The run marked active per dataset of ``runs`` (None when none is, or the dataset was deleted)."""
    active = {}
    for dataset_id in dict.fromkeys(r.dataset_id for r in runs):
        try:
            active[dataset_id] = ws.active_run(dataset_id)
        except UserError:  # the dataset was deleted; its runs stay listed
            active[dataset_id] = None
    return active


def _score(run: Run) -> float | None:
    value = (run.metrics or {}).get(run.metric)
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def model_list(ws: Workspace) -> ModelList:
    """The user's finished runs and, per dataset, the active run and the one the Predict page uses by default."""
    runs = [r for r in ws.runs() if r.status == "finished"]
    active = _active_runs(ws, runs)
    models = [ModelSummary(run_id=r.run_id, model=r.model, dataset=r.dataset_name, dataset_id=r.dataset_id,
                           dataset_version=r.dataset_version, target=r.target, task=r.task, metric=r.metric,
                           score=_score(r), created=r.created, active=active.get(r.dataset_id) == r.run_id)
              for r in runs]
    names = {r.dataset_id: r.dataset_name for r in runs}
    datasets = [DatasetModels(dataset_id=d, dataset=names[d], active_run_id=active[d],
                              default_run_id=default_run(ws, runs, d)) for d in active]
    return ModelList(models=models, datasets=datasets)


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def contract_answer(sidecar: dict, run_id: str) -> ModelContract:
    columns = []
    for entry in sidecar["contract"]["columns"]:
        kind = entry["kind"]
        column = ContractColumn(name=entry["name"], kind=kind, dtype=entry.get("dtype", ""),
                                missing_in_training=bool(entry.get("had_missing", True)))
        if kind == "number":
            column = column.model_copy(update={
                "min": _number(entry["min"]), "max": _number(entry["max"]), "median": _number(entry.get("median")),
                "typical_low": _number(entry.get("p01")), "typical_high": _number(entry.get("p99")),
                "whole": entry.get("whole")})
        elif kind == "date":
            column = column.model_copy(update={"min": entry["min"], "max": entry["max"],
                                               "median": entry.get("median")})
        elif kind == "category":
            levels = [str(v) for v in entry.get("levels", [])]
            column = column.model_copy(update={"categories": levels,
                                               "n_categories": entry.get("n_levels", len(levels))})
        columns.append(column)
    classes = sidecar.get("classes") if sidecar["task"] != "regression" else None
    return ModelContract(run_id=run_id, model=sidecar["model"], task=sidecar["task"], target=sidecar["target"],
                         classes=classes, columns=columns, example=example_record(sidecar["contract"]))
