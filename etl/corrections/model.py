"""What an organiser's correction is: its kind, its target, the value it sets and why.

Corrections are people's input: they are never rebuilt, they live outside the warehouse
(:mod:`etl.corrections.store`) and every load applies them to the freshly read exports.
A correction names a stable candidature id, a field or a prize when relevant, the value it
sets, and the value the export held when it was made (``valeur_saisie``): a reload where
that value changed, or where the candidature is gone, puts the correction « à revoir »
instead of applying it to something else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from etl.editions.model import CHOICE_TYPES, NUMERIC_TYPES, Edition, FormField

MOTIF_MAX = 500


class Kind(StrEnum):
    """The six kinds of correction (stored values are the French codes)."""

    TERRITOIRE = "territoire"
    VALEUR = "valeur"
    EXCLUSION = "exclusion"
    ELIGIBILITE = "eligibilite"
    FUSION = "fusion"
    RETRAIT = "retrait"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.TERRITOIRE: "Territoire fixé",
    Kind.VALEUR: "Valeur corrigée",
    Kind.EXCLUSION: "Valeur exclue des totaux",
    Kind.ELIGIBILITE: "Éligibilité décidée",
    Kind.FUSION: "Candidature fusionnée",
    Kind.RETRAIT: "Candidature retirée",
}


class Decision(StrEnum):
    """The organiser's eligibility decision for one prize."""

    ADMISE = "admise"
    REFUSEE = "refusee"

    @property
    def label(self) -> str:
        return "admise" if self is Decision.ADMISE else "refusée"


TERRITORY_FIELD = "commune_code"
"""The field a territory correction sets (département, région and rural test follow)."""


class CorrectionInvalide(ValueError):
    """A correction that cannot be recorded as written (French message)."""


@dataclass(frozen=True)
class Correction:
    """One correction as recorded (``id`` is None before it is stored)."""

    edition: int
    candidature_id: str
    nature: Kind
    motif: str
    auteur: str
    champ: str | None = None
    categorie: str | None = None
    valeur: str | None = None
    valeur_saisie: str | None = None
    id: int | None = None
    cree_le: datetime | None = None
    annulee_le: datetime | None = None
    annulee_par: str | None = None
    motif_annulation: str | None = None

    @property
    def active(self) -> bool:
        return self.annulee_le is None

    def describe_fr(self) -> str:
        """One French line: what it does, on what, why."""
        cible = self.candidature_id
        if self.nature is Kind.TERRITOIRE:
            quoi = f"territoire fixé à la commune {self.valeur}"
        elif self.nature is Kind.VALEUR:
            quoi = f"« {self.champ} » = {self.valeur} (valeur saisie : {self.valeur_saisie or '—'})"
        elif self.nature is Kind.EXCLUSION:
            quoi = (
                f"« {self.champ} » exclu des totaux (valeur saisie : {self.valeur_saisie or '—'})"
            )
        elif self.nature is Kind.ELIGIBILITE:
            quoi = f"éligibilité au prix {self.categorie} : {Decision(self.valeur or '').label}"
        elif self.nature is Kind.FUSION:
            quoi = f"fusionnée dans {self.valeur}"
        else:
            quoi = "retirée par le candidat"
        return f"{cible} : {quoi} — motif : {self.motif}"


def correctable_fields(edition: Edition) -> list[FormField]:
    """The fields a value correction or an exclusion may target: numbers and choices,
    never personal data."""
    return [
        f
        for f in edition.champs
        if f.type in NUMERIC_TYPES | CHOICE_TYPES and not f.donnee_personnelle
    ]


def check(correction: Correction, edition: Edition) -> Correction:
    """The correction with its text fields trimmed, or :class:`CorrectionInvalide`."""
    motif = " ".join(correction.motif.split())
    if not motif:
        raise CorrectionInvalide("Le motif est obligatoire : dites pourquoi en une phrase.")
    if len(motif) > MOTIF_MAX:
        raise CorrectionInvalide(f"Motif trop long ({len(motif)} caractères, {MOTIF_MAX} au plus).")
    if not correction.auteur.strip():
        raise CorrectionInvalide("Une correction a toujours un auteur.")
    if correction.edition != edition.annee:
        raise CorrectionInvalide(f"Édition {correction.edition} : configuration {edition.annee}.")
    valeur = correction.valeur.strip() if correction.valeur is not None else None
    kind = correction.nature
    if kind in (Kind.VALEUR, Kind.EXCLUSION):
        fields = {f.nom: f for f in correctable_fields(edition)}
        field = fields.get(correction.champ or "")
        if field is None:
            raise CorrectionInvalide(
                f"Champ « {correction.champ} » non corrigeable : un champ numérique ou à choix "
                f"de l'édition est attendu ({', '.join(sorted(fields))})."
            )
        if kind is Kind.VALEUR and not valeur:
            raise CorrectionInvalide(f"Nouvelle valeur de « {field.libelle} » manquante.")
        if kind is Kind.VALEUR and field.type in NUMERIC_TYPES:
            valeur = _number(valeur or "", field.libelle)
    elif kind is Kind.TERRITOIRE:
        if not valeur or not (len(valeur) == 5 and valeur[:2].isalnum()):
            raise CorrectionInvalide(
                f"Code INSEE de commune attendu (5 caractères, ex. 93066), lu : « {valeur} »."
            )
    elif kind is Kind.ELIGIBILITE:
        codes = [c.code for c in edition.categories]
        if correction.categorie not in codes:
            raise CorrectionInvalide(
                f"Prix « {correction.categorie} » inconnu en {edition.annee} ({', '.join(codes)})."
            )
        if valeur not in {d.value for d in Decision}:
            raise CorrectionInvalide("Décision d'éligibilité attendue : « admise » ou « refusee ».")
    elif kind is Kind.FUSION and (not valeur or valeur == correction.candidature_id):
        raise CorrectionInvalide(
            "Indiquez la candidature gardée (son identifiant), différente de celle fusionnée."
        )
    return dataclasses.replace(
        correction, motif=motif, valeur=valeur, auteur=correction.auteur.strip()
    )


def _number(text: str, libelle: str) -> str:
    """A number typed the French way (« 28 038,4 ») as a plain decimal string."""
    cleaned = text.replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        raise CorrectionInvalide(f"Nombre attendu pour « {libelle} », lu : « {text} ».") from None
    if number < 0:
        raise CorrectionInvalide(f"« {libelle} » ne peut pas être négatif (lu : {text}).")
    return str(int(number)) if number.is_integer() else str(number)
