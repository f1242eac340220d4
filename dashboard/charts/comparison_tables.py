"""Display tables and sentences that compare candidatures with their category (pure:
frames in, frames of French strings out; no Streamlit, no database).

Every value is written with its unit in French formats
(:func:`etl.semantic.indicators.format_valeur`); « — » stands for an unknown or
incomputable value. Candidate text goes only into cells, which the pages show as plain text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from etl.editions import FormField
from etl.editions.model import NUMERIC_TYPES
from etl.french import NARROW_NBSP, format_decimal, format_integer, format_share
from etl.semantic import indicators
from etl.semantic.national import NationalFigure


def tableau_comparatif(
    selection: pl.DataFrame,
    medianes: pl.DataFrame,
    codes: Sequence[str],
    colonne_mediane: str,
) -> pl.DataFrame:
    """Side-by-side table: one row per indicator (with its unit), one column per selected
    candidature (named by its ``repere``), and the category median; French strings."""
    mediane = dict(zip(medianes["indicateur"], medianes["mediane"], strict=True))
    colonnes: dict[str, list[str]] = {"Indicateur": [indicators.PAR_CODE[c].libelle for c in codes]}
    for ligne in selection.iter_rows(named=True):
        colonnes[ligne["repere"]] = [
            indicators.format_valeur(indicators.PAR_CODE[c], ligne[c]) for c in codes
        ]
    colonnes[colonne_mediane] = [
        indicators.format_valeur(indicators.PAR_CODE[c], mediane.get(c)) for c in codes
    ]
    return pl.DataFrame(colonnes)


def tableau_centiles(
    centiles: pl.DataFrame, reperes: Mapping[str, str], codes: Sequence[str]
) -> pl.DataFrame:
    """Percentile ranks as text (« 85e »), one row per indicator, one column per candidature."""
    colonnes: dict[str, list[str]] = {"Indicateur": [indicators.PAR_CODE[c].libelle for c in codes]}
    for candidature_id, nom in reperes.items():
        rangs = centiles.filter(pl.col("candidature_id") == candidature_id)
        par_ind = dict(zip(rangs["indicateur"], rangs["centile"], strict=True))
        colonnes[nom] = [indicators.rang(par_ind.get(c)) for c in codes]
    return pl.DataFrame(colonnes)


def portee(categorie: str, edition: int, effectif: int) -> str:
    """« 23 candidatures MIXITE 2023, éligibles ou non »: the population compared with."""
    if effectif == 1:
        return f"1 candidature {categorie} {edition}"
    return f"{format_integer(effectif)} candidatures {categorie} {edition}, éligibles ou non"


def tableau_positions(
    positions: Sequence[tuple[str, pl.DataFrame]], codes: Sequence[str]
) -> pl.DataFrame:
    """One candidature in each of its categories: its value, then per category the median
    and its percentile rank, one row per indicator.

    ``positions``: (category name, rangs_centiles output joined with medianes).
    """
    colonnes: dict[str, list[str]] = {"Indicateur": [indicators.PAR_CODE[c].libelle for c in codes]}
    for k, (nom, position) in enumerate(positions):
        par_ind = {r["indicateur"]: r for r in position.iter_rows(named=True)}
        lignes = [(indicators.PAR_CODE[c], par_ind.get(c, {})) for c in codes]
        if k == 0:
            colonnes["Cette candidature"] = [
                indicators.format_valeur(i, r.get("valeur")) for i, r in lignes
            ]
        colonnes[f"Médiane {nom}"] = [
            indicators.format_valeur(i, r.get("mediane")) for i, r in lignes
        ]
        colonnes[f"Rang {nom}"] = [indicators.rang(r.get("centile")) for _, r in lignes]
    return pl.DataFrame(colonnes)


def valeur_declaree(valeur: float | None, type_champ: str, unite: str | None) -> str:
    """A form figure in French with its unit from the edition config (« 12 000 h »)."""
    if not indicators.connu(valeur):
        return indicators.NON_RENSEIGNE
    if type_champ == "pourcentage":
        return format_share(valeur, 1)
    if unite == "année":
        return str(int(valeur))
    if type_champ == "decimal" and not float(valeur).is_integer():
        nombre = format_decimal(valeur, 1)
    else:
        nombre = format_integer(round(valeur))
    if not unite:
        return nombre
    return f"{nombre}{NARROW_NBSP}h" if unite == "h" else f"{nombre} {unite}"


def tableau_declare(candidature: Mapping[str, Any], champs: Sequence[FormField]) -> pl.DataFrame:
    """Every figure of the form (numeric fields of the edition), as declared, with units."""
    numeriques = [f for f in champs if f.type in NUMERIC_TYPES and f.nom in candidature]
    return pl.DataFrame(
        {
            "Donnée déclarée": [f.libelle for f in numeriques],
            "Valeur": [valeur_declaree(candidature[f.nom], f.type, f.unite) for f in numeriques],
        }
    )


def tableau_references(
    candidature: Mapping[str, Any], figures: Mapping[str, NationalFigure]
) -> pl.DataFrame:
    """The candidature beside the published reference figures, each with its year, its
    geographic scope (a regional figure says so) and its source."""
    lignes = [
        (indicators.PAR_CODE[code], figures[ref])
        for code, ref in indicators.REFERENCES_NATIONALES.items()
        if ref in figures
    ]
    return pl.DataFrame(
        {
            "Indicateur": [i.libelle for i, _ in lignes],
            "Cette candidature": [
                indicators.format_valeur(i, candidature.get(i.code)) for i, _ in lignes
            ],
            "Référence": [indicators.format_valeur(i, f.valeur) for i, f in lignes],
            "Année": [str(f.annee) for _, f in lignes],
            "Portée": [f.portee for _, f in lignes],
            "Source": [f.source for _, f in lignes],
        }
    )


def lecture_centile(
    centiles: pl.DataFrame,
    reperes: Mapping[str, str],
    codes: Sequence[str],
    categorie: str,
    edition: int,
) -> str | None:
    """A reading example taken from the data: « Lecture : 1 · PLIE … est au 85e centile des
    candidatures MIXITE 2023 pour l'indicateur « … » » — the first known rank of the first
    candidature, indicators taken in the order of ``codes``."""
    connus = centiles.filter(pl.col("centile").is_not_null() & pl.col("centile").is_not_nan())
    for candidature_id, nom in reperes.items():
        siens = connus.filter(pl.col("candidature_id") == candidature_id)
        par_ind = dict(zip(siens["indicateur"], siens["centile"], strict=True))
        for code in codes:
            if code in par_ind:
                libelle = indicators.PAR_CODE[code].libelle
                rang = indicators.centile_fr(par_ind[code], categorie, edition)
                return f"Lecture : {nom} est au {rang} pour l'indicateur « {libelle} »."
    return None
