"""The export that justifies a result: every score, comment and decision in one table.

One row per counted score (juror × candidature × category): the criteria values and
comments, the overall comment, then the candidature's results (mean, median,
normalised score, ranks, « décision serrée » and why), the decision, and the category's
deliberation notes. Written by the shared ``dashboard.exports`` module (CSV or XLSX for
French spreadsheets, formula cells neutralised); every export is logged.
"""

from __future__ import annotations

from typing import Literal

import duckdb
import polars as pl

from dashboard import exports
from dashboard.jury import audit, decisions, scoring
from dashboard.jury.rules import JuryRules, load_rules
from dashboard.jury.store import Store
from etl.editions.model import Edition

Format = Literal["csv", "xlsx"]


def justification(
    con: duckdb.DuckDBPyConnection,
    edition: Edition,
    rules: JuryRules,
    categorie: str | None = None,
) -> pl.DataFrame:
    """The export's table for an edition (or one category), best candidatures first."""
    frames = []
    codes = [c.code for c in edition.categories if categorie in (None, c.code)]
    for code in codes:
        category = edition.category(code)
        scores = scoring.submitted_scores(con, edition.annee, code)
        if scores.is_empty():
            continue
        criteria = scoring.criteria_scores(con, edition.annee, code)
        wide = scores.select(
            "categorie_code", "candidature_id", "jure", "note", "abstention", "commentaire"
        )
        for critere in category.criteres:
            part = criteria.filter(pl.col("critere_code") == critere.code).select(
                "candidature_id",
                "jure",
                pl.col("valeur").alias(f"{critere.code} (poids {critere.poids})"),
                pl.col("commentaire").alias(f"{critere.code} : commentaire"),
            )
            wide = wide.join(part, on=["candidature_id", "jure"], how="left")
        table = decisions.category_results(con, edition.annee, category, rules)
        notes = decisions.deliberation_notes(con, edition.annee, code)
        notes_text = " | ".join(
            f"{a} : {t}" for a, t in zip(notes["auteur"], notes["texte"], strict=True)
        )
        frames.append(
            wide.join(table.drop("nb_notes", "abstentions"), on="candidature_id", how="left")
            .with_columns(
                pl.col("motifs_serree").list.join(" ; "),
                notes_deliberation=pl.lit(notes_text),
            )
            .sort(["rang_normalise", "candidature_id", "jure"], nulls_last=True)
        )
    if not frames:
        return pl.DataFrame(
            schema={"categorie_code": pl.String, "candidature_id": pl.String, "jure": pl.String}
        )
    return (
        pl.concat(frames, how="diagonal_relaxed")
        .rename({"commentaire": "commentaire_general", "niveau": "decision"})
        .with_columns(pl.lit(edition.annee).alias("edition"))
        .select("edition", pl.exclude("edition"))
    )


def export_bytes(
    store: Store,
    acteur: str,
    edition: Edition,
    fmt: Format,
    categorie: str | None = None,
    role: str | None = "admin",
    rules: JuryRules | None = None,
) -> bytes:
    """The justification as CSV or XLSX bytes; the export is recorded in the journal."""
    table = justification(store.cursor(), edition, rules or load_rules(), categorie)
    data = (
        exports.csv_bytes(table, role=role)
        if fmt == "csv"
        else exports.xlsx_bytes(table, role=role, feuille=f"Jury {edition.annee}")
    )
    cible = f"{edition.annee}/{categorie or 'toutes'}"
    store.write(
        lambda con: audit.record(con, acteur, "export", cible, f"{fmt}, {table.height} lignes")
    )
    return data
