"""Explore: understand a table before modelling it — overview, columns, target, relations, report."""
import streamlit as st

from ui import explore as view
from ui.i18n import t
from ui.literal import t_md
from ui.session import pick_dataset, user_errors, workspace

ws = workspace()
st.title(t("explore.title"))
ds = pick_dataset(ws, key="explore.dataset")
columns = ws.column_names(ds.dataset_id)
target = view.pick_target(ds.dataset_id, columns)

profile = analysis = None
with user_errors(), st.spinner(t("explore.computing", rows=f"{ds.rows:,}")):
    profile = view.cached_profile(ws, ws.username, ds.dataset_id, ds.version)
if profile is None:
    st.stop()
if target:
    with user_errors(), st.spinner(t_md("explore.testing", target=target)):
        analysis = view.cached_analysis(ws, profile, ws.username, ds.dataset_id, ds.version, target)

overview_tab, columns_tab, target_tab, relations_tab, report_tab = st.tabs(
    [t("explore.tab.overview"), t("explore.tab.columns"), t("explore.tab.target"), t("explore.tab.relations"),
     t("explore.tab.report")], key="explore.tabs")
with overview_tab:
    view.overview(profile, analysis)
with columns_tab:
    view.column_cards(profile)
with target_tab:
    view.target_panel(analysis)
with relations_tab:
    view.correlations(profile)
    if analysis is not None:
        view.tests_table(analysis)
        view.carry_to_train(ds.dataset_id, analysis, columns)
        feature = view.pick_relation_feature(profile, analysis)
        if feature:
            with user_errors():
                view.relation_chart(view.cached_relation(ws, profile, analysis, ws.username, ds.dataset_id,
                                                         ds.version, target, feature))
with report_tab:
    view.report_download(ws, ds, profile, analysis)
