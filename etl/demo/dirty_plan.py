"""The plan of the dirty export: one step per row, each changing one answer of a clean
candidature and saying what the loader must report (see ``etl.demo.dirty``).

A step receives the row as text (``Ligne``, by canonical field name) and its typed values
(``Contexte.typee``: numbers before formatting), edits the text in place and returns a
``Constat``: the problems (field, rule), the unusual spellings that must load fine with
their expected value, and the null markers that must load as NULL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from etl.demo.answers import reponse_categorie
from etl.demo.territory import TerritoryPools
from etl.editions import Edition

CATEGORIE_INCONNUE = "Prix coup de cœur du jury"
MOIS_ABREGES = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip

Ligne = dict[str, str]
"""A row of the export as text, by canonical field name (empty string = empty cell)."""


@dataclass
class Constat:
    """What one plan step expects from its row, before line numbers are known."""

    problemes: list[dict[str, Any]] = field(default_factory=list)
    acceptees: list[dict[str, Any]] = field(default_factory=list)
    nulles: list[str] = field(default_factory=list)

    def probleme(
        self, champ: str | None, regle: str, valeur_de: str | None = None, attendu: Any = None
    ) -> Constat:
        """Expect rule ``regle`` on ``champ`` (None: the row), showing ``valeur_de``'s text;
        ``attendu``: the value a warning keeps."""
        entree: dict[str, Any] = {"champ": champ, "regle": regle, "valeur_de": valeur_de or champ}
        if attendu is not None:
            entree["attendu"] = attendu
        self.problemes.append(entree)
        return self

    def acceptee(self, champ: str, attendu: Any) -> Constat:
        """Expect ``champ``'s unusual spelling to load cleanly as ``attendu``."""
        self.acceptees.append({"champ": champ, "attendu": attendu})
        return self


@dataclass(frozen=True)
class Contexte:
    """What a plan step may use: the edition, the territory pools and the row's typed
    values (numbers before formatting)."""

    edition: Edition
    pools: TerritoryPools
    typee: dict[str, Any]


Etape = Callable[[Ligne, Contexte], Constat]


def _groupe(n: int, espace: str = " ") -> str:
    """57205 → « 57 205 » with the given thousands separator."""
    return f"{n:,}".replace(",", espace)


def _placer(ligne: Ligne, ctx: Contexte, code: str, **saisies: str) -> None:
    """Move the row to the commune with INSEE ``code``; ``saisies`` override answers."""
    commune = ctx.pools.communes.row(ctx.pools.index_of(code), named=True)
    ligne.update(
        commune=commune["nom"],
        code_postal=commune["code_postal"],
        departement=commune["departement_code"],
        epci=commune["epci_nom"] or "",
    )
    ligne.update(saisies)


def _entier(ctx: Contexte, champ: str, defaut: int) -> int:
    valeur = ctx.typee.get(champ)
    return int(valeur) if valeur else defaut


# --- Plan steps: each changes one answer and says what the loader must report --------


def _espaces_et_unites(ligne: Ligne, ctx: Contexte) -> Constat:
    heures = _entier(ctx, "heures_insertion", 48_250)
    prevues = _entier(ctx, "heures_insertion_prevues", int(round(heures * 1.1, -2)))
    ligne["heures_insertion"] = _groupe(heures, "\u00a0")
    ligne["heures_insertion_prevues"] = f"{_groupe(prevues)} h"
    return (
        Constat().acceptee("heures_insertion", heures).acceptee("heures_insertion_prevues", prevues)
    )


def _illisible(ligne: Ligne, ctx: Contexte) -> Constat:
    prevues = _entier(ctx, "heures_insertion_prevues", 52_000)
    ligne["heures_insertion_prevues"] = _groupe(prevues).replace("0", "O")
    return Constat().probleme("heures_insertion_prevues", "nombre_illisible")


def _negatif(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["nb_marches_reserves"] = f"-{max(_entier(ctx, 'nb_marches_reserves', 3), 1)}"
    return Constat().probleme("nb_marches_reserves", "nombre_negatif")


def _decimal(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["nb_participants"] = f"{_entier(ctx, 'nb_participants', 12)},5"
    for public in ("nb_femmes", "nb_seniors", "nb_residents_qpv", "nb_jeunes", "nb_rqth"):
        ligne[public] = ""
    ligne["nb_sorties_emploi_durable"] = ""
    return Constat().probleme("nb_participants", "decimal_pour_entier")


def _ambigu(ligne: Ligne, ctx: Contexte) -> Constat:
    heures = 1_000 + _entier(ctx, "heures_insertion", 1) % 9_000
    ligne["heures_formation"] = f"{heures // 1000}.{heures % 1000:03d}"
    if not ligne.get("nb_personnes_formees"):
        ligne["nb_personnes_formees"] = "8"
    return Constat().probleme("heures_formation", "nombre_ambigu", attendu=heures)


def _pourcentage_nu(ligne: Ligne, ctx: Contexte) -> Constat:
    taux = ctx.typee.get("taux_sorties_dynamiques") or 0.45
    ligne["taux_sorties_dynamiques"] = str(max(round(taux * 100), 2))
    return Constat().probleme("taux_sorties_dynamiques", "pourcentage_ambigu")


def _pourcentage_ecrit(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["taux_sorties_dynamiques"] = "52,5 %"
    return Constat().acceptee("taux_sorties_dynamiques", 0.525)


def _date(ligne: Ligne, ctx: Contexte) -> Constat:
    instant = ctx.typee["horodateur"]
    mois = MOIS_ABREGES[instant.month - 1]
    ligne["horodateur"] = f"{instant.day} {mois} {instant.year} {instant:%H:%M}"
    return Constat().probleme("horodateur", "date_illisible")


def _booleen(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["accord_diffusion"] = "Peut-être"
    return Constat().probleme("accord_diffusion", "booleen_illisible")


def _corse_20(ligne: Ligne, ctx: Contexte) -> Constat:
    _placer(ligne, ctx, "2A004", departement="20")
    return Constat().probleme("departement", "departement_corse_20")


def _departement_invalide(ligne: Ligne, ctx: Contexte) -> Constat:
    _placer(ligne, ctx, "25056", departement="250")
    return Constat().probleme("departement", "departement_invalide")


def _departement_sans_zero(ligne: Ligne, ctx: Contexte) -> Constat:
    _placer(ligne, ctx, "01053", departement="1")
    return Constat().acceptee("departement", "01")


def _departement_corse(ligne: Ligne, ctx: Contexte) -> Constat:
    _placer(ligne, ctx, "2A247", departement="2A")
    return Constat().acceptee("departement", "2A")


def _code_postal_invalide(ligne: Ligne, ctx: Contexte) -> Constat:
    _placer(ligne, ctx, "75056", code_postal="750012", departement="75")
    return Constat().probleme("code_postal", "code_postal_invalide")


def _zero_perdu(ligne: Ligne, ctx: Contexte) -> Constat:
    _placer(ligne, ctx, "06088", code_postal="6000", departement="06")
    return Constat().probleme("code_postal", "zero_initial_ajoute", attendu="06000")


def _siret(ligne: Ligne, ctx: Contexte) -> Constat:
    chiffres = (
        "".join(c for c in ligne.get("structure_siret", "") if c.isdigit()) or "00012345600017"
    )
    ligne["structure_siret"] = f"{chiffres[:-1]}{(int(chiffres[-1]) + 1) % 10}"
    return Constat().probleme("structure_siret", "siret_cle_invalide")


def _email(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["contact_email"] = ligne["contact_email"].replace("@", ".")
    return Constat().probleme("contact_email", "email_invalide")


def _nuls_na_nc(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["heures_insertion_prevues"] = "n/a"
    ligne["nb_rqth"] = "NC"
    return Constat(nulles=["heures_insertion_prevues", "nb_rqth"])


def _nuls_tiret_vide(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["nb_marches_prestations_intellectuelles"] = "-"
    ligne["nb_donneurs_ordre_prives"] = ""
    return Constat(nulles=["nb_marches_prestations_intellectuelles", "nb_donneurs_ordre_prives"])


def _obligatoire(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["projet_titre"] = ""
    return Constat().probleme("projet_titre", "obligatoire_manquant")


def _categorie(ligne: Ligne, ctx: Contexte) -> Constat:
    code = ctx.typee["_categories"][0]
    separateur = ctx.edition.separateur_choix_multiples
    ligne["categories"] = f"{CATEGORIE_INCONNUE}{separateur}{reponse_categorie(ctx.edition, code)}"
    return Constat().probleme("categories", "categorie_inconnue")


def _type_inconnu(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["structure_type"] = "Centre social"
    return Constat().probleme("structure_type", "choix_inconnu")


def _statut_inconnu(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["projet_statut"] = "En pause"
    return Constat().probleme("projet_statut", "choix_inconnu")


def _femmes(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["nb_femmes"] = str(_entier(ctx, "nb_participants", 42) * 10)
    return Constat().probleme("nb_femmes", "public_superieur_participants")


def _secteurs(ligne: Ligne, ctx: Contexte) -> Constat:
    heures = _entier(ctx, "heures_insertion", 38_400)
    ligne["heures_btp"] = str(round(heures * 0.8))
    ligne["heures_services"] = str(round(heures * 0.35))
    ligne["heures_autres_secteurs"] = ""
    return Constat().probleme("heures_insertion", "secteurs_superieurs_total")


def _heures_implausibles(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne["heures_insertion"] = "1250000"
    ligne["nb_participants"] = "2717"
    for champ in ("heures_btp", "heures_services", "heures_autres_secteurs"):
        ligne[champ] = ""
    ligne["heures_insertion_prevues"] = ""
    return Constat().probleme("heures_insertion", "valeur_implausible", attendu=1_250_000)


def _participants_implausibles(ligne: Ligne, ctx: Contexte) -> Constat:
    participants = _entier(ctx, "nb_participants", 612)
    ligne["nb_participants"] = f"{participants}00" if participants * 100 > 50_000 else "61200"
    attendu = int(ligne["nb_participants"])
    return Constat().probleme("nb_participants", "valeur_implausible", attendu=attendu)


def _territoire_ambigu(ligne: Ligne, ctx: Contexte) -> Constat:
    # « Saint-Denis » with the département of the Paris office that filled the form:
    # none of the four communes of that name is in it
    ligne.update(commune="Saint-Denis", departement="75", code_postal="", epci="")
    return Constat().probleme("commune", "territoire_ambigu")


def _territoire_inconnu(ligne: Ligne, ctx: Contexte) -> Constat:
    ligne.update(commune="Quartier Nord", departement="Non précisé", code_postal="", epci="")
    constat = Constat().probleme("departement", "departement_invalide")
    return constat.probleme("commune", "territoire_inconnu")


def _sans_probleme(ligne: Ligne, ctx: Contexte) -> Constat:
    description = ligne["projet_description"]
    if "\n" not in description:
        ligne["projet_description"] = description.replace(". ", ".\n", 2)
    return Constat()


PLAN: tuple[Etape, ...] = (
    _sans_probleme, _espaces_et_unites, _illisible, _negatif, _sans_probleme, _decimal,
    _ambigu, _pourcentage_nu, _pourcentage_ecrit, _date, _booleen, _sans_probleme,
    _corse_20, _departement_invalide, _departement_sans_zero, _departement_corse,
    _code_postal_invalide, _zero_perdu, _siret, _email, _nuls_na_nc, _sans_probleme,
    _nuls_tiret_vide, _obligatoire, _categorie, _type_inconnu, _statut_inconnu, _femmes,
    _secteurs, _heures_implausibles, _participants_implausibles, _territoire_ambigu,
    _territoire_inconnu,
)  # fmt: skip
"""Plan steps in file order, one per row; rows left over stay clean."""
