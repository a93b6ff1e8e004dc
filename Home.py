"""AnyML entry point: page config, authentication and navigation, nothing else."""
import streamlit as st

from ui import auth, jobs
from ui.i18n import t
from ui.session import language_switch

st.set_page_config(page_title="AnyML", page_icon=":bar_chart:", layout="wide")
jobs.runner()  # the job runner starts with the server, not when someone first opens Train

cookies = auth.cookie_controller()
if cookies is None:
    st.error(t("auth.no_key"))
    st.stop()
user = auth.signed_in_user(cookies)

if user is not None:
    auth.sidebar(user.name, user.username)
    pages = [
        st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", url_path="home", default=True),
        st.Page("pages/data.py", title=t("nav.data"), icon=":material/table:", url_path="data"),
        st.Page("pages/edit.py", title=t("nav.edit"), icon=":material/edit_note:", url_path="edit"),
        st.Page("pages/explore.py", title=t("nav.explore"), icon=":material/query_stats:", url_path="explore"),
        st.Page("pages/train.py", title=t("nav.train"), icon=":material/model_training:", url_path="train"),
        st.Page("pages/runs.py", title=t("nav.runs"), icon=":material/leaderboard:", url_path="runs"),
        st.Page("pages/predict.py", title=t("nav.predict"), icon=":material/online_prediction:",
                url_path="predict"),
        st.Page("pages/account.py", title=t("nav.account"), icon=":material/manage_accounts:", url_path="account"),
    ]
    if user.is_admin:
        pages.append(st.Page("pages/admin.py", title=t("nav.admin"), icon=":material/admin_panel_settings:",
                             url_path="admin"))
    navigation = st.navigation(pages)
else:
    navigation = st.navigation([st.Page(auth.sign_in_page, title=t("nav.signin"), url_path="signin")])
cookies.draw()
language_switch()
navigation.run()
