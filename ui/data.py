"""The Data page's work: reading an upload (with the user's overrides), samples, blank tables, the dataset list."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from core.data import create_blank, ingest, inspect_file, Inspection, load_sample
from core.data.samples import SAMPLES
from core.errors import USER_ERRORS
from storage.ingest import ENCODINGS, ReadOptions
from storage.workspace import PREVIEW_READ_ROWS, Dataset, Workspace
from texts import STRINGS
from ui.columns import column_types, type_label, types_editor
from ui.i18n import format_bytes, format_datetime, format_number, t
from ui.literal import literal, t_md
from ui.session import error_text, flash, user_errors
from ui.tables import MISSING, show_table
from ui.uploads import discard_staged, staged_upload

PREVIEW_ROWS = 50
DELIMITERS = {",": "data.delim.comma", ";": "data.delim.semicolon", "\t": "data.delim.tab", "|": "data.delim.pipe"}
READ_OPTION_KEYS = ("data.encoding", "data.delimiter", "data.decimal", "data.thousands", "data.sheet", "data.header_row")
STAGED = "data.staged"


@st.cache_data(max_entries=16, show_spinner=False)
def inspect(username: str, path: str, name: str, options: ReadOptions) -> Inspection:
    return inspect_file(Workspace(username), Path(path), name, options)


def reading_options(report) -> ReadOptions:
    """The user's overrides of what was detected (each "detect" by default)."""
    # Labels are computed here, not inside format_func, so they follow this run's language.
    auto = {None: t("data.auto")}
    encodings = auto | {e: t(f"data.enc.{e}") for e in ENCODINGS}
    delimiters = auto | {d: t(key) for d, key in DELIMITERS.items()}
    decimals = auto | {".": ".", ",": ","}
    separators = auto | {",": "','", ".": "'.'", " ": "' '", "": t("data.thousands_none")}
    with st.expander(t("data.read_options"), expanded=False):
        left, middle, right = st.columns(3)
        if report is None or report.format == "delimited":
            encoding = left.selectbox(t("data.encoding"), list(encodings), key="data.encoding",
                                      format_func=encodings.get)
            delimiter = middle.selectbox(t("data.delimiter"), list(delimiters), key="data.delimiter",
                                         format_func=delimiters.get)
            decimal = left.selectbox(t("data.decimal"), list(decimals), key="data.decimal", format_func=decimals.get)
            thousands = middle.selectbox(t("data.thousands"), list(separators), key="data.thousands",
                                         format_func=separators.get)
        else:
            encoding = delimiter = decimal = thousands = None
        sheet = None
        if report is not None and report.sheets:
            sheet = middle.selectbox(t("data.sheet"), list(report.sheets), key="data.sheet")
            sheet = None if sheet == report.sheet else sheet
        header_row = right.number_input(t("data.header_row"), min_value=0, value=None, step=1,
                                        key="data.header_row", help=t("data.header_row_help"))
    return ReadOptions(encoding=encoding, delimiter=delimiter, header_row=None if header_row is None else
                       int(header_row), decimal=decimal, thousands=thousands, sheet=sheet)


def size_before_saving(preview: pd.DataFrame) -> str:
    """"N rows × M columns will be saved" (a preview holds at most `PREVIEW_READ_ROWS` rows: past that, "at least")."""
    rows, columns = len(preview), format_number(len(preview.columns))
    if rows >= PREVIEW_READ_ROWS:
        return t("data.will_save_more", rows=format_number(PREVIEW_READ_ROWS), columns=columns)
    return t("data.will_save", rows=format_number(rows), columns=columns)


def describe_read(report) -> str:
    parts = [t(f"data.format.{report.format}")]
    if report.sheet:
        parts.append(t_md("data.detected_sheet", sheet=report.sheet))
    if report.encoding:
        parts.append(t("data.detected_encoding", encoding=t(f"data.enc.{report.encoding}")))
    if report.delimiter:
        parts.append(t("data.detected_delimiter", delimiter=t(DELIMITERS.get(report.delimiter, "data.delim.other"))))
    if report.format in {"delimited", "excel"}:
        parts.append(t("data.detected_header", line=report.header_row) if report.header_row
                     else t("data.detected_no_header"))
    if report.decimal == ",":
        parts.append(t("data.detected_decimal_comma"))
    return " · ".join(parts)


def show_notes(notes) -> None:
    for note in notes:
        st.info(t_md(f"data.note.{note.code}", **note.params))


def upload_panel(ws: Workspace, upload, nonce: int) -> None:
    """What was read from the uploaded file, the options to read it otherwise, its column types, and Save."""
    # A new file starts from what is detected in it.
    staged = staged_upload(ws, upload, STAGED, reset=READ_OPTION_KEYS)
    detected, problem = None, None
    try:
        detected = inspect(ws.username, staged["path"], staged["name"], ReadOptions())
    except USER_ERRORS as err:  # shown below unless the user's own reading options fix it
        problem = err
    options = reading_options(detected.report if detected else None)
    inspection = detected
    if options != ReadOptions():
        inspection = None
        with user_errors():
            inspection = inspect(ws.username, staged["path"], staged["name"], options)
    elif problem is not None:
        st.error(error_text(problem))
    if inspection is not None:
        st.caption(describe_read(inspection.report))
        show_notes(inspection.report.notes)
        show_table(inspection.preview.head(PREVIEW_ROWS), key="data.upload_preview", height=250)
        st.caption(size_before_saving(inspection.preview))
        st.markdown(f"**{t('data.types_title')}** — {t('data.types_help')}")
        changed = types_editor(inspection.types, key=f"data.types.{nonce}")
        name = st.text_input(t("data.name"), value=Path(upload.name).stem, key=f"data.name.{nonce}")
        if st.button(t("data.save"), key="data.save", type="primary"):
            bar = st.progress(0.0, text=t("data.progress.read"))
            with user_errors():
                saved = ingest(ws, Path(staged["path"]), name or None, staged["name"], options, changed,
                               progress=lambda f, what: bar.progress(min(f, 1.0),
                                                                     text=t(f"data.progress.{what}")))
                discard_staged(ws, STAGED)
                st.session_state["data.upload_nonce"] = nonce + 1
                st.session_state["current_dataset"] = saved.dataset.dataset_id
                st.session_state["data.next"] = saved.dataset.dataset_id
                flash("data.flash", "success", key="data.saved", name=saved.dataset.name,
                      rows=f"{saved.dataset.rows:,}", columns=saved.dataset.columns)
                st.rerun()
            bar.empty()


def next_step() -> None:
    """After a dataset is saved: the button to the next step, training a model on it (it is the current one)."""
    saved = st.session_state.get("data.next")
    if saved and saved == st.session_state.get("current_dataset"):
        if st.button(t("data.next_train"), type="primary", key="data.next_train", icon=":material/arrow_forward:"):
            st.session_state.pop("data.next", None)
            st.switch_page("pages/train.py")


def blank_table_panel(ws: Workspace) -> None:
    """Type column names and rows, and save them as a new dataset."""
    names = [c.strip() for c in st.text_input(t("data.blank_columns"), key="data.blank_columns").split(",")
             if c.strip()]
    if names:
        rows = st.data_editor(pd.DataFrame({c: pd.Series(dtype="string") for c in dict.fromkeys(names)}),
                              num_rows="dynamic", key="data.blank_rows", hide_index=True)
        blank_name = st.text_input(t("data.name"), value=t("data.blank_default_name"), key="data.blank_name")
        if st.button(t("data.blank_save"), key="data.blank_save", type="primary"):
            with user_errors():
                ds = create_blank(ws, blank_name, names, rows)
                st.session_state["current_dataset"] = ds.dataset_id
                st.session_state["data.next"] = ds.dataset_id
                st.session_state["data.blank_done"] = True
                flash("data.flash", "success", key="data.saved", name=ds.name, rows=f"{ds.rows:,}",
                      columns=ds.columns)
                st.rerun()


def forget_removed_upload(ws: Workspace, upload) -> None:
    """Delete the staged copy of a file the user removed from the uploader without saving it."""
    if upload is None and STAGED in st.session_state:
        discard_staged(ws, STAGED)


def sample_loader(ws: Workspace) -> None:
    """Pick one of the sample datasets and save it to the workspace."""
    sample_names = {k: t(f"data.sample.{k}") for k in SAMPLES}
    sample = st.selectbox(t("data.sample"), list(SAMPLES), format_func=sample_names.get, key="data.sample")
    if st.button(t("data.sample_button"), key="data.load_sample"):
        with user_errors():
            ds = load_sample(ws, sample, name=t(f"data.sample.{sample}"))
            st.session_state["current_dataset"] = ds.dataset_id
            st.session_state["data.next"] = ds.dataset_id
            st.success(t_md("data.saved", name=ds.name, rows=f"{ds.rows:,}", columns=ds.columns))


def source_label(source: str | None, models: dict[str, str] | None = None) -> str:
    """Where a dataset came from, in words: a file's name as it was, or what the app made it from."""
    if not source:
        return ""
    if source.startswith("sample:"):
        key = source.removeprefix("sample:")
        return t("data.source.sample", name=t(f"data.sample.{key}") if f"data.sample.{key}" in STRINGS else key)
    if source == "blank":
        return t("data.source.blank")
    if source.startswith("prediction:"):
        run = source.removeprefix("prediction:")
        return t("data.source.prediction", model=(models or {}).get(run, t("predict.history.model")))
    if source.endswith(" (view)"):
        return t("data.source.view", name=source.removesuffix(" (view)"))
    branch = re.fullmatch(r"(.+) v(\d+)", source)
    if branch:
        return t("data.source.branch", name=branch.group(1), version=branch.group(2))
    return source


def model_names(ws: Workspace) -> dict[str, str]:
    """{run id: model name} in the user's words."""
    return {r.run_id: t(f"model.{r.model}.name") if f"model.{r.model}.name" in STRINGS else r.model
            for r in ws.runs()}


def dataset_table(datasets: list[Dataset], models: dict[str, str] | None = None) -> None:
    st.dataframe(pd.DataFrame([{t("col.name"): d.name, t("col.rows"): d.rows, t("col.columns"): d.columns,
                                t("data.col.size"): format_bytes(d.size_bytes),
                                t("col.created"): format_datetime(d.created),
                                t("col.source"): source_label(d.source, models)}
                               for d in datasets]),
                 hide_index=True, key="data.table", placeholder=MISSING)


def preview(ws: Workspace, ds: Dataset) -> None:
    """The first rows of a dataset, each column headed by its type."""
    st.subheader(f"{t('data.preview')} {literal(ds.name)}")
    st.caption(t("data.preview_rows", n=min(PREVIEW_ROWS, ds.rows), rows=f"{ds.rows:,}"))
    with user_errors():
        kinds = column_types(ws.username, ds.dataset_id, ds.version)
        show_table(ws.load(ds.dataset_id, limit=PREVIEW_ROWS), key="data.preview",
                   column_config={c: st.column_config.Column(f"{c} · {type_label(k)}", help=t(f"data.type_help.{k}"))
                                  for c, k in kinds.items()})


def rename_form(ws: Workspace, ds: Dataset) -> None:
    new_name = st.text_input(t("data.rename"), value=ds.name, key=f"data.rename.{ds.dataset_id}")
    if st.button(t("data.rename_button"), key="data.rename_button", disabled=new_name.strip() == ds.name):
        with user_errors():
            renamed = ws.rename_dataset(ds.dataset_id, new_name)
            flash("data.flash", "success", key="data.renamed", name=renamed.name)
            st.rerun()


def downloads(ws: Workspace, ds: Dataset) -> None:
    """The dataset as CSV, Excel or Parquet (each file made only when its button is clicked)."""
    st.markdown(f"**{t('data.download')}**")
    for fmt, mime in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                      ("parquet", "application/octet-stream")):
        st.download_button(t(f"data.download_{fmt}"), data=lambda fmt=fmt: ws.open_export(ds.dataset_id, fmt),
                           file_name=f"{ds.name}.{fmt}", mime=mime, key=f"data.download_{fmt}", on_click="ignore")


def delete_button(ws: Workspace, ds: Dataset) -> None:
    if st.button(t_md("data.delete_confirm", name=ds.name), key="data.delete"):
        with user_errors():
            ws.delete_dataset(ds.dataset_id)
            st.session_state.pop("current_dataset", None)
            flash("data.flash", "success", key="data.deleted", name=ds.name)
            st.rerun()
