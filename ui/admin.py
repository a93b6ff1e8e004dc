"""The Admin page's work: the accounts table, adding an account, the actions on one account, the training cluster."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import USER_ERRORS
from core.train.cluster import cluster_status
from storage.users import AccountSummary, User, UserStore
from ui.auth import PasswordsDiffer
from ui.tables import MISSING
from ui.i18n import format_bytes, format_datetime, t
from ui.session import error_text, flash, user_errors


def status(store: UserStore, user: User) -> str:
    if user.disabled:
        return t("admin.status_disabled")
    if user.locked_until is not None and user.locked_until > store.now():
        return t("admin.status_locked", until=format_datetime(user.locked_until))
    return t("admin.status_active")


def done(key: str, username: str) -> None:
    """After an action: say so on the next run."""
    flash("admin.notice", "success", key=key, username=username)
    st.rerun()


def accounts_table(admin: User) -> list[AccountSummary]:
    """Every account with its role, status, storage, job limit and dates; returns their summaries."""
    store = UserStore()
    summaries = store.summaries(admin.username)
    st.dataframe(pd.DataFrame([{
        t("admin.col_username"): s.user.username, t("admin.col_name"): s.user.name,
        t("admin.col_email"): s.user.email, t("admin.col_role"): t(f"account.role_{s.user.role}"),
        t("admin.col_status"): status(store, s.user),
        t("admin.col_storage"): f"{format_bytes(s.storage_bytes)} / {format_bytes(s.storage_quota)}",
        t("admin.col_jobs"): s.max_jobs, t("admin.col_last_login"): format_datetime(s.user.last_login),
        t("admin.col_created"): format_datetime(s.user.created),
    } for s in summaries]), hide_index=True, key="admin.users", placeholder=MISSING)
    return summaries


def add_account(admin: User) -> None:
    with st.expander(t("admin.add_title")), st.form("admin.add_form", clear_on_submit=True):
        st.caption(t("admin.add_help"))
        name_col, email_col = st.columns(2)
        new_name = name_col.text_input(t("admin.add_name"), key="admin.add_name")
        new_email = email_col.text_input(t("auth.email"), key="admin.add_email")
        username_col, password_col = st.columns(2)
        new_username = username_col.text_input(t("auth.username"), key="admin.add_username")
        new_password = password_col.text_input(t("auth.password"), type="password", key="admin.add_password",
                                                help=t("auth.password_rule"), autocomplete="new-password")
        add = st.form_submit_button(t("admin.add_button"), key="admin.add")
    if add:
        with user_errors():
            added = UserStore().add_account(admin.username, new_username, new_name, new_email, new_password)
            done("admin.added", added.username)


def lock_button(admin: User, target: User) -> None:
    store = UserStore()
    if target.locked_at(store.now()):
        if st.button(t("admin.unlock"), key="admin.unlock"):
            with user_errors():
                store.set_locked(admin.username, target.username, False)
                done("admin.unlocked", target.username)
    elif st.button(t("admin.lock"), key="admin.lock"):
        with user_errors():
            store.set_locked(admin.username, target.username, True)
            done("admin.locked", target.username)


def role_button(admin: User, target: User) -> None:
    store = UserStore()
    if target.is_admin:
        if st.button(t("admin.demote"), key="admin.demote"):
            with user_errors():
                store.set_role(admin.username, target.username, "user")
                done("admin.demoted", target.username)
    elif st.button(t("admin.promote"), key="admin.promote"):
        with user_errors():
            store.set_role(admin.username, target.username, "admin")
            done("admin.promoted", target.username)


def delete_button(admin: User, username: str) -> None:
    sure = st.checkbox(t("admin.delete_sure", username=username), key="admin.delete_sure")
    if st.button(t("admin.delete"), key="admin.delete", disabled=not sure, type="primary"):
        with user_errors():
            UserStore().delete_user(admin.username, username)
            st.session_state.pop("admin.user", None)
            done("admin.deleted", username)


def reset_form(column, admin: User, username: str) -> None:
    """Set a new password for the account (in ``column``; a refusal is shown below the columns)."""
    with column, st.form("admin.reset_form", clear_on_submit=True):
        st.subheader(t("admin.reset_title"))
        new = st.text_input(t("account.new_password"), type="password", key="admin.new_password",
                            help=t("auth.password_rule"), autocomplete="new-password")
        repeat = st.text_input(t("account.repeat_password"), type="password", key="admin.repeat_password",
                               autocomplete="new-password")
        reset = st.form_submit_button(t("admin.reset"), key="admin.reset")
    if reset:
        with user_errors():
            if new != repeat:
                raise PasswordsDiffer("The two passwords are not the same. Type them again.",
                                      key="error.password_mismatch")
            UserStore().reset_password(admin.username, username, new)
            done("admin.reset_done", username)


def quota_form(column, admin: User, summary: AccountSummary) -> None:
    """The account's storage quota and job limit (in ``column``; a refusal is shown below the columns)."""
    username = summary.user.username
    with column, st.form("admin.quota_form"):
        st.subheader(t("admin.quota_title"))
        storage_mb = st.number_input(t("admin.quota_storage"), min_value=1,
                                     value=max(1, summary.storage_quota // 2**20), step=512,
                                     key=f"admin.quota_storage.{username}")
        jobs = st.number_input(t("admin.quota_jobs"), min_value=1, max_value=64, value=summary.max_jobs,
                               key=f"admin.quota_jobs.{username}")
        save_quota = st.form_submit_button(t("admin.quota_save"), key="admin.quota_save")
    if save_quota:
        with user_errors():
            UserStore().set_quotas(admin.username, username, storage_mb, int(jobs))
            done("admin.quota_saved", username)


def audit(username: str) -> None:
    """The account's last 50 audited actions, newest first."""
    st.subheader(t("admin.audit_title", username=username))
    entries = UserStore().audit(username)[-50:][::-1]
    st.dataframe(pd.DataFrame([{t("admin.col_time"): format_datetime(when),
                                t("admin.col_action"): t(f"audit.{action}"), t("admin.col_detail"): detail or ""}
                               for when, _, action, detail in entries]),
                 hide_index=True, key="admin.audit", placeholder=MISSING)


def cluster_section() -> None:
    """Where training runs: one sentence for this server, or the Dask cluster's workers, load and dashboard."""
    st.subheader(t("cluster.title"))
    try:
        cluster = cluster_status()
    except USER_ERRORS as err:
        st.warning(error_text(err))
        return
    if cluster is None:
        st.caption(t("cluster.not_configured"))
        return
    st.caption(t("cluster.intro", address=cluster.address))
    workers, cores, memory, running = st.columns(4)
    workers.metric(t("cluster.workers"), len(cluster.workers))
    cores.metric(t("cluster.cores"), cluster.cores)
    memory.metric(t("cluster.memory"), format_bytes(cluster.memory_limit))
    running.metric(t("cluster.tasks_running"), cluster.tasks_running)
    if cluster.workers:
        st.dataframe(pd.DataFrame([{
            t("cluster.col_worker"): w.name if w.name == w.address else f"{w.name} ({w.address})",
            t("cluster.col_cores"): w.cores,
            t("cluster.col_memory"): f"{format_bytes(w.memory_used)} / {format_bytes(w.memory_limit)}",
            t("cluster.col_tasks"): w.tasks_running,
        } for w in cluster.workers]), hide_index=True, key="admin.cluster_workers", placeholder=MISSING)
    else:
        st.info(t("cluster.no_workers"))
    if cluster.dashboard:
        st.link_button(t("cluster.dashboard"), cluster.dashboard, key="admin.cluster_dashboard")
    else:
        st.caption(t("cluster.no_dashboard"))
