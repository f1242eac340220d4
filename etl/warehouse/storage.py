"""The warehouse file itself: read the one in service, write a new one, swap it in.

The previous file is read through a fresh in-memory database it is attached to (never a
plain ``duckdb.connect``, which may return an instance this process keeps for a replaced
file); a new warehouse is written beside it, checked (``checks``), then swapped in with
``os.replace`` under the load lock (``etl.files``). A contact purge rewrites the file the
same way, so erased rows never linger in the old file's free pages.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from etl import files, paths
from etl.editions import load_editions
from etl.rules import ChargementImpossible
from etl.warehouse import checks
from etl.warehouse.contract import conform, contract_for

# What a full disk, a quota or a missing right looks like while DuckDB writes the new file
# (a failed commit of its write-ahead log is a TransactionException; a private temporary
# file has no concurrent writer, so it cannot be a conflict).
SQL_DIR = Path(__file__).with_name("sql")


TABLES = ("reponses", "categories_reponses", "problemes", "contacts", "chargements_table")


REFERENCE_TABLES = {
    "ref_communes": "communes.parquet",
    "ref_epci": "epci.parquet",
    "ref_departements": "departements.parquet",
    "ref_regions": "regions.parquet",
}

# What a full disk, a quota or a missing right looks like while DuckDB writes the new file
# (a failed commit of its write-ahead log is a TransactionException; a private temporary
# file has no concurrent writer, so it cannot be a conflict).


WRITE_FAILURES = (
    OSError,
    duckdb.IOException,
    duckdb.TransactionException,
    duckdb.OutOfMemoryException,
    duckdb.FatalException,
)


WRITE_MEMORY = "256MB"
"""DuckDB's memory while it writes the new file (beyond the frames it copies from): at
128 Mo it evicted and reread the table it was compressing (0,3 s more on 100 000 lines)."""

WRITE_THREADS = 1
"""DuckDB's threads while it writes: copying frames already in memory and compressing them
is faster on one thread than on two (measured: 1,24 s against 1,43 s for 100 000 lines)."""

ROW_GROUP_ROWS = 30_720
"""Rows per row group of the warehouse's tables (DuckDB's default: 122 880). DuckDB holds
a whole row group in memory before compressing it: at the default, the 100 000 answers of
a large load were one group, 290 Mo at the load's peak; in groups of 30 720 the write
takes 160 Mo and 0,7 s instead of 0,9 s, for a file 3 % larger (measured). Queries read
the smaller groups on both cores."""

PURGES = "purges"
"""Contact purges done on this warehouse (edition, date, rows erased): kept by every load,
which also keeps contacts out of a purged edition if one of its files is loaded again."""


PURGES_SCHEMA: dict[str, pl.DataType] = {
    "edition": pl.Int64(),
    "purge_le": pl.Datetime("us", "UTC"),
    "contacts_effaces": pl.Int64(),
    "motif": pl.String(),
}


class EcritureImpossible(ChargementImpossible):
    """The new warehouse could not be written (disk full, quota, rights): nothing replaced."""


def read_only(target: Path) -> duckdb.DuckDBPyConnection:
    """A read-only view of the warehouse file at ``target`` now (attached to a fresh
    in-memory database: a plain connect could get an instance DuckDB keeps for a
    replaced file in this process, see ``etl.warehouse.connect``)."""
    con = duckdb.connect(":memory:")
    quoted = str(target.resolve()).replace("'", "''")
    con.execute(f"attach '{quoted}' as precedent (read_only)")
    con.execute("use precedent")
    return con


def write_tables(
    target: Path,
    tables: dict[str, pl.DataFrame],
    ref_dir: Path,
    extra: dict[str, pl.DataFrame] | None = None,
) -> None:
    """Write a complete warehouse beside ``target``, check it, then swap it in."""
    try:
        with files.atomic_path(target) as tmp:
            con = duckdb.connect(":memory:")
            try:
                # DuckDB copies each frame into the file: bounded, it spills rather than
                # doubling the load's memory (the frames are in memory already)
                con.execute("set memory_limit = ?", [WRITE_MEMORY])
                con.execute("set threads = ?", [WRITE_THREADS])
                quoted = str(tmp).replace("'", "''")
                con.execute(f"attach '{quoted}' as nouveau (row_group_size {ROW_GROUP_ROWS})")
                con.execute("use nouveau")
                _fill(con, tables, ref_dir, extra or {})
            except BaseException:
                with contextlib.suppress(duckdb.Error, OSError):
                    con.close()
                Path(f"{tmp}.wal").unlink(missing_ok=True)
                raise
            con.close()
    except WRITE_FAILURES as err:
        detail = str(err).splitlines()[0] if str(err) else err.__class__.__name__
        raise EcritureImpossible(
            "écriture du nouvel entrepôt impossible : disque plein, quota ou droits "
            f"insuffisants sur {target.parent} ? Rien n'a été remplacé. "
            f"(Détail technique : {detail})"
        ) from err


def _fill(
    con: duckdb.DuckDBPyConnection,
    tables: dict[str, pl.DataFrame],
    ref_dir: Path,
    extra: dict[str, pl.DataFrame],
) -> None:
    for name, frame in [*tables.items(), *extra.items()]:
        con.register("__frame", frame)
        con.execute(f"create table {name} as select * from __frame")  # noqa: S608 - code
        con.unregister("__frame")
    checks.check(con)
    for name, filename in REFERENCE_TABLES.items():
        # read by polars with glob=False: DuckDB's read_parquet would take a data directory
        # named « données[2026] » for a pattern
        con.register("__frame", pl.read_parquet(ref_dir / filename, glob=False))
        con.execute(f"create table {name} as select * from __frame")  # noqa: S608 - code
        con.unregister("__frame")
    for view in sorted(SQL_DIR.glob("*.sql")):
        con.execute(view.read_text(encoding="utf-8"))
    con.execute("checkpoint")


DERIVED = ("reponses_corrigees", "categories_corrigees", "corrections", "corrections_empreinte")
"""Tables each build derives from the organiser's corrections (``etl.warehouse.corrected``):
a load writes them afresh, a purge carries them over as they are."""


def derived_of(target: Path) -> dict[str, pl.DataFrame]:
    """The derived tables of the warehouse at ``target`` (those it has; none without one)."""
    if not target.exists():
        return {}
    con = read_only(target)
    try:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where database_name = 'precedent'"
            ).fetchall()
        }
        return {
            name: con.sql(f"select * from {name}").pl()  # noqa: S608 - names from code
            for name in DERIVED
            if name in present
        }
    finally:
        con.close()


def purges_of(target: Path) -> pl.DataFrame:
    """The purge log of the warehouse at ``target`` (empty when none or no warehouse)."""
    if not target.exists():
        return pl.DataFrame(schema=PURGES_SCHEMA)
    con = read_only(target)
    try:
        present = con.execute(
            "select count(*) from duckdb_tables() where table_name = ? and database_name = ?",
            [PURGES, "precedent"],
        ).fetchall()
        if not present[0][0]:
            return pl.DataFrame(schema=PURGES_SCHEMA)
        log: pl.DataFrame = con.sql(f"select * from {PURGES}").pl()  # noqa: S608 - code
        return log.cast(PURGES_SCHEMA)  # type: ignore[arg-type]
    finally:
        con.close()


def purge_contacts(
    editions: list[int], motif: str, warehouse: Path | None = None, ref_dir: Path | None = None
) -> dict[int, int]:
    """Erase the contacts (personal data) of ``editions``: a new warehouse without them is
    written and swapped in (erased rows do not linger in free pages of the file). Returns
    the rows erased per edition; the purge is logged in the ``purges`` table."""
    target = warehouse or paths.warehouse_path()
    ref_dir = ref_dir or paths.reference_dir()
    contract = contract_for(load_editions().values())
    with exclusive_lock(target.parent):
        tables: dict[str, pl.DataFrame] = {}
        con = read_only(target)
        try:
            for name in TABLES:
                old = con.sql(f"select * from {name}").pl()  # noqa: S608 - code
                tables[name] = conform(old, contract.table(name))
        finally:
            con.close()
        contacts = tables["contacts"]
        erased = {e: int((contacts["edition"] == e).sum()) for e in sorted(set(editions))}
        tables["contacts"] = contacts.filter(~pl.col("edition").is_in(list(erased)))
        now = datetime.now(UTC)
        log = pl.concat(
            [
                purges_of(target),
                pl.DataFrame(
                    {
                        "edition": list(erased),
                        "purge_le": [now] * len(erased),
                        "contacts_effaces": list(erased.values()),
                        "motif": [motif] * len(erased),
                    },
                    schema=PURGES_SCHEMA,
                ),
            ]
        )
        write_tables(target, tables, ref_dir, extra={PURGES: log, **derived_of(target)})
    return erased


def content_hash(warehouse: Path | None = None) -> str:
    """SHA-256 over every table's rows in a fixed order (load timestamps excluded)."""
    target = warehouse or paths.warehouse_path()
    con = read_only(target)
    digest = hashlib.sha256()
    try:
        for name in (*TABLES, *REFERENCE_TABLES):
            frame = con.sql(f"select * from {name}").pl()  # noqa: S608 - name from code
            frame = frame.drop("charge_le", strict=False)
            frame = frame.with_columns(
                [
                    pl.col(c).list.join("|")
                    if isinstance(t, pl.List)
                    else pl.col(c).cast(pl.String)
                    for c, t in frame.schema.items()
                ]
            )
            frame = frame.sort(frame.columns, nulls_last=True) if frame.height else frame
            digest.update(name.encode())
            digest.update(frame.write_csv().encode())
    finally:
        con.close()
    return digest.hexdigest()


LOCK_TIMEOUT_S = 5.0
"""How long a load or a purge waits for another one to finish before saying so."""


def exclusive_lock(directory: Path) -> contextlib.AbstractContextManager[None]:
    """One load or purge at a time; a second one is told, not kept waiting forever."""
    return files.exclusive(
        directory / ".warehouse.lock",
        what="Un chargement (ou une purge) de l'entrepôt",
        timeout_s=LOCK_TIMEOUT_S,
    )


def remove_stale_temporaries(target: Path) -> None:
    for stale in files.stale_temporaries(target):
        stale.unlink(missing_ok=True)
