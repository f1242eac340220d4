"""Problem rows: the one builder of the frame every step of a load reports into.

Grain: one row per problem found in a line of an export (line 1 = the header). Columns
(``PROBLEM_SCHEMA``): line, canonical field, header as in the file, raw value, rule code,
severity, whether the whole line is set aside, and an optional ``detail`` that the rule's
French sentence quotes (the candidate communes of an ambiguous territory, the base of a
computed count…). Severity « erreur » removes the value — or the whole line when
``rejette_ligne`` — « avertissement » keeps it, flagged.

Every step (reading values, coherence, deadline, territory, identity across files,
unknown columns) builds its rows with :func:`problem_rows`; :func:`with_messages` writes
the sentence a person reads: file, line, column, value, what was decided, rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import polars as pl

from etl import normalise as nz
from etl.reading import COLONNE_LIGNE


class Severite(StrEnum):
    """How serious a problem is (the value stored in ``problemes.severite``)."""

    ERREUR = "erreur"
    AVERTISSEMENT = "avertissement"


PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "ligne": pl.Int64(),
    "champ": pl.String(),
    "colonne": pl.String(),
    "valeur": pl.String(),
    "regle": pl.String(),
    "severite": pl.String(),
    "rejette_ligne": pl.Boolean(),
    "detail": pl.String(),
}

RULE_MESSAGES: dict[str, str] = {
    "obligatoire_manquant": "réponse obligatoire manquante : la ligne est écartée",
    "choix_inconnu": "valeur « {valeur} » absente des réponses prévues par le formulaire",
    "categorie_inconnue": "catégorie « {valeur} » inconnue pour cette édition",
    "public_superieur_participants": "valeur « {valeur} » supérieure au nombre de participants",
    "valeur_superieure_au_total": "valeur « {valeur} » supérieure au total dont elle fait partie",
    "secteurs_superieurs_total": (
        "valeur « {valeur} » : la somme des heures par secteur dépasse le total d'heures"
    ),
    "valeur_implausible": "valeur « {valeur} » invraisemblable : conservée, à vérifier",
    "hors_delai": "réponse du « {valeur} » déposée après la clôture : conservée, signalée",
    "territoire_inconnu": "territoire « {valeur} » introuvable dans la géographie de "
    "référence : {detail}",
    "territoire_ambigu": "territoire « {valeur} » ambigu, aucune commune retenue : {detail}",
    "territoire_avertissement": "territoire « {valeur} » résolu avec réserve : {detail}",
    "colonne_inconnue": "colonne « {valeur} » non prévue par la configuration : ignorée",
    "effectif_calcule": "valeur « {valeur} » : nombre calculé à partir de ce pourcentage, {detail}",
    "doublon_identique": "même réponse que {detail} : comptée une seule fois",
    "version_remplacee": "version remplacée par une réponse plus récente du même projet ({detail})",
}
"""French template of each rule applied after reading a value; ``{valeur}`` is the cell as
typed, ``{detail}`` the row's ``detail``. Reading rules have theirs in ``etl.normalise``."""

RULE_LABELS: dict[str, str] = {
    **nz.LABELS,
    "obligatoire_manquant": "réponse obligatoire manquante",
    "choix_inconnu": "réponse non prévue",
    "categorie_inconnue": "catégorie inconnue",
    "public_superieur_participants": "public supérieur aux participants",
    "valeur_superieure_au_total": "valeur supérieure au total",
    "secteurs_superieurs_total": "secteurs supérieurs au total",
    "valeur_implausible": "valeur invraisemblable",
    "hors_delai": "hors délai",
    "territoire_inconnu": "territoire introuvable",
    "territoire_ambigu": "territoire ambigu",
    "territoire_avertissement": "territoire résolu avec réserve",
    "colonne_inconnue": "colonne non prévue",
    "effectif_calcule": "effectif calculé",
    "doublon_identique": "doublon identique",
    "version_remplacee": "version remplacée",
}
"""Short French name of every rule (reading and loading), shown to people instead of the
code; the code stays in the ``regle`` column for analysts and filters."""


def rule_label(code: str) -> str:
    """The French name of a rule code (the code itself if it is unknown)."""
    return RULE_LABELS.get(code, code)


ROW_RULES = frozenset({"doublon_identique", "version_remplacee"})
"""Rules about a whole line (no column): their message names no column."""


def _expr(value: pl.Expr | str | bool | None, dtype: pl.DataType) -> pl.Expr:
    if isinstance(value, pl.Expr):
        return value.cast(dtype)
    return pl.lit(value, dtype)


def problem_rows(
    frame: pl.DataFrame,
    *,
    regle: pl.Expr | str,
    severite: pl.Expr | Severite,
    valeur: pl.Expr | str | None,
    champ: pl.Expr | str | None = None,
    colonne: pl.Expr | str = "",
    ligne: pl.Expr | None = None,
    rejette_ligne: pl.Expr | bool = False,
    detail: pl.Expr | str | None = None,
    where: pl.Expr | None = None,
) -> pl.DataFrame:
    """One problem row per row of ``frame`` (those where ``where`` holds; a null test is
    false), in ``PROBLEM_SCHEMA``. A row whose ``regle`` is null is no problem and is
    dropped. ``ligne`` defaults to the export line column of the reading step."""
    selected = frame if where is None else frame.filter(where.fill_null(False))
    columns = {
        "ligne": pl.col(COLONNE_LIGNE) if ligne is None else ligne,
        "champ": champ,
        "colonne": colonne,
        "valeur": valeur,
        "regle": regle,
        "severite": severite.value if isinstance(severite, Severite) else severite,
        "rejette_ligne": rejette_ligne,
        "detail": detail,
    }
    rows = selected.select(
        _expr(value, PROBLEM_SCHEMA[name]).alias(name) for name, value in columns.items()
    )
    return rows.filter(pl.col("regle").is_not_null())


def no_problems() -> pl.DataFrame:
    """An empty problem frame."""
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def concat_problems(parts: Sequence[pl.DataFrame]) -> pl.DataFrame:
    """Problem frames of several steps as one (empty frame when there are none)."""
    if not parts:
        return no_problems()
    return pl.concat([p.select(list(PROBLEM_SCHEMA)) for p in parts], how="vertical")


def with_messages(problems: pl.DataFrame, fichier: str | pl.Expr) -> pl.DataFrame:
    """Add ``message``: « Fichier « F », ligne N, colonne « C » : <what happened> (règle « R »). »

    ``fichier``: the file's name, or an expression giving it per row."""
    templates = {**nz.MESSAGES, **RULE_MESSAGES}
    table = pl.DataFrame({"regle": list(templates), "__modele": list(templates.values())})
    out = problems.join(table, on="regle", how="left")
    texte = (
        pl.col("__modele")
        .fill_null("règle « {valeur} »")
        .str.replace_all("{valeur}", pl.col("valeur").fill_null(""), literal=True)
        .str.replace_all("{detail}", pl.col("detail").fill_null("sans précision"), literal=True)
    )
    colonne = (
        pl.when(pl.col("colonne").fill_null("") == "")
        .then(pl.lit(""))
        .otherwise(pl.format(", colonne « {} »", pl.col("colonne")))
    )
    nom = fichier if isinstance(fichier, pl.Expr) else pl.lit(fichier)
    lieu = pl.format("Fichier « {} », ligne {}{} : ", nom, pl.col("ligne"), colonne)
    return out.with_columns(
        pl.concat_str(
            [
                lieu,
                texte,
                pl.format(
                    " (règle « {} »).",
                    pl.col("regle").replace_strict(
                        RULE_LABELS, default=pl.col("regle"), return_dtype=pl.String
                    ),
                ),
            ]
        ).alias("message")
    ).drop("__modele")
