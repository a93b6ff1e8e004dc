"""One run as a self-contained HTML report (Plotly's JavaScript inlined once, no CDN), and the words
about a run shared by the report and the Runs page: settings, scores, validation, statuses.

Words come from ``text(key, **values)`` (the catalogue in the reader's language); this module holds none.
"""
from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go

from core.runs import charts as run_charts

from core.runs import records as runs
from core.runs.words import param_label, value_words
from core.train import BASELINE, TASKS
from core.train.settings import ENSEMBLE
from core.train.models import REGISTRY
from core.explore.report import STYLE, fmt
from storage.workspace import Run
from texts import text_for

Text = Callable[..., str]

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
#: Fields of the stored settings shown in the settings table, in this order (the rest are shown elsewhere).
SETTING_FIELDS = ("validation", "metric", "seed", "features", "test_size", "time_column", "tune", "tune_iterations",
                  "time_limit", "importance")
PREPROCESSING_FIELDS = ("numeric_impute", "missing_indicators", "scaling", "max_levels", "rare_min_count",
                        "target_encode_above", "token_buckets", "selection", "selection_alpha",
                        "selection_threshold", "selection_k", "balance", "native_categories")


# -- words about runs, shared by the page and the report ---------------------------------------------------


def model_label(model: str, lang: str, task: str | None = None) -> str:
    """The model's full name in ``lang`` (its key when the model is no longer offered); the baseline of a
    numeric target is "always the average", not "always the most common answer"."""
    if model == BASELINE and task == "regression":
        return text_for(lang)("baseline.name_regression")
    return text_for(lang)(f"model.{model}.name") if model in REGISTRY or model == ENSEMBLE else model


def _maybe(text: Text, key: str, fallback: str) -> str:
    """``text(key)``, or ``fallback`` when the catalogue has no such key (a status or metric added later)."""
    try:
        return text(key)
    except KeyError:
        return fallback


def metric_label(metric: str, text: Text) -> str:
    return _maybe(text, f"runs.metric.{metric}", metric)


def status_label(status: str, text: Text) -> str:
    return _maybe(text, f"runs.status.{status}", status)


def task_label(task: str | None, text: Text) -> str:
    """What the run predicts, in words; "not decided yet" while a job queued with the task left to
    detection has not reached training (its task is stored empty)."""
    return text(f"runs.task.{task}") if task in TASKS else text("runs.task.undecided")


def validation_text(settings: dict, text: Text) -> str:
    """How the run was validated, in words: "5-fold cross-validation", "hold-out (20%)"…"""
    kind = settings.get("validation", "kfold")
    folds = settings.get("n_folds") or settings.get("folds")
    if kind == "holdout":
        return text("runs.validation.holdout", share=f"{float(settings.get('holdout_size') or 0.2):.0%}")
    if kind == "repeated":
        per = settings.get("folds")
        return text("runs.validation.repeated", folds=per, repeats=settings.get("repeats"))
    if kind == "time":
        return text("runs.validation.time", folds=folds)
    return text("runs.validation.kfold", folds=folds)


def key_settings_text(key: dict, text: Text) -> str:
    """`core.runs.key_settings` as one short line: "5-fold CV · seed 42 · SMOTE · tuned · n_estimators=500"."""
    parts = [validation_text({"validation": key["validation"], "n_folds": key["folds"], "folds": key["folds"],
                              "repeats": key["repeats"], "holdout_size": key["holdout_size"]}, text),
             text("runs.settings.seed", seed=key["seed"])]
    if key.get("balance") not in (None, "none"):
        parts.append(text(f"runs.balance.{key['balance']}"))
    if key.get("selection") not in (None, "none"):
        parts.append(text("runs.settings.selection", method=value_words(key["selection"], text, "selection")))
    if key.get("tune"):
        parts.append(text("runs.settings.tuned"))
    if key.get("test_size"):
        parts.append(text("runs.settings.test", share=f"{float(key['test_size']):.0%}"))
    parts += [f"{param_label(k, text)} {value_words(v, text, k)}" for k, v in (key.get("params") or {}).items()]
    return " · ".join(str(p) for p in parts)


def settings_rows(run: Run, text: Text, lang: str = "en") -> list[tuple[str, str]]:
    """(label, value) pairs of how the run was trained: validation, metric, seed, features, tuning."""
    s = run.settings
    rows = [(text("runs.setting.model"), model_label(run.model, lang, run.task)),
            (text("runs.setting.task"), task_label(run.task, text)), (text("runs.setting.target"), run.target)]
    for name in SETTING_FIELDS:
        if name == "validation":
            rows.append((text("runs.setting.validation"), validation_text(s, text)))
        elif name == "features":
            value = s.get("features")
            rows.append((text("runs.setting.features"), ", ".join(map(str, value)) if value
                         else text("runs.setting.all_features")))
        elif name == "metric":
            rows.append((text("runs.setting.metric"), metric_label(run.metric or "", text)))
        elif name in s:
            rows.append((text(f"runs.setting.{name}"), value_words(s.get(name), text, name)))
    return rows


def preprocessing_rows(run: Run, text: Text) -> list[tuple[str, str]]:
    pre = run.settings.get("preprocessing") or {}
    rows = [(text(f"runs.pre.{name}"), value_words(pre[name], text, name)) for name in PREPROCESSING_FIELDS
            if name in pre]
    rows += [(name, value_words(value, text, name)) for name, value in pre.items() if name not in PREPROCESSING_FIELDS]
    return rows


def param_rows(run: Run, text: Text) -> list[tuple[str, str]]:
    """The model's hyperparameters in words ("나무 최대 깊이", "제한 없음"), changed ones marked with ★."""
    changed = runs.changed_params(run)
    params = run.settings.get("params") or {}
    if not isinstance(params, dict):
        return []
    return [(("★ " if k in changed else "") + param_label(k, text), value_words(v, text, k))
            for k, v in params.items()]


def data_rows(run: Run, text: Text, current_version: int | None = None, rows_used: int | None = None) -> list:
    """Which data the run learned from: dataset, version (and whether it has changed since), rows, features."""
    version = str(run.dataset_version)
    if current_version is not None and current_version != run.dataset_version:
        version = text("runs.data.version_changed", version=run.dataset_version, current=current_version)
    out = [(text("runs.data.dataset"), run.dataset_name), (text("runs.data.version"), version)]
    if rows_used:
        out.append((text("runs.data.rows"), f"{rows_used:,}"))
    s = run.settings
    if s.get("features_kept"):
        out.append((text("runs.data.kept"), ", ".join(map(str, s["features_kept"]))))
    if s.get("features_dropped"):
        out.append((text("runs.data.dropped"), ", ".join(map(str, s["features_dropped"]))))
    return out


def version_rows(run: Run) -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in (run.settings.get("library_versions") or {}).items()]


def score_table(run: Run, text: Text) -> pd.DataFrame:
    """The run's scores per metric with translated headers: train, validation mean ± spread, test, flag."""
    rows = []
    for r in runs.metric_rows(run):
        row = {text("runs.col.metric"): metric_label(r["metric"], text), text("runs.col.train"): r["train"],
               text("runs.col.valid"): r["valid"], text("runs.col.std"): r["std"]}
        if not math.isnan(r["test"]):
            row[text("runs.col.test")] = r["test"]
        row[text("runs.col.overfit")] = text("runs.overfit") if r["overfit"] else ""
        rows.append(row)
    return pd.DataFrame(rows)


def fold_table(folds: pd.DataFrame, text: Text, split: str = "valid") -> pd.DataFrame:
    """`core.runs.fold_table` with translated row and column labels."""
    table = runs.fold_table(folds, split)
    if table.empty:
        return table
    table = table.rename(columns=lambda m: metric_label(m, text),
                         index={"mean": text("runs.fold.mean"), "std": text("runs.fold.std")})
    table.index = [text("runs.fold.n", n=i) if str(i).isdigit() else i for i in table.index]
    return table


# -- the report -----------------------------------------------------------------------------------------------


class _Figures:
    """Figures as HTML, Plotly's JavaScript inlined (``include_plotlyjs=True``) once, with the first figure."""

    def __init__(self):
        self.first = True

    def __call__(self, fig: go.Figure) -> str:
        out = fig.to_html(full_html=False, include_plotlyjs=True if self.first else False, config=PLOTLY_CONFIG)
        self.first = False
        return out


def _pairs(rows: Sequence[tuple[str, str]]) -> str:
    e = html.escape
    return "<table>" + "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in rows) + "</table>"


def _frame(frame: pd.DataFrame, text: Text, index: bool = False) -> str:
    e = html.escape
    if frame is None or frame.empty:
        return ""
    header = ("<th></th>" if index else "") + "".join(f"<th>{e(str(c))}</th>" for c in frame.columns)
    body = []
    for label, row in frame.iterrows():
        cells = "".join(f"<td>{e(_cell(v, text))}</td>" for v in row)
        body.append("<tr>" + (f"<th>{e(str(label))}</th>" if index else "") + cells + "</tr>")
    return f"<table><tr>{header}</tr>{''.join(body)}</table>"


def _cell(value, text: Text) -> str:
    """A table cell: numbers as `fmt` writes them, a missing value blank, anything else in words."""
    if isinstance(value, float):
        return "" if math.isnan(value) else fmt(value)
    if isinstance(value, str):
        return value
    return value_words(value, text)


FIGURE_SECTIONS = (("runs.section.errors", ("confusion_counts", "confusion_normalised", "roc", "pr", "calibration",
                                            "predicted_actual", "residuals")),
                   ("runs.section.importance", ("importance_model", "importance_permutation")),
                   ("runs.section.learning", ("learning_curve",)))


def build_report(details: runs.RunDetails, text: Text, lang: str = "en", *, current_version: int | None = None,
                 active: bool = False, sentence: str | None = None) -> str:
    """One run as an HTML document that opens offline.

    Parameters
    ----------
    details : core.runs.RunDetails
        The run with its per-fold metrics, importance, learning curve and out-of-fold predictions.
    text : callable
        ``text(key, **values)``: the catalogue string ``key`` in the reader's language.
    lang : str
        The document's language code (``ko`` or ``en``).
    current_version : int, optional
        The dataset's version now, to say when the data has changed since the run.
    active : bool
        Whether the run is the active model of its dataset.
    sentence : str, optional
        The run's result in one sentence (`core.runs.summary.sentence_of`), shown first.
    """
    e = html.escape
    run = details.run
    figure = _Figures()
    name = model_label(run.model, lang, run.task)
    title = e(text("runs.report.title", model=name, run=run.run_id))
    made = text("runs.report.meta", created=run.created.strftime("%Y-%m-%d %H:%M"),
                status=status_label(run.status, text), seconds=fmt(run.fit_seconds),
                when=datetime.now().strftime("%Y-%m-%d %H:%M"))
    parts = [f"<!DOCTYPE html><html lang='{e(lang)}'><head><meta charset='utf-8'>",
             f"<title>{title}</title><style>{STYLE}</style></head><body><main>",
             f"<h1>{title}</h1><p class='meta'>{e(made)}</p>"]
    if sentence:
        parts.append(f"<div class='card'><h2>{e(text('summary.title'))}</h2><p>{e(sentence)}</p></div>")
    if active:
        parts.append(f"<p class='info'>★ {e(text('runs.active_badge'))}</p>")
    if run.error:
        parts.append(f"<p class='warn'>{e(text('runs.report.error', error=run.error))}</p>")

    parts.append(f"<h2>{e(text('runs.section.scores'))}</h2>")
    metric = run.metric
    if metric and metric in run.metrics:
        std = (run.settings.get("metrics_std") or {}).get(metric)
        n_folds = details.folds["fold"].nunique() if len(details.folds) else "-"
        headline = text("runs.report.headline", metric=metric_label(metric, text), value=fmt(run.metrics[metric]),
                        std=fmt(std), folds=n_folds)
        parts.append(f"<p>{e(headline)}</p>")
    parts.append(_frame(score_table(run, text), text))
    overfit = text("runs.overfit_help", gap=f"{runs.OVERFIT_GAP:.2f}", ratio=f"{runs.OVERFIT_RATIO:g}")
    parts.append(f"<p class='meta'>{e(overfit)}</p>")
    folds = fold_table(details.folds, text)
    if not folds.empty:
        parts.append(f"<h3>{e(text('runs.section.folds'))}</h3>")
        parts.append(_frame(folds, text, index=True))
        train_folds = fold_table(details.folds, text, split="train")
        if not train_folds.empty:
            parts.append(f"<h3>{e(text('runs.section.folds_train'))}</h3>")
            parts.append(_frame(train_folds, text, index=True))

    figures = run_charts.run_figures(details, text)
    for section, names in FIGURE_SECTIONS:
        shown = [figures[n] for n in names if n in figures]
        if shown:
            parts.append(f"<h2>{e(text(section))}</h2>")
            parts += [f"<div class='card'>{figure(f)}</div>" for f in shown]
            if section == "runs.section.importance":
                parts.append(f"<p class='meta'>{e(text('runs.importance_help'))}</p>")
    importance = details.importance
    if importance is not None and len(importance):
        parts.append(f"<h3>{e(text('runs.section.importance_table'))}</h3>")
        parts.append(_frame(importance_table(importance, text), text))

    parts.append(f"<h2>{e(text('runs.section.settings'))}</h2>")
    parts.append(f"<h3>{e(text('runs.section.training'))}</h3>{_pairs(settings_rows(run, text, lang))}")
    parts.append(f"<h3>{e(text('runs.section.preprocessing'))}</h3>{_pairs(preprocessing_rows(run, text))}")
    params = param_rows(run, text)
    if params:
        parts.append(f"<h3>{e(text('runs.section.params'))}</h3>{_pairs(params)}")
    rows_used = int(details.oof["row"].nunique()) if details.oof is not None and "row" in details.oof else None
    parts.append(f"<h3>{e(text('runs.section.data'))}</h3>{_pairs(data_rows(run, text, current_version, rows_used))}")
    parts.append(f"<h3>{e(text('runs.section.versions'))}</h3>{_pairs(version_rows(run))}")
    notes = run.settings.get("notes") or []
    if notes:
        parts.append(f"<h3>{e(text('runs.section.notes'))}</h3><ul>")
        parts += [f"<li>{e(str(n))}</li>" for n in notes]
        parts.append("</ul>")
    parts.append("</main></body></html>")
    return "".join(parts)


def importance_table(importance: pd.DataFrame, text: Text) -> pd.DataFrame:
    """Every feature's importance with translated headers, most important first (for tables and CSV)."""
    table = importance[["feature", "model_importance", "permutation_mean", "permutation_std"]].copy()
    return table.rename(columns={"feature": text("runs.col.feature"), "model_importance": text("runs.col.model_imp"),
                                 "permutation_mean": text("runs.col.perm_mean"),
                                 "permutation_std": text("runs.col.perm_std")})
