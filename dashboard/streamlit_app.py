"""Entry point: page frame, shared filters and navigation.

Run with ``streamlit run dashboard/streamlit_app.py`` (``make run``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import filters, queries

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

data_pages = [
    st.Page("app_pages/vue_ensemble.py", title="Vue d'ensemble", icon=":material/dashboard:"),
    st.Page("app_pages/carte.py", title="Carte", icon=":material/map:"),
    st.Page("app_pages/comparer.py", title="Comparer", icon=":material/compare_arrows:"),
    st.Page("app_pages/fiche.py", title="Fiche candidature", icon=":material/description:"),
    st.Page("app_pages/qualite.py", title="Qualité des données", icon=":material/rule:"),
]
info_pages = [
    st.Page("app_pages/accueil.py", title="Éditions", icon=":material/event:"),
    st.Page("app_pages/sources.py", title="Sources et millésimes", icon=":material/menu_book:"),
]

if queries.warehouse_exists():
    filters.render(queries.filter_options())
    navigation = st.navigation({"Candidatures": data_pages, "Référentiels": info_pages})
else:
    navigation = st.navigation({"Référentiels": info_pages})
navigation.run()
