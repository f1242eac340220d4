"""Accounts of the app: who someone is, which role they have, how they sign in (no
streamlit import; shared by the app and ``trophees comptes``).

Contract shared by the whole app: the signed-in :class:`Account` lives in
``st.session_state["compte"]`` (see ``dashboard.auth``); tests set it directly.

- ``records``: :class:`Account`, :class:`AccountRecord`, validation, the TOML file format;
- ``settings``: :class:`AccountSettings` from ``config/app.toml`` and ``TROPHEES_COMPTES``;
- ``passwords``: argon2id hashes, the decoy hash, random passwords;
- ``throttling``: failed logins per client and identifier (bounded SQLite file);
- ``store``: :class:`AccountStore` (the accounts file) and its login check.
"""

from __future__ import annotations

from dashboard.accounts.passwords import random_password
from dashboard.accounts.records import (
    IDENTIFIER_MAX,
    PASSWORD_MAX,
    PASSWORD_MIN,
    REFUSAL,
    ROLE_LABELS,
    Account,
    AccountRecord,
    InvalidAccount,
    normalise_identifier,
)
from dashboard.accounts.settings import AccountSettings, account_settings
from dashboard.accounts.store import AccountStore, LoginResult
from dashboard.accounts.throttling import client_key

__all__ = [
    "IDENTIFIER_MAX",
    "PASSWORD_MAX",
    "PASSWORD_MIN",
    "REFUSAL",
    "ROLE_LABELS",
    "Account",
    "AccountRecord",
    "AccountSettings",
    "AccountStore",
    "InvalidAccount",
    "LoginResult",
    "account_settings",
    "client_key",
    "normalise_identifier",
    "random_password",
]
