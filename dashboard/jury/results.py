"""Results of a category from its scores (pure: frames in, frames out).

For each candidature: number of scores, mean, median, normalised score, spread, and a
« décision serrée » flag with its reasons. The normalised score corrects each juror's
severity (docs/jury.md, worked example tested in tests/dashboard/test_jury_results.py):

1. over all the category's scores, ``M`` = mean and ``S`` = standard deviation
   (population, ddof 0);
2. for each juror ``j``, ``m_j`` and ``s_j`` over their own scores in the category;
3. each score ``x`` becomes ``z = (x - m_j) / s_j`` (``z = 0`` when ``s_j = 0``: a juror who
   gave one score, or the same score everywhere, expresses no preference), rescaled to
   ``M + S × z`` and clipped to the edition's scale;
4. a candidature's normalised score is the mean of its rescaled scores.
"""

from __future__ import annotations

import polars as pl

DECIMALS = 6
"""Scores are compared at this precision, so float noise never breaks a tie."""

RESULT_SCHEMA = pl.Schema(
    {
        "candidature_id": pl.String(),
        "nb_notes": pl.UInt32(),
        "moyenne": pl.Float64(),
        "mediane": pl.Float64(),
        "note_normalisee": pl.Float64(),
        "ecart_type": pl.Float64(),
        "ecart_type_normalise": pl.Float64(),
        "etendue": pl.Float64(),
        "rang_moyenne": pl.UInt32(),
        "rang_mediane": pl.UInt32(),
        "rang_normalise": pl.UInt32(),
        "decision_serree": pl.Boolean(),
        "motifs_serree": pl.List(pl.String()),
    }
)


def rescaled_scores(notes: pl.DataFrame, note_min: float, note_max: float) -> pl.DataFrame:
    """Each score with its juror's z-score and its rescaled value (``note_normalisee``).

    ``notes``: columns ``candidature_id``, ``jure``, ``note`` (null notes are dropped).
    """
    scored = notes.filter(pl.col("note").is_not_null())
    if scored.is_empty():
        return scored.with_columns(
            z=pl.lit(None, pl.Float64), note_normalisee=pl.lit(None, pl.Float64)
        )
    panel_mean = float(scored["note"].mean())  # type: ignore[arg-type]
    panel_sd = float(scored["note"].std(ddof=0))  # type: ignore[arg-type]
    jury_mean = pl.col("note").mean().over("jure")
    jury_sd = pl.col("note").std(ddof=0).over("jure")
    z = pl.when(jury_sd > 0).then((pl.col("note") - jury_mean) / jury_sd).otherwise(0.0)
    return scored.with_columns(z=z).with_columns(
        note_normalisee=(panel_mean + panel_sd * pl.col("z")).clip(note_min, note_max)
    )


def category_results(
    notes: pl.DataFrame,
    note_min: float,
    note_max: float,
    desaccord_part_echelle: float = 0.3,
    places: int | None = None,
) -> pl.DataFrame:
    """One row per scored candidature, best first (normalised score, then mean).

    Ranks use the « min » method: tied candidatures share a rank. A decision is
    « serrée » when the methods (mean, median, normalised score) disagree on it — on its
    rank, or with ``places`` given, on whether it is within the first ``places`` — when
    the spread of its *normalised* scores is at least ``desaccord_part_echelle`` × the
    scale's width (jurors disagree on its merit, not merely on severity), when it ties
    with another one, or when it has a single score.
    """
    rescaled = rescaled_scores(notes, note_min, note_max)
    if rescaled.is_empty():
        return pl.DataFrame(schema=RESULT_SCHEMA)
    threshold = desaccord_part_echelle * (note_max - note_min)
    table = rescaled.group_by("candidature_id").agg(
        nb_notes=pl.len().cast(pl.UInt32),
        moyenne=pl.col("note").mean(),
        mediane=pl.col("note").median(),
        note_normalisee=pl.col("note_normalisee").mean(),
        ecart_type=pl.when(pl.len() > 1).then(pl.col("note").std(ddof=0)),
        ecart_type_normalise=pl.when(pl.len() > 1).then(pl.col("note_normalisee").std(ddof=0)),
        etendue=pl.col("note").max() - pl.col("note").min(),
    )

    def rank(column: str) -> pl.Expr:
        return pl.col(column).round(DECIMALS).rank("min", descending=True).cast(pl.UInt32)

    table = table.with_columns(
        rang_moyenne=rank("moyenne"),
        rang_mediane=rank("mediane"),
        rang_normalise=rank("note_normalisee"),
    )
    tie = pl.col("note_normalisee").round(DECIMALS).is_duplicated()
    ranks = [pl.col("rang_moyenne"), pl.col("rang_mediane"), pl.col("rang_normalise")]
    if places is None:
        methods_disagree = (ranks[0] != ranks[2]) | (ranks[1] != ranks[2])
        order_text = "le rang change selon la méthode (moyenne, médiane, note normalisée)"
    else:
        inside = [r <= places for r in ranks]
        methods_disagree = (inside[0] != inside[2]) | (inside[1] != inside[2])
        order_text = (
            f"dans les {places} premières selon une méthode, pas selon une autre "
            "(moyenne, médiane, note normalisée)"
        )
    reasons = [
        (methods_disagree, order_text),
        (pl.col("ecart_type_normalise") >= threshold, "désaccord fort entre jurés"),
        (tie, "ex æquo"),
        (pl.col("nb_notes") == 1, "une seule note"),
    ]
    motifs = pl.concat_list(
        [
            pl.when(cond.fill_null(False))
            .then(pl.lit([text]))
            .otherwise(pl.lit([], pl.List(pl.String)))
            for cond, text in reasons
        ]
    )
    return (
        table.with_columns(motifs_serree=motifs)
        .with_columns(decision_serree=pl.col("motifs_serree").list.len() > 0)
        .sort(
            ["note_normalisee", "moyenne", "candidature_id"],
            descending=[True, True, False],
        )
        .select(RESULT_SCHEMA.names())
    )


def juror_severity(notes: pl.DataFrame) -> pl.DataFrame:
    """Per juror: number of scores, mean, spread, and mean gap to the other jurors.

    ``ecart_aux_autres``: mean over the juror's scores of (their score − the mean of the
    other jurors' scores of the same candidature); negative = severe, positive = lenient.
    Null when nobody else scored the same candidatures.
    """
    scored = notes.filter(pl.col("note").is_not_null())
    keys = ["candidature_id"] + (["categorie_code"] if "categorie_code" in notes.columns else [])
    sums = scored.group_by(keys).agg(somme=pl.col("note").sum(), n=pl.len())
    gaps = scored.join(sums, on=keys).with_columns(
        autres=pl.when(pl.col("n") > 1).then((pl.col("somme") - pl.col("note")) / (pl.col("n") - 1))
    )
    return (
        gaps.group_by("jure")
        .agg(
            nb_notes=pl.len().cast(pl.UInt32),
            moyenne=pl.col("note").mean(),
            ecart_type=pl.col("note").std(ddof=0),
            ecart_aux_autres=(pl.col("note") - pl.col("autres")).mean(),
        )
        .sort("jure")
    )
