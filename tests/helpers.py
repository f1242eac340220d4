"""Small helpers shared by the test files: reading a warehouse, opening an app page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "streamlit_app.py")
MINI = ROOT / "tests" / "data" / "etl" / "mini-2023.csv"
"""The tiny committed 2023 export: 8 lines, 4 candidatures loaded, many kinds of problem."""


IDLE = (
    "!document.querySelector('[data-stale=\"true\"]')"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
)
"""A page whose script run is over (nothing stale, no « Arrêter » button): Playwright
waits for it with ``page.wait_for_function(IDLE)``."""


def db_rows(db_file: Path, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
    """Every row of a query with bound parameters, on a read-only connection."""
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return con.sql(sql, params=params or []).fetchall()
    finally:
        con.close()


def warehouse_rows(
    data_dir: Path, sql: str, params: list[object] | None = None
) -> list[tuple[Any, ...]]:
    """``db_rows`` on the ``warehouse.duckdb`` of a data directory."""
    return db_rows(data_dir / "warehouse.duckdb", sql, params)


def signed_in_app(role: str = "admin") -> AppTest:
    """The whole app (not yet run) with an account of ``role`` already signed in.

    The account is placed in ``session_state["compte"]`` as the login would; use
    ``role=None`` to get the login page.
    """
    from dashboard.accounts import Account

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["compte"] = Account(f"test-{role}", f"Test {role}", role)
    return at


def open_page(page: str, *, role: str = "admin", **query: str) -> AppTest:
    """The app opened by ``role`` with ``query`` as URL parameters, then switched to ``page``."""
    at = signed_in_app(role)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    return at


TEST_LOGIN = "admin-test"
TEST_PASSWORD = "mot-de-passe-de-test-2026"


def app_data_dir(source: Path, target: Path) -> Path:
    """A data directory of its own reading the warehouse and reference of ``source``.

    Logins write an audit line (``deliberations.duckdb``) and failure counters beside
    the accounts: a test doing so gets its own directory, the shared demo one stays as is.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in ("reference", "warehouse.duckdb"):
        if (source / name).exists():
            (target / name).symlink_to((source / name).resolve())
    return target


def accounts_file(
    data_dir: Path,
    role: str = "admin",
    identifiant: str = TEST_LOGIN,
    mot_de_passe: str = TEST_PASSWORD,
) -> Path:
    """An accounts file in ``data_dir`` holding one account, written by the real API."""
    from dashboard.accounts import AccountSettings, AccountStore

    path = data_dir / "comptes.toml"
    AccountStore(AccountSettings(file=path)).add(
        identifiant, f"Compte de test ({role})", role, mot_de_passe, replace_existing=True
    )
    return path


def server_env(source: Path, target: Path, role: str = "admin") -> dict[str, str]:
    """Environment of a ``streamlit_server`` on the data of ``source`` with a test account
    of ``role`` (``TEST_LOGIN`` / ``TEST_PASSWORD``); log in with ``browser_login``."""
    data = app_data_dir(source, target)
    return {"TROPHEES_DATA_DIR": str(data), "TROPHEES_COMPTES": str(accounts_file(data, role))}


def browser_login(
    page: Any,
    url: str,
    identifiant: str = TEST_LOGIN,
    mot_de_passe: str = TEST_PASSWORD,
    timeout_ms: int = 30_000,
) -> None:
    """Open ``url`` in a Playwright ``page`` and sign in through the real login form;
    returns once the app shows « Se déconnecter » (the page of ``url`` is then drawn)."""
    page.goto(url)
    page.get_by_label("Identifiant", exact=True).fill(identifiant, timeout=timeout_ms)
    page.get_by_label("Mot de passe", exact=True).fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.get_by_role("button", name="Se déconnecter").wait_for(timeout=timeout_ms)


def shown(element: Any) -> Any:
    """An ``st.table`` element's frame as a person reads it: ``dashboard.plain`` escapes
    every cell and header for Markdown (``\\-`` is shown ``-``), the browser shows the
    characters themselves."""
    import re

    def read(value: object) -> object:
        if not isinstance(value, str):
            return value
        return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", value).replace("\u2060", "")

    frame = element.value
    return frame.map(read).rename(columns=read)


def as_shown(text: str) -> Any:
    """A pattern matching ``text`` as the browser renders it after ``dashboard.plain``:
    an invisible WORD JOINER may follow each ``:`` (Playwright does not ignore it)."""
    import re

    return re.compile(re.escape(text).replace(":", ":\u2060?"))
