"""Train: choose the target, features, preparation, models and validation; training runs in the background."""
import streamlit as st

from ui import column_usage
from ui import train as view
from ui import train_form as form
from ui.i18n import t
from ui.jobs import job_panel
from ui.session import pick_dataset, require_user, workspace

user = require_user()
ws = workspace()
st.title(t("train.title"))
view.receive_prefill()
ds = pick_dataset(ws, key="train.dataset")
columns = ws.column_names(ds.dataset_id)
form.start(ds)
view.fill_widgets(columns)

target = form.pick_target(ws, ds, columns)
if target is not None:
    allowed = form.check_target(ws, ds, target)
    task, effective_task = form.pick_task(ws, ds, target)
    features, feature_options = form.pick_features(columns, target)
    column_usage.show(ws, ds, features)
    models, params = view.pick_models()
    preprocessing = view.preprocessing_choices(effective_task)
    validation = view.validation_choices(ws, ds, effective_task)
    settings = view.build_settings(ds, target, task, features, feature_options, models, params, validation,
                                   preprocessing)
    if st.button(t("train.start"), type="primary", key="train.start", disabled=settings is None or not allowed):
        view.start(ws, ds, settings, models, features, validation)

view.results(ws, user.username)  # right under the button pressed: the result in one sentence
job_panel(user.username)
