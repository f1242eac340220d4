"""Questions about the organiser's corrections: names, states at the last build, the
register as people read it (« Corrections » and « Qualité des données » show the same)."""

from __future__ import annotations

import polars as pl

from dashboard import db
from etl import reference
from etl.corrections import Correction, Decision, Kind, store
from etl.editions.model import Edition
from etl.french import format_datetime, format_if_number
from etl.semantic.naming import candidature_label, candidature_names

ETATS = {"appliquee": "appliquée", "a_revoir": "à revoir"}
"""State of a correction at the last build (``corrections.etat``) → French."""


def loaded_editions() -> list[int]:
    """Editions with candidatures in the warehouse (withdrawn and merged ones count)."""
    with db.cursor() as cur:
        rows = cur.sql("select distinct edition from candidatures_toutes").fetchall()
    return sorted((int(r[0]) for r in rows), reverse=True)


def names(annee: int) -> tuple[dict[str, str], set[str]]:
    """Candidature id → « structure — projet » for edition ``annee``, withdrawn and merged
    ones included; and the ids of those set aside (withdrawn or merged)."""
    with db.cursor() as cur:
        noms = candidature_names(cur, annee)
        ecartees = cur.sql(
            "select candidature_id, structure_nom, projet_titre from candidatures_ecartees "
            "where edition = ?",
            params=[annee],
        ).fetchall()
    for cid, structure, projet in ecartees:
        noms.setdefault(str(cid), candidature_label(structure, projet))
    return noms, {str(e[0]) for e in ecartees}


def states() -> dict[int, tuple[str, str | None]]:
    """Correction number → (state, why it is to review) at the warehouse's last build."""
    with db.cursor() as cur:
        rows = cur.sql("select correction_id, etat, revue from corrections").fetchall()
    return {int(r[0]): (str(r[1]), r[2]) for r in rows}


def recorded(annee: int) -> list[Correction]:
    """Every correction of edition ``annee``, undone ones included, oldest first."""
    with store.connect() as con:
        return store.corrections(con, annee, with_undone=True)


def state_fr(correction: Correction, etats: dict[int, tuple[str, str | None]]) -> str:
    """« appliquée », « à revoir : <why> », « annulée le … par … », « pas encore appliquée »."""
    if not correction.active:
        if correction.annulee_le:
            quand = format_datetime(correction.annulee_le)
            return f"annulée le {quand} par {correction.annulee_par}"
        return "annulée"
    found = etats.get(int(correction.id or 0))
    if found is None:
        return "pas encore appliquée"
    return ETATS.get(found[0], found[0]) + (f" : {found[1]}" if found[1] else "")


def register(
    corrections: list[Correction],
    edition: Edition,
    noms: dict[str, str],
    etats: dict[int, tuple[str, str | None]],
) -> pl.DataFrame:
    """The register as people read it: names, labels and French numbers, no codes."""

    def libelle(cid: str | None) -> str:
        return noms.get(cid or "", cid or "")

    champs = {f.nom: f.libelle for f in edition.champs}
    prix = {c.code: f"Prix {c.numero} — {c.libelle}" for c in edition.categories}
    communes = reference.commune_labels(
        [c.valeur for c in corrections if c.nature is Kind.TERRITOIRE and c.valeur]
    )

    def retenue(c: Correction) -> str:
        if c.nature is Kind.FUSION:
            return libelle(c.valeur)
        if c.nature is Kind.TERRITOIRE:
            return communes.get(c.valeur or "", c.valeur or "")
        if c.nature is Kind.ELIGIBILITE:
            return Decision(c.valeur or "").label if c.valeur else ""
        return format_if_number(c.valeur)

    return pl.DataFrame(
        {
            "N°": [str(c.id) for c in corrections],
            "Candidature": [libelle(c.candidature_id) for c in corrections],
            "Correction": [c.nature.label for c in corrections],
            "Champ ou prix": [
                champs.get(c.champ or "", c.champ or "") or prix.get(c.categorie or "", "")
                for c in corrections
            ],
            "Valeur saisie": [format_if_number(c.valeur_saisie) for c in corrections],
            "Valeur retenue": [retenue(c) for c in corrections],
            "Motif": [c.motif for c in corrections],
            "Par": [c.auteur for c in corrections],
            "Le": [format_datetime(c.cree_le) if c.cree_le else "" for c in corrections],
            "État": [state_fr(c, etats) for c in corrections],
        },
        schema=dict.fromkeys(
            [
                "N°",
                "Candidature",
                "Correction",
                "Champ ou prix",
                "Valeur saisie",
                "Valeur retenue",
                "Motif",
                "Par",
                "Le",
                "État",
            ],
            pl.String,
        ),
    )
