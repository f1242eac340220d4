"""French text summary of an edition, as printed by ``trophees editions``."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from etl.editions.reader import display_path
from etl.french import format_integer, format_long_date, plural

if TYPE_CHECKING:
    from etl.editions.model import Edition


def _calendar_fr(edition: Edition) -> str:
    cal = edition.calendrier

    def ou_inconnu(moment: datetime | None) -> str:
        return format_long_date(moment) if moment else "non renseigné"

    lieu = f" ({cal.ceremonie_lieu})" if cal.ceremonie_lieu else ""
    return (
        f"  Calendrier ({cal.fuseau}) : lancement {ou_inconnu(cal.lancement)} ; "
        f"clôture {format_long_date(cal.cloture, with_time=True)} ; jury {ou_inconnu(cal.jury)} ; "
        f"cérémonie {format_long_date(cal.ceremonie)}{lieu}"
    )


def _eligibility_fr(edition: Edition) -> list[str]:
    regles = edition.eligibilite
    types = edition.vocabulary(edition.field("structure_type").vocabulaire or "")
    statuts = edition.vocabulary(edition.field("projet_statut").vocabulaire or "")
    libelles_types = [v.libelle for v in types.valeurs if v.code in regles.types_structure_admis]
    libelles_statuts = [
        v.libelle.lower() for v in statuts.valeurs if v.code in regles.statuts_projet_acceptes
    ]
    lignes = [
        f"  Éligibilité : structures {', '.join(libelles_types)}",
        f"    projet {' ou '.join(libelles_statuts)}",
    ]
    if regles.competence_guichet_requise:
        lignes.append("    compétence de guichet territorial « clause sociale » requise")
    if regles.reseau_un_parmi:
        conditions = " ou ".join(edition.field(n).libelle.lower() for n in regles.reseau_un_parmi)
        lignes.append(f"    structure {conditions}")
    if regles.rural is not None:
        lignes.append(f"    prix rural : {regles.rural.description_fr()}")
    return lignes


def edition_summary_fr(edition: Edition) -> str:
    """Several French lines: identity, calendar, categories, eligibility, form."""
    heritage = f", hérite de {edition.herite_de}" if edition.herite_de else ""
    lignes = [
        f"Édition {edition.annee} — {edition.numero}e édition : {edition.nom} "
        f"({display_path(edition.source_fichier)}{heritage})",
        _calendar_fr(edition),
        f"  {len(edition.categories)} catégories :",
    ]
    for c in edition.categories:
        suite = f", suite de {edition.precedente} {'+'.join(c.suite_de)}" if c.suite_de else ""
        rural = ", test rural" if c.prix_rural else ""
        lignes.append(
            f"    {c.numero}. [{c.code}] {c.libelle} — {len(c.criteres)} critères, "
            f"{plural(c.laureats_max, 'lauréat')} au plus{rural}{suite}"
        )
    lignes.extend(_eligibility_fr(edition))
    obligatoires = sum(1 for f in edition.champs if f.obligatoire)
    intitules = format_integer(len(edition.header_index))
    lignes.append(
        f"  Formulaire : {len(edition.champs)} champs ({obligatoires} obligatoires, "
        f"{len(edition.champs_personnels)} données personnelles), {intitules} intitulés "
        f"reconnus, {len(edition.vocabulaires)} vocabulaires"
    )
    return "\n".join(lignes)
