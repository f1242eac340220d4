"""Small helpers shared by the test files: reading a warehouse, opening an app page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "streamlit_app.py")


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


def open_page(page: str, **query: str) -> AppTest:
    """The app opened with ``query`` as URL parameters, then switched to ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    return at
