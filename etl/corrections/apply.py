"""Applying the organiser's corrections to the answers of a load (pure: frames in, frames out).

The warehouse keeps every answer as it was read (table ``reponses``); each build applies
the active corrections afresh to the current rows they target and writes the result apart:

- ``reponses_corrigees``: the corrected copy of each targeted candidature's current row
  (changed values; territory, populations and eligibility derived again by the pipeline's
  own functions; ``statut_correction`` « retiree » or « fusionnee »);
- ``categories_corrigees``: their rows × prize, verdicts derived again, then the
  organiser's eligibility decisions (the computed verdict kept beside them);
- ``corrections``: every active correction with its state — « appliquee », or « a_revoir »
  with the reason: its candidature is gone, or the value typed in the export is no longer
  the one it corrected (a re-export changed it).

The views read the corrected copy where there is one, the answer as read elsewhere; the
raw answers stay untouched, so the next load starts again from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from etl.corrections.model import TERRITORY_FIELD, Correction, Decision, Kind
from etl.editions.model import Edition
from etl.pipeline import category_verdicts, with_populations, with_structure_eligibility
from etl.reference import Reference
from etl.rules import LIGNE

APPLIED = "appliquee"
TO_REVIEW = "a_revoir"
RETIREE = "retiree"
FUSIONNEE = "fusionnee"

TERRITORY_DERIVED = (
    "commune_code",
    "epci_siren",
    "departement_code",
    "region_code",
    "commune_population",
    "commune_densite",
    "departement_population",
)

STATE_SCHEMA: dict[str, pl.DataType] = {
    "correction_id": pl.Int64(),
    "edition": pl.Int32(),
    "candidature_id": pl.String(),
    "nature": pl.String(),
    "champ": pl.String(),
    "categorie": pl.String(),
    "valeur": pl.String(),
    "valeur_saisie": pl.String(),
    "motif": pl.String(),
    "auteur": pl.String(),
    "cree_le": pl.Datetime("us", "UTC"),
    "etat": pl.String(),
    "revue": pl.String(),
}


@dataclass(frozen=True)
class Applied:
    """What a build writes for the corrections of one edition."""

    reponses: pl.DataFrame  # reponses_corrigees
    categories: pl.DataFrame  # categories_corrigees
    state: pl.DataFrame  # corrections (every active correction and its state)

    @property
    def to_review(self) -> pl.DataFrame:
        return self.state.filter(pl.col("etat") == TO_REVIEW)


def text_of(value: object) -> str | None:
    """A stored value as the text a correction remembers (``valeur_saisie``)."""
    if value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    return str(value)


def _typed(value: str | None, dtype: pl.DataType) -> object:
    """A correction's text value in the column's type."""
    if value is None:
        return None
    if dtype.is_integer():
        return int(float(value))
    if dtype.is_float():
        return float(value)
    if dtype == pl.Boolean:
        return value.strip().lower() in {"oui", "vrai", "true", "1"}
    if isinstance(dtype, pl.List):
        return [v.strip() for v in value.split(",") if v.strip()]
    return value


def _review(correction: Correction, rows: dict[str, dict[str, object]]) -> str | None:
    """Why ``correction`` cannot apply to the current rows, or None when it can."""
    row = rows.get(correction.candidature_id)
    if row is None:
        return "candidature introuvable dans les exports chargés (retirée du fichier ?)"
    if correction.nature is Kind.FUSION and correction.valeur not in rows:
        return f"candidature gardée {correction.valeur} introuvable"
    field = TERRITORY_FIELD if correction.nature is Kind.TERRITOIRE else correction.champ
    if correction.nature in (Kind.VALEUR, Kind.EXCLUSION, Kind.TERRITOIRE):
        now = text_of(row.get(field or ""))
        if now != correction.valeur_saisie:
            return (
                f"la valeur saisie a changé depuis la correction : « {correction.valeur_saisie} »"
                f" → « {now} »"
            )
    return None


def apply(
    current: pl.DataFrame,
    categories: pl.DataFrame,
    corrections: Sequence[Correction],
    edition: Edition,
    reference: Reference,
) -> Applied:
    """Apply the active ``corrections`` of ``edition`` to its ``current`` answers (table
    ``reponses``, current versions) and their ``categories`` rows."""
    mine = [c for c in corrections if c.edition == edition.annee and c.active]
    targeted = {c.candidature_id for c in mine}
    rows_by_id = {
        str(r["candidature_id"]): r
        for r in current.filter(pl.col("candidature_id").is_in(list(targeted))).iter_rows(
            named=True
        )
    }
    rows_by_id.update(
        {
            str(r["candidature_id"]): r
            for r in current.filter(
                pl.col("candidature_id").is_in([c.valeur for c in mine if c.valeur])
            ).iter_rows(named=True)
        }
    )
    states: list[dict[str, object]] = []
    applicable: list[Correction] = []
    for correction in mine:
        reason = _review(correction, rows_by_id)
        states.append(_state(correction, TO_REVIEW if reason else APPLIED, reason))
        if reason is None:
            applicable.append(correction)
    state = pl.DataFrame(states, schema=STATE_SCHEMA, orient="row")
    ids = sorted({c.candidature_id for c in applicable})
    if not ids:
        return Applied(current.clear(), categories.clear(), state)
    corrected = _corrected_rows(
        current.filter(pl.col("candidature_id").is_in(ids)), applicable, reference, edition
    )
    verdicts = _categories(corrected, categories, applicable, edition)
    return Applied(corrected, verdicts, state)


def _state(correction: Correction, etat: str, revue: str | None) -> dict[str, object]:
    return {
        "correction_id": correction.id,
        "edition": correction.edition,
        "candidature_id": correction.candidature_id,
        "nature": correction.nature.value,
        "champ": correction.champ,
        "categorie": correction.categorie,
        "valeur": correction.valeur,
        "valeur_saisie": correction.valeur_saisie,
        "motif": correction.motif,
        "auteur": correction.auteur,
        "cree_le": correction.cree_le,
        "etat": etat,
        "revue": revue,
    }


def _corrected_rows(
    rows: pl.DataFrame, applicable: Sequence[Correction], reference: Reference, edition: Edition
) -> pl.DataFrame:
    # a few rows (the corrected candidatures): the corrections are applied to them as
    # records, in the order they were made (a later one wins), then framed again once —
    # one polars pass per correction cost more than the whole load for 200 of them
    schema = {
        **rows.schema,
        "corrige": pl.Boolean(),
        "statut_correction": pl.String(),
        "fusionnee_dans": pl.String(),
    }
    records = [
        {**r, "corrige": True, "statut_correction": None, "fusionnee_dans": None}
        for r in rows.iter_rows(named=True)
    ]
    by_id: dict[str, list[dict[str, object]]] = {}
    for record in records:
        by_id.setdefault(str(record["candidature_id"]), []).append(record)
    codes = sorted({c.valeur for c in applicable if c.nature is Kind.TERRITOIRE and c.valeur})
    places = {
        str(r["code"]): r
        for r in reference.communes.filter(pl.col("code").is_in(codes))
        .select("code", "nom", "epci_siren", "departement_code", "region_code")
        .iter_rows(named=True)
    }
    for c in applicable:
        changes: dict[str, object] = {}
        if c.nature in (Kind.VALEUR, Kind.EXCLUSION) and c.champ in rows.columns:
            changes[c.champ] = (
                None if c.nature is Kind.EXCLUSION else _typed(c.valeur, rows.schema[c.champ])
            )
        elif c.nature is Kind.TERRITOIRE and c.valeur in places:
            info = places[c.valeur]
            changes = {
                "commune_code": c.valeur,
                "epci_siren": info["epci_siren"],
                "departement_code": info["departement_code"],
                "region_code": info["region_code"],
                "territoire_statut": "corrige",
                "territoire_niveau": "commune",
                "territoire_message": (
                    f"Territoire fixé par l'organisateur : {info['nom']} ({c.valeur}) — {c.motif}"
                ),
            }
        elif c.nature in (Kind.RETRAIT, Kind.FUSION):
            changes = {
                "statut_correction": RETIREE if c.nature is Kind.RETRAIT else FUSIONNEE,
                "fusionnee_dans": c.valeur if c.nature is Kind.FUSION else None,
            }
        for record in by_id.get(c.candidature_id, []):
            record.update({k: v for k, v in changes.items() if k in schema})
    frame = pl.DataFrame(records, schema=schema)
    # what the pipeline derives from the corrected answers, derived again the same way
    frame = with_populations(
        frame.drop("commune_population", "commune_densite", "departement_population", strict=False),
        reference,
    )
    frame = with_structure_eligibility(frame.drop("motifs", "eligible", strict=False), edition)
    return frame.select(*rows.columns, "corrige", "statut_correction", "fusionnee_dans")


def _categories(
    corrected: pl.DataFrame,
    categories: pl.DataFrame,
    applicable: Sequence[Correction],
    edition: Edition,
) -> pl.DataFrame:
    # the pipeline names the line column LIGNE while it processes a file
    verdicts = category_verdicts(corrected.rename({"ligne": LIGNE}), edition).rename(
        {LIGNE: "ligne"}
    )
    keys = corrected.select("fichier", "ligne", "candidature_id", "edition")
    verdicts = verdicts.join(keys, on=["fichier", "ligne"], how="left").with_columns(
        pl.col("eligible").alias("eligible_calcule"),
        pl.lit(None, pl.String).alias("decision_organisateur"),
    )
    decided: dict[tuple[str, str], Correction] = {}  # a later decision replaces an earlier
    for c in applicable:
        if c.nature is Kind.ELIGIBILITE and c.categorie:
            decided[(c.candidature_id, c.categorie)] = c
    if decided:
        decisions = pl.DataFrame(
            {
                "candidature_id": [k[0] for k in decided],
                "categorie_code": [k[1] for k in decided],
                "_decision": [Decision(c.valeur or "").value for c in decided.values()],
                "_note": [
                    f"{Decision(c.valeur or '').label} par l'organisateur : {c.motif}"
                    for c in decided.values()
                ],
            },
            schema_overrides={"categorie_code": verdicts.schema["categorie_code"]},
        )
        verdicts = (
            verdicts.join(
                decisions,
                on=["candidature_id", "categorie_code"],
                how="left",
                maintain_order="left",
            )
            .with_columns(
                pl.when(pl.col("_decision").is_not_null())
                .then(pl.col("_decision") == Decision.ADMISE.value)
                .otherwise(pl.col("eligible"))
                .alias("eligible"),
                pl.coalesce("_decision", "decision_organisateur").alias("decision_organisateur"),
                pl.when(pl.col("_note").is_not_null())
                .then(pl.concat_list([pl.col("motifs"), pl.col("_note")]))
                .otherwise(pl.col("motifs"))
                .alias("motifs"),
            )
            .drop("_decision", "_note")
        )
    columns = [c for c in categories.columns if c in verdicts.columns]
    return verdicts.select(*columns, "eligible_calcule", "decision_organisateur")
