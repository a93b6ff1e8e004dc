"""The Predict history: every batch prediction kept with its rows, downloadable, and saved as a dataset on request."""
from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from core.predict import (forget_prediction, prediction_history, predictions_csv_file, predictions_xlsx,
                          save_prediction)
from storage.workspace import Workspace
from ui.i18n import format_datetime, format_number, t
from ui.tables import MISSING
from ui.session import flash, show_flash, user_errors


def excel_bytes(username: str, prediction_id: str) -> bytes:
    """A prediction's rows as an Excel file (made when its download button is clicked)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "predictions.xlsx"
        predictions_xlsx(Workspace(username), prediction_id, target)
        return target.read_bytes()


def csv_bytes(username: str, prediction_id: str) -> bytes:
    """A prediction's rows as CSV, UTF-8 with a BOM (made when its download button is clicked)."""
    with tempfile.TemporaryDirectory() as tmp:
        return predictions_csv_file(Workspace(username), prediction_id, Path(tmp) / "predictions.csv").read_bytes()


def model_names(ws: Workspace) -> dict[str, str]:
    """{run id: "model → target"} in the user's words, for the history's model column."""
    names = {}
    for run in ws.runs():
        try:
            model = t(f"model.{run.model}.name")
        except KeyError:
            model = run.model
        names[run.run_id] = f"{model} → {run.target}"
    return names


def history_table(history: pd.DataFrame, models: dict[str, str], datasets: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        t("predict.history.when"): [format_datetime(w) for w in history["created"]],
        t("predict.history.source"): history["source"].fillna(""),
        t("predict.history.rows"): [format_number(r) for r in history["rows"]],
        t("predict.history.model"): [models.get(r, r) for r in history["run_id"]],
        t("predict.history.dataset"): [datasets.get(d, "") if isinstance(d, str) else "" for d in
                                       history["output_dataset_id"]],
    })


def history_panel(ws: Workspace) -> None:
    """The earlier batch predictions: a table, and for the one picked its downloads, "save as a dataset", remove."""
    st.subheader(t("predict.history"))
    show_flash("predict.history_flash")
    history = prediction_history(ws)
    if history.empty:
        st.caption(t("predict.history_none"))
        return
    models = model_names(ws)
    datasets = {d.dataset_id: d.name for d in ws.datasets()}
    st.dataframe(history_table(history, models, datasets), hide_index=True, key="predict.history_table", placeholder=MISSING)
    labels = {row.prediction_id: t("predict.history_label", when=format_datetime(row.created), source=row.source or "",
                                   rows=format_number(row.rows), model=models.get(row.run_id, row.run_id))
              for row in history.itertuples()}
    picked = st.selectbox(t("predict.history_pick"), list(labels), format_func=labels.get, key="predict.history_pick")
    row = history.set_index("prediction_id").loc[picked]
    csv_col, excel_col, save_col, delete_col = st.columns(4)
    csv_col.download_button(t("predict.history_download"), partial(csv_bytes, ws.username, picked),
                            file_name=f"predictions_{picked}.csv", mime="text/csv", key="predict.history_csv")
    excel_col.download_button(t("predict.history_download_xlsx"), partial(excel_bytes, ws.username, picked),
                              file_name=f"predictions_{picked}.xlsx", key="predict.history_xlsx",
                              mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    saved = isinstance(row["output_dataset_id"], str) and row["output_dataset_id"] in datasets
    if save_col.button(t("predict.save_dataset"), key="predict.save_dataset", disabled=saved,
                       help=t("predict.save_dataset_help")):
        with user_errors():
            source = Path(str(row["source"] or "")).stem
            model = models.get(row["run_id"], row["run_id"]).split(" → ")[0]
            dataset = save_prediction(ws, picked, t("predict.output_name", source=source, model=model))
            st.session_state["current_dataset"] = dataset.dataset_id
            flash("predict.history_flash", "success", key="predict.saved_dataset", name=dataset.name)
            st.rerun()
    if delete_col.button(t("predict.delete_prediction"), key="predict.delete_prediction"):
        with user_errors():
            forget_prediction(ws, picked)
            last = st.session_state.get("predict.last")
            if last and last.get("prediction_id") == picked:
                st.session_state.pop("predict.last", None)
            flash("predict.history_flash", "info", key="predict.deleted_prediction")
            st.rerun()
