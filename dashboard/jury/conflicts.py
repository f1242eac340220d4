"""Conflicts of interest: declared by jurors, suggested by rules, decided by an admin.

A conflict is effective (the juror is *recused*: the candidature leaves their queue and
their score, if any, leaves the results) when an admin confirmed it, or when the juror
declared it and no admin has rejected it yet — a juror's own word takes effect at once.
A suggestion recuses nobody until an admin confirms it.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from dashboard.accounts import Account
from dashboard.jury import audit
from dashboard.jury.rules import ConflictRules
from dashboard.jury.states import AuditAction, ConflictOrigin, ConflictStatus
from dashboard.jury.store import Store
from etl.editions.model import normalise_header
from etl.french import agree, plural


def _same(a: str | None, b: object) -> bool:
    return bool(a) and isinstance(b, str) and normalise_header(a or "") == normalise_header(b)


def suggest_conflicts(
    jures: Sequence[Account], candidatures: pl.DataFrame, rules: ConflictRules
) -> pl.DataFrame:
    """Likely conflicts: one row per juror × candidature with the resemblance found.

    ``candidatures`` has the columns of ``candidatures.candidatures_to_judge``
    (one row per category is fine: each candidature is considered once).
    """
    rows: list[dict[str, object]] = []
    unique = candidatures.unique("candidature_id", keep="first", maintain_order=True)
    for jure in jures:
        for cand in unique.iter_rows(named=True):
            motifs = []
            if rules.meme_structure and _same(jure.organisation, cand["structure_nom"]):
                motifs.append("même structure que le juré")
            if (
                rules.meme_departement
                and jure.departement
                and (jure.departement == cand["departement_code"])
            ):
                motifs.append(f"même département ({jure.departement})")
            if rules.meme_region and jure.region and jure.region == cand["region_code"]:
                motifs.append(f"même région ({jure.region})")
            if rules.meme_reseau and _same(jure.reseau, cand["structure_type"]):
                motifs.append(f"même réseau ({jure.reseau})")
            if motifs:
                rows.append(
                    {
                        "jure": jure.identifiant,
                        "edition": int(cand["edition"]),
                        "candidature_id": cand["candidature_id"],
                        "motif": "suggestion : " + ", ".join(motifs),
                    }
                )
    schema = {
        "jure": pl.String,
        "edition": pl.Int32,
        "candidature_id": pl.String,
        "motif": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)


def record_suggestions(store: Store, acteur: str, suggestions: pl.DataFrame) -> int:
    """Store new suggestions (pending); a pair already known keeps its state. How many."""

    def work(con: duckdb.DuckDBPyConnection) -> int:
        added = 0
        for row in suggestions.iter_rows(named=True):
            known = con.execute(
                "select 1 from conflits where edition = ? and candidature_id = ? and jure = ?",
                [row["edition"], row["candidature_id"], row["jure"]],
            ).fetchall()
            if known:
                continue
            con.execute(
                "insert into conflits (edition, candidature_id, jure, origine, motif, statut,"
                " signale_par) values (?, ?, ?, ?, ?, ?, ?)",
                [
                    row["edition"],
                    row["candidature_id"],
                    row["jure"],
                    ConflictOrigin.SUGGESTION.value,
                    row["motif"],
                    ConflictStatus.EN_ATTENTE.value,
                    acteur,
                ],
            )
            added += 1
        if added:
            audit.record(
                con,
                acteur,
                AuditAction.CONFLIT,
                None,
                f"{plural(added, 'conflit')} {agree(added, 'suggéré')}",
            )
        return added

    return store.write(work)


def declare_conflict(
    store: Store, jure: str, edition: int, candidature_id: str, motif: str
) -> None:
    """A juror declares a conflict with a reason; it recuses them at once (see module)."""
    if not motif.strip():
        raise ValueError("Indiquez la raison du conflit d'intérêts.")

    def work(con: duckdb.DuckDBPyConnection) -> None:
        key = [edition, candidature_id, jure]
        known = con.execute(
            "select statut from conflits where edition = ? and candidature_id = ? and jure = ?",
            key,
        ).fetchall()
        if known:
            confirmed = known[0][0] == ConflictStatus.CONFIRME
            statut = ConflictStatus.CONFIRME if confirmed else ConflictStatus.EN_ATTENTE
            con.execute(
                "update conflits set origine = ?, motif = ?, statut = ?,"
                " signale_par = ?, signale_le = current_timestamp, decide_par = null,"
                " decide_le = null where edition = ? and candidature_id = ? and jure = ?",
                [ConflictOrigin.DECLARATION.value, motif.strip(), statut.value, jure, *key],
            )
        else:
            con.execute(
                "insert into conflits (edition, candidature_id, jure, origine, motif, statut,"
                " signale_par) values (?, ?, ?, ?, ?, ?, ?)",
                [
                    *key,
                    ConflictOrigin.DECLARATION.value,
                    motif.strip(),
                    ConflictStatus.EN_ATTENTE.value,
                    jure,
                ],
            )
        audit.record(con, jure, AuditAction.CONFLIT, candidature_id, f"déclaré : {motif.strip()}")

    store.write(work)


def decide_conflict(
    store: Store, admin: str, edition: int, candidature_id: str, jure: str, confirme: bool
) -> None:
    """An admin confirms (recusal) or rejects a declared or suggested conflict."""

    def work(con: duckdb.DuckDBPyConnection) -> None:
        key = [edition, candidature_id, jure]
        found = con.execute(
            "select 1 from conflits where edition = ? and candidature_id = ? and jure = ?", key
        ).fetchall()
        if not found:
            raise KeyError(f"Aucun conflit signalé entre {jure} et {candidature_id}.")
        con.execute(
            "update conflits set statut = ?, decide_par = ?, decide_le = current_timestamp"
            " where edition = ? and candidature_id = ? and jure = ?",
            [(ConflictStatus.CONFIRME if confirme else ConflictStatus.REJETE).value, admin, *key],
        )
        verdict = "récusation confirmée" if confirme else "conflit écarté"
        audit.record(con, admin, AuditAction.RECUSATION, candidature_id, f"{jure} : {verdict}")

    store.write(work)


def conflicts(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    """Every conflict of an edition with its state and whether it recuses (admin page)."""
    result: pl.DataFrame = con.sql(
        """
        select c.edition, c.candidature_id, c.jure, c.origine, c.motif, c.statut,
               r.jure is not null as recuse,
               c.signale_par, c.signale_le, c.decide_par, c.decide_le
        from conflits c
        left join recusations r using (edition, candidature_id, jure)
        where c.edition = ?
        order by c.statut = ? desc, c.jure, c.candidature_id
        """,
        params=[edition, ConflictStatus.EN_ATTENTE.value],
    ).pl()
    return result


def recusals(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame:
    """Effective recusals of an edition: (jure, candidature_id)."""
    result: pl.DataFrame = con.sql(
        "select jure, candidature_id from recusations where edition = ?",
        params=[edition],
    ).pl()
    return result


def is_recused(
    con: duckdb.DuckDBPyConnection, jure: str, edition: int, candidature_id: str
) -> bool:
    """Whether this juror may neither see nor score this candidature."""
    rows = con.execute(
        "select 1 from recusations where edition = ? and candidature_id = ? and jure = ?",
        [edition, candidature_id, jure],
    ).fetchall()
    return bool(rows)
