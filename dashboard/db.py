"""Read-only access to the warehouse; a new connection when the ETL swaps in a new file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from dashboard.deliberation.store import Store, default_path
from etl import paths


def warehouse_version() -> int | None:
    """Modification time (ns) of the warehouse file, or None when there is none yet."""
    path = paths.warehouse_path()
    return path.stat().st_mtime_ns if path.exists() else None


@st.cache_resource(max_entries=2)
def _connection(path: str, version: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(path, read_only=True)
    con.execute("set threads = 2")
    con.execute("set memory_limit = '1GB'")
    return con


def frame(sql: str, params: list[object] | None = None) -> pl.DataFrame:
    """Run a query with bound parameters on a cursor of the current warehouse."""
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(paths.warehouse_path()))
    cursor = _connection(str(Path(paths.warehouse_path())), version).cursor()
    try:
        result: pl.DataFrame = cursor.sql(sql, params=params or []).pl()
        return result
    finally:
        cursor.close()


def _close_store(store: Store) -> None:
    store.close()


@st.cache_resource(max_entries=1, on_release=_close_store)
def _store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The process's one handle on the deliberation store (scores, decisions, highlights,
    audit log): per-thread cursors, retried short writes. Raises ``StoreUnavailable`` (or
    DuckDB's lock error) when another process — a CLI — holds the file."""
    return _store(str(default_path()))
