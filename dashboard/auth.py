"""Who is signed in (streamlit side). Login, logout and expiry are built on top of this."""

from __future__ import annotations

import streamlit as st

from dashboard.accounts import Account

SESSION_KEY = "compte"


def current_account() -> Account | None:
    """The signed-in account of this browser session, if any."""
    compte = st.session_state.get(SESSION_KEY)
    return compte if isinstance(compte, Account) else None
