"""Read-only access to the warehouse; a new connection when the ETL swaps in a new file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

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
