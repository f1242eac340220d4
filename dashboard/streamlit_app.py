"""Entry point: page frame and navigation (``streamlit run dashboard/streamlit_app.py``)."""

from __future__ import annotations

import streamlit as st

st.set_page_config(
    page_title="Trophées de l'Achat Socialement Responsable",
    page_icon="🏆",
    layout="wide",
)

navigation = st.navigation(
    [
        st.Page("app_pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
        st.Page("app_pages/sources.py", title="Sources et millésimes", icon=":material/menu_book:"),
    ]
)
navigation.run()
