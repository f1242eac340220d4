"""Accounts of the app: who someone is and which role they have (no streamlit import).

Contract shared by the whole app: the signed-in ``Account`` lives in
``st.session_state["compte"]`` (see ``dashboard.auth``); tests set it directly.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    identifiant: str  # login, unique, lower case
    nom: str  # display name
    role: str  # one of dashboard.navigation.ROLES
    organisation: str | None = None  # juror's organisation, for conflict-of-interest hints
    departement: str | None = None  # INSEE code of the organisation's département
    region: str | None = None  # INSEE code of its région
    reseau: str | None = None  # network (PLIE, MDE, association network…)
