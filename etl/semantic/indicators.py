"""The indicators a candidature is compared on: what each one means, how it is written in
French, and where a candidature stands within its category.

The values themselves are computed once, in SQL (``etl/warehouse/sql/50_indicateurs.sql``, view
``indicateurs``); this module names them, formats them and ranks them.

Percentile rank (« rang centile »), precisely
    For a value ``x`` of a candidature and a reference population ``P`` (the candidatures
    of one category in one edition whose indicator is known, the candidature itself left
    out): ``100 × (#{p < x} + ½ #{p = x}) ÷ #P``. The highest value of the category is at
    the 100th percentile, the lowest at the 0th, the median near the 50th; a candidature
    outside the category can be placed against it the same way. Unknown when ``x`` is
    unknown or when no other candidature of the category has the indicator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeGuard

import polars as pl

from etl.french import NARROW_NBSP, agree, format_number, format_share

Unite = Literal["h", "part", "taux", "personnes", "marches", "donneurs"]

NON_RENSEIGNE = "—"
"""How an unknown or incomputable value is written in tables (explained in captions)."""


@dataclass(frozen=True)
class Indicateur:
    """One figure a candidature is compared on.

    ``code`` is the warehouse column; ``court`` is the short axis label of charts;
    ``definition`` is the French sentence shown to the jury.
    """

    code: str
    libelle: str
    court: str
    unite: Unite
    definition: str


NORMALISES: tuple[Indicateur, ...] = (
    Indicateur(
        "heures_par_participant",
        "Heures d'insertion par participant",
        "h par participant",
        "h",
        "heures d'insertion réalisées ÷ nombre de participants",
    ),
    Indicateur(
        "heures_pour_1000_habitants",
        "Heures d'insertion pour 1 000 habitants",
        "h pour 1 000 hab.",
        "h",
        "heures réalisées × 1 000 ÷ population de la commune principale du projet "
        "(de l'EPCI si le territoire n'est connu qu'à ce niveau ; populations légales 2023)",
    ),
    Indicateur(
        "part_femmes",
        "Part de femmes parmi les participants",
        "femmes",
        "part",
        "femmes ÷ participants",
    ),
    Indicateur(
        "part_seniors",
        "Part de seniors (50 ans et plus) parmi les participants",
        "seniors",
        "part",
        "seniors ÷ participants",
    ),
    Indicateur(
        "part_residents_qpv",
        "Part de résidents des QPV parmi les participants",
        "résidents QPV",
        "part",
        "résidents des QPV ÷ participants",
    ),
    Indicateur(
        "part_jeunes",
        "Part de jeunes de moins de 26 ans parmi les participants",
        "moins de 26 ans",
        "part",
        "jeunes de moins de 26 ans ÷ participants",
    ),
    Indicateur(
        "taux_realisation",
        "Taux de réalisation des heures prévues",
        "réalisation",
        "taux",
        "heures réalisées ÷ heures prévues",
    ),
    Indicateur(
        "heures_par_marche",
        "Heures d'insertion par marché clausé",
        "h par marché",
        "h",
        "heures réalisées ÷ marchés comportant une clause sociale",
    ),
)
"""The normalised indicators of the ``indicateurs`` view (comparable across sizes)."""

VOLUMES: tuple[Indicateur, ...] = (
    Indicateur(
        "heures_insertion", "Heures d'insertion réalisées", "heures", "h", "déclaré (total)"
    ),
    Indicateur("heures_insertion_prevues", "Heures d'insertion prévues", "prévues", "h", "déclaré"),
    Indicateur(
        "nb_participants", "Participants", "participants", "personnes", "personnes en insertion"
    ),
    Indicateur(
        "nb_marches_clauses", "Marchés clausés", "marchés", "marches", "marchés avec clause"
    ),
    Indicateur(
        "nb_donneurs_ordre_publics",
        "Donneurs d'ordre publics",
        "donneurs publics",
        "donneurs",
        "déclaré",
    ),
    Indicateur(
        "nb_donneurs_ordre_prives",
        "Donneurs d'ordre privés",
        "donneurs privés",
        "donneurs",
        "déclaré",
    ),
)
"""Raw volumes declared in the form, shown beside the normalised indicators."""

PAR_CODE: dict[str, Indicateur] = {i.code: i for i in (*VOLUMES, *NORMALISES)}

CLES: tuple[str, ...] = (
    "heures_insertion",
    "heures_par_participant",
    "heures_pour_1000_habitants",
    "part_femmes",
    "part_seniors",
    "part_residents_qpv",
)
"""Key indicators drawn as bars against the category median."""

REFERENCES_NATIONALES: dict[str, str] = {
    "heures_par_participant": "heures_par_participant_2015",
    "part_femmes": "part_femmes_idf",
    "part_jeunes": "part_jeunes_idf_grands_projets",
    "part_residents_qpv": "part_qpv_idf_grands_projets",
}
"""Indicator → code of its context figure in ``config/references_nationales.toml``."""

_SUFFIXES = {
    "personnes": ("personne", "personnes"),
    "marches": ("marché", "marchés"),
    "donneurs": ("donneur d'ordre", "donneurs d'ordre"),
}


def format_valeur(indicateur: Indicateur, valeur: float | None) -> str:
    """The value written in French with its unit: ``512 h``, ``12,5 %``, ``28 personnes``."""
    if not connu(valeur):
        return NON_RENSEIGNE
    if indicateur.unite == "part":
        return format_share(valeur, 1)
    if indicateur.unite == "taux":
        return format_share(valeur, 0)
    if indicateur.unite == "h":
        return f"{format_number(valeur, 0 if abs(valeur) >= 100 else 1)}{NARROW_NBSP}h"
    singulier, pluriel = _SUFFIXES[indicateur.unite]
    # a median of an even number of counts may end in ,5
    return f"{format_number(valeur, 1)} {agree(valeur, singulier, pluriel)}"


def echelle(indicateur: Indicateur, valeur: float | None) -> float | None:
    """The value on a chart's axis: shares and rates in percentage points, else as is."""
    if valeur is None:
        return None
    return valeur * 100 if indicateur.unite in ("part", "taux") else valeur


def connu(valeur: float | None) -> TypeGuard[float]:
    """Whether a value is known (neither null nor NaN)."""
    return valeur is not None and not math.isnan(valeur)


def rang(centile: float | None) -> str:
    """A percentile rank as a French ordinal: ``85.2`` → « 85e », ``1`` → « 1er »."""
    if not connu(centile):
        return NON_RENSEIGNE
    arrondi = round(centile)
    return "1er" if arrondi == 1 else f"{arrondi}e"


def centile_fr(centile: float | None, categorie: str, edition: int) -> str:
    """« 85e centile des candidatures MIXITE 2023 » (or why it is unknown)."""
    if not connu(centile):
        return f"rang non calculable parmi les candidatures {categorie} {edition}"
    rang_texte = rang(centile)
    rang_arrondi = round(centile)
    texte = f"{rang_texte} centile des candidatures {categorie} {edition}"
    if rang_arrondi == 100:
        texte += " (valeur la plus haute)"
    elif rang_arrondi == 0:
        texte += " (valeur la plus basse)"
    return texte


def _long(frame: pl.DataFrame, codes: Sequence[str]) -> pl.DataFrame:
    return frame.select("candidature_id", *[pl.col(c).cast(pl.Float64) for c in codes]).unpivot(
        index="candidature_id", variable_name="indicateur", value_name="valeur"
    )


def rangs_centiles(
    cibles: pl.DataFrame, population: pl.DataFrame, codes: Sequence[str]
) -> pl.DataFrame:
    """Percentile rank (0–100, see module doc) of each target among the population.

    Both frames hold ``candidature_id`` and the indicator columns ``codes``. Returns one
    row per target × indicator: ``candidature_id``, ``indicateur``, ``valeur``, ``centile``
    (null when unknown) and ``comparees`` (how many other candidatures it was ranked among).
    """
    autres = _long(population, codes).drop_nulls("valeur")
    cible = _long(cibles, codes)
    paires = cible.join(autres, on="indicateur", how="left", suffix="_autre").filter(
        pl.col("candidature_id_autre").is_null()
        | (pl.col("candidature_id_autre") != pl.col("candidature_id"))
    )
    inferieurs = (pl.col("valeur_autre") < pl.col("valeur")).cast(pl.Float64)
    egaux = (pl.col("valeur_autre") == pl.col("valeur")).cast(pl.Float64)
    rangs = paires.group_by("candidature_id", "indicateur", maintain_order=True).agg(
        (inferieurs + 0.5 * egaux).sum().alias("_points"),
        pl.col("valeur_autre").count().alias("comparees"),
    )
    centile = pl.when(pl.col("valeur").is_not_null() & (pl.col("comparees") > 0)).then(
        100 * pl.col("_points") / pl.col("comparees")
    )
    complet = cible.join(
        rangs, on=["candidature_id", "indicateur"], how="left", maintain_order="left"
    )
    return complet.with_columns(
        centile.alias("centile"), pl.col("comparees").fill_null(0).cast(pl.Int64)
    ).drop("_points")


def medianes(population: pl.DataFrame, codes: Sequence[str]) -> pl.DataFrame:
    """Median of each indicator over the population (unknown values left out).

    One row per indicator: ``indicateur``, ``mediane`` (null when nobody has the indicator)
    and ``n`` (how many candidatures have it).
    """
    return (
        _long(population, codes)
        .group_by("indicateur", maintain_order=True)
        .agg(pl.col("valeur").median().alias("mediane"), pl.col("valeur").count().alias("n"))
        .with_columns(pl.col("n").cast(pl.Int64))
    )
