"""Deliberation of a category: results from the store, shortlist, laureates, notes.

Laureates are capped by the category's ``laureats_max`` (edition config): a decision that
would exceed it is refused, and ``remaining_places`` says how many are left.
"""

from __future__ import annotations

import duckdb
import polars as pl

from dashboard.jury import audit, results
from dashboard.jury.rules import JuryRules
from dashboard.jury.scoring import submitted_scores
from dashboard.jury.states import AuditAction, Decision
from dashboard.jury.store import Store
from etl.editions.model import Category
from etl.french import plural

JUSTIFICATION_MAX = 300
"""A justification is one line: at most this many characters."""


class DecisionRefused(ValueError):
    """A decision cannot be recorded; the message says why, in French."""


class QuotaReached(DecisionRefused):
    """Crowning one more laureate (or one more mention) would exceed the prize's quota."""


def scale(category: Category) -> tuple[int, int]:
    """(note_min, note_max) of a category's rubric."""
    return category.criteres[0].note_min, category.criteres[0].note_max


def category_results(
    con: duckdb.DuckDBPyConnection, edition: int, category: Category, rules: JuryRules
) -> pl.DataFrame:
    """``results.category_results`` on the store's counted scores, with each decision.

    The order alert looks at the first ``max(preselection, laureats_max)`` places: a
    candidature is « serrée » when one method puts it there and another does not.

    Adds ``niveau`` (null or a ``states.Decision`` value), ``justification`` and
    ``abstentions``.
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
    chosen = selections(con, edition, category.code).select(
        "candidature_id", "niveau", "justification"
    )
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
        select edition, categorie_code, candidature_id, niveau, justification, decide_par,
               decide_le
        from selections
        where (? is null or edition = ?) and (? is null or categorie_code = ?)
        order by edition, categorie_code, niveau desc, candidature_id
        """,
        params=[edition, edition, categorie, categorie],
    ).pl()
    return result


def laureates(con: duckdb.DuckDBPyConnection, edition: int | None = None) -> pl.DataFrame:
    """The laureates, alone or ex æquo (edition, categorie_code, candidature_id, niveau,
    justification…): the press kit's and the public site's input."""
    crowned = [d.value for d in Decision if d.crowned]
    return selections(con, edition).filter(pl.col("niveau").is_in(crowned))


def remaining_places(con: duckdb.DuckDBPyConnection, edition: int, category: Category) -> int:
    """« Places restantes »: laureats_max minus the laureates already chosen."""
    crowned = con.execute(
        "select count(*) from selections where edition = ? and categorie_code = ? and niveau = ?",
        [edition, category.code, Decision.LAUREAT.value],
    ).fetchall()[0][0]
    return max(0, category.laureats_max - int(crowned))


def needs_justification(
    decision: Decision, rang: int | None, category: Category, rules: JuryRules
) -> bool:
    """Whether a decision must say why: always for a laureate (alone or ex æquo) and a
    mention; for a shortlisting, when the candidature is not among the first
    ``rules.preselection`` of the ranking (a choice against the ranking)."""
    if decision is not Decision.PRESELECTION:
        return True
    return rang is None or rang > rules.preselection


def _check_quota(
    con: duckdb.DuckDBPyConnection, key: list[object], category: Category, decision: Decision
) -> None:
    def others(niveau: Decision) -> int:
        count: int = con.execute(
            "select count(*) from selections where edition = ? and categorie_code = ?"
            " and candidature_id <> ? and niveau = ?",
            [*key, niveau.value],
        ).fetchall()[0][0]
        return count

    prix = f"« {category.libelle} »"
    if decision is Decision.LAUREAT and others(Decision.LAUREAT) >= category.laureats_max:
        raise QuotaReached(
            f"Quota atteint pour {prix} : {plural(category.laureats_max, 'lauréat')} au plus. "
            "Retirez d'abord un lauréat."
        )
    if decision is Decision.EX_AEQUO:
        if not category.ex_aequo:
            raise DecisionRefused(f"L'édition ne prévoit pas de lauréat ex æquo pour {prix}.")
        if others(Decision.LAUREAT) == 0:
            raise DecisionRefused(
                "Un lauréat ex æquo partage le prix avec un lauréat : nommez d'abord le lauréat."
            )
        if others(Decision.EX_AEQUO) >= category.laureats_max:
            raise QuotaReached(f"{prix} a déjà son lauréat ex æquo.")
    if decision is Decision.MENTION:
        if category.mentions_max == 0:
            raise DecisionRefused(f"L'édition ne prévoit pas de mention pour {prix}.")
        if others(Decision.MENTION) >= category.mentions_max:
            raise QuotaReached(
                f"Quota atteint pour {prix} : {plural(category.mentions_max, 'mention')} au plus."
            )


def decide(
    store: Store,
    admin: str,
    edition: int,
    category: Category,
    candidature_id: str,
    decision: Decision | None,
    justification: str | None = None,
    rules: JuryRules | None = None,
) -> None:
    """Record (or withdraw, ``decision=None``) the jury's decision on a candidature.

    A laureate needs a free place (``laureats_max``), an ex æquo or a mention needs the
    edition to allow it; ``justification`` (one line) is required where
    :func:`needs_justification` says so. Refusals raise ``DecisionRefused`` (French
    message); the decision and its justification go to the audit log.
    """
    why = " ".join((justification or "").split())
    if len(why) > JUSTIFICATION_MAX:
        raise DecisionRefused(
            f"La justification tient en une ligne : {JUSTIFICATION_MAX} caractères au plus."
        )
    ranking = rules or JuryRules()

    def work(con: duckdb.DuckDBPyConnection) -> None:
        key: list[object] = [edition, category.code, candidature_id]
        if decision is not None:
            _check_quota(con, key, category, decision)
            if not why and needs_justification(
                decision,
                rank_of(con, edition, category, ranking, candidature_id),
                category,
                ranking,
            ):
                raise DecisionRefused(
                    f"Justifiez en une ligne : « {decision.label} » "
                    + (
                        "se justifie toujours."
                        if decision is not Decision.PRESELECTION
                        else f"n'est pas parmi les {ranking.preselection} premières du classement."
                    )
                )
        con.execute(
            "delete from selections where edition = ? and categorie_code = ?"
            " and candidature_id = ?",
            key,
        )
        if decision is not None:
            con.execute(
                "insert into selections (edition, categorie_code, candidature_id, niveau,"
                " justification, decide_par) values (?, ?, ?, ?, ?, ?)",
                [*key, decision.value, why or None, admin],
            )
        verdict = "décision retirée" if decision is None else decision.label
        detail = f"{category.code} : {verdict}" + (f" — {why}" if why else "")
        audit.record(con, admin, AuditAction.DECISION, candidature_id, detail)

    with store.decisions_lock:
        store.write(work)


def rank_of(
    con: duckdb.DuckDBPyConnection,
    edition: int,
    category: Category,
    rules: JuryRules,
    candidature_id: str,
) -> int | None:
    """The candidature's rank by normalised score in its prize (None: not scored)."""
    table = category_results(con, edition, category, rules).filter(
        pl.col("candidature_id") == candidature_id
    )
    return None if table.is_empty() else int(table["rang_normalise"][0])


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
        audit.record(con, auteur, AuditAction.NOTE_DELIBERATION, f"{edition}/{categorie}")

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
