"""The deliberation store ``data/deliberations.duckdb``: owned by the app, never by the ETL.

- ``Store`` is the one read-write handle of a process (the Streamlit app keeps one in
  ``st.cache_resource``; the CLI and the simulation open their own). Each thread gets its
  own cursor (one DuckDB connection shared by threads fails with "connection is busy"),
  every write is a short transaction retried on DuckDB write conflicts.
- Schema changes are versioned SQL files ``migrations/NNN_nom.sql`` applied in name order
  and recorded in ``schema_migrations``; any file dropped in that folder is picked up.
- A DuckDB file held read-write by a process cannot be opened at all by another one, so
  the store keeps a read-only copy ``deliberations.lecture.duckdb`` up to date (rebuilt
  ``SNAPSHOT_DELAY_S`` seconds after a write, then swapped in with ``os.replace``).
  ``open_reader`` opens the store itself when nobody holds it, otherwise that copy, and
  says how old it is.
"""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Literal, TypeVar

import duckdb
import polars as pl

from etl import files, paths

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SNAPSHOT_DELAY_S = 2.0
"""Debounce of the reader copy: at most one rebuild per this many seconds of writes."""
RETRIES = 12
"""Attempts of one write transaction before its conflict error is raised."""

T = TypeVar("T")


class StoreUnavailable(RuntimeError):
    """The store cannot be read: no file yet, or it is held and no copy exists."""


def default_path() -> Path:
    """``data/deliberations.duckdb`` (``TROPHEES_DATA_DIR`` moves it)."""
    return paths.data_dir() / "deliberations.duckdb"


def snapshot_path(path: Path) -> Path:
    """The read-only copy next to a store: ``deliberations.lecture.duckdb``."""
    return path.with_name(f"{path.stem}.lecture{path.suffix}")


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[Path]:
    """Every ``NNN_nom.sql`` of the migrations folder, in name order."""
    return sorted(p for p in directory.glob("*.sql") if p.name[:3].isdigit())


def migrate(con: duckdb.DuckDBPyConnection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; their names."""
    con.execute(
        "create table if not exists schema_migrations ("
        " version varchar primary key,"
        " applique_le timestamptz not null default current_timestamp)"
    )
    done = {row[0] for row in con.sql("select version from schema_migrations").fetchall()}
    applied = []
    for file in migration_files(directory):
        if file.stem in done:
            continue
        con.execute("begin transaction")
        try:
            con.execute(file.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations (version) values (?)", [file.stem])
            con.execute("commit")
        except BaseException:
            _rollback_quietly(con)
            raise
        applied.append(file.stem)
    return applied


def connect(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the store, schema migrated (creates the file if needed)."""
    target = Path(path) if path is not None else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(target))
    con.execute("set threads = 2")
    con.execute("set memory_limit = '512MB'")
    migrate(con)
    return con


def _rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # a failed commit already ended it
        con.execute("rollback")


def write(
    con: duckdb.DuckDBPyConnection,
    work: Callable[[duckdb.DuckDBPyConnection], T],
    retries: int = RETRIES,
    on_retry: Callable[[], None] | None = None,
) -> T:
    """Run ``work(con)`` in one transaction; replay it on a DuckDB write conflict.

    ``work`` must only touch the database (it may run several times). Any other error
    rolls back and propagates: nothing is half-written.
    """
    for attempt in range(retries):
        con.execute("begin transaction")
        try:
            result = work(con)
            con.execute("commit")
            return result
        except duckdb.TransactionException:
            _rollback_quietly(con)
            if attempt == retries - 1:
                raise
            if on_retry is not None:
                on_retry()
            time.sleep(random.uniform(0.001, 0.004) * (attempt + 1))
        except BaseException:
            _rollback_quietly(con)
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _copy_into(con: duckdb.DuckDBPyConnection, source: str, target: Path) -> None:
    alias = f"copie_{os.getpid()}_{threading.get_ident()}"
    with files.atomic_path(target) as tmp:
        con.execute(f"attach '{_quoted(tmp)}' as {alias}")
        try:
            con.execute(f'copy from database "{source}" to {alias}')
        finally:
            con.execute(f"detach {alias}")


def copy_database(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Write a consistent copy of ``con``'s (read-write) database to ``target``, atomically.

    ``COPY FROM DATABASE`` reads one transaction's view, so concurrent writers never
    leave a half-written score in the copy.
    """
    source = con.sql("select current_database()").fetchall()[0][0]
    _copy_into(con, source, target)


def copy_file(source: Path, target: Path) -> None:
    """Copy a store file nobody holds (or a reader copy) to ``target``, atomically."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_quoted(source)}' as source_copiee (read_only)")
        _copy_into(con, "source_copiee", target)
    finally:
        con.close()


class Store:
    """The process's read-write handle on the store: per-thread cursors, retried writes.

    ``snapshot_delay_s=None`` disables the reader copy (tests that do not need it).
    """

    def __init__(
        self, path: Path | str | None = None, snapshot_delay_s: float | None = SNAPSHOT_DELAY_S
    ) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.con = connect(self.path)
        self.snapshot_delay_s = snapshot_delay_s
        self.retries_done = 0
        self._local = threading.local()
        self.closed = False
        self._counter_lock = threading.Lock()
        self._snapshot_lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._timer_lock = threading.Lock()
        self.decisions_lock = threading.Lock()
        """Serialises quota-checked decisions (two admins crowning at once)."""

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the store (created on first use)."""
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self.con.cursor()
            self._local.cursor = cur
        return cur

    def frame(self, sql: str, params: list[object] | None = None) -> pl.DataFrame:
        """A query with bound parameters, fully fetched, on this thread's cursor."""
        result: pl.DataFrame = self.cursor().sql(sql, params=params or []).pl()
        return result

    def write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """``work`` in one short transaction on this thread's cursor, retried on conflict."""
        result = write(self.cursor(), work, on_retry=self._count_retry)
        self._schedule_snapshot()
        return result

    def _count_retry(self) -> None:
        with self._counter_lock:
            self.retries_done += 1

    def _schedule_snapshot(self) -> None:
        if self.snapshot_delay_s is None:
            return
        with self._timer_lock:
            if self._timer is not None and self._timer.is_alive():
                return
            self._timer = threading.Timer(self.snapshot_delay_s, self._snapshot_from_timer)
            self._timer.daemon = True
            self._timer.start()

    def _snapshot_from_timer(self) -> None:
        # Forget this timer first: a write landing during the copy schedules the next one.
        with self._timer_lock:
            self._timer = None
        # On failure the next write schedules another copy; readers keep the previous one.
        with contextlib.suppress(duckdb.Error):
            self.snapshot()

    def snapshot(self) -> Path:
        """Rebuild the read-only copy now; its path."""
        target = snapshot_path(self.path)
        with self._snapshot_lock:
            cur = self.con.cursor()
            try:
                copy_database(cur, target)
            finally:
                cur.close()
        return target

    def backup(self, target: Path) -> Path:
        """A consistent copy of the store at ``target`` (see ``backup.py``)."""
        with self._snapshot_lock:
            cur = self.con.cursor()
            try:
                copy_database(cur, target)
            finally:
                cur.close()
        return target

    def close(self) -> None:
        """Stop the copy timer, refresh the copy once more, close the connection."""
        with self._timer_lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if self.snapshot_delay_s is not None:
            self.snapshot()
        self.con.close()
        self.closed = True

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@dataclass
class Reader:
    """A read-only connection to the store or to its copy.

    ``source``: ``base`` (the store itself, nobody held it) or ``instantane`` (the copy
    the app refreshes after writes); ``age_s``: seconds since the copy was written
    (0 for the store itself).
    """

    con: duckdb.DuckDBPyConnection
    source: Literal["base", "instantane"]
    age_s: float
    chemin: Path

    def frame(self, sql: str, params: list[object] | None = None) -> pl.DataFrame:
        """A query with bound parameters, as a polars frame."""
        result: pl.DataFrame = self.con.sql(sql, params=params or []).pl()
        return result

    def describe_fr(self) -> str:
        """Where the data comes from, in French (for notebooks and the press kit)."""
        if self.source == "base":
            return f"Délibérations lues dans {self.chemin.name}"
        return (
            f"Délibérations lues dans la copie {self.chemin.name} "
            f"(l'application tient la base ; copie vieille de {self.age_s:.0f} s)"
        )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_reader(path: Path | str | None = None) -> Reader:
    """Read the store without blocking the app: the store if free, else its copy."""
    target = Path(path) if path is not None else default_path()
    if target.exists():
        try:
            con = duckdb.connect(str(target), read_only=True)
            return Reader(con, "base", 0.0, target)
        except (duckdb.IOException, duckdb.ConnectionException):
            pass  # held read-write by the app (another process, or this one)
    copy = snapshot_path(target)
    if copy.exists():
        con = duckdb.connect(str(copy), read_only=True)
        return Reader(con, "instantane", max(0.0, time.time() - copy.stat().st_mtime), copy)
    if not target.exists():
        raise StoreUnavailable(
            f"Aucune délibération : {target} n'existe pas encore "
            "(l'application la crée ; `trophees jury demo` en remplit une fictive)."
        )
    raise StoreUnavailable(
        f"{target.name} est ouverte par l'application et sa copie de lecture "
        f"{copy.name} n'existe pas encore : réessayez quelques secondes après une saisie."
    )
