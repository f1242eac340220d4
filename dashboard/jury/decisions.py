"""Deliberation of a category: results from the store, shortlist, laureates, notes.

Laureates are capped by the category's ``laureats_max`` (edition config): a decision that
would exceed it is refused, and ``remaining_places`` says how many are left.
"""

from __future__ import annotations

from typing import Literal

import duckdb
import polars as pl

from dashboard.jury import audit, results
from dashboard.jury.rules import JuryRules
from dashboard.jury.scoring import submitted_scores
from dashboard.jury.store import Store
from etl.editions.model import Category
from etl.french import plural

Niveau = Literal["preselection", "laureat"]
NIVEAUX_FR = {"preselection": "présélectionnée", "laureat": "lauréate"}


class QuotaReached(ValueError):
    """Crowning one more laureate would exceed the category's ``laureats_max``."""


def scale(category: Category) -> tuple[int, int]:
    """(note_min, note_max) of a category's rubric."""
    return category.criteres[0].note_min, category.criteres[0].note_max


def category_results(
    con: duckdb.DuckDBPyConnection, edition: int, category: Category, rules: JuryRules
) -> pl.DataFrame:
    """``results.category_results`` on the store's counted scores, with each decision.

    The order alert looks at the first ``max(preselection, laureats_max)`` places: a
    candidature is « serrée » when one method puts it there and another does not.

    Adds ``niveau`` (null, « preselection » or « laureat ») and ``abstentions``.
    """
    scores = submitted_scores(con, edition, category.code)
    low, high = scale(category)
    table = results.category_results(
        scores.filter(~pl.col("abstention")),
        low,
        high,
        rules.desaccord_part_echelle,
        places=max(rules.preselection, category.laureats_max),
    )
    abstentions = (
        scores.filter(pl.col("abstention"))
        .group_by("candidature_id")
        .agg(abstentions=pl.len().cast(pl.UInt32))
    )
    chosen = selections(con, edition, category.code).select("candidature_id", "niveau")
    return (
        table.join(abstentions, on="candidature_id", how="left", maintain_order="left")
        .join(chosen, on="candidature_id", how="left", maintain_order="left")
        .with_columns(pl.col("abstentions").fill_null(0))
    )


def selections(
    con: duckdb.DuckDBPyConnection, edition: int | None = None, categorie: str | None = None
) -> pl.DataFrame:
    """Shortlisted and crowned candidatures (all editions when ``edition`` is None)."""
    result: pl.DataFrame = con.sql(
        """
        select edition, categorie_code, candidature_id, niveau, decide_par, decide_le
        from selections
        where (? is null or edition = ?) and (? is null or categorie_code = ?)
        order by edition, categorie_code, niveau desc, candidature_id
        """,
        params=[edition, edition, categorie, categorie],
    ).pl()
    return result


def laureates(con: duckdb.DuckDBPyConnection, edition: int | None = None) -> pl.DataFrame:
    """The laureates (edition, categorie_code, candidature_id): the press kit's input."""
    return selections(con, edition).filter(pl.col("niveau") == "laureat")


def remaining_places(con: duckdb.DuckDBPyConnection, edition: int, category: Category) -> int:
    """« Places restantes »: laureats_max minus the laureates already chosen."""
    crowned = con.execute(
        "select count(*) from selections where edition = ? and categorie_code = ?"
        " and niveau = 'laureat'",
        [edition, category.code],
    ).fetchall()[0][0]
    return max(0, category.laureats_max - int(crowned))


def decide(
    store: Store,
    admin: str,
    edition: int,
    category: Category,
    candidature_id: str,
    niveau: Niveau | None,
) -> None:
    """Shortlist, crown (within the quota) or withdraw (``None``) a candidature."""

    def work(con: duckdb.DuckDBPyConnection) -> None:
        key = [edition, category.code, candidature_id]
        if niveau == "laureat":
            others = con.execute(
                "select count(*) from selections where edition = ? and categorie_code = ?"
                " and candidature_id <> ? and niveau = 'laureat'",
                key,
            ).fetchall()[0][0]
            if others >= category.laureats_max:
                raise QuotaReached(
                    f"Quota atteint pour {category.code} : "
                    f"{plural(category.laureats_max, 'lauréat')} au plus. "
                    "Retirez d'abord un lauréat."
                )
        con.execute(
            "delete from selections where edition = ? and categorie_code = ?"
            " and candidature_id = ?",
            key,
        )
        if niveau is not None:
            con.execute(
                "insert into selections (edition, categorie_code, candidature_id, niveau,"
                " decide_par) values (?, ?, ?, ?, ?)",
                [*key, niveau, admin],
            )
        verdict = "retirée" if niveau is None else NIVEAUX_FR[niveau]
        audit.record(con, admin, "decision", candidature_id, f"{category.code} : {verdict}")

    with store.decisions_lock:
        store.write(work)


def add_deliberation_note(
    store: Store, auteur: str, edition: int, categorie: str, texte: str
) -> None:
    """Append a note to the deliberation of a category (never edited afterwards)."""
    if not texte.strip():
        raise ValueError("La note de délibération est vide.")

    def work(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(
            "insert into notes_deliberation (edition, categorie_code, auteur, texte)"
            " values (?, ?, ?, ?)",
            [edition, categorie, auteur, texte.strip()],
        )
        audit.record(con, auteur, "note_deliberation", f"{edition}/{categorie}")

    store.write(work)


def deliberation_notes(
    con: duckdb.DuckDBPyConnection, edition: int, categorie: str | None = None
) -> pl.DataFrame:
    """The deliberation notes of an edition (or one category), oldest first."""
    result: pl.DataFrame = con.sql(
        "select edition, categorie_code, auteur, texte, cree_le from notes_deliberation"
        " where edition = ? and (? is null or categorie_code = ?) order by id",
        params=[edition, categorie, categorie],
    ).pl()
    return result
