"""The export that justifies a result, written to be read: every score, comment and
decision of an edition (or one prize) in one table with French headers.

One row per counted score (juror × candidature × prize), the best candidatures first:
the prize, the rank, the candidature named « structure — projet », the decision and its
justification, whether the organiser corrected the candidature's data (« Oui » /
« Non »), the results of each method (rounded to two decimals), whether the
decision is close and why (« Oui » / « Non »), the juror by name, their criteria values
and comments, the deliberation notes, and the candidature's identifier last (to trace a
row back). Written by the shared ``dashboard.exports`` module (CSV or XLSX for French
spreadsheets, formula cells neutralised); every export is logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import duckdb
import polars as pl

from dashboard import exports
from dashboard.jury import audit, decisions, scoring
from dashboard.jury.candidatures import candidatures_to_judge
from dashboard.jury.rules import JuryRules, load_rules
from dashboard.jury.states import AuditAction, Decision
from dashboard.jury.store import Store
from etl.editions.model import Category, Edition
from etl.semantic import naming

Format = Literal["csv", "xlsx"]
DECIMALS = 2
"""Scores are exported rounded to this many decimals (the raw values stay in the store)."""
OUI_NON = {True: "Oui", False: "Non"}


def _yes_no(column: str) -> pl.Expr:
    return pl.col(column).replace_strict(OUI_NON, default=None, return_dtype=pl.String)


def _prize_rows(
    con: duckdb.DuckDBPyConnection,
    edition: Edition,
    category: Category,
    rules: JuryRules,
    names: Mapping[str, str],
    jurors: Mapping[str, str],
    corrected: frozenset[str] = frozenset(),
) -> pl.DataFrame | None:
    scores = scoring.submitted_scores(con, edition.annee, category.code)
    if scores.is_empty():
        return None
    criteria = scoring.criteria_scores(con, edition.annee, category.code)
    rows = scores.select("candidature_id", "jure", "note", "abstention", "commentaire")
    criteria_columns: list[str] = []
    for critere in category.criteres:
        value = f"{critere.libelle} (poids {critere.poids} %)"
        comment = f"{critere.libelle} : commentaire"
        part = criteria.filter(pl.col("critere_code") == critere.code).select(
            "candidature_id",
            "jure",
            pl.col("valeur").alias(value),
            pl.col("commentaire").alias(comment),
        )
        rows = rows.join(part, on=["candidature_id", "jure"], how="left")
        criteria_columns += [value, comment]
    table = decisions.category_results(con, edition.annee, category, rules)
    notes = decisions.deliberation_notes(con, edition.annee, category.code)
    notes_text = " | ".join(notes["texte"])
    joined = rows.join(table, on="candidature_id", how="left").sort(
        ["rang_normalise", "candidature_id", "jure"], nulls_last=True
    )
    return joined.select(
        pl.lit(f"Prix {category.numero} — {category.libelle}").alias("Prix"),
        pl.col("rang_normalise").alias("Rang"),
        pl.col("candidature_id")
        .replace_strict(names, default="candidature retirée de l'entrepôt", return_dtype=pl.String)
        .alias("Candidature"),
        pl.col("niveau")
        .replace_strict({d.value: d.label for d in Decision}, default="", return_dtype=pl.String)
        .alias("Décision"),
        pl.col("justification").fill_null("").alias("Justification"),
        pl.col("candidature_id")
        .is_in(list(corrected))
        .replace_strict(OUI_NON, return_dtype=pl.String)
        .alias("Données corrigées par l'organisateur"),
        pl.col("note_normalisee").round(DECIMALS).alias("Note normalisée"),
        pl.col("moyenne").round(DECIMALS).alias("Moyenne"),
        pl.col("mediane").round(DECIMALS).alias("Médiane"),
        pl.col("rang_moyenne").alias("Rang (moyenne)"),
        pl.col("rang_mediane").alias("Rang (médiane)"),
        _yes_no("decision_serree").alias("Décision serrée"),
        pl.col("motifs_serree").list.join(" ; ").fill_null("").alias("Motifs"),
        pl.col("jure")
        .replace_strict(jurors, default=pl.col("jure"), return_dtype=pl.String)
        .alias("Juré"),
        _yes_no("abstention").alias("Abstention"),
        pl.col("note").round(DECIMALS).alias("Note du juré"),
        *criteria_columns,
        pl.col("commentaire").alias("Commentaire général"),
        pl.lit(notes_text).alias("Notes de délibération"),
        pl.col("candidature_id").alias("Identifiant"),
    )


def justification(
    con: duckdb.DuckDBPyConnection,
    edition: Edition,
    rules: JuryRules,
    categorie: str | None = None,
    candidatures: pl.DataFrame | None = None,
    jurors: Mapping[str, str] | None = None,
) -> pl.DataFrame:
    """The export's table for an edition (or one prize), best candidatures first.

    ``candidatures``: ``candidatures_to_judge(edition)`` rows, for the names;
    ``jurors``: juror identifier → name (identifiers when missing).
    """
    judged = (
        candidatures.unique("candidature_id", keep="first", maintain_order=True)
        if candidatures is not None and not candidatures.is_empty()
        else None
    )
    names = (
        dict(zip(judged["candidature_id"], naming.with_labels(judged)["libelle"], strict=True))
        if judged is not None
        else {}
    )
    corrected = (
        frozenset(judged.filter(pl.col("corrige").fill_null(False))["candidature_id"])
        if judged is not None and "corrige" in judged.columns
        else frozenset()
    )
    frames = [
        frame
        for c in edition.categories
        if categorie in (None, c.code)
        and (frame := _prize_rows(con, edition, c, rules, names, jurors or {}, corrected))
        is not None
    ]
    if not frames:
        return pl.DataFrame(schema={"Prix": pl.String, "Candidature": pl.String, "Juré": pl.String})
    return pl.concat(frames, how="diagonal_relaxed").select(
        pl.lit(edition.annee).alias("Édition"), pl.all()
    )


def export_bytes(
    store: Store,
    acteur: str,
    edition: Edition,
    fmt: Format,
    categorie: str | None = None,
    role: str | None = "admin",
    rules: JuryRules | None = None,
    candidatures: pl.DataFrame | None = None,
    jurors: Mapping[str, str] | None = None,
) -> bytes:
    """The justification as CSV or XLSX bytes; the export is recorded in the journal.

    Without ``candidatures``, they are read from the warehouse beside the store.
    """
    if candidatures is None:
        warehouse = store.path.with_name("warehouse.duckdb")
        if warehouse.exists():
            candidatures = candidatures_to_judge(edition.annee, warehouse)
    table = justification(
        store.cursor(), edition, rules or load_rules(), categorie, candidatures, jurors
    )
    data = (
        exports.csv_bytes(table, role=role)
        if fmt == "csv"
        else exports.xlsx_bytes(table, role=role, feuille=f"Jury {edition.annee}")
    )
    cible = f"{edition.annee}/{categorie or 'toutes'}"
    store.write(
        lambda con: audit.record(
            con, acteur, AuditAction.EXPORT, cible, f"{fmt}, {table.height} lignes"
        )
    )
    return data
