"""Entry point: demo banner, login, navigation for the signed-in role, shared filters.

Run with ``streamlit run dashboard/streamlit_app.py`` (``make run``). Nothing but the
banner and the login page is drawn before an account is signed in (``dashboard.auth``);
the pages offered come from ``dashboard.navigation.PAGES`` for the account's role, and
the page about to run is checked once more against its allowed roles.
"""

from __future__ import annotations

import os
import time

# Plotly looks pandas up in sys.modules rather than importing it: a session drawing a chart
# while another thread is still importing pandas would find it half-initialised (« partially
# initialized module 'pandas' has no attribute 'Series' »). Imported here, whole, before any
# page of any session runs.
import pandas  # noqa: F401
import streamlit as st

from dashboard import auth, db, filters, navigation, queries

started = time.perf_counter()
MENU = "_menu"
RELOAD_CHECK_S = 2
"""How often an open page checks whether a load or a purge replaced the warehouse."""


@st.fragment(run_every=RELOAD_CHECK_S)
def watch_warehouse(drawn: int | None) -> None:
    """Redraw the whole page as soon as the warehouse file changes (a load, a purge):
    every signed-in page shows the new data within seconds, without a click."""
    if db.file_version() != drawn:
        st.rerun(scope="app")


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
# The role's pages, built once per session and role (building them costs ~1 ms a rerun):
# a session runs one script at a time, so its page objects are never used concurrently.
menu_key = (account.role, has_data)
menu = st.session_state.get(MENU)
if menu is None or menu[0] != menu_key:
    specs: dict[int, navigation.PageSpec] = {}
    sections: dict[str, list[st.Page]] = {}
    for section, pages in navigation.pages_for(account.role, has_data=has_data).items():
        for spec in pages:
            page = st.Page(spec.path, title=spec.title, icon=spec.icon)
            specs[id(page)] = spec
            sections.setdefault(section, []).append(page)
    menu = (menu_key, sections, specs)
    st.session_state[MENU] = menu
_, sections, specs = menu

# every page listed: past twelve, Streamlit would fold the menu behind an English button
current = st.navigation(sections, expanded=True)
page_spec = specs.get(id(current))
auth.guard(page_spec, account)
auth.open_requested_page(
    [p for pages in sections.values() for p in pages],
    current,
    account,
    navigation.TITLES_BY_URL,
)
auth.show_notice()
auth.sidebar(account)
if has_data and (page_spec is None or page_spec.shared_filters):
    filters.render(queries.filter_options())
else:
    filters.keep()
with st.sidebar:
    watch_warehouse(db.warehouse_version())
current.run()
# Load measures (make bench) read each run's duration from this file; unset in production.
if journal := os.environ.get("TROPHEES_JOURNAL_DUREES"):
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write(f"{current.url_path or 'accueil'}\t{time.perf_counter() - started:.6f}\n")
