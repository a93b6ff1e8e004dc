"""The Predict page's work: the model picker, batch prediction with its input check, the one-record form."""
from __future__ import annotations

import tempfile
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from core.data import inspect_file
from core.errors import UserError
from core import predict as predicting
from core.predict import (EXCEL_MAX_ROWS, default_run, export_bundle, model_stamp, predict_record, predict_rows,
                          set_active_run)
from core.predict.contract import InputCheck, fmt_value, range_text
from core.predict.contract import KINDS as CHECK_KINDS
from core.predict.prediction import record_probabilities
from storage.workspace import Run, Workspace, csv_bytes
from texts import STRINGS, text_for
from ui.activity import model_name
from ui.i18n import format_number, language, t
from ui.literal import literal, t_md
from ui.reasons import record_reasons, show_drift, show_record_reasons
from ui.session import flash, user_errors
from ui.predict_history import excel_bytes, history_panel
from ui.tables import MISSING, show_table
from ui.uploads import staged_upload, upload_box


@st.cache_resource(max_entries=8, ttl=3600, show_spinner=False)
def cached_model(username: str, run_id: str, stamp: str):
    """The fitted pipeline and sidecar of a run, loaded (and checked) once per version of its bundle file."""
    return predicting.load_model(Workspace(username), run_id)


def load_model(ws: Workspace, run_id: str):
    """The run's (pipeline, sidecar), from the cache while its bundle file is unchanged on disk."""
    return cached_model(ws.username, run_id, model_stamp(ws, run_id))


def staged_rows(ws: Workspace, upload) -> dict:
    """The uploaded rows copied once to the user's staging directory, with the columns read from its start."""
    def columns(path: Path) -> dict:
        return {"columns": list(inspect_file(ws, path, upload.name, rows=50).preview.columns)}
    return staged_upload(ws, upload, "predict.staged", describe=columns)


def row_texts() -> dict[str, str]:
    """The per-row ``warnings`` texts in the user's language."""
    return {kind: t(f"predict.row.{kind}") for kind in CHECK_KINDS}


def run_label(run: Run, active: set[str]) -> str:
    """A run in words: its model's name, what it predicts, from which dataset, and its score."""
    score = run.metrics.get(run.metric)
    metric = t(f"runs.metric.{run.metric}") if f"runs.metric.{run.metric}" in STRINGS else run.metric
    shown = f"{metric} {format_number(score, 4 if abs(score) < 10 else 2)}" if isinstance(score, float) else ""
    label = t("predict.run_label", model=model_name(run.model), target=run.target, name=run.dataset_name,
              score=shown, run=run.run_id)
    return f"{label} · {t('predict.active_mark')}" if run.run_id in active else label


def active_runs(ws: Workspace, runs: list[Run]) -> set[str]:
    """The runs marked active for their dataset (read on every run of the page, so a change shows at once)."""
    active = set()
    for dataset_id in dict.fromkeys(r.dataset_id for r in runs):
        try:
            run_id = ws.active_run(dataset_id)
        except UserError:  # the dataset was deleted; its runs stay listed
            continue
        if run_id:
            active.add(run_id)
    return active


def pick_run(ws: Workspace, runs: list[Run], key: str = "predict.run") -> str:
    """The model select box. It follows the default (the active model) until the user picks another run,
    so marking another run active takes effect on the next prediction without a restart."""
    by_id = {r.run_id: r for r in runs}
    default = default_run(ws, runs, st.session_state.get("current_dataset"))
    shown_default = st.session_state.get(f"{key}.default")
    requested = st.session_state.pop("predict.open_run", None)  # "Predict with this model" on a result card
    if requested in by_id:
        st.session_state[key] = requested
    elif st.session_state.get(key) not in by_id or st.session_state.get(key) == shown_default:
        st.session_state[key] = default
    st.session_state[f"{key}.default"] = default
    active = active_runs(ws, runs)
    labels = {run_id: run_label(r, active) for run_id, r in by_id.items()}
    return st.selectbox(t("predict.run"), list(by_id), format_func=labels.get, key=key)


def bundle_zip(username: str, run_id: str) -> bytes:
    """The model bundle as zip bytes (run when the download button is clicked, outside the script run)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = export_bundle(Workspace(username), run_id, Path(tmp) / "model.zip")
        return path.read_bytes()


def file_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def downloads(username: str, last: dict) -> None:
    """The CSV and Excel downloads of a finished batch prediction (files made only when clicked)."""
    left, right = st.columns(2)
    left.download_button(t("predict.download"), partial(file_bytes, last["csv"]),
                         file_name=f"predictions_{last['run_id']}.csv", mime="text/csv", key="predict.download",
                         type="primary")
    right.download_button(t("predict.download_xlsx"), partial(excel_bytes, username, last["prediction_id"]),
                          file_name=f"predictions_{last['run_id']}.xlsx", key="predict.download_xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if last["rows"] > EXCEL_MAX_ROWS:
        right.caption(t("predict.excel_cap", max=format_number(EXCEL_MAX_ROWS),
                        rows=format_number(last["rows"])))


def finished_runs(ws: Workspace) -> list[Run]:
    return [r for r in ws.runs() if r.status == "finished"]


def model_actions(ws: Workspace, run: Run) -> None:
    """Mark the run active for its dataset (unless it is), and download its model bundle."""
    left, right = st.columns(2)
    if run.run_id in active_runs(ws, [run]):
        left.caption(t_md("predict.is_active", name=run.dataset_name))
    elif left.button(t_md("predict.make_active", name=run.dataset_name), key="predict.make_active"):
        with user_errors():
            set_active_run(ws, run.run_id)
            flash("predict.flash", key="predict.activated", model=run.model, name=run.dataset_name)
            st.rerun()
    right.download_button(t("predict.bundle"), partial(bundle_zip, ws.username, run.run_id),
                          file_name=f"model_{run.run_id}.zip", mime="application/zip", key="predict.bundle",
                          help=t("predict.bundle_help"))


# -- many rows at once ---------------------------------------------------------------------------------------

def batch(ws: Workspace, run: Run) -> None:
    """Upload rows or choose a dataset, predict them all, and show the result with its input check."""
    run_id = run.run_id
    upload = upload_box(t("predict.upload"), key="predict.upload")
    datasets = {None: "—"} | {d.dataset_id: d.name for d in ws.datasets()}
    dataset_id = st.selectbox(t("predict.or_dataset"), list(datasets), format_func=datasets.get, key="predict.dataset",
                              placeholder=t("predict.dataset_placeholder"))
    staged, columns = None, []
    with user_errors():
        staged = staged_rows(ws, upload) if upload is not None else None
        columns = staged["columns"] if staged else ws.column_names(dataset_id) if dataset_id else []
    # "All columns" is "" rather than None, which a select box shows as no choice at all.
    keep_labels = {"": t("predict.keep_all")} | {c: t("predict.keep_one", column=c) for c in columns}
    if st.session_state.get("predict.keep") not in keep_labels:  # a column of the previous file or dataset
        st.session_state.pop("predict.keep", None)
    keep = st.selectbox(t("predict.keep"), list(keep_labels), format_func=keep_labels.get, key="predict.keep")
    with_reasons = st.checkbox(t("reasons.add_columns"), value=False, key="predict.add_reasons",
                               help=t("reasons.add_columns_help"))
    # The result shown belongs to one request (these rows, this model, these columns kept): another request
    # (a new upload, another dataset or model) or a failed prediction clears it, so an old file is never
    # offered as the new one.
    request = (staged["file_id"] if staged else dataset_id, run_id, keep, with_reasons)
    last = st.session_state.get("predict.last")
    if last and last.get("request") != request:
        st.session_state.pop("predict.last", None)
    if st.button(t("predict.go"), type="primary", key="predict.go", disabled=staged is None and dataset_id is None):
        st.session_state.pop("predict.last", None)
        bar = st.progress(0.0, text=t("predict.running"))
        with user_errors():
            result = predict_rows(
                ws, run_id, path=Path(staged["path"]) if staged else None,
                original_name=staged["name"] if staged else None, dataset=None if staged else dataset_id,
                keep=[keep] if keep else None, texts=row_texts(), lang=language(),
                progress=lambda f, done: bar.progress(min(f, 1.0), text=t("predict.progress", done=done)),
                reasons=text_for(language()) if with_reasons else None)
            st.session_state["predict.last"] = {
                "request": request, "run_id": run_id, "rows": result.rows, "csv": str(result.out),
                "prediction_id": result.prediction_id, "preview": result.preview, "check": result.check,
                "drift": result.drift,
            }
            st.session_state["predict.history_pick"] = result.prediction_id  # the history shows the new one
        bar.empty()

    last = st.session_state.get("predict.last")
    if last and last["run_id"] == run_id:
        st.success(t("predict.done", rows=format_number(last["rows"])))
        st.caption(t("predict.in_history"))
        show_table(last["preview"], key="predict.preview", hide_index=True)
        st.caption(t("predict.preview", shown=format_number(len(last["preview"])), rows=format_number(last["rows"])))
        downloads(ws.username, last)
        show_check(last["check"], key="predict.check")
        show_drift(last.get("drift"), key="predict.drift")
    history_panel(ws)


# -- the input check ---------------------------------------------------------------------------------------

def _examples(check: InputCheck, column: str, kind: str) -> str:
    items = check.examples.get(column, {}).get(kind, [])
    if not items:
        return ""
    if kind == "unseen":
        shown = ", ".join(f"'{v}'" for _, v in items)
    elif kind == "missing":
        shown = ", ".join(t("predict.example_row_only", row=format_number(r)) for r, _ in items)
    else:
        shown = ", ".join(t("predict.example_row", row=format_number(r), value=v) for r, v in items)
    return t("predict.examples", items=shown)


def check_sentences(check: InputCheck) -> list[str]:
    """One sentence per problem of the check, in the user's language."""
    entries = {c["name"]: c for c in check.contract.get("columns", [])}
    out = []
    if check.extra_columns:
        out.append(t_md("predict.kind.extra_column", columns=", ".join(check.extra_columns)))
    for column, kinds in check.report.items():
        entry = entries.get(column, {})
        for kind, count in kinds.items():
            params = {"count": format_number(count), "column": column, "examples": _examples(check, column, kind)}
            if kind == "unreadable":
                params["what"] = t("predict.what.number" if entry.get("kind") == "number" else "predict.what.date")
            if kind == "out_of_range":
                params["low"], params["high"] = range_text(entry)
                params["robust"] = t("predict.robust", p01=fmt_value(entry["p01"]), p99=fmt_value(entry["p99"])) \
                    if "p01" in entry else ""
            out.append(t_md(f"predict.kind.{kind}", **params).strip())
    return out


def check_table(check: InputCheck) -> pd.DataFrame:
    """The check as a table with the user's column names (shown and downloadable)."""
    table = check.table()
    return pd.DataFrame({
        t("predict.col.column"): table["column"],
        t("predict.col.problem"): [t(f"predict.kind_name.{k}") for k in table["kind"]],
        t("predict.col.count"): table["count"],
        t("predict.col.examples"): table["examples"],
        t("predict.col.action"): [t(f"predict.action.{k}") for k in table["kind"]],
    })


def show_check(check: InputCheck, key: str) -> None:
    """The report of the input check: a warning per problem, the table, and its download."""
    sentences = check_sentences(check)
    if not sentences:
        st.info(t("predict.report_ok"))
        return
    with st.container(border=True):
        st.markdown(f"**{t('predict.warnings')}**")
        for sentence in sentences:
            st.warning(sentence)
        table = check_table(check)
        st.dataframe(table, hide_index=True, key=f"{key}.table", placeholder=MISSING)
        st.download_button(t("predict.report_download"), csv_bytes(table),
                           file_name="input_check.csv", mime="text/csv", key=f"{key}.download")


# -- one record at a time -----------------------------------------------------------------------------------

def record_form(contract: dict, key: str) -> dict | None:
    """A form generated from the input contract; the values entered when it is submitted, else None.

    Numbers start at the training median (hint: the training range and the 1st-99th percentile),
    categories are a select box of the training levels (a new one may be typed), dates a date picker.
    """
    with st.form(key):
        st.caption(t("predict.record_intro"))
        values = {}
        columns = st.columns(2)
        for i, entry in enumerate(contract["columns"]):
            name, field_key = entry["name"], f"{key}.field.{i}"
            with columns[i % 2]:
                values[name] = _field(entry, field_key)
        submitted = st.form_submit_button(t("predict.record_go"), type="primary", key=f"{key}.go")
    return values if submitted else None


def _field(entry: dict, key: str):
    name, kind = entry["name"], entry["kind"]
    if kind == "number":
        low, high = range_text(entry)
        p01, p99 = (fmt_value(entry["p01"]), fmt_value(entry["p99"])) if "p01" in entry else (low, high)
        start = entry.get("median", (entry["min"] + entry["max"]) / 2)
        whole = entry.get("whole", False)
        return st.number_input(name, value=int(round(start)) if whole else float(start),
                               step=1 if whole else None, key=key,
                               help=t("predict.range_hint", low=low, high=high, p01=p01, p99=p99))
    if kind == "date":
        low, high = range_text(entry)
        start = pd.Timestamp(entry.get("median", entry["min"])).date()
        picked = st.date_input(name, value=start, min_value=date(1900, 1, 1), max_value=date(2200, 12, 31),
                               key=key, help=t("predict.date_hint", low=low, high=high))
        return pd.Timestamp(picked) if picked is not None else None
    if kind == "category":
        levels = entry.get("levels", [])
        return st.selectbox(name, levels, index=0 if levels else None, accept_new_options=True, key=key,
                            help=t("predict.level_hint", count=format_number(entry.get("n_levels", len(levels)))))
    return st.text_input(name, key=key, help=t("predict.text_hint")) or None


def show_record_result(result: dict) -> None:
    """The prediction of one record: the value, the class probabilities as bars, and its warnings."""
    st.metric(t("predict.record_result"), result["prediction"], border=True)
    if result["probabilities"] is not None:
        st.markdown(f"**{t('predict.record_proba')}**")
        answer, chance = t("predict.chart.class"), t("predict.chart.probability")
        st.bar_chart(result["probabilities"].rename(columns={"class": answer, "probability": chance}),
                     x=answer, y=chance, horizontal=True, sort=False)
    if result["warnings"]:
        for text in result["warnings"]:
            st.warning(literal(text))
    else:
        st.success(t("predict.record_ok"))


def record_result(prediction, sidecar: dict) -> dict:
    """What `show_record_result` needs, kept in session state between runs."""
    row = prediction.frame.iloc[0]
    value = row[prediction.names.prediction]
    shown = format_number(value, (sidecar["contract"].get("target") or {}).get("decimals")) \
        if sidecar["task"] == "regression" else str(value)
    if prediction.names.range:
        shown = f"{shown} ± {format_number(row[prediction.names.range])}"
    probabilities = record_probabilities(prediction, sidecar) if sidecar["task"] != "regression" else None
    warnings = [w for w in str(row[prediction.names.warnings] or "").split("; ") if w]
    return {"prediction": shown, "probabilities": probabilities, "warnings": warnings}


def one_record(run_id: str, pipeline, sidecar: dict) -> None:
    """The one-record form and, once submitted, the model's prediction for that record."""
    values = record_form(sidecar["contract"], key=f"predict.record.{run_id}")
    if values is not None:
        with user_errors():
            prediction = predict_record(pipeline, sidecar, values, texts=row_texts(), lang=language())
            st.session_state["predict.record_last"] = {"run_id": run_id, **record_result(prediction, sidecar),
                                                       "reasons": record_reasons(pipeline, sidecar, prediction)}
    record = st.session_state.get("predict.record_last")
    if record and record["run_id"] == run_id:
        show_record_result(record)
        show_record_reasons(record.get("reasons"), key="predict.record_reasons")
