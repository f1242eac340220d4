"""Entry point: page frame and navigation (``streamlit run dashboard/streamlit_app.py``)."""

from __future__ import annotations

import streamlit as st

from dashboard import queries

st.set_page_config(
    page_title="Trophées de l'Achat Socialement Responsable",
    page_icon="🏆",
    layout="wide",
)

if queries.demo_data():
    st.warning(
        "Données FICTIVES de démonstration : aucune candidature réelle n'est affichée.",
        icon=":material/science:",
    )

navigation = st.navigation(
    [
        st.Page("app_pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
        st.Page("app_pages/sources.py", title="Sources et millésimes", icon=":material/menu_book:"),
    ]
)
navigation.run()
