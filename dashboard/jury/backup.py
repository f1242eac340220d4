"""Backup and restore of the deliberation store (``trophees sauvegarde``).

A backup is a complete DuckDB file written by ``COPY FROM DATABASE`` (one transaction's
consistent view), checked by reopening it and hashing every table. When the app holds
the store, another process cannot open it: the backup is then taken from the reader copy
the app refreshes a few seconds after each write, and says how old that copy is.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dashboard.jury import audit
from dashboard.jury.states import AuditAction
from dashboard.jury.store import Store, copy_file, default_path, open_reader
from etl import files, paths


@dataclass(frozen=True)
class BackupReport:
    """Where the backup went, what it was taken from, and each table's hash."""

    chemin: Path
    source: str  # "base" (the store itself) or "instantane" (the app's reader copy)
    age_s: float
    empreintes: dict[str, str]

    def summary_fr(self) -> str:
        origine = (
            "la base"
            if self.source == "base"
            else f"la copie de lecture (l'application tient la base ; âge {self.age_s:.0f} s)"
        )
        return (
            f"Sauvegarde écrite dans {self.chemin} depuis {origine} : "
            f"{len(self.empreintes)} tables vérifiées."
        )


def default_backup_path() -> Path:
    """``data/sauvegardes/deliberations-AAAAMMJJTHHMMSSZ.duckdb``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return paths.data_dir() / "sauvegardes" / f"deliberations-{stamp}.duckdb"


def table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """SHA-256 of every table's rows (sorted), by table name: equal hashes, equal data."""
    names = [
        row[0]
        for row in con.sql(
            "select table_name from duckdb_tables()"
            " where database_name = current_database() and schema_name = 'main'"
            " order by table_name"
        ).fetchall()
    ]
    hashes = {}
    for name in names:
        rows = con.table(name).order("all").fetchall()
        hashes[name] = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()
    return hashes


def _hashes_of(file: Path) -> dict[str, str]:
    con = duckdb.connect(str(file), read_only=True)
    try:
        return table_hashes(con)
    finally:
        con.close()


def backup(
    target: Path | None = None,
    store: Store | None = None,
    path: Path | None = None,
    acteur: str | None = None,
) -> BackupReport:
    """A consistent, verified copy of the store at ``target``.

    ``store``: the process's open store (the app's admin page; with ``acteur`` the backup
    is logged); otherwise the file at ``path`` (default store) is read, or its reader
    copy when the app holds it (the command line: read only, so not logged).
    """
    out = target or default_backup_path()
    if store is not None:
        store.backup(out)
        report = BackupReport(out, "base", 0.0, _hashes_of(out))
        if acteur:
            store.write(lambda con: audit.record(con, acteur, AuditAction.SAUVEGARDE, out.name))
        return report
    with open_reader(path or default_path()) as reader:
        source, age, chemin = reader.source, reader.age_s, reader.chemin
    copy_file(chemin, out)
    return BackupReport(out, source, age, _hashes_of(out))


def restore(backup_file: Path, path: Path | None = None) -> Path:
    """Replace the store by a backup; the replaced file is kept beside it. Its path.

    Refused while a process holds the store (stop the app first). The reader copy is
    removed (it described the replaced data); migrations newer than the backup run.
    """
    target = path or default_path()
    check = duckdb.connect(str(backup_file), read_only=True)
    try:
        tables = {r[0] for r in check.sql("select table_name from duckdb_tables()").fetchall()}
    finally:
        check.close()
    if "schema_migrations" not in tables:
        raise ValueError(f"{backup_file} n'est pas une sauvegarde des délibérations.")
    if target.exists():
        try:
            duckdb.connect(str(target)).close()
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            raise RuntimeError(
                f"{target.name} est ouverte par un autre processus (l'application ?) : "
                "arrêtez-la avant de restaurer."
            ) from err
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.stem}.avant-restauration-{stamp}{target.suffix}")
        shutil.copy2(target, kept)
    with files.atomic_path(target) as tmp:
        shutil.copy2(backup_file, tmp)
    target.with_name(f"{target.name}.wal").unlink(missing_ok=True)
    snapshot = target.with_name(f"{target.stem}.lecture{target.suffix}")
    snapshot.unlink(missing_ok=True)
    Store(target, snapshot_delay_s=None).close()  # applies newer migrations
    return target
