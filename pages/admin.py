"""Admin: every account with its storage use and last sign-in; reset, lock, promote, set quotas, delete; the cluster.

Only account details are shown here, never a user's datasets or runs.
"""
import streamlit as st

from ui import admin as view
from ui.i18n import t
from ui.session import require_admin, show_flash

admin = require_admin()
st.title(t("admin.title"))
st.caption(t("admin.no_data"))
show_flash("admin.notice")
summaries = view.accounts_table(admin)
view.add_account(admin)
view.cluster_section()

others = {s.user.username: s for s in summaries if s.user.username != admin.username}
if not others:
    st.info(t("admin.alone"))
    st.stop()
username = st.selectbox(t("admin.pick"), list(others), key="admin.user")
target = others[username].user

lock_col, role_col, delete_col = st.columns(3)
with lock_col:
    view.lock_button(admin, target)
with role_col:
    view.role_button(admin, target)
with delete_col:
    view.delete_button(admin, username)

reset_col, quota_col = st.columns(2)
view.reset_form(reset_col, admin, username)
view.quota_form(quota_col, admin, others[username])
view.audit(username)
