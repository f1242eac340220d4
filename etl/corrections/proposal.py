"""The correction that fits a flagged row of « Qualité des données ».

A problem raised at load names a rule, a field and the typed value; most of them have
one natural way to be settled by the organiser: a territory that could not be resolved
is fixed to a commune, an answer outside the form's choices or a count above its total
is corrected, an implausible figure is kept on the sheet but taken out of the totals, a
late answer gets an eligibility decision. Rows that need no decision (duplicates,
superseded versions) or that have no candidature (a rejected line) get none.
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.corrections.model import Kind, correctable_fields
from etl.editions.model import Edition

TERRITORY_RULES = frozenset({"territoire_inconnu", "territoire_ambigu", "territoire_avertissement"})
VALUE_RULES = frozenset(
    {
        "choix_inconnu",
        "public_superieur_participants",
        "valeur_superieure_au_total",
        "secteurs_superieurs_total",
        "effectif_calcule",
    }
)
EXCLUSION_RULES = frozenset({"valeur_implausible"})
ELIGIBILITY_RULES = frozenset({"hors_delai"})

ACTIONS = {
    Kind.TERRITOIRE: "Fixer le territoire",
    Kind.VALEUR: "Corriger la valeur",
    Kind.EXCLUSION: "Exclure la valeur des totaux",
    Kind.ELIGIBILITE: "Décider de l'éligibilité",
}
"""What the organiser is offered to do, as a verb (the register says what was done)."""


@dataclass(frozen=True)
class Proposal:
    """A correction to open, prefilled: its kind, the field, the territory to search."""

    nature: Kind
    champ: str | None = None
    recherche: str | None = None

    @property
    def action(self) -> str:
        return ACTIONS[self.nature]


def territory_search(typed: str | None) -> str:
    """What to search the communes for, from a typed territory: the loader writes
    « commune / code postal / département / EPCI » with only the parts given."""
    parts = [p.strip() for p in (typed or "").split(" / ") if p.strip()]
    return parts[0] if parts else ""


def propose(regle: str, champ: str | None, valeur: str | None, edition: Edition) -> Proposal | None:
    """The correction that settles a problem of rule ``regle`` on ``champ`` (None when
    the problem needs no decision, or the field is not one a correction may change)."""
    if regle in TERRITORY_RULES:
        return Proposal(Kind.TERRITOIRE, recherche=territory_search(valeur))
    if regle in ELIGIBILITY_RULES:
        return Proposal(Kind.ELIGIBILITE)
    correctable = {f.nom for f in correctable_fields(edition)}
    if champ not in correctable:
        return None
    if regle in EXCLUSION_RULES:
        return Proposal(Kind.EXCLUSION, champ=champ)
    if regle in VALUE_RULES:
        return Proposal(Kind.VALEUR, champ=champ)
    return None
