"""Data: bring a file (any common format and encoding), a sample or a blank table; list, rename, download, delete."""
from pathlib import Path

import pandas as pd
import streamlit as st

from core import service
from core.errors import USER_ERRORS
from core.data.samples import SAMPLES
from core.data.types import TYPES
from storage.ingest import ENCODINGS, UPLOAD_TYPES, ReadOptions
from storage.workspace import Workspace
from ui.i18n import format_bytes, format_datetime, t
from ui.session import error_text, flash, pick_dataset, show_flash, user_errors, workspace

PREVIEW_ROWS = 50
DELIMITERS = {",": "data.delim.comma", ";": "data.delim.semicolon", "\t": "data.delim.tab", "|": "data.delim.pipe"}
READ_OPTION_KEYS = ("data.encoding", "data.delimiter", "data.decimal", "data.thousands", "data.sheet", "data.header_row")


@st.cache_data(max_entries=16, show_spinner=False)
def inspect(username: str, path: str, name: str, options: ReadOptions) -> service.Inspection:
    return service.inspect_file(Workspace(username), Path(path), name, options)


@st.cache_data(max_entries=32, show_spinner=False)
def column_types(username: str, dataset_id: str, version: int) -> dict[str, str]:
    return service.dataset_types(Workspace(username), dataset_id, version)


def staged_upload(ws: Workspace, upload) -> dict:
    """The uploaded file, copied once to the user's staging directory (the upload stays in memory)."""
    staged = st.session_state.get("data.staged")
    if staged is None or staged["file_id"] != upload.file_id:
        if staged is not None:
            ws.discard_staged(Path(staged["path"]))
        path = ws.stage_upload(upload, upload.name)
        staged = {"file_id": upload.file_id, "path": str(path), "name": upload.name}
        st.session_state["data.staged"] = staged
        for key in READ_OPTION_KEYS:  # a new file starts from what is detected in it
            st.session_state.pop(key, None)
    return staged


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


def describe_read(report) -> str:
    parts = [t(f"data.format.{report.format}")]
    if report.sheet:
        parts.append(t("data.detected_sheet", sheet=report.sheet))
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
        st.info(t(f"data.note.{note.code}", **note.params))


def type_label(key: str) -> str:
    return t(f"data.type.{key}")


def upload_panel(ws: Workspace, upload, nonce: int) -> None:
    """What was read from the uploaded file, the options to read it otherwise, its column types, and Save."""
    staged = staged_upload(ws, upload)
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
        st.dataframe(inspection.preview.head(PREVIEW_ROWS), key="data.upload_preview", height=250)
        labels = {key: type_label(key) for key in TYPES}
        by_label = {label: key for key, label in labels.items()}
        table = pd.DataFrame({"column": list(inspection.types),
                              "type": [labels[v] for v in inspection.types.values()]})
        st.markdown(f"**{t('data.types_title')}** — {t('data.types_help')}")
        chosen = st.data_editor(table, key=f"data.types.{nonce}", hide_index=True, disabled=["column"],
                                column_config={"column": st.column_config.TextColumn(t("data.col.column")),
                                               "type": st.column_config.SelectboxColumn(
                                                   t("data.col.type"), options=list(labels.values()),
                                                   required=True)})
        changed = {c: by_label[label] for c, label in zip(chosen["column"], chosen["type"])
                   if label in by_label and by_label[label] != inspection.types.get(c)}
        name = st.text_input(t("data.name"), value=Path(upload.name).stem, key=f"data.name.{nonce}")
        if st.button(t("data.save"), key="data.save", type="primary"):
            bar = st.progress(0.0, text=t("data.progress.read"))
            with user_errors():
                saved = service.ingest(ws, Path(staged["path"]), name or None, staged["name"], options, changed,
                                       progress=lambda f, what: bar.progress(min(f, 1.0),
                                                                             text=t(f"data.progress.{what}")))
                ws.discard_staged(Path(staged["path"]))
                st.session_state.pop("data.staged", None)
                st.session_state["data.upload_nonce"] = nonce + 1
                st.session_state["current_dataset"] = saved.dataset.dataset_id
                flash("data.flash", "success", key="data.saved", name=saved.dataset.name,
                      rows=f"{saved.dataset.rows:,}", columns=saved.dataset.columns)
                st.rerun()
            bar.empty()

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
                ds = service.create_blank(ws, blank_name, names, rows)
                st.session_state["current_dataset"] = ds.dataset_id
                st.session_state["data.blank_done"] = True
                flash("data.flash", "success", key="data.saved", name=ds.name, rows=f"{ds.rows:,}",
                      columns=ds.columns)
                st.rerun()


ws = workspace()
st.title(t("data.title"))
show_flash("data.flash")
if st.session_state.pop("data.blank_done", False):
    st.session_state["data.blank"] = False

upload_col, sample_col = st.columns([3, 2])
with upload_col:
    nonce = st.session_state.setdefault("data.upload_nonce", 0)
    upload = st.file_uploader(t("data.upload"), type=UPLOAD_TYPES, key=f"data.upload.{nonce}")
with sample_col:
    sample_names = {k: t(f"data.sample.{k}") for k in SAMPLES}
    sample = st.selectbox(t("data.sample"), list(SAMPLES), format_func=sample_names.get, key="data.sample")
    if st.button(t("data.sample_button"), key="data.load_sample"):
        with user_errors():
            ds = service.load_sample(ws, sample, name=t(f"data.sample.{sample}"))
            st.session_state["current_dataset"] = ds.dataset_id
            st.success(t("data.saved", name=ds.name, rows=f"{ds.rows:,}", columns=ds.columns))

if upload is None and "data.staged" in st.session_state:  # the user removed the file without saving it
    ws.discard_staged(Path(st.session_state.pop("data.staged")["path"]))
if upload is not None:
    upload_panel(ws, upload, nonce)
if st.toggle(t("data.blank"), key="data.blank"):
    blank_table_panel(ws)

st.subheader(t("data.list"))
datasets = ws.datasets()
if not datasets:
    st.info(t("data.none"))
    st.stop()
st.dataframe(pd.DataFrame([{t("col.name"): d.name, t("col.rows"): d.rows, t("col.columns"): d.columns,
                            t("data.col.size"): format_bytes(d.size_bytes), t("col.created"): format_datetime(d.created),
                            t("col.source"): d.source} for d in datasets]),
             hide_index=True, key="data.table")

ds = pick_dataset(ws, key="data.pick")
st.subheader(f"{t('data.preview')} {ds.name}")
st.caption(t("data.preview_rows", n=min(PREVIEW_ROWS, ds.rows), rows=f"{ds.rows:,}"))
with user_errors():
    kinds = column_types(ws.username, ds.dataset_id, ds.version)
    st.dataframe(ws.load(ds.dataset_id, limit=PREVIEW_ROWS), key="data.preview",
                 column_config={c: st.column_config.Column(f"{c} · {type_label(k)}", help=t(f"data.type_help.{k}"))
                                for c, k in kinds.items()})

rename_col, download_col = st.columns(2)
with rename_col:
    new_name = st.text_input(t("data.rename"), value=ds.name, key=f"data.rename.{ds.dataset_id}")
    if st.button(t("data.rename_button"), key="data.rename_button", disabled=new_name.strip() == ds.name):
        with user_errors():
            renamed = ws.rename_dataset(ds.dataset_id, new_name)
            flash("data.flash", "success", key="data.renamed", name=renamed.name)
            st.rerun()
with download_col:
    st.markdown(f"**{t('data.download')}**")
    for fmt, mime in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                      ("parquet", "application/octet-stream")):
        st.download_button(t(f"data.download_{fmt}"), data=lambda fmt=fmt: ws.open_export(ds.dataset_id, fmt),
                           file_name=f"{ds.name}.{fmt}", mime=mime, key=f"data.download_{fmt}", on_click="ignore")

with st.expander(t("data.delete")):
    if st.button(t("data.delete_confirm", name=ds.name), key="data.delete"):
        with user_errors():
            ws.delete_dataset(ds.dataset_id)
            st.session_state.pop("current_dataset", None)
            flash("data.flash", "success", key="data.deleted", name=ds.name)
            st.rerun()
