"""Explore: understand a table before modelling it — overview, columns, target, relations, report."""
import streamlit as st

from core import explore as profiling
from ui import explore as view
from ui.i18n import t
from ui.session import pick_dataset, user_errors, workspace


# Cached per user, dataset and version: a new version (an edit) is profiled afresh.
@st.cache_data(show_spinner=False, max_entries=32)
def cached_profile(_ws, username: str, dataset_id: str, version: int) -> profiling.Profile:
    return profiling.profile_dataset(_ws, dataset_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_analysis(_ws, _profile, username: str, dataset_id: str, version: int,
                    target: str) -> profiling.TargetAnalysis:
    return profiling.analyse_target(_ws, dataset_id, _profile, target)


@st.cache_data(show_spinner=False, max_entries=128)
def cached_relation(_ws, _profile, _analysis, username: str, dataset_id: str, version: int, target: str,
                    feature: str) -> profiling.Relation:
    return profiling.relation(_ws, dataset_id, _profile, _analysis, feature)


ws = workspace()
st.title(t("explore.title"))
ds = pick_dataset(ws, key="explore.dataset")
columns = ws.column_names(ds.dataset_id)
target = view.pick_target(ds.dataset_id, columns)

profile = analysis = None
with user_errors(), st.spinner(t("explore.computing", rows=f"{ds.rows:,}")):
    profile = cached_profile(ws, ws.username, ds.dataset_id, ds.version)
if profile is None:
    st.stop()
if target:
    with user_errors(), st.spinner(t("explore.testing", target=target)):
        analysis = cached_analysis(ws, profile, ws.username, ds.dataset_id, ds.version, target)

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
                view.relation_chart(cached_relation(ws, profile, analysis, ws.username, ds.dataset_id, ds.version,
                                                    target, feature))
with report_tab:
    view.report_download(ws, ds, profile, analysis)
