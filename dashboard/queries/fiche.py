"""Questions of the « Fiche candidature » page: one candidature with its territory, its
categories and their verdicts, its data warnings, and where it stands in each category.

Never reads the ``contacts`` table: this page shows no personal data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from dashboard import db, queries
from dashboard.filters import Filters
from dashboard.queries import comparer
from etl import reference
from etl.editions import Edition, FormField
from etl.french import sort_frame_by_name
from etl.pipeline import MASQUE
from etl.rural import RuralVerdict, rural_verdict
from etl.semantic import indicators

MILLESIME_PAR_DEFAUT = "populations légales 2023"


@dataclass(frozen=True)
class Position:
    """Where the candidature stands in one of its categories.

    ``centiles``: one row per indicator (see
    :func:`etl.semantic.indicators.rangs_centiles`) with the category's ``mediane`` and
    ``n`` joined; ``effectif``: candidatures in the category.
    """

    categorie: str
    edition: int
    effectif: int
    centiles: pl.DataFrame


@dataclass(frozen=True)
class Fiche:
    """Everything the page shows about one candidature (no contact data).

    ``candidature``: the row of ``candidatures`` + ``indicateurs`` + the labels
    ``structure_type_libelle`` and ``projet_statut_libelle`` + territory names,
    populations and densities (``commune_nom``, ``epci_nom``, ``epci_population``,
    ``departement_nom``, ``departement_densite``, ``region_nom``, ``region_population``,
    ``region_densite``, ``carte_longitude``, ``carte_latitude``); ``categories``: one row
    per category applied for, with ``libelle``, verdicts and ``motifs``; ``rural``: the
    rural verdict per rural category code; ``avertissements``: the rows of ``rejets`` of
    the candidature's line; ``positions``: one per category.
    """

    candidature: dict[str, Any]
    categories: pl.DataFrame
    rural: dict[str, RuralVerdict]
    avertissements: pl.DataFrame
    positions: list[Position]


@st.cache_data(ttl=300, max_entries=32)
def _options(version: int, filters: Filters) -> pl.DataFrame:
    condition, params = queries.where(filters)
    frame = db.frame(
        f"""
        select c.candidature_id, c.edition, c.structure_nom, c.projet_titre
        from candidatures c
        where {condition}
        """,  # noqa: S608 - condition built from code, values bound
        params,
    )
    frame = sort_frame_by_name(frame, "structure_nom", "projet_titre", then=["candidature_id"])
    frame = frame.sort("edition", descending=True, maintain_order=True)
    return frame.with_columns(pl.Series("libelle", comparer.libelles(frame), dtype=pl.String))


def options(filters: Filters) -> pl.DataFrame:
    """Candidatures matching the shared filters: ``candidature_id`` and unique ``libelle``."""
    version = db.warehouse_version()
    assert version is not None
    return _options(version, filters)


@st.cache_data(ttl=300, max_entries=32)
def _candidature(version: int, candidature_id: str) -> pl.DataFrame:
    return db.frame(
        """
        select c.*, i.* exclude (candidature_id, edition, territoire_niveau),
               rc.nom as commune_nom, rc.carte_longitude, rc.carte_latitude,
               e.nom as epci_nom, e.population as epci_population,
               d.nom as departement_nom, d.densite as departement_densite,
               r.nom as region_nom, r.population as region_population,
               r.densite as region_densite
        from candidatures c
        join indicateurs i using (candidature_id)
        left join ref_communes rc on rc.code = c.commune_code
        left join ref_epci e on e.siren = c.epci_siren
        left join ref_departements d on d.code = c.departement_code
        left join ref_regions r on r.code = c.region_code
        where c.candidature_id = ?
        """,
        [candidature_id],
    )


@st.cache_data(ttl=300, max_entries=32)
def _categories(version: int, candidature_id: str) -> pl.DataFrame:
    return db.frame(
        """
        select categorie_code, eligible, motifs, cas_limite, rural_eligible, rural_statut
        from candidature_categories where candidature_id = ?
        """,
        [candidature_id],
    )


@st.cache_data(ttl=300, max_entries=32)
def _avertissements(version: int, fichier: str, ligne: int, edition: int) -> pl.DataFrame:
    return db.frame(
        """
        select severite, colonne, champ, valeur, regle, message
        from rejets where fichier = ? and ligne = ? and edition = ?
        order by severite, colonne
        """,
        [fichier, ligne, edition],
    )


@st.cache_data(ttl=300, max_entries=32)
def _corrections(version: int, candidature_id: str) -> pl.DataFrame:
    return db.frame(
        """
        select nature, champ, categorie, valeur, valeur_saisie, motif, auteur, cree_le
        from corrections where candidature_id = ? and etat = 'appliquee'
        order by correction_id
        """,
        [candidature_id],
    )


def corrections_fr(candidature_id: str, edition: int) -> list[str]:
    """The organiser's corrections applied to a candidature, one French sentence each:
    « Heures d'insertion : valeur corrigée par l'organisateur le 03/12/2026 (valeur saisie :
    28 038,4) — motif : chiffre cumulé. »"""
    from etl.corrections import Decision, Kind
    from etl.french import format_date, format_if_number

    def lisible(valeur: str | None) -> str:
        return format_if_number(valeur, "vide")

    libelles = {f.nom: f.libelle for f in champs(edition)}
    phrases: list[str] = []
    for row in _corrections(db.warehouse_version() or 0, candidature_id).iter_rows(named=True):
        le = format_date(row["cree_le"]) if row["cree_le"] is not None else "—"
        saisie = lisible(row["valeur_saisie"])
        champ = libelles.get(row["champ"] or "", row["champ"] or "")
        nature = Kind(row["nature"])
        if nature is Kind.VALEUR:
            quoi = (
                f"{champ} : valeur corrigée par l'organisateur le {le} en {lisible(row['valeur'])} "
                f"(valeur saisie : {saisie})"
            )
        elif nature is Kind.EXCLUSION:
            quoi = (
                f"{champ} : valeur écartée des totaux et des classements par l'organisateur "
                f"le {le} (valeur saisie : {saisie})"
            )
        elif nature is Kind.TERRITOIRE:
            commune = reference.commune_labels([row["valeur"]]).get(row["valeur"], row["valeur"])
            quoi = f"Territoire fixé par l'organisateur le {le} : {commune}" + (
                f" (commune saisie : {saisie})" if row["valeur_saisie"] else ""
            )
        elif nature is Kind.ELIGIBILITE:
            prix = next(
                (
                    f"Prix {c.numero} — {c.libelle}"
                    for c in _edition(edition).categories
                    if c.code == row["categorie"]
                ),
                "prix",
            )
            quoi = (
                f"Éligibilité au {prix} : "
                f"{Decision(row['valeur']).label.lower()} par l'organisateur le {le}"
            )
        else:
            continue
        phrases.append(f"{quoi} — motif : {row['motif']}")
    return phrases


def sans_donnees_personnelles(problemes: pl.DataFrame, personnels: Sequence[str]) -> pl.DataFrame:
    """Problems on a personal field (a contact's e-mail or phone) lose their typed value and
    the message quoting it; the rule and the column stay, so the problem is still seen."""
    personnel = pl.col("champ").is_in(list(personnels)).fill_null(False)
    message = pl.format(
        "Colonne « {} » : valeur masquée (donnée personnelle) (règle {}).",
        pl.col("colonne"),
        pl.col("regle"),
    )
    return problemes.with_columns(
        pl.when(personnel).then(pl.lit(MASQUE)).otherwise(pl.col("valeur")).alias("valeur"),
        pl.when(personnel).then(message).otherwise(pl.col("message")).alias("message"),
    ).drop("champ")


def _edition(annee: int) -> Edition:
    return next(e for e in queries.configured_editions() if e.annee == annee)


def champs(annee: int) -> tuple[FormField, ...]:
    """The form fields of an edition (labels, types and units of the declared figures)."""
    return _edition(annee).champs


def _libelle(edition: Edition, vocabulaire: str, code: str | None) -> str | None:
    if code is None:
        return None
    valeurs = {v.code: v.libelle for v in edition.vocabulary(vocabulaire).valeurs}
    return valeurs.get(code, code)


def millesime() -> str:
    """The population vintage shown to the jury (from the reference build's metadata)."""
    meta = queries.reference_metadata() or {}
    texte = meta.get("vintages", {}).get("populations")
    return str(texte) if texte else MILLESIME_PAR_DEFAUT


def _position(ligne: pl.DataFrame, edition: int, categorie: str) -> Position:
    population = comparer.population(edition, categorie)
    centiles = indicators.rangs_centiles(ligne, population, comparer.CODES).join(
        indicators.medianes(population, comparer.CODES), on="indicateur", how="left"
    )
    return Position(categorie, edition, population.height, centiles)


def fiche(candidature_id: str) -> Fiche | None:
    """The sheet of one candidature, or None when it is not (or no longer) in the warehouse.

    Built once per warehouse version and shared by every session (« Mes notations » draws
    it on each rerun: ~15 ms of percentile ranks saved each time); read it, never change it.
    """
    version = db.warehouse_version()
    assert version is not None
    return _fiche(version, candidature_id)


@st.cache_resource(ttl=300, max_entries=512, show_spinner=False)
def _fiche(version: int, candidature_id: str) -> Fiche | None:
    ligne = _candidature(version, candidature_id)
    if ligne.height == 0:
        return None
    row = ligne.row(0, named=True)
    edition = _edition(row["edition"])
    row["structure_type_libelle"] = _libelle(edition, "structure_type", row["structure_type"])
    row["projet_statut_libelle"] = _libelle(edition, "projet_statut", row["projet_statut"])
    libelles = {c.code: f"{c.code} — {c.libelle}" for c in edition.categories}
    categories = _categories(version, candidature_id)
    ordre = [c.code for c in edition.categories]
    categories = (
        categories.with_columns(
            pl.col("categorie_code").replace_strict(libelles, default=None).alias("libelle"),
            pl.col("categorie_code")
            .replace_strict({c: i for i, c in enumerate(ordre)}, default=len(ordre))
            .alias("_ordre"),
        )
        .sort("_ordre")
        .drop("_ordre")
    )
    rural: dict[str, RuralVerdict] = {}
    seuils = edition.eligibilite.rural
    if seuils is not None:
        for code in set(edition.rural_categories) & set(categories["categorie_code"]):
            rural[code] = rural_verdict(
                row["commune_population"],
                row["departement_population"],
                seuils,
                millesime=millesime(),
                commune_densite=row["commune_densite"],
                commune_nom=row["commune_nom"],
                departement_nom=row["departement_nom"],
            )
    return Fiche(
        candidature=row,
        categories=categories,
        rural=rural,
        avertissements=sans_donnees_personnelles(
            _avertissements(version, row["fichier"], row["ligne"], row["edition"]),
            edition.champs_personnels,
        ),
        positions=[_position(ligne, row["edition"], code) for code in categories["categorie_code"]],
    )
