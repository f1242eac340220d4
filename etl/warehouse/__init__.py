"""The warehouse (``data/warehouse.duckdb``): its atomic build and how to read it.

Public API: :func:`load_files` (load exports, atomically), :func:`plan_load` (the dry run:
what a load would publish, checked, nothing written), :class:`LoadReport`,
:class:`LoadPlan`, :func:`purge_contacts`, :func:`content_hash`,
:func:`config_fingerprint`; :func:`connect` / :func:`cursor` (read-only, for the app,
analysts and notebooks) and :func:`is_fictitious`.

Module layout: ``build`` (plan a load), ``storage`` (read the file in service, write and
swap a new one), ``fingerprint`` (when loaded files must be read again), ``contract``
(every table's columns and types, whatever the exports held), ``checks`` (invariants
checked before the swap),
``purge`` (retention of contacts), ``dictionary`` (``docs/dictionnaire.md``), ``sql/``
(the views: the contract read by the app and the analysts).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import paths
from etl.rules import ChargementImpossible
from etl.warehouse.build import (
    LoadPlan,
    LoadReport,
    MelangeDemoReel,
    apply_corrections,
    load_files,
    plan_load,
    warm_up,
)
from etl.warehouse.checks import InvariantViolation
from etl.warehouse.fingerprint import config_fingerprint
from etl.warehouse.storage import (
    PURGES,
    REFERENCE_TABLES,
    SQL_DIR,
    TABLES,
    EcritureImpossible,
    content_hash,
    purge_contacts,
)

__all__ = [
    "ATTACHED",
    "PURGES",
    "REFERENCE_TABLES",
    "SQL_DIR",
    "TABLES",
    "ChargementImpossible",
    "EcritureImpossible",
    "InvariantViolation",
    "LoadPlan",
    "LoadReport",
    "MelangeDemoReel",
    "apply_corrections",
    "config_fingerprint",
    "connect",
    "content_hash",
    "cursor",
    "is_fictitious",
    "load_files",
    "plan_load",
    "purge_contacts",
    "warm_up",
]


def connect(
    path: Path | str | None = None, threads: int = 2, memory_limit: str = "1GB"
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse, for the app, analysts and notebooks.

    Read-only connections never block the app nor a load (which writes a new file and
    swaps it in with ``os.replace``): a connection opened before a load keeps reading the
    previous version; connect again to see the new one.

    The file is attached to a new in-memory database rather than opened with
    ``duckdb.connect(path)``: DuckDB hands a second ``connect`` on the same path the
    instance it still holds open, so a long-lived process (the app, a notebook kernel)
    would go on reading the replaced file after a load or a purge. A cursor of this
    connection starts on the in-memory catalog: take one with :func:`cursor`.

    >>> from etl import warehouse
    >>> con = warehouse.connect()  # doctest: +SKIP — data/warehouse.duckdb
    >>> con.sql("select edition, count(*) from candidatures group by 1").pl()  # doctest: +SKIP
    """
    target = Path(path) if path is not None else paths.warehouse_path()
    if not target.exists():
        raise FileNotFoundError(
            f"Aucun entrepôt à {target} : lancez « uv run trophees demo » ou « trophees load »."
        )
    con = duckdb.connect(":memory:")
    con.execute(f"set threads = {int(threads)}")
    con.execute("set memory_limit = ?", [memory_limit])
    # ATTACH takes no bound parameter: the path is the program's own, quoted all the same
    quoted = str(target.resolve()).replace("'", "''")
    con.execute(f"attach '{quoted}' as {ATTACHED} (read_only)")
    con.execute(f"use {ATTACHED}")
    return con


ATTACHED = "entrepot"
"""Catalog name of the warehouse inside a :func:`connect` connection."""


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a :func:`connect` connection (one per thread), on the warehouse."""
    cur = con.cursor()
    cur.execute(f"use {ATTACHED}")
    return cur


def is_fictitious(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse holds demo data only: at least one file loaded and every
    loaded file generated. A single real file makes the whole warehouse real (demo
    accounts refused, no « fictif » banner or label); loads refuse to mix the two."""
    ((files, fictitious),) = con.sql(
        "select count(*), count(*) filter (where fictif) from chargements_table"
    ).fetchall()
    return bool(files) and fictitious == files
