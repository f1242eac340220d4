"""Read-only access to the warehouse; a new connection when the ETL swaps in a new file."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from dashboard.jury.store import Store, default_path
from etl import paths, warehouse


def run_memo() -> dict[str, Any] | None:
    """A dict that lives as long as the current script run (None outside a run).

    Streamlit gives each run of a session fresh ``cursors`` on its run context; the memo
    is kept beside them and dropped when they are replaced. What goes in it is read once
    per run: one run sees one warehouse version even if the ETL swaps the file meanwhile,
    and the frame and the page share what they both ask for.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    held: tuple[object, dict[str, Any]] | None = getattr(ctx, _MEMO, None)
    if held is None or held[0] is not ctx.cursors:
        held = (ctx.cursors, {})
        setattr(ctx, _MEMO, held)
    return held[1]


_MEMO = "_trophees_memo"


def file_version() -> int | None:
    """The warehouse file's version on disk right now (not memoised: a watcher's read)."""
    return _stat_version()


def _stat_version() -> int | None:
    try:
        return paths.warehouse_path().stat().st_mtime_ns
    except FileNotFoundError:
        return None


def warehouse_version() -> int | None:
    """Modification time (ns) of the warehouse file, or None when there is none yet; read
    once per script run (:func:`run_memo`)."""
    memo = run_memo()
    if memo is None:
        return _stat_version()
    if "version" not in memo:
        memo["version"] = _stat_version()
    version: int | None = memo["version"]
    return version


def _close_connection(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, on_release=_close_connection)
def _connection(path: str, version: int) -> duckdb.DuckDBPyConnection:
    # one connection per warehouse version (etl.warehouse.connect attaches the file that
    # is at ``path`` now, never an instance DuckDB kept for the replaced one)
    return warehouse.connect(path)


@contextlib.contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the current version of the warehouse, closed on exit."""
    version = warehouse_version()
    if version is None:
        raise FileNotFoundError(str(paths.warehouse_path()))
    cur = warehouse.cursor(_connection(str(paths.warehouse_path()), version))
    try:
        yield cur
    finally:
        cur.close()


def frame(sql: str, params: list[object] | None = None) -> pl.DataFrame:
    """Run a query with bound parameters on a cursor of the current warehouse."""
    with cursor() as cur:
        result: pl.DataFrame = cur.sql(sql, params=params or []).pl()
        return result


_store_lock = threading.Lock()
_store: Store | None = None


def store() -> Store:
    """The process's one handle on the deliberation store (scores, decisions, highlights,
    audit log): per-thread cursors, retried short writes. Raises ``StoreUnavailable`` (or
    DuckDB's lock error) when another process — a CLI — holds the file.

    Kept outside Streamlit's caches on purpose: any browser connection can send Streamlit's
    « clear cache » message, which empties ``st.cache_resource`` for every user; the store
    must not be closed and reopened by it (drafts slowed from 0,36 to 0,95 s under 20
    such messages a second). A new data directory (tests) gets a new store."""
    global _store
    path = default_path()
    with _store_lock:
        if _store is None or _store.closed or Path(_store.path) != path:
            if _store is not None and not _store.closed:
                _store.close()
            _store = Store(path)
        return _store
