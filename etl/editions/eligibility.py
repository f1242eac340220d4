"""Building the ``[eligibilite]`` section: who may apply, and the rural-prize thresholds.

Eligibility refers to form fields and vocabulary codes, so it is built after them and
checked against them (a code that no answer can produce is a configuration error).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from etl.editions.model import Category, EligibilityRules, FormField, Vocabulary
from etl.rural import COMBINAISONS, OPERATEURS, Operateur, RuralThresholds

if TYPE_CHECKING:
    from etl.editions.reader import ConfigTable

_BOOLEAN_CODES = ("oui", "non")


def build_eligibility(
    table: ConfigTable,
    champs: tuple[FormField, ...],
    vocabulaires: tuple[Vocabulary, ...],
    categories: tuple[Category, ...],
) -> EligibilityRules:
    """Section ``[eligibilite]``, checked against the form fields and vocabularies."""
    par_nom = {c.nom: c for c in champs}
    par_vocabulaire = {v.nom: v for v in vocabulaires}

    def codes_of(cle: str, champ_nom: str) -> tuple[str, ...]:
        codes = table.text_list(cle, requis=True)
        champ = par_nom.get(champ_nom)
        if champ is None or champ.type != "choix" or champ.vocabulaire is None:
            message = f"le formulaire doit avoir un champ à choix « {champ_nom} »."
            raise table.error(cle, message)
        connus = par_vocabulaire[champ.vocabulaire].codes
        for code in codes:
            if code not in connus:
                message = (
                    f"« {code} » n'est pas un code du vocabulaire {champ.vocabulaire} "
                    f"({', '.join(connus)})."
                )
                raise table.error(cle, message)
        return codes

    def boolean_field(cle: str, nom: str) -> None:
        champ = par_nom.get(nom)
        if champ is None or champ.type != "booleen":
            raise table.error(cle, f"« {nom} » doit être un champ booléen du formulaire.")
        if par_vocabulaire[champ.vocabulaire or ""].codes != _BOOLEAN_CODES:
            message = (
                f"le vocabulaire du champ « {nom} » doit avoir exactement les valeurs oui et non."
            )
            raise table.error(cle, message)

    types_admis = codes_of("types_structure_admis", "structure_type")
    statuts = codes_of("statuts_projet_acceptes", "projet_statut")
    competence = table.boolean("competence_guichet_requise", True)
    if competence:
        boolean_field("competence_guichet_requise", "competence_guichet")
    reseau = table.text_list("reseau_un_parmi")
    for nom in reseau:
        boolean_field("reseau_un_parmi", nom)
    rural_table = table.optional_table("rural")
    rural, texte_appel = _rural(rural_table) if rural_table else (None, None)
    table.finish()
    rurales = [c.code for c in categories if c.prix_rural]
    if rurales and rural is None:
        message = (
            f"la catégorie {', '.join(rurales)} a prix_rural = true mais les seuils du test "
            "rural manquent : ajoutez [eligibilite.rural] avec [eligibilite.rural.commune] "
            "et [eligibilite.rural.departement]."
        )
        raise table.error("rural", message)
    return EligibilityRules(
        types_structure_admis=types_admis,
        competence_guichet_requise=competence,
        reseau_un_parmi=reseau,
        statuts_projet_acceptes=statuts,
        rural=rural,
        rural_texte_appel=texte_appel,
    )


def _rural(table: ConfigTable) -> tuple[RuralThresholds, str | None]:
    texte_appel = table.optional_text("texte_appel")
    combinaison = table.optional_text("combinaison") or "ou"
    if combinaison not in COMBINAISONS:
        raise table.error("combinaison", f"« {combinaison} » : choisir « ou » ou « et ».")
    marge = table.optional_integer("marge_cas_limite_pct", minimum=0)
    marge = 10 if marge is None else marge
    if marge > 50:
        raise table.error("marge_cas_limite_pct", "en pour cent du seuil, entre 0 et 50.")
    seuils: dict[str, tuple[int, Operateur]] = {}
    for echelon in ("commune", "departement"):
        sous_table = table.table(echelon)
        seuil = sous_table.integer("seuil", minimum=1)
        operateur = sous_table.optional_text("operateur") or "<"
        if operateur not in OPERATEURS:
            message = f"opérateur « {operateur} » : choisir « < » ou « <= »."
            raise sous_table.error("operateur", message)
        sous_table.finish()
        seuils[echelon] = (seuil, operateur)
    table.finish()
    return (
        RuralThresholds(
            commune_seuil=seuils["commune"][0],
            commune_operateur=seuils["commune"][1],
            departement_seuil=seuils["departement"][0],
            departement_operateur=seuils["departement"][1],
            combinaison=combinaison,
            marge_cas_limite_pct=marge,
        ),
        texte_appel,
    )
