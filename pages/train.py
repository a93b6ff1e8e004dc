"""Train: choose the target, features, preparation, models and validation; training runs in the background."""
import streamlit as st

from ui import train as view
from ui.i18n import t
from ui.jobs import job_panel
from ui.session import pick_dataset, require_user, workspace

user = require_user()
ws = workspace()
st.title(t("train.title"))
view.receive_prefill()
ds = pick_dataset(ws, key="train.dataset")
columns = ws.column_names(ds.dataset_id)
view.fill_widgets(columns)

target = st.selectbox(t("train.target"), columns, key="train.target")
task, effective_task = view.pick_task(ws, ds, target)
features, feature_options = view.pick_features(columns, target)
models, params = view.pick_models()
preprocessing = view.preprocessing_choices(effective_task)
validation = view.validation_choices(ws, ds, effective_task)
settings = view.build_settings(ds, target, task, features, feature_options, models, params, validation,
                               preprocessing)

if st.button(t("train.start"), type="primary", key="train.start", disabled=settings is None):
    view.start(user.username, ds, settings, models, features, validation)

job_panel(user.username)
view.results(ws, user.username)
