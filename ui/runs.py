"""Drawing the Runs page: the leaderboard, runs side by side, one run in detail, and the actions on runs."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from core.runs import charts as run_charts
from core.runs.learning import compare_learning_figure

from core.runs import report as run_report
from core.runs import records as core_runs
from core.runs import summary as run_summary
from core.errors import USER_ERRORS
from core.train import BASELINE, LOWER_IS_BETTER
from storage.workspace import Dataset, Run, Workspace, csv_bytes
from texts import text_for
from ui.i18n import language, t
from ui.tables import MISSING
from ui import run_extras
from ui.literal import literal, t_md
from ui import result_card
from ui.jobs import ERROR_SHOWN, short_error
from ui.reasons import global_reasons_panel
from ui.session import flash, user_errors

PLOTLY_CONFIG = {"displaylogo": False}
TOP_COMPARED = 2



# -- cached loads: a finished run never changes, so what explains it is loaded once --------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _details(_ws: Workspace, username: str, run_id: str, status: str) -> core_runs.RunDetails:
    return core_runs.load_details(_ws, run_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _figures(_details: core_runs.RunDetails, username: str, run_id: str, status: str, lang: str) -> dict:
    return run_charts.run_figures(_details, text_for(lang))


def details(ws: Workspace, run: Run) -> core_runs.RunDetails:
    """The run's folds, importance, learning curve and out-of-fold predictions (cached once it has ended)."""
    if run.status in core_runs.ACTIVE_STATUSES:
        return core_runs.load_details(ws, run.run_id)
    return _details(ws, ws.username, run.run_id, run.status)


def _chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG)


# -- labels ----------------------------------------------------------------------------------------------


def model_name(model: str, task: str | None = None) -> str:
    return run_report.model_label(model, language(), task)


def metric_name(metric: str) -> str:
    return run_report.metric_label(metric, t)


def status_name(status: str) -> str:
    return run_report.status_label(status, t)


def task_label(task: str) -> str:
    return run_report.task_label(task, t)


def run_label(run: Run, metric: str) -> str:
    """``Random forest · AUC 0.9532 · 2025-03-05 14:05 · a1b2c3``: how a run is named in pickers."""
    value = run.metrics.get(metric)
    score = f"{metric_name(metric)} {value:.4f}" if isinstance(value, (int, float)) and math.isfinite(value) \
        else status_name(run.status)
    return f"{model_name(run.model, run.task)} · {score} · {run.created:%Y-%m-%d %H:%M} · {run.run_id[:6]}"


def run_labels(runs: list[Run], metric: str) -> dict[str, str]:
    """``{run_id: run_label}`` for a picker's ``format_func`` (labels made in this run's language)."""
    return {r.run_id: run_label(r, metric) for r in runs}


def _keep_valid(key: str, options: list, multi: bool = False) -> None:
    """Drop a remembered choice that is no longer offered (a deleted run, another dataset)."""
    if key not in st.session_state:
        return
    value = st.session_state[key]
    if multi:
        st.session_state[key] = [v for v in (value or []) if v in options]
    elif value not in options:
        del st.session_state[key]


# -- arriving with a run to show -----------------------------------------------------------------------------


def open_requested(ws: Workspace) -> None:
    """Show a run another page asked for (``st.session_state["runs.open"]``) or a link named (``?run=ID``)."""
    run_id = st.session_state.pop("runs.open", None) or st.query_params.get("run")
    if "run" in st.query_params:
        del st.query_params["run"]
    if not run_id:
        return
    try:
        run = ws.run(str(run_id))
    except USER_ERRORS as err:
        flash("runs.flash", "error", err=err)
        return
    st.session_state.update({"current_dataset": run.dataset_id, "runs.dataset": run.dataset_id,
                             "runs.problem": (run.target, run.task), "runs.view": "details",
                             "runs.detail": run.run_id})
    for key in ("runs.models", "runs.statuses", "runs.metric"):
        st.session_state.pop(key, None)


# -- which runs: problem, metric, filters, order ----------------------------------------------------------------


def pick_problem(runs: list[Run]) -> tuple[list[Run], str, str]:
    """The (target, task) to rank, when the dataset's runs predict more than one; its runs, target and task."""
    pairs = core_runs.problems(runs)
    _keep_valid("runs.problem", pairs)
    if len(pairs) > 1:
        labels = {p: t("runs.problem_label", target=p[0], task=task_label(p[1])) for p in pairs}
        target, task = st.selectbox(t("runs.problem"), pairs, key="runs.problem", format_func=labels.get)
    else:
        target, task = pairs[0]
        st.caption(t_md("runs.problem_one", target=target, task=task_label(task)))
    return [r for r in runs if r.target == target and r.task == task], target, task


def pick_metric(runs: list[Run], task: str) -> str:
    options = list(core_runs.task_metrics(task))
    _keep_valid("runs.metric", options)
    if "runs.metric" not in st.session_state:
        st.session_state["runs.metric"] = core_runs.default_metric(runs, task)
    labels = {m: metric_name(m) for m in options}
    return st.selectbox(t("runs.metric"), options, key="runs.metric", format_func=labels.get,
                        placeholder=labels.get(None) or t("pick.one"),
                        help=t("runs.metric_help"))


def marks(table: pd.DataFrame, metric: str, active_run_id: str | None) -> np.ndarray:
    """The ★ column: the active run, or (while none is chosen) the best finished run by ``metric``."""
    if table["active"].any():
        return np.where(table["active"], "★", "")
    scored = table[(table["status"] == "finished") & table["valid"].notna()]
    if scored.empty:
        return np.full(len(table), "", dtype=object)
    best = scored["valid"].idxmin() if metric in LOWER_IS_BETTER else scored["valid"].idxmax()
    return np.where(table.index == best, "★", "")


def leaderboard(runs: list[Run], metric: str, active_run_id: str | None) -> pd.DataFrame:
    """Filters, order and the leaderboard table; returns the shown rows (core_runs.leaderboard columns)."""
    models = list(dict.fromkeys(r.model for r in runs))
    statuses = list(dict.fromkeys(r.status for r in runs))
    _keep_valid("runs.models", models, multi=True)
    _keep_valid("runs.statuses", statuses, multi=True)
    left, middle, right = st.columns(3)
    # Labels are computed here, not inside format_func, so they follow this run's language.
    task = runs[0].task if runs else None
    model_labels = {m: model_name(m, task) for m in models}
    status_labels = {s: status_name(s) for s in statuses}
    direction = result_card.direction_words(metric)
    sort_labels = {s: t(f"runs.sort.{s}", direction=direction) for s in core_runs.SORTS}
    chosen_models = left.multiselect(t("runs.filter_models"), models, key="runs.models",
                                     format_func=model_labels.get, placeholder=t("runs.filter_all"))
    chosen_statuses = middle.multiselect(t("runs.filter_status"), statuses, key="runs.statuses",
                                         format_func=status_labels.get, placeholder=t("runs.filter_all"))
    order = right.selectbox(t("runs.sort"), core_runs.SORTS, key="runs.sort", format_func=sort_labels.get)
    table = core_runs.leaderboard(runs, metric, active_run_id)
    table = core_runs.sort_leaderboard(core_runs.filter_leaderboard(table, chosen_models, chosen_statuses),
                                       metric, order)
    if table.empty:
        st.info(t("runs.none_match"))
        return table
    shown = pd.DataFrame({
        "active": marks(table, metric, active_run_id),
        "valid": table["valid"],
        "model": table["model"].map(model_labels), "std": table["std"], "train": table["train"],
        "overfit": np.where(table["overfit"], "⚠ " + t("runs.overfit"), ""),
        "seconds": table["fit_seconds"], "status": table["status"].map(status_name),
        "created": table["created"], "run_id": table["run_id"],
        "settings": [run_report.key_settings_text(k, t) for k in table["settings"]],
    })
    if table["test"].notna().any():
        shown.insert(5, "test", table["test"])
    label = metric_name(metric)
    st.dataframe(shown, hide_index=True, key="runs.leaderboard", column_config={
        "active": st.column_config.TextColumn("★", help=t("runs.best_mark"), width="small"),
        "model": st.column_config.TextColumn(t("runs.col.model")),
        "valid": st.column_config.NumberColumn(t("runs.col.valid_metric", metric=label), format="%.4f",
                                               help=f"{result_card.metric_help(metric)} {t('runs.valid_help')}"),
        "std": st.column_config.NumberColumn("±", format="%.4f", help=t("runs.std_help")),
        "train": st.column_config.NumberColumn(t("runs.col.train_metric", metric=label), format="%.4f"),
        "test": st.column_config.NumberColumn(t("runs.col.test_metric", metric=label), format="%.4f"),
        "overfit": st.column_config.TextColumn(t("runs.col.overfit")),
        "seconds": st.column_config.NumberColumn(t("runs.col.seconds"), format="%.1f"),
        "status": st.column_config.TextColumn(t("runs.col.status")),
        "created": st.column_config.DatetimeColumn(t("runs.col.created"), format="YYYY-MM-DD HH:mm"),
        "settings": st.column_config.TextColumn(t("runs.col.settings")),
        "run_id": st.column_config.TextColumn(t("runs.col.run")),
    }, placeholder=MISSING)
    st.caption(t("runs.ranked_by", metric=label, direction=direction) + " " + t("runs.best_mark"))
    st.caption(t("runs.overfit_help", gap=f"{core_runs.OVERFIT_GAP:.2f}", ratio=f"{core_runs.OVERFIT_RATIO:g}"))
    return table


# -- several runs side by side ----------------------------------------------------------------------------------


def _best_mask(values: pd.Series, lower_is_better: bool) -> list[str]:
    best = values.min() if lower_is_better else values.max()
    return ["font-weight: bold; background-color: #e8f0fe" if v == best else "" for v in values]


def comparison_table(table: pd.DataFrame, kind: str) -> None:
    """The runs side by side with the best value of each column in bold."""
    columns = core_runs.COMPARE_COLUMNS[kind]
    headers = {f"{split}_{metric}": t(f"runs.cmp.{split}_{metric}") for split, metric in columns}
    shown = pd.DataFrame({t("runs.col.model"): [f"{model_name(m)} · {r[:6]}" for m, r in
                                                zip(table["model"], table["run_id"])]})
    for column, header in headers.items():
        shown[header] = table[column].to_numpy()
    shown[t("runs.cmp.seconds")] = table["fit_seconds"].to_numpy()
    styler = shown.style.format("{:.4f}", subset=list(headers.values()), na_rep="–")
    styler = styler.format("{:.1f}", subset=[t("runs.cmp.seconds")], na_rep="–")
    for (split, metric), header in zip(columns, headers.values()):
        if split == "valid":
            styler = styler.apply(_best_mask, subset=[header], lower_is_better=metric in LOWER_IS_BETTER)
    styler = styler.apply(_best_mask, subset=[t("runs.cmp.seconds")], lower_is_better=True)
    st.dataframe(styler, hide_index=True, key="runs.comparison", placeholder=MISSING)


def compare(ws: Workspace, runs: list[Run], table: pd.DataFrame, metric: str, task: str) -> None:
    """Pick runs, then see them as a table and as overlaid charts."""
    by_id = {r.run_id: r for r in runs}
    options = [i for i, status in zip(table["run_id"], table["status"]) if status == "finished"]
    _keep_valid("runs.compare", options, multi=True)
    if "runs.compare" not in st.session_state:
        st.session_state["runs.compare"] = options[:TOP_COMPARED]
    chosen = st.multiselect(t("runs.compare_pick"), options, key="runs.compare",
                            format_func=run_labels(runs, metric).get, placeholder=t("runs.compare_none"))
    if not chosen:
        st.info(t("runs.compare_hint"))
        return
    picked = [by_id[i] for i in chosen]
    kind = core_runs.compare_kind(task)
    with user_errors():
        table = core_runs.comparison(picked)
        comparison_table(table, kind)
        if kind == "classification":
            st.caption(t("runs.cmp.macro_note"))
        labels = {r.run_id: f"{model_name(r.model, r.task)} · {r.run_id[:6]}" for r in picked}
        metrics = [m for split, m in core_runs.COMPARE_COLUMNS[kind] if split == "valid"]
        _chart(run_charts.compare_metrics_figure(table, metrics, {m: metric_name(m) for m in metrics}, labels, t),
               "runs.compare_metrics")
        folds = ws.fold_metrics_of(chosen)
        per_run = {labels[i]: core_runs.fold_values(folds[folds["run_id"] == i], metric) for i in chosen} \
            if len(folds) else {}
        if any(per_run.values()):
            _chart(run_charts.fold_figure(per_run, metric_name(metric), t), "runs.compare_folds")
        explained = {r.run_id: details(ws, r) for r in picked}
        left, right = st.columns(2)
        if kind == "classification":
            roc = {labels[i]: run_charts.micro_roc(d.oof, d.classes) for i, d in explained.items() if len(d.oof)}
            pr = {labels[i]: run_charts.micro_pr(d.oof, d.classes) for i, d in explained.items() if len(d.oof)}
            if any(roc.values()):
                with left:
                    _chart(run_charts.compare_curves_figure(roc, "roc", t), "runs.compare_roc")
                with right:
                    _chart(run_charts.compare_curves_figure(pr, "pr", t), "runs.compare_pr")
                if len(next(iter(explained.values())).classes) > 2:
                    st.caption(t("runs.micro_note"))
        else:
            residuals = {labels[i]: d.oof["y_true"].to_numpy(float) - d.oof["y_pred"].to_numpy(float)
                         for i, d in explained.items() if len(d.oof)}
            if residuals:
                with left:
                    _chart(run_charts.compare_residuals_figure(residuals, t), "runs.compare_residuals")
        curves = {labels[i]: d.learning_curve for i, d in explained.items() if len(d.learning_curve)}
        if curves:
            with right if kind == "regression" else st.container():
                _chart(compare_learning_figure(curves, t), "runs.compare_learning")


# -- one run ------------------------------------------------------------------------------------------------------


def pick_run(runs: list[Run], table: pd.DataFrame, metric: str) -> Run | None:
    by_id = {r.run_id: r for r in runs}
    options = list(table["run_id"])
    _keep_valid("runs.detail", options)
    if not options:
        return None
    run_id = st.selectbox(t("runs.detail_pick"), options, key="runs.detail",
                          format_func=run_labels(runs, metric).get)
    return by_id[run_id]


def _pairs(rows: list[tuple[str, str]], key: str) -> None:
    if rows:
        st.dataframe(pd.DataFrame(rows, columns=[t("runs.col.setting"), t("runs.col.value")]), hide_index=True,
                     key=key, placeholder=MISSING)


def run_header(ws: Workspace, ds: Dataset, run: Run, active: bool) -> None:
    """Who the run is, and what can be done with it: mark active, re-run with changes, download the report."""
    st.subheader(f"{'★ ' if active else ''}{model_name(run.model, run.task)}")
    st.caption(t("runs.detail_meta", run=run.run_id, status=status_name(run.status),
                 created=f"{run.created:%Y-%m-%d %H:%M}", seconds=f"{run.fit_seconds or 0:.1f}",
                 version=run.dataset_version))
    if active:
        st.success(t("runs.is_active"))
    if run.error:
        st.warning(t_md("runs.run_error", error=short_error(run.error)))
        if len(run.error) > ERROR_SHOWN:
            with st.expander(t("train.error_details")):
                st.code(run.error[:20000], language=None, wrap_lines=True)
    if run.status == "finished" and run.model != BASELINE:
        result_card.card(ws, run, key="runs.card")
    first, second, third = st.columns(3)
    if first.button(t("runs.make_active"), key="runs.make_active", disabled=active or run.status != "finished",
                    help=t("runs.make_active_help"), type="primary"):
        with user_errors():
            ws.set_active_run(ds.dataset_id, run.run_id)
            flash("runs.flash", "success", key="runs.activated", model=model_name(run.model))
            st.rerun()
    if second.button(t("runs.rerun"), key="runs.rerun", help=t("runs.rerun_help")):
        with user_errors():
            st.session_state["train.prefill"] = core_runs.settings_for_rerun(run)
            st.session_state["current_dataset"] = run.dataset_id
            st.switch_page("pages/train.py")
    lang = language()

    def build() -> str:
        sentence = run_summary.sentence_of(ws, run, lang) \
            if run.status == "finished" and run.model != BASELINE else None
        return run_report.build_report(details(ws, run), text_for(lang), lang, current_version=ds.version,
                                       active=active, sentence=sentence)

    third.download_button(t("runs.download_report"), build, file_name=f"run_{run.run_id}.html", mime="text/html",
                          key="runs.download_report", on_click="ignore")


def run_details(ws: Workspace, ds: Dataset, run: Run, metric: str) -> None:
    """Scores and folds, charts, importance, settings and versions of one run."""
    explained = details(ws, run)
    figures = _figures(explained, ws.username, run.run_id, run.status, language()) \
        if run.status not in core_runs.ACTIVE_STATUSES else run_charts.run_figures(explained, t)
    scores, charts, importance, settings = st.tabs(
        [t("runs.tab.scores"), t("runs.tab.charts"), t("runs.tab.importance"), t("runs.tab.settings")])
    with scores:
        _scores(run, explained, metric)
        run_extras.show(ws, run, explained, metric)
    with charts:
        _charts(figures, run)
    with importance:
        _importance(run, explained, figures)
        global_reasons_panel(ws, run)
    with settings:
        _settings(run, ds, explained)


def _scores(run: Run, explained: core_runs.RunDetails, metric: str) -> None:
    value, std = run.metrics.get(metric), (run.settings.get("metrics_std") or {}).get(metric)
    train = (run.settings.get("train_metrics") or {}).get(metric)
    cells = st.columns(3)
    cells[0].metric(t("runs.col.valid_metric", metric=metric_name(metric)),
                    "–" if value is None else f"{value:.4f}", None if std is None else f"± {std:.4f}",
                    delta_color="off", delta_arrow="off", border=True, help=result_card.metric_help(metric))
    cells[1].metric(t("runs.col.train_metric", metric=metric_name(metric)), "–" if train is None else f"{train:.4f}",
                    border=True)
    cells[2].metric(t("runs.col.seconds"), f"{run.fit_seconds or 0:.1f}", border=True)
    if core_runs.is_overfit(metric, train, value):
        st.warning(t("runs.overfit_warning", metric=metric_name(metric)))
    table = run_report.score_table(run, t)
    if not table.empty:
        st.dataframe(table, hide_index=True, key="runs.scores",
                     column_config={c: st.column_config.NumberColumn(format="%.4f")
                                    for c in table.columns if table[c].dtype.kind == "f"}, placeholder=MISSING)
    st.markdown(f"**{t('runs.section.folds')}**")
    folds = run_report.fold_table(explained.folds, t)
    if folds.empty:
        st.caption(t("runs.no_folds"))
    else:
        st.dataframe(folds.style.format("{:.4f}", na_rep="–"), key="runs.folds", placeholder=MISSING)
        with st.expander(t("runs.section.folds_train")):
            st.dataframe(run_report.fold_table(explained.folds, t, split="train").style.format("{:.4f}", na_rep="–"),
                         key="runs.folds_train", placeholder=MISSING)


def _side_by_side(figures: dict, *names: str) -> None:
    for column, name in zip(st.columns(len(names)), names):
        with column:
            _chart(figures[name], f"runs.chart.{name}")


def _charts(figures: dict, run: Run) -> None:
    shown = False
    if "confusion_counts" in figures:
        _side_by_side(figures, "confusion_counts", "confusion_normalised")
        shown = True
    if "roc" in figures:
        _side_by_side(figures, "roc", "pr")
        _chart(figures["calibration"], "runs.chart.calibration")
        st.caption(t("runs.curves_help"))
    if "predicted_actual" in figures:
        _chart(figures["predicted_actual"], "runs.chart.predicted_actual")
        _chart(figures["residuals"], "runs.chart.residuals")
        shown = True
    if "learning_curve" in figures:
        _chart(figures["learning_curve"], "runs.chart.learning_curve")
        shown = True
    if not shown:
        st.info(t("runs.no_charts"))


def _importance(run: Run, explained: core_runs.RunDetails, figures: dict) -> None:
    imp = explained.importance
    if imp is None or imp.empty:
        st.info(t("runs.no_importance"))
        return
    st.caption(t("runs.importance_help"))
    left, right = st.columns(2)
    if "importance_model" in figures:
        with left:
            _chart(figures["importance_model"], "runs.chart.importance_model")
    if "importance_permutation" in figures:
        with right:
            _chart(figures["importance_permutation"], "runs.chart.importance_permutation")
    table = run_report.importance_table(imp, t)
    st.download_button(t("runs.download_importance", n=len(table)), csv_bytes(table),
                       file_name=f"importance_{run.run_id}.csv", mime="text/csv", key="runs.download_importance",
                       on_click="ignore")
    with st.expander(t("runs.importance_all", n=len(table))):
        st.dataframe(table, hide_index=True, key="runs.importance_table", placeholder=MISSING)


def _settings(run: Run, ds: Dataset, explained: core_runs.RunDetails) -> None:
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('runs.section.training')}**")
        _pairs(run_report.settings_rows(run, t, language()), "runs.settings_training")
        st.markdown(f"**{t('runs.section.params')}**")
        _pairs(run_report.param_rows(run, t), "runs.settings_params")
        st.markdown(f"**{t('runs.section.data')}**")
        rows_used = int(explained.oof["row"].nunique()) if len(explained.oof) and "row" in explained.oof else None
        _pairs(run_report.data_rows(run, t, ds.version, rows_used), "runs.settings_data")
    with right:
        st.markdown(f"**{t('runs.section.preprocessing')}**")
        _pairs(run_report.preprocessing_rows(run, t), "runs.settings_pre")
        st.markdown(f"**{t('runs.section.versions')}**")
        _pairs(run_report.version_rows(run), "runs.settings_versions")
    for note in run.settings.get("notes") or []:
        st.caption(f"• {literal(note)}")


# -- deleting ------------------------------------------------------------------------------------------------------


def delete_runs(ws: Workspace, runs: list[Run], metric: str) -> None:
    """Delete chosen runs for good, behind an expander and a button that names how many."""
    by_id = {r.run_id: r for r in runs}
    options = [r.run_id for r in runs if r.status not in core_runs.ACTIVE_STATUSES]
    _keep_valid("runs.delete_pick", options, multi=True)
    with st.expander(t("runs.delete")):
        chosen = st.multiselect(t("runs.delete_pick"), options, key="runs.delete_pick", placeholder=t("pick.one"),
                                format_func=run_labels(runs, metric).get)
        st.caption(t("runs.delete_help"))
        if st.button(t("runs.delete_confirm", n=len(chosen)), key="runs.delete_confirm", disabled=not chosen):
            with user_errors():
                for run_id in chosen:
                    core_runs.check_deletable(by_id[run_id])
                for run_id in chosen:
                    ws.delete_run(run_id)
                flash("runs.flash", "success", key="runs.deleted", n=len(chosen))
                st.rerun()
