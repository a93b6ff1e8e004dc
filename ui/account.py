"""The Account page's work: the account's details and storage use, its password and API tokens, deleting it."""
from __future__ import annotations

import json
import shlex

import streamlit as st

from core.config import api_url
from core.errors import UserError
from core.predict import default_run, run_sidecar
from core.predict.example import example_record
from storage.users import User, UserStore, max_concurrent_jobs, storage_quota, storage_used
from storage.workspace import Workspace
from ui.auth import PasswordsDiffer, renew_cookie
from ui.i18n import format_bytes, format_datetime, t
from ui.literal import t_md
from ui.session import end_session, flash, show_flash, user_errors


def details(user: User) -> None:
    """Who the user is, the storage they use against their quota, their job limit and sign-in dates."""
    st.markdown(t_md("account.who", name=user.name, username=user.username, email=user.email,
                  role=t(f"account.role_{user.role}")))
    used, quota = storage_used(user.username), storage_quota(user.username)
    st.progress(min(used / quota, 1.0), text=t("account.storage", used=format_bytes(used),
                                                quota=format_bytes(quota)))
    st.caption(t("account.details", jobs=max_concurrent_jobs(user.username), created=format_datetime(user.created),
                 last_login=format_datetime(user.last_login)))


def password_form(user: User) -> None:
    """Change the password (the current one, the new one twice)."""
    with st.form("account.password_form", clear_on_submit=True):
        st.subheader(t("account.password_title"))
        current = st.text_input(t("account.current_password"), type="password", key="account.current",
                                autocomplete="current-password")
        new = st.text_input(t("account.new_password"), type="password", key="account.new",
                            help=t("auth.password_rule"), autocomplete="new-password")
        repeat = st.text_input(t("account.repeat_password"), type="password", key="account.repeat",
                               autocomplete="new-password")
        change = st.form_submit_button(t("account.change_password"), key="account.change", type="primary")
    if change:
        with user_errors():
            if new != repeat:
                raise PasswordsDiffer("The two passwords are not the same. Type them again.",
                                      key="error.password_mismatch")
            # Other sessions and older cookies end now; this one goes on with a fresh cookie.
            st.session_state["auth.since"] = UserStore().change_password(user.username, current, new)
            renew_cookie()
            st.success(t("account.password_changed"))


def delete_form(user: User) -> None:
    """Delete the account and all its data, once the password is typed; the session ends with it."""
    st.warning(t("account.delete_warning"))
    with st.form("account.delete_form", clear_on_submit=True):
        password = st.text_input(t("account.delete_password"), type="password", key="account.delete_password",
                                 autocomplete="current-password")
        delete = st.form_submit_button(t("account.delete_button", username=user.username), key="account.delete")
    if delete:
        with user_errors():
            UserStore().delete_account(user.username, password)
            end_session("account.deleted")
            st.rerun()


# -- API tokens ---------------------------------------------------------------------------------------------

def _revoke(username: str, token_id: str, name: str) -> None:
    """Revoke a token (a button's callback, so the list drawn after it no longer has the token)."""
    try:
        UserStore().revoke_token(username, token_id)
        flash("account.tokens.flash", key="api.tokens.revoked", name=name)
    except UserError as err:
        flash("account.tokens.flash", "error", err=err)


def api_tokens(user: User) -> None:
    """Create a token (its secret shown this once), list the tokens with a revoke button each, and a
    `curl` example with one of the user's models."""
    st.subheader(t("api.tokens.title"))
    st.caption(t("api.tokens.intro"))
    show_flash("account.tokens.flash")
    with st.form("account.token_form", clear_on_submit=True):
        name = st.text_input(t("api.tokens.name"), max_chars=60, key="account.token_name")
        create = st.form_submit_button(t("api.tokens.create"), key="account.token_create")
    if create:
        with user_errors():
            token, secret = UserStore().create_token(user.username, name)
            # Never kept in session state: the next run of the page no longer has it.
            st.warning(t_md("api.tokens.created", name=token.name))
            st.code(secret, language=None)
    tokens = UserStore().tokens(user.username)
    if not tokens:
        st.caption(t("api.tokens.none"))
    for token in tokens:
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(t_md("api.tokens.row", name=token.name, prefix=token.prefix,
                           created=format_datetime(token.created),
                           last_used=format_datetime(token.last_used) if token.last_used else t("api.tokens.never")))
        right.button(t("api.tokens.revoke"), key=f"account.revoke.{token.token_id}", on_click=_revoke,
                     args=(user.username, token.token_id, token.name))
    curl_example(user)


def curl_command(url: str, run_id: str, record: dict) -> str:
    """A terminal session that predicts ``record`` with run ``run_id`` through the API at ``url``."""
    body = json.dumps({"records": [record]}, ensure_ascii=False)
    return (f"export ANYML_TOKEN=anyml_...\n"
            f"curl -s {url}/v1/models -H \"Authorization: Bearer $ANYML_TOKEN\"\n"
            f"curl -s -X POST {url}/v1/models/{run_id}/predict \\\n"
            f"  -H \"Authorization: Bearer $ANYML_TOKEN\" -H 'Content-Type: application/json' \\\n"
            f"  -d {shlex.quote(body)}")


def curl_example(user: User) -> None:
    """The `curl` session with the model the Predict page would use and a record of typical values."""
    st.markdown(f"**{t('api.tokens.example_title')}**")
    ws = Workspace(user.username)
    runs = [r for r in ws.runs() if r.status == "finished"]
    run_id = default_run(ws, runs) if runs else None
    try:
        sidecar = run_sidecar(ws, run_id) if run_id else None
    except UserError:  # the model's files are gone: no example rather than an error on the Account page
        sidecar = None
    if sidecar is None:
        st.caption(t("api.tokens.example_none"))
        return
    url = api_url()
    st.caption(t_md("api.tokens.example_intro", model=t(f"model.{sidecar['model']}.name"), run=run_id, url=url))
    st.code(curl_command(url, run_id, example_record(sidecar["contract"])), language="bash")
