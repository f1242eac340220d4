"""Where corrections live: ``data/corrections.sqlite``, outside the warehouse.

Both the app and the console (``trophees corrections``, ``trophees load``) read and write
corrections at any time, in different processes: a DuckDB file admits one writing process
only, so corrections use SQLite (standard library), whose transactions are atomic and
durable across processes and survive a killed writer (a transaction is all or nothing).
Rows are never deleted: undoing a correction records who undid it, when and why.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from etl import files, paths
from etl.corrections.model import Correction, Kind

SCHEMA = """
create table if not exists corrections (
    id integer primary key autoincrement,
    edition integer not null,
    candidature_id text not null,
    nature text not null check (nature in
        ('territoire', 'valeur', 'exclusion', 'eligibilite', 'fusion', 'retrait')),
    champ text,
    categorie text,
    valeur text,
    valeur_saisie text,
    motif text not null check (length(trim(motif)) > 0),
    auteur text not null,
    cree_le text not null,
    annulee_le text,
    annulee_par text,
    motif_annulation text
);
create index if not exists corrections_edition on corrections (edition, candidature_id);
"""

COLUMNS = (
    "id",
    "edition",
    "candidature_id",
    "nature",
    "champ",
    "categorie",
    "valeur",
    "valeur_saisie",
    "motif",
    "auteur",
    "cree_le",
    "annulee_le",
    "annulee_par",
    "motif_annulation",
)


class CorrectionIntrouvable(LookupError):
    """No active correction has this number (French message)."""


def default_path() -> Path:
    """``data/corrections.sqlite`` (``TROPHEES_DATA_DIR`` moves it)."""
    return paths.data_dir() / "corrections.sqlite"


@contextmanager
def connect(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection in autocommit mode (write with :func:`transaction`), closed on exit."""
    with files.sqlite_database(path or default_path(), SCHEMA) as con:
        yield con


transaction = files.sqlite_transaction
"""``begin immediate`` … ``commit`` (rolled back on any error)."""


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _row(values: tuple[object, ...]) -> Correction:
    row = dict(zip(COLUMNS, values, strict=True))
    return Correction(
        id=int(str(row["id"])),
        edition=int(str(row["edition"])),
        candidature_id=str(row["candidature_id"]),
        nature=Kind(str(row["nature"])),
        champ=row["champ"] if isinstance(row["champ"], str) else None,
        categorie=row["categorie"] if isinstance(row["categorie"], str) else None,
        valeur=row["valeur"] if isinstance(row["valeur"], str) else None,
        valeur_saisie=row["valeur_saisie"] if isinstance(row["valeur_saisie"], str) else None,
        motif=str(row["motif"]),
        auteur=str(row["auteur"]),
        cree_le=_moment(str(row["cree_le"])),
        annulee_le=_moment(row["annulee_le"] if isinstance(row["annulee_le"], str) else None),
        annulee_par=row["annulee_par"] if isinstance(row["annulee_par"], str) else None,
        motif_annulation=(
            row["motif_annulation"] if isinstance(row["motif_annulation"], str) else None
        ),
    )


def add(con: sqlite3.Connection, correction: Correction) -> Correction:
    """Record ``correction`` (checked beforehand); the stored row, with its number."""
    now = datetime.now(UTC).isoformat()
    with transaction(con):
        cursor = con.execute(
            "insert into corrections (edition, candidature_id, nature, champ, categorie, "
            "valeur, valeur_saisie, motif, auteur, cree_le) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                correction.edition,
                correction.candidature_id,
                correction.nature.value,
                correction.champ,
                correction.categorie,
                correction.valeur,
                correction.valeur_saisie,
                correction.motif,
                correction.auteur,
                now,
            ],
        )
        number = cursor.lastrowid
    return get(con, int(number or 0))


def get(con: sqlite3.Connection, number: int) -> Correction:
    row = con.execute(
        f"select {', '.join(COLUMNS)} from corrections where id = ?",  # noqa: S608 - code
        [number],
    ).fetchone()
    if row is None:
        raise CorrectionIntrouvable(f"Aucune correction n° {number}.")
    return _row(tuple(row))


def undo(con: sqlite3.Connection, number: int, auteur: str, motif: str) -> Correction:
    """Undo correction ``number``: it stays recorded, with who undid it, when and why."""
    if not motif.strip():
        raise ValueError("Le motif de l'annulation est obligatoire.")
    with transaction(con):
        done = con.execute(
            "update corrections set annulee_le = ?, annulee_par = ?, motif_annulation = ? "
            "where id = ? and annulee_le is null",
            [datetime.now(UTC).isoformat(), auteur, " ".join(motif.split()), number],
        ).rowcount
    if not done:
        raise CorrectionIntrouvable(f"Aucune correction active n° {number}.")
    return get(con, number)


def corrections(
    con: sqlite3.Connection, edition: int | None = None, *, with_undone: bool = False
) -> list[Correction]:
    """Corrections of ``edition`` (all editions when None), oldest first."""
    rows = con.execute(
        f"select {', '.join(COLUMNS)} from corrections "  # noqa: S608 - columns from code
        "where (? is null or edition = ?) and (? or annulee_le is null) order by id",
        [edition, edition, with_undone],
    ).fetchall()
    return [_row(tuple(r)) for r in rows]
