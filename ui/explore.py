"""Drawing the Explore page: overview, column cards, target, relations and the report download."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.explore import Profile, TargetAnalysis, charts, report
from core import explore as profiling
from storage.workspace import Dataset, Workspace
from texts import text_for
from ui.i18n import language, t
from ui.tables import MISSING
from ui.literal import literal, t_md

CARDS_PER_PAGE = 12
PLOTLY_CONFIG = {"displaylogo": False}
REPORT_RELATIONS = 5
#: Pixels of the tests table's "what it means" column: wide enough for its sentence.
MEANING_WIDTH = 640
MEANING_MAX_WIDTH = 1600
PIXELS_PER_CHARACTER = 13


# -- cached per user, dataset and version: a new version (an edit) is profiled afresh -------------------------

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


def _chart(fig, key: str) -> None:
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG)


def pick_target(dataset_id: str, columns: list[str]) -> str | None:
    """The target select box; a target carried in from another page is preselected once per dataset."""
    # Widget state is dropped when the user visits another page, so the last choice is kept apart.
    if "explore.target_pick" not in st.session_state or st.session_state.get("explore._target_for") != dataset_id:
        remembered = st.session_state.get("explore._last_target") or st.session_state.get("explore.target")
        st.session_state["explore.target_pick"] = remembered if remembered in columns else None
        st.session_state["explore._target_for"] = dataset_id
    target = st.selectbox(t("explore.target"), [None, *columns], key="explore.target_pick",
                          format_func=lambda c: t("explore.no_target") if c is None else c,
                          placeholder=t("explore.no_target"))
    st.session_state["explore._last_target"] = target
    return target


def overview(profile: Profile, analysis: TargetAnalysis | None) -> None:
    rows = report.overview_rows(profile, t, compact=True)
    kinds = t("explore.stat.kinds")
    figures = [(label, value) for label, value in rows if label != kinds]
    for cell, (label, value) in zip(st.columns(len(figures)), figures):
        cell.metric(label, value, border=True)
    st.caption(f"{kinds}: {literal(dict(rows)[kinds])}")
    sampled = analysis.sample_rows if analysis else (profile.correlations.sample_rows if profile.correlations
                                                     else profile.rows)
    if sampled < profile.rows:
        st.caption(t("explore.sample_note", n=f"{sampled:,}", rows=f"{profile.rows:,}", seed=profile.seed))
    st.subheader(t("explore.warnings"))
    if not profile.findings:
        st.success(t("explore.no_warnings"))
    for f in profile.findings:
        st.warning(report.finding_text(f, t_md))


def column_cards(profile: Profile) -> None:
    columns = profile.columns
    pages = max(1, math.ceil(len(columns) / CARDS_PER_PAGE))
    page = 1
    if pages > 1:
        page = int(st.number_input(t("explore.card_page", pages=pages), 1, pages, 1, key="explore.card_page"))
    start = (page - 1) * CARDS_PER_PAGE
    for index, c in enumerate(columns[start:start + CARDS_PER_PAGE], start=start):
        with st.container(border=True):
            st.markdown(f"#### {literal(c.name)}")
            if c.flags:
                st.caption(" · ".join(t(f"explore.flag.{flag}") for flag in c.flags))
            left, right = st.columns([1, 2])
            left.table(pd.DataFrame(report.column_stats(c, t), columns=[t("explore.col.figure"),
                                                                          t("explore.col.value")]).set_index(
                t("explore.col.figure")))
            with right:
                for j, fig in enumerate(charts.column_figures(c, t)):
                    _chart(fig, key=f"explore.card.{index}.{j}")


def target_panel(analysis: TargetAnalysis | None) -> None:
    if analysis is None:
        st.info(t("explore.pick_target"))
        return
    st.markdown(t("explore.task_is", task=t(f"explore.task.{analysis.task}")))
    for f in analysis.findings:
        (st.warning if f.severity == "warning" else st.info)(report.finding_text(f, t_md))
    if analysis.task == "regression":
        if analysis.histogram is not None:
            _chart(charts.histogram(analysis.histogram, name=analysis.target, count_label=t("explore.chart.rows")),
                   key="explore.target_chart")
    else:
        _chart(charts.class_figure(analysis.classes, analysis.other_classes, t), key="explore.target_chart")


def correlations(profile: Profile) -> None:
    corr = profile.correlations
    st.subheader(t("explore.correlations"))
    if corr is None:
        st.info(t("explore.no_correlations"))
        return
    st.caption(t("explore.correlations_help"))
    if corr.truncated:
        st.caption(t("explore.correlations_truncated", n=len(corr.columns)))
    pearson, spearman = st.tabs([t("explore.pearson"), t("explore.spearman", n=f"{corr.sample_rows:,}")],
                                key="explore.corr_tabs")
    with pearson:
        _chart(charts.heatmap(corr.columns, corr.pearson, title=t("explore.pearson")), key="explore.pearson_chart")
    with spearman:
        _chart(charts.heatmap(corr.columns, corr.spearman, title=t("explore.spearman", n=f"{corr.sample_rows:,}")),
               key="explore.spearman_chart")


def tests_table(analysis: TargetAnalysis) -> None:
    st.subheader(t("explore.tests"))
    st.caption(t("explore.tests_help"))
    rows = report.test_rows(analysis, t)
    if not rows:
        st.info(t("explore.no_tests"))
        return
    table = pd.DataFrame(rows)
    # Wide enough for its longest sentence (the grid does not wrap), the feature's name pinned beside it.
    longest = int(table[t("explore.col.meaning")].str.len().max())
    width = max(MEANING_WIDTH, min(MEANING_MAX_WIDTH, longest * PIXELS_PER_CHARACTER))
    st.dataframe(table, hide_index=True, key="explore.tests_table",
                 column_config={t("explore.col.feature"): st.column_config.TextColumn(pinned=True),
                                t("explore.col.meaning"): st.column_config.TextColumn(width=width)}, placeholder=MISSING)
    with st.expander(t("explore.how_to_read")):
        st.markdown(t("explore.how_to_read_body"))
    if analysis.leaks:
        st.warning(t_md("explore.leaks_left_out", columns=", ".join(analysis.leaks)))


def carry_to_train(dataset_id: str, analysis: TargetAnalysis, columns: list[str]) -> None:
    """The features to train with (suggested: related to the target, not leaking it) and the button
    that opens Train with this dataset, target and features."""
    target = analysis.target
    # The suggestion follows the target until the user edits it.
    if ("explore.features_pick" not in st.session_state
            or st.session_state.get("explore._features_for") != [dataset_id, target]):
        st.session_state["explore.features_pick"] = analysis.suggested_features()
        st.session_state["explore._features_for"] = [dataset_id, target]
    features = st.multiselect(t("explore.carry_features"), [c for c in columns if c != target],
                              key="explore.features_pick", placeholder=t("pick.columns"))
    if st.button(t("explore.to_train"), type="primary", key="explore.to_train", disabled=not features):
        st.session_state["current_dataset"] = dataset_id
        st.session_state["explore.target"] = target
        st.session_state["explore.features"] = list(features)
        st.switch_page("pages/train.py")


def pick_relation_feature(profile: Profile, analysis: TargetAnalysis) -> str | None:
    st.subheader(t("explore.relation"))
    choices = [c.name for c in profile.columns
               if c.name != analysis.target and c.kind in ("number", "category", "date") and c.usable]
    if not choices:
        return None
    strongest = analysis.tests[0].feature if analysis.tests else None
    return st.selectbox(t("explore.relation_feature"), choices, key="explore.relation_feature",
                        index=choices.index(strongest) if strongest in choices else 0)


def relation_chart(relation: profiling.Relation) -> None:
    _chart(charts.relation_figure(relation, t), key="explore.relation_chart")


def report_download(ws: Workspace, ds: Dataset, profile: Profile, analysis: TargetAnalysis | None) -> None:
    """The download button of the HTML report; the report is built only when it is clicked."""
    lang = language()
    text = text_for(lang)

    def build() -> str:
        strongest = list(dict.fromkeys(test.feature for test in analysis.tests))[:REPORT_RELATIONS] \
            if analysis else []
        relations = [profiling.relation(ws, ds.dataset_id, profile, analysis, f) for f in strongest]
        return report.build_report(profile, analysis, text, relations, lang)

    st.markdown(t("explore.report_help"))
    st.download_button(t("explore.download_report"), build, file_name=f"explore_{_file_part(ds.name)}.html",
                       mime="text/html", key="explore.download_report", on_click="ignore", type="primary")


def _file_part(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)[:60] or "dataset"
