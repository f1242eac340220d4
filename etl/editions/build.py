"""Building an :class:`~etl.editions.model.Edition` from its (merged) TOML document.

Each section has one builder; cross-section rules (vocabularies used by fields, fields
used by eligibility, alias collisions, rural thresholds) are checked once everything is
read. The first problem found is raised as an ``EditionConfigError``.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from etl.editions.eligibility import build_eligibility
from etl.editions.model import (
    CATEGORIES_VOCABULARY,
    CHOICE_TYPES,
    ESSENTIAL_FIELDS,
    FIELD_TYPES,
    NUMERIC_TYPES,
    Calendar,
    Category,
    Criterion,
    Edition,
    FormField,
    Vocabulary,
    VocabularyValue,
    normalise_header,
)
from etl.editions.reader import ConfigTable, EditionConfigError

POIDS_TOTAL = 100
"""The weights of a category's criteria are integers summing to this (percent)."""

_CATEGORY_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PERSONAL_TYPES = frozenset({"email", "telephone"})


def build_edition(document: dict[str, Any], fichier: Path) -> Edition:
    """The validated edition described by ``document`` (already merged with its parent)."""
    racine = ConfigTable(document, fichier)
    herite_de = racine.optional_integer("herite_de")
    section = racine.table("edition")
    annee = section.integer("annee", minimum=2000)
    numero = section.integer("numero", minimum=1)
    nom = section.text("nom")
    organisateur = section.optional_text("organisateur")
    source = section.optional_text("source")
    precedente = section.optional_integer("precedente")
    section.finish()
    for cle, valeur in (("edition.precedente", precedente), ("herite_de", herite_de)):
        if valeur is not None and valeur >= annee:
            message = f"{valeur} doit désigner une édition antérieure à {annee}."
            raise EditionConfigError(fichier, cle, message)
    if fichier.stem.isdigit() and int(fichier.stem) != annee:
        message = f"le fichier {fichier.name} doit décrire l'édition {fichier.stem}, pas {annee}."
        raise EditionConfigError(fichier, "edition.annee", message)

    calendrier = _calendar(racine.table("calendrier"))
    jury = _jury_defaults(racine.optional_table("jury"))
    categories = _categories(racine, jury, precedente)
    vocabulaires = _vocabularies(racine, categories)
    formulaire = racine.table("formulaire")
    separateur = formulaire.raw_text("separateur_choix_multiples")
    champs = _fields(formulaire, {v.nom for v in vocabulaires})
    _check_essential(formulaire, champs)
    formulaire.finish()
    eligibilite = build_eligibility(racine.table("eligibilite"), champs, vocabulaires, categories)
    racine.finish()
    return Edition(
        annee=annee,
        numero=numero,
        nom=nom,
        source_fichier=fichier,
        calendrier=calendrier,
        categories=categories,
        eligibilite=eligibilite,
        champs=champs,
        vocabulaires=vocabulaires,
        separateur_choix_multiples=separateur or ", ",
        organisateur=organisateur,
        source=source,
        precedente=precedente,
        herite_de=herite_de,
    )


def _calendar(table: ConfigTable) -> Calendar:
    nom_fuseau = table.optional_text("fuseau") or "Europe/Paris"
    try:
        fuseau = ZoneInfo(nom_fuseau)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise table.error("fuseau", f"fuseau horaire inconnu « {nom_fuseau} ».") from err
    lancement = table.moment("lancement", fuseau, heure_requise=False)
    cloture = table.moment("cloture", fuseau, heure_requise=True)
    jury = table.moment("jury", fuseau, heure_requise=False)
    ceremonie = table.moment("ceremonie", fuseau, heure_requise=False)
    lieu = table.optional_text("ceremonie_lieu")
    if cloture is None:
        raise table.error("cloture", "clé obligatoire manquante (date et heure de clôture).")
    if ceremonie is None:
        raise table.error("ceremonie", "clé obligatoire manquante (date de la cérémonie).")
    ordre = [("lancement", lancement), ("cloture", cloture), ("jury", jury)]
    ordre.append(("ceremonie", ceremonie))
    connues = [(cle, moment) for cle, moment in ordre if moment is not None]
    for (avant, m1), (apres, m2) in itertools.pairwise(connues):
        if m1 > m2:
            raise table.error(apres, f"« {apres} » ne peut pas précéder « {avant} ».")
    table.finish()
    return Calendar(
        fuseau=nom_fuseau,
        cloture=cloture,
        ceremonie=ceremonie,
        lancement=lancement,
        jury=jury,
        ceremonie_lieu=lieu,
    )


@dataclass(frozen=True)
class _JuryDefaults:
    """``[jury]``: the scale of every criterion and what decisions every prize allows."""

    note_min: int = 0
    note_max: int = 5
    ex_aequo: bool = False
    mentions_max: int = 0


def _jury_defaults(table: ConfigTable | None) -> _JuryDefaults:
    if table is None:
        return _JuryDefaults()
    note_min = table.optional_integer("note_min")
    note_max = table.optional_integer("note_max")
    ex_aequo = table.boolean("ex_aequo", False)
    mentions_max = table.optional_integer("mentions_max", minimum=0)
    table.finish()
    note_min = 0 if note_min is None else note_min
    note_max = 5 if note_max is None else note_max
    if note_max <= note_min:
        raise table.error("note_max", f"doit être supérieure à note_min ({note_min}).")
    return _JuryDefaults(note_min, note_max, ex_aequo, mentions_max or 0)


def _categories(
    racine: ConfigTable, jury: _JuryDefaults, precedente: int | None
) -> tuple[Category, ...]:
    categories: list[Category] = []
    for table in racine.table_list("categories"):
        categorie = _category(table, jury)
        for autre in categories:
            if autre.code == categorie.code:
                raise table.error("code", f"code de catégorie « {categorie.code} » en double.")
            if autre.numero == categorie.numero:
                message = f"numéro {categorie.numero} déjà pris par « {autre.code} »."
                raise table.error("numero", message)
        if categorie.suite_de and precedente is None:
            message = "renseignez [edition] precedente pour dire à quelle édition renvoie suite_de."
            raise table.error("suite_de", message)
        categories.append(categorie)
    return tuple(categories)


def _category(table: ConfigTable, jury: _JuryDefaults) -> Category:
    code = table.text("code")
    if not _CATEGORY_CODE.match(code):
        message = f"code « {code} » invalide : majuscules, chiffres et « _ » (ex. RURAL)."
        raise table.error("code", message)
    numero = table.integer("numero", minimum=1)
    libelle = table.text("libelle")
    description = " ".join(table.text("description").split())
    laureats_max = table.integer("laureats_max", minimum=1)
    prix_rural = table.boolean("prix_rural", False)
    ex_aequo = table.boolean("ex_aequo", jury.ex_aequo)
    mentions_max = table.optional_integer("mentions_max", minimum=0)
    suite_de = table.text_list("suite_de")
    reponses = table.text_list("reponses")
    criteres = tuple(
        _criterion(t, jury.note_min, jury.note_max) for t in table.table_list("criteres")
    )
    codes = [c.code for c in criteres]
    for position, critere in enumerate(criteres, start=1):
        if codes.index(critere.code) != position - 1:
            chemin = f"criteres[{position}].code"
            raise table.error(chemin, f"code de critère « {critere.code} » en double.")
    total = sum(c.poids for c in criteres)
    if total != POIDS_TOTAL:
        detail = " + ".join(str(c.poids) for c in criteres)
        message = f"la somme des poids vaut {total} ({detail}) ; elle doit valoir {POIDS_TOTAL}."
        raise table.error("criteres", message)
    table.finish()
    return Category(
        code=code,
        numero=numero,
        libelle=libelle,
        description=description,
        laureats_max=laureats_max,
        criteres=criteres,
        prix_rural=prix_rural,
        ex_aequo=ex_aequo,
        mentions_max=jury.mentions_max if mentions_max is None else mentions_max,
        suite_de=suite_de,
        reponses=reponses,
    )


def _criterion(table: ConfigTable, note_min: int, note_max: int) -> Criterion:
    code = table.text("code")
    libelle = table.text("libelle")
    poids = table.integer("poids", minimum=1)
    propre_min = table.optional_integer("note_min")
    propre_max = table.optional_integer("note_max")
    table.finish()
    mini = note_min if propre_min is None else propre_min
    maxi = note_max if propre_max is None else propre_max
    if maxi <= mini:
        raise table.error("note_max", f"doit être supérieure à note_min ({mini}).")
    return Criterion(code=code, libelle=libelle, poids=poids, note_min=mini, note_max=maxi)


def _vocabularies(racine: ConfigTable, categories: tuple[Category, ...]) -> tuple[Vocabulary, ...]:
    vocabulaires = [
        Vocabulary(
            CATEGORIES_VOCABULARY,
            tuple(VocabularyValue(c.code, c.libelle, c.accepted_answers) for c in categories),
        )
    ]
    _check_answers_unique(vocabulaires[0], racine, "categories")
    if not racine.has("vocabulaires"):
        return tuple(vocabulaires)
    for nom, table in racine.named_tables("vocabulaires"):
        chemin = f"vocabulaires.{nom}"
        if nom == CATEGORIES_VOCABULARY:
            message = "ce vocabulaire est construit à partir de [[categories]] : le retirer."
            raise table.error(None, message)
        if not _NAME.match(nom):
            raise table.error(None, "nom invalide : minuscules, chiffres et « _ ».")
        valeurs = []
        for code, valeur in table.sub_tables():
            if not _NAME.match(code):
                raise valeur.error(None, "code invalide : minuscules, chiffres et « _ ».")
            libelle = valeur.text("libelle")
            reponses = valeur.text_list("reponses") + valeur.text_list("reponses_ajoutees")
            valeur.finish()
            valeurs.append(VocabularyValue(code, libelle, reponses))
        if not valeurs:
            raise table.error(None, "vocabulaire vide : ajoutez au moins une valeur.")
        vocabulaire = Vocabulary(nom, tuple(valeurs))
        _check_answers_unique(vocabulaire, racine, chemin)
        vocabulaires.append(vocabulaire)
    return tuple(vocabulaires)


def _check_answers_unique(vocabulaire: Vocabulary, racine: ConfigTable, chemin: str) -> None:
    vues: dict[str, str] = {}
    for valeur in vocabulaire.valeurs:
        for reponse in valeur.accepted_answers:
            cle = normalise_header(reponse)
            autre = vues.setdefault(cle, valeur.code)
            if autre != valeur.code:
                message = (
                    f"la réponse « {reponse} » désignerait à la fois « {autre} » et "
                    f"« {valeur.code} » : la retirer de l'une des deux."
                )
                raise EditionConfigError(racine.fichier, chemin, message)


def _fields(formulaire: ConfigTable, vocabulaires: set[str]) -> tuple[FormField, ...]:
    champs = [_field(nom, table, vocabulaires) for nom, table in formulaire.named_tables("champs")]
    par_nom = {c.nom: c for c in champs}
    vus: dict[str, tuple[str, str]] = {}
    for champ in champs:
        chemin = f"formulaire.champs.{champ.nom}"
        for relation in ("au_plus", "composante_de"):
            cible = getattr(champ, relation)
            if cible is None:
                continue
            if (
                cible not in par_nom
                or par_nom[cible].type not in NUMERIC_TYPES
                or cible == champ.nom
            ):
                message = f"« {cible} » doit être un autre champ numérique du formulaire."
                raise EditionConfigError(formulaire.fichier, f"{chemin}.{relation}", message)
        for entete in champ.accepted_headers:
            cle = normalise_header(entete)
            autre, autre_entete = vus.setdefault(cle, (champ.nom, entete))
            if autre != champ.nom:
                message = (
                    f"l'intitulé « {entete} » est aussi un intitulé du champ « {autre} » "
                    f"(« {autre_entete} ») ; une colonne ne peut désigner qu'un champ."
                )
                raise EditionConfigError(formulaire.fichier, f"{chemin}.alias", message)
    return tuple(champs)


def _check_essential(formulaire: ConfigTable, champs: tuple[FormField, ...]) -> None:
    par_nom = {c.nom: c for c in champs}
    for nom in ESSENTIAL_FIELDS:
        if nom not in par_nom or not par_nom[nom].obligatoire:
            message = (
                f"le champ « {nom} » est indispensable (une candidature est identifiée par "
                f"{', '.join(ESSENTIAL_FIELDS)}) : il doit être décrit et obligatoire "
                "(obligatoire = true)."
            )
            raise EditionConfigError(formulaire.fichier, f"formulaire.champs.{nom}", message)


def _field(nom: str, table: ConfigTable, vocabulaires: set[str]) -> FormField:
    if not _NAME.match(nom):
        raise table.error(None, "nom de champ invalide : minuscules, chiffres et « _ ».")
    libelle = table.text("libelle")
    type_ = table.text("type")
    if type_ not in FIELD_TYPES:
        proches = difflib.get_close_matches(type_, FIELD_TYPES, n=1)
        conseil = f" Vouliez-vous dire « {proches[0]} » ?" if proches else ""
        message = f"type inconnu « {type_} ».{conseil} Types possibles : {', '.join(FIELD_TYPES)}."
        raise table.error("type", message)
    alias = table.text_list("alias", requis=True) + table.text_list("alias_ajoutes")
    obligatoire = table.boolean("obligatoire", False)
    unite = table.optional_text("unite")
    personnel = table.boolean("donnee_personnelle", False)
    vocabulaire = table.optional_text("vocabulaire")
    au_plus = table.optional_text("au_plus")
    composante_de = table.optional_text("composante_de")
    table.finish()
    if type_ == "booleen" and vocabulaire is None:
        vocabulaire = "oui_non"
    if type_ in CHOICE_TYPES:
        if vocabulaire is None:
            message = (
                'un champ à choix doit indiquer son vocabulaire (ex. vocabulaire = "oui_non").'
            )
            raise table.error("vocabulaire", message)
        if vocabulaire not in vocabulaires:
            connus = ", ".join(sorted(vocabulaires))
            message = (
                f"vocabulaire « {vocabulaire} » non défini dans [vocabulaires] (connus : {connus})."
            )
            raise table.error("vocabulaire", message)
    elif vocabulaire is not None:
        raise table.error("vocabulaire", f"un champ de type {type_} n'a pas de vocabulaire.")
    if unite is not None and type_ not in NUMERIC_TYPES:
        raise table.error("unite", f"un champ de type {type_} n'a pas d'unité.")
    if type_ in _PERSONAL_TYPES and not personnel:
        message = (
            f"un champ de type {type_} est une donnée personnelle : donnee_personnelle = true."
        )
        raise table.error("donnee_personnelle", message)
    if (au_plus or composante_de) and type_ not in NUMERIC_TYPES:
        raise table.error("au_plus", "seul un champ numérique peut être borné par un autre.")
    return FormField(
        nom=nom,
        libelle=libelle,
        type=type_,
        alias=tuple(dict.fromkeys(alias)),
        obligatoire=obligatoire,
        unite=unite if unite is not None else ("%" if type_ == "pourcentage" else None),
        donnee_personnelle=personnel,
        vocabulaire=vocabulaire,
        au_plus=au_plus,
        composante_de=composante_de,
    )
