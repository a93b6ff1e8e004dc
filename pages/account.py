"""Account: who you are and how much space you use, your language, your password, API tokens, deleting your account."""
import streamlit as st

from ui import account as view
from ui.i18n import t
from ui.session import language_choice, require_user

user = require_user()
st.title(t("account.title"))
view.details(user)
language_choice("account.lang")
view.password_form(user)
view.api_tokens(user)
with st.expander(t("account.delete_title")):
    view.delete_form(user)
