"""Entry point: demo banner, login, navigation for the signed-in role, shared filters.

Run with ``streamlit run dashboard/streamlit_app.py`` (``make run``). Nothing but the
banner and the login page is drawn before an account is signed in (``dashboard.auth``);
the pages offered come from ``dashboard.navigation.PAGES`` for the account's role, and
the page about to run is checked once more against its allowed roles.
"""

from __future__ import annotations

import streamlit as st

from dashboard import auth, filters, navigation, queries

st.set_page_config(
    page_title="Trophées de l'Achat Socialement Responsable",
    page_icon="🏆",
    layout="wide",
)

demo = queries.demo_data()
if demo:
    st.warning(
        "Données FICTIVES de démonstration : aucune candidature réelle n'est affichée.",
        icon=":material/science:",
    )

account = auth.require_account(demo)
has_data = queries.warehouse_exists()
specs: dict[int, navigation.PageSpec] = {}
sections: dict[str, list[st.Page]] = {}
for section, pages in navigation.pages_for(account.role, has_data=has_data).items():
    for spec in pages:
        page = st.Page(spec.path, title=spec.title, icon=spec.icon)
        specs[id(page)] = spec
        sections.setdefault(section, []).append(page)

current = st.navigation(sections)
auth.guard(specs.get(id(current)), account)
auth.open_requested_page([p for pages in sections.values() for p in pages], current)
auth.sidebar(account)
if has_data:
    filters.render(queries.filter_options())
current.run()
