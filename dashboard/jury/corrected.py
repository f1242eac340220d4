"""Corrections that reach the jury after scoring began.

The organiser may fix a candidature's territory, decide its eligibility to a prize,
change the prizes it applies to, merge it or withdraw it while jurors are already
scoring. Sent scores are kept (a juror's word is never rewritten), but the juror and the
jury's administrator must know that what was scored has changed since: one row per
correction and juror whose score on that candidature was started before the correction.

Pure polars over two frames: the warehouse's ``corrections`` (applied ones) and the
store's ``notes``; the pages read both (``dashboard.queries.jury``).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from etl.corrections import Kind

JURY_KINDS = frozenset({Kind.TERRITOIRE, Kind.ELIGIBILITE, Kind.FUSION, Kind.RETRAIT})
"""Corrections that change who may win a prize, or where (territory, eligibility)."""
CATEGORY_FIELD = "categories"
"""A value correction on this field changes the prizes a candidature applies to."""

MOMENT = pl.Datetime("us", "UTC")
COLUMNS: dict[str, pl.DataType] = {
    "correction_id": pl.Int64(),
    "candidature_id": pl.String(),
    "nature": pl.String(),
    "champ": pl.String(),
    "categorie": pl.String(),
    "valeur": pl.String(),
    "motif": pl.String(),
    "cree_le": MOMENT,
    "jure": pl.String(),
    "categorie_code": pl.String(),
    "statut": pl.String(),
    "note_commencee_le": MOMENT,
}


def after_scoring(corrections: pl.DataFrame, notes: pl.DataFrame) -> pl.DataFrame:
    """One row per (correction, juror's score) where the score was started before the
    correction (``corrections``: rows of the warehouse table, applied ones only count;
    ``notes``: rows of the store's ``notes``, same edition)."""
    if corrections.is_empty() or notes.is_empty():
        return pl.DataFrame(schema=COLUMNS)
    relevant = corrections.filter(
        (pl.col("etat") == "appliquee")
        & (
            pl.col("nature").is_in([k.value for k in JURY_KINDS])
            | ((pl.col("nature") == Kind.VALEUR.value) & (pl.col("champ") == CATEGORY_FIELD))
        )
    ).with_columns(pl.col("cree_le").dt.convert_time_zone("UTC").cast(MOMENT))
    started = notes.select(
        "candidature_id",
        "jure",
        "categorie_code",
        "statut",
        pl.min_horizontal("modifiee_le", "soumise_le")
        .dt.convert_time_zone("UTC")
        .cast(MOMENT)
        .alias("note_commencee_le"),
    )
    return (
        relevant.join(started, on="candidature_id")
        .filter(pl.col("note_commencee_le") < pl.col("cree_le"))
        .select(list(COLUMNS))
        .sort("cree_le", "candidature_id", "jure")
    )


def describe(
    row: Mapping[str, object],
    prizes: Mapping[str, str],
    names: Mapping[str, str],
    communes: Mapping[str, str],
) -> str:
    """What a correction of :func:`after_scoring` changed, in French (names, no codes)."""
    nature = Kind(str(row["nature"]))
    valeur = str(row.get("valeur") or "")
    if nature is Kind.TERRITOIRE:
        return f"territoire fixé : {communes.get(valeur, valeur)}"
    if nature is Kind.ELIGIBILITE:
        decision = "admise" if valeur == "admise" else "refusée"
        prix = prizes.get(str(row.get("categorie") or ""), "prix")
        return f"éligibilité au {prix} décidée : {decision}"
    if nature is Kind.FUSION:
        return f"fusionnée dans « {names.get(valeur, valeur)} »"
    if nature is Kind.RETRAIT:
        return "retirée par le candidat (hors des files du jury)"
    return "prix visés corrigés"
