"""AnyML entry point: page config, authentication and navigation, nothing else."""
import streamlit as st

from ui import auth
from ui.i18n import language_switch, t

st.set_page_config(page_title="AnyML", page_icon=":bar_chart:", layout="wide")

authenticator = auth.authenticator()
st.session_state["_authenticator"] = authenticator
if authenticator is not None and auth.signed_in_user():
    st.sidebar.markdown(t("auth.signed_in_as", name=st.session_state.get("name") or "",
                          username=st.session_state["username"]))
    auth.logout_button(authenticator)

if auth.signed_in_user():
    navigation = st.navigation([
        st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", url_path="home", default=True),
        st.Page("pages/data.py", title=t("nav.data"), icon=":material/table:", url_path="data"),
        st.Page("pages/train.py", title=t("nav.train"), icon=":material/model_training:", url_path="train"),
        st.Page("pages/predict.py", title=t("nav.predict"), icon=":material/online_prediction:",
                url_path="predict"),
    ])
else:
    navigation = st.navigation([st.Page(auth.sign_in_page, title=t("nav.signin"), url_path="signin")])
language_switch()
navigation.run()
