"""Entry point that Streamlit runs (`newsfacts dashboard`): page set-up and navigation.

One script per page under `pages/`; each reads the exports through `state.get_data()`.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="newsfacts", page_icon=":material/finance:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/deals.py", title="Deals", icon=":material/handshake:", url_path="deals"),
    st.Page("pages/entity.py", title="Entity", icon=":material/domain:", url_path="entity"),
    st.Page("pages/quality.py", title="Data quality", icon=":material/fact_check:",
            url_path="quality"),
]

st.navigation(PAGES).run()
