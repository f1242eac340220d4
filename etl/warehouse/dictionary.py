"""The data dictionary ``docs/dictionnaire.md``, generated from the real warehouse schema.

Form fields take their meaning, unit and source question from the edition configuration;
derived columns are described here, once. ``tests/etl/test_dictionary.py`` rebuilds the
dictionary from a warehouse built by the real ETL and compares it with the committed file,
so a column cannot appear without being documented.

Long module: most of its length is the French description of each derived column and
analysts' frame, kept beside the code that writes them so both change together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import duckdb
import polars as pl

from etl.editions import AUTRE_SUFFIX, Edition, FormField
from etl.semantic import analysis

VIEWS = (
    "candidatures",
    "candidatures_ecartees",
    "corrections",
    "candidature_categories",
    "indicateurs",
    "communes_densite",
    "rejets",
    "chargements",
    "ref_communes",
    "ref_epci",
    "ref_departements",
    "ref_regions",
)

GRAINS = {
    "candidatures": "une ligne par candidature courante (dernière version d'un projet), "
    "toutes éditions ; sans coordonnées personnelles",
    "candidatures_ecartees": "une ligne par candidature retirée par son porteur ou fusionnée "
    "dans une autre par l'organisateur : gardée pour mémoire, hors de tout chiffre et de "
    "toute file du jury",
    "corrections": "une ligne par correction active de l'organisateur (registre "
    "data/corrections.sqlite, hors de l'entrepôt), avec son état au dernier chargement",
    "candidature_categories": "une ligne par candidature courante × catégorie demandée",
    "indicateurs": "une ligne par candidature courante (mêmes lignes que `candidatures`) : "
    "indicateurs normalisés, définis une fois pour l'application, les notebooks et le dossier "
    "de presse ; un ratio est vide (jamais 0) quand un de ses termes manque ou que son "
    "dénominateur vaut 0 ; les parts sont des fractions (0,125 = 12,5 %)",
    "communes_densite": "une ligne par commune actuelle : classe de densité (approximation à "
    "la commune des 4 niveaux de la grille communale de densité INSEE, seuils 1 500, 300 et "
    "25 hab./km² appliqués à la densité de la commune), pour comparer rural et urbain",
    "rejets": "une ligne par problème relevé dans une ligne d'un export (ligne 1 = en-tête)",
    "chargements": "une ligne par fichier chargé (édition, nom de fichier)",
    "ref_communes": "une ligne par commune actuelle (métropole et DROM)",
    "ref_epci": "une ligne par EPCI à fiscalité propre",
    "ref_departements": "une ligne par département (101)",
    "ref_regions": "une ligne par région (18)",
}

DERIVED: dict[str, tuple[str, str]] = {
    # column: (unit, meaning) — columns computed by the ETL rather than typed in the form
    "candidature_id": (
        "",
        "identifiant stable : « édition-empreinte » ; empreinte SHA-256 (10 caractères) de "
        "l'édition, du répondant (e-mail du formulaire, sinon du référent, sinon nom de la "
        "structure) et du premier horodatage des versions d'un même projet (même répondant, "
        "même titre normalisé). Inchangé par un rechargement, un export corrigé ou une "
        "nouvelle soumission du même projet.",
    ),
    "edition": ("année", "année de l'édition des Trophées"),
    "corrige": (
        "booléen",
        "au moins une correction de l'organisateur s'applique à la candidature (valeurs "
        "saisies dans la table `reponses` et la vue `corrections`)",
    ),
    "statut_correction": ("", "retiree (retirée par son porteur) ou fusionnee (fusionnée)"),
    "fusionnee_dans": ("", "candidature gardée dans laquelle celle-ci est fusionnée"),
    "eligible_calcule": (
        "booléen",
        "éligibilité calculée par les règles de l'édition, avant la décision de l'organisateur",
    ),
    "decision_organisateur": (
        "",
        "admise ou refusee : décision de l'organisateur sur l'éligibilité à ce prix (vide sinon)",
    ),
    "correction_id": ("", "numéro de la correction au registre"),
    "nature": ("", "territoire, valeur, exclusion, eligibilite, fusion ou retrait"),
    "categorie": ("", "code du prix (nature eligibilite)"),
    "valeur_saisie": ("", "valeur de l'export au moment de la correction"),
    "motif": ("", "pourquoi, en une phrase (obligatoire)"),
    "auteur": ("", "qui a fait la correction"),
    "cree_le": ("date et heure", "quand la correction a été enregistrée"),
    "etat": ("", "appliquee, ou a_revoir (voir `revue`) au dernier chargement"),
    "revue": (
        "",
        "pourquoi la correction n'est pas appliquée (candidature disparue, valeur "
        "saisie changée depuis)",
    ),
    "date_depot": ("date et heure", "horodatage de la réponse (Google Forms), heure de Paris"),
    "fichier": ("", "nom du fichier d'export d'où vient la ligne"),
    "ligne": ("", "numéro de ligne dans le fichier tel qu'un tableur l'affiche (en-tête = 1)"),
    "hors_delai": ("booléen", "réponse déposée après la clôture de l'édition (conservée)"),
    "territoire_statut": (
        "",
        "résolution du territoire : exact, avertissement, ambigu, inconnu",
    ),
    "territoire_niveau": ("", "niveau résolu : commune, epci, departement, region"),
    "territoire_message": ("", "explication de la résolution (ce qui a été cru, et pourquoi)"),
    "territoire_saisi": ("", "saisies du formulaire ayant servi à la résolution"),
    "commune_code": ("", "code INSEE de la commune résolue"),
    "epci_siren": ("", "SIREN de l'EPCI de la commune résolue"),
    "departement_code": ("", "code du département résolu (01…95, 2A, 2B, 971…976)"),
    "region_code": ("", "code INSEE de la région résolue"),
    "commune_population": ("habitants", "population de la commune (populations légales 2023)"),
    "commune_densite": ("hab./km²", "densité de la commune"),
    "departement_population": ("habitants", "population du département (populations légales 2023)"),
    "eligible": (
        "booléen",
        "éligibilité (structure et projet ; par catégorie : test rural compris)",
    ),
    "motifs": ("liste", "raisons d'inéligibilité, en français (vide si éligible)"),
    "categorie_code": ("", "code de la catégorie (prix) dans la configuration de l'édition"),
    "cas_limite": ("booléen", "test rural à ±10 % d'un seuil : à examiner par le jury"),
    "rural_commune": ("booléen", "commune sous le seuil de population du prix rural"),
    "rural_departement": ("booléen", "département sous le seuil de population du prix rural"),
    "rural_eligible": ("booléen", "verdict combiné du test rural (null : indéterminé)"),
    "rural_statut": ("", "verdict du test rural en clair"),
    "colonne": ("", "intitulé de la colonne dans le fichier"),
    "champ": (
        "",
        "champ canonique de la configuration (`corrections` : le champ corrigé ou exclu)",
    ),
    "valeur": (
        "",
        "valeur brute telle que saisie (`corrections` : la valeur retenue — nouvelle valeur, "
        "code INSEE, décision, candidature gardée)",
    ),
    "regle": ("", "code stable de la règle appliquée"),
    "message": ("", "phrase en français : fichier, ligne, colonne, valeur, règle"),
    "severite": ("", "erreur (valeur ou ligne écartée) ou avertissement (conservée, signalée)"),
    "rejette_ligne": ("booléen", "le problème a écarté toute la ligne"),
    "sha256": ("", "empreinte SHA-256 du fichier chargé"),
    "encodage": ("", "encodage détecté (utf-8, utf-8-sig, cp1252 ; vide pour XLSX)"),
    "separateur": ("", "séparateur détecté (CSV)"),
    "fin_de_ligne": ("", "fins de ligne détectées (CRLF ou LF ; vide pour XLSX)"),
    "champs_multilignes": ("réponses", "réponses s'étendant sur plusieurs lignes du fichier"),
    "correspondance": ("", "configuration ou fichier de correspondance des intitulés utilisé"),
    "lignes_lues": ("lignes", "lignes de données lues"),
    "lignes_chargees": ("lignes", "candidatures courantes issues du fichier"),
    "lignes_rejetees": ("lignes", "lignes écartées (erreur bloquante)"),
    "doublons": ("lignes", "doublons identiques et versions remplacées"),
    "erreurs": ("problèmes", "nombre d'erreurs relevées"),
    "avertissements": ("problèmes", "nombre d'avertissements relevés"),
    "fictif": ("booléen", "données fictives de démonstration (l'application le signale)"),
    "charge_le": ("date et heure", "moment du chargement (UTC)"),
    "champs_obligatoires": (
        "liste",
        "champs dont la réponse était obligatoire pour ce fichier (édition, corrigée par la "
        "correspondance) : une ligne sans l'une d'elles est écartée",
    ),
    "code": ("", "code officiel (INSEE ; SIREN pour les EPCI : colonne siren)"),
    "nom": ("", "nom officiel"),
    "siren": ("", "SIREN de l'EPCI"),
    "type": ("", "nature juridique de l'EPCI (CC, CA, CU, METRO…)"),
    "population": ("habitants", "population municipale (populations légales 2023)"),
    "superficie_km2": ("km²", "superficie calculée en projection à aires égales"),
    "densite": ("hab./km²", "population ÷ superficie"),
    "nb_communes": ("communes", "nombre de communes membres"),
    "codes_postaux": ("liste", "codes postaux de la commune (La Poste)"),
    "anciens_codes": ("liste", "anciens codes INSEE fusionnés dans la commune"),
    "territoire_population": (
        "habitants",
        "population du territoire du projet : commune résolue (« Commune principale du "
        "territoire du projet ») si le territoire est résolu au niveau commune, EPCI s'il "
        "l'est au niveau EPCI ; vide au niveau département ou région (dénominateur non "
        "comparable) ou si le territoire n'est pas résolu (populations légales 2023)",
    ),
    "heures_par_participant": ("h", "heures_insertion ÷ nb_participants"),
    "heures_pour_1000_habitants": (
        "h pour 1 000 hab.",
        "heures_insertion × 1 000 ÷ territoire_population",
    ),
    "part_femmes": ("part (0-1)", "nb_femmes ÷ nb_participants"),
    "part_seniors": ("part (0-1)", "nb_seniors ÷ nb_participants (50 ans et plus)"),
    "part_residents_qpv": ("part (0-1)", "nb_residents_qpv ÷ nb_participants"),
    "part_jeunes": ("part (0-1)", "nb_jeunes ÷ nb_participants (moins de 26 ans)"),
    "taux_realisation": (
        "ratio",
        "heures_insertion ÷ heures_insertion_prevues (1 = heures prévues atteintes)",
    ),
    "heures_par_marche": ("h", "heures_insertion ÷ nb_marches_clauses"),
    "niveau_densite": (
        "niveau 1-4",
        "classe de densité de la commune : 1 densément peuplée (≥ 1 500 hab./km²), 2 densité "
        "intermédiaire (≥ 300), 3 peu dense (≥ 25), 4 très peu dense ; vide sans superficie",
    ),
    "classe_densite": ("", "libellé de niveau_densite (densément peuplée … très peu dense)"),
    "urbain_rural": (
        "",
        "rural = niveaux 3 et 4 (peu dense ou très peu dense, définition INSEE du rural "
        "depuis 2020), urbain = niveaux 1 et 2",
    ),
    "longitude": (
        "degrés",
        "longitude WGS84 d'un point intérieur à la commune (centroïde du contour s'il y est, "
        "sinon point intérieur) ; vide pour les communes sans contour",
    ),
    "latitude": (
        "degrés",
        "latitude WGS84 du même point intérieur à la commune ; vide sans contour",
    ),
    "carte_longitude": (
        "degrés",
        "longitude du point sur la carte de l'application : identique à `longitude` en "
        "métropole, déplacée dans l'encart du DROM (971 à 976) comme son contour",
    ),
    "carte_latitude": (
        "degrés",
        "latitude du point sur la carte de l'application (encarts DROM, voir carte_longitude)",
    ),
}


FRAMES: dict[str, tuple[str, Callable[..., pl.DataFrame], str]] = {
    # name: (grain, helper taking (con, editions), columns documented: "toutes" or "ajoutees")
    "candidatures": (
        "une ligne par candidature courante du périmètre : toutes les colonnes de la vue "
        "`candidatures`, plus la classe de densité de sa commune (vue `communes_densite`)",
        lambda con, eds: analysis.candidatures(con),
        "ajoutees",
    ),
    "indicateurs": (
        "une ligne par candidature du périmètre : qui, où, et les indicateurs de la vue "
        "`indicateurs`",
        lambda con, eds: analysis.indicateurs(con),
        "toutes",
    ),
    "prix": (
        "une ligne par prix de chaque édition configurée, avec sa famille d'une édition à "
        "l'autre (chaîne des `suite_de` de `config/editions/*.toml`)",
        lambda con, eds: analysis.prix(eds),
        "toutes",
    ),
    "categories": (
        "une ligne par candidature du périmètre × prix demandé (vue "
        "`candidature_categories`), avec le libellé et la famille du prix",
        lambda con, eds: analysis.categories(con, editions=eds),
        "toutes",
    ),
    "territoires": (
        "une ligne par région (ou département) de la référence, avec les candidatures du "
        "périmètre rapportées à sa population",
        lambda con, eds: analysis.territoires(con, "region"),
        "toutes",
    ),
    "tendances_regions": (
        "une ligne par région × édition présente dans l'entrepôt (zéros compris)",
        lambda con, eds: analysis.tendances_regions(con),
        "toutes",
    ),
    "tendances_familles": (
        "une ligne par famille de prix × édition où elle a un prix",
        lambda con, eds: analysis.tendances_familles(con, editions=eds),
        "toutes",
    ),
    "entonnoir": (
        "une ligne par groupe (région, type de structure ou « urbain »/« rural ») d'une "
        "édition : candidatures → éligibles → présélectionnées → lauréates ; les décisions "
        "du jury viennent de la base des délibérations (`docs/jury.md`)",
        lambda con, eds: analysis.entonnoir(con, None, _derniere_edition(con), "region"),
        "toutes",
    ),
}
"""The polars frames of ``etl.semantic.analysis`` the notebooks use (documented from their
real schema)."""


def _derniere_edition(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.sql("select max(edition) from candidatures").fetchall()[0][0])


FRAME_COLUMNS: dict[tuple[str, str], tuple[str, str]] = {
    # (frame, column): (unit, meaning) where the frame gives a column another meaning
    ("territoires", "code"): ("", "code INSEE de la région (ou du département)"),
    ("territoires", "nom"): ("", "nom de la région (ou du département)"),
    ("territoires", "population"): ("habitants", "population légale 2023 du territoire"),
    ("territoires", "heures_pour_1000_habitants"): (
        "h pour 1 000 hab.",
        "1 000 × heures ÷ population du territoire (heures non renseignées comptées 0) ; "
        "pour un territoire filtré, égal à `chiffres_cles(...).heures_pour_1000_habitants`",
    ),
    ("tendances_regions", "heures_pour_1000_habitants"): (
        "h pour 1 000 hab.",
        "1 000 × heures ÷ population de la région, pour cette édition",
    ),
    ("tendances_regions", "population"): ("habitants", "population légale 2023 de la région"),
    ("categories", "eligible"): ("booléen", "éligibilité de la candidature à ce prix"),
    ("tendances_familles", "codes"): ("liste", "codes des prix de la famille cette édition"),
    ("entonnoir", "candidatures"): ("candidatures", "candidatures courantes du groupe"),
    ("entonnoir", "eligibles"): (
        "candidatures",
        "candidatures éligibles (structure et projet, colonne `eligible` de `candidatures`)",
    ),
}

ANALYSIS_COLUMNS: dict[str, tuple[str, str]] = {
    "structure_type": ("", "type de structure (code du vocabulaire de l'édition)"),
    "structure_nom": ("", "nom de la structure candidate"),
    "heures_insertion": ("h", "heures d'insertion réalisées déclarées"),
    "nb_participants": ("personnes", "participants déclarés"),
    "numero": ("", "numéro du prix dans l'appel de l'édition"),
    "prix": ("", "libellé du prix cette édition"),
    "suite_de": ("liste", "codes des prix de l'édition précédente que ce prix prolonge"),
    "suite_en": ("", "codes des prix de l'édition suivante qui le prolongent (vide : aucun)"),
    "famille": (
        "",
        "code de la famille : le prix suivi d'une édition à l'autre, nommé par son prix le "
        "plus récent",
    ),
    "famille_libelle": ("", "libellé du prix le plus récent de la famille"),
    "superficie_km2": ("km²", "superficie calculée en projection à aires égales"),
    "population_rurale": ("habitants", "population des communes rurales du territoire"),
    "part_population_rurale": ("part (0-1)", "population_rurale ÷ population"),
    "candidatures": ("candidatures", "candidatures courantes du périmètre"),
    "candidatures_rurales": (
        "candidatures",
        "candidatures dont la commune est rurale (vue `communes_densite`)",
    ),
    "eligibles": ("candidatures", "candidatures éligibles à ce prix"),
    "heures": ("h", "somme des heures d'insertion déclarées (non renseignées : 0)"),
    "candidatures_par_million": ("par million d'hab.", "1 000 000 × candidatures ÷ population"),
    "region": ("", "nom de la région"),
    "groupe": (
        "",
        "code du groupe : code INSEE de la région, code du type de structure, ou « urbain » / "
        "« rural » ; vide = non renseigné",
    ),
    "libelle": ("", "nom du groupe en clair"),
    "preselectionnees": (
        "candidatures",
        "candidatures présélectionnées ou lauréates pour au moins un prix (base des "
        "délibérations, table `selections`)",
    ),
    "laureates": ("candidatures", "candidatures lauréates d'au moins un prix"),
    "part_candidatures": ("part (0-1)", "candidatures du groupe ÷ candidatures de l'édition"),
    "part_eligibles": ("part (0-1)", "éligibles du groupe ÷ éligibles de l'édition"),
    "part_preselectionnees": (
        "part (0-1)",
        "présélectionnées du groupe ÷ présélectionnées (vide sans délibération)",
    ),
    "part_laureates": ("part (0-1)", "lauréates du groupe ÷ lauréates (vide sans délibération)"),
    "part_population": (
        "part (0-1)",
        "population du groupe ÷ population totale (vide pour les types de structure)",
    ),
    "laureates_attendues": (
        "candidatures",
        "lauréates attendues d'un tirage au sort parmi les éligibles : lauréates × part_eligibles",
    ),
    "evolution_candidatures": (
        "candidatures",
        "différence avec l'édition précédente présente (vide pour la première)",
    ),
}


KEY_FIGURES: dict[str, tuple[str, str]] = {
    "candidatures": ("candidatures", "candidatures courantes du périmètre"),
    "structures": ("structures", "structures distinctes (nom en minuscules, sans espaces autour)"),
    "heures": ("h", "somme des heures d'insertion réalisées déclarées"),
    "heures_renseignees": ("candidatures", "candidatures qui renseignent les heures"),
    "participants": ("personnes", "somme des participants déclarés"),
    "participants_renseignes": ("candidatures", "candidatures qui renseignent les participants"),
    "marches_clauses": ("marchés", "somme des marchés clausés déclarés"),
    "marches_renseignes": ("candidatures", "candidatures qui renseignent les marchés clausés"),
    "heures_avec_participants": (
        "h",
        "heures des candidatures qui renseignent heures et participants (numérateur)",
    ),
    "participants_avec_heures": (
        "personnes",
        "participants des candidatures qui renseignent heures et participants (dénominateur)",
    ),
    "candidatures_heures_participants": (
        "candidatures",
        "candidatures qui renseignent heures et participants",
    ),
    "population": (
        "habitants",
        "population du périmètre géographique : département filtré, sinon région filtrée, "
        "sinon France (métropole et DROM) ; populations légales 2023",
    ),
    "perimetre_population": ("", "quelle population : « France », « région … », « département … »"),
    "heures_par_participant": ("h", "heures_avec_participants ÷ participants_avec_heures"),
    "heures_pour_1000_habitants": ("h pour 1 000 hab.", "1 000 × heures ÷ population"),
}
"""Fields of ``etl.semantic.key_figures.ChiffresCles.en_dict()`` (shares are added per public)."""

SHARE_SUFFIXES: dict[str, tuple[str, str]] = {
    "": ("part (0-1)", "personnes ÷ participants, sur les candidatures renseignant les deux"),
    "_personnes": ("personnes", "personnes de ce public (numérateur)"),
    "_participants": ("personnes", "participants des mêmes candidatures (dénominateur)"),
    "_candidatures": ("candidatures", "candidatures qui renseignent ce public et les participants"),
}


def _key_figures_section(con: duckdb.DuckDBPyConnection) -> list[str]:
    from etl.semantic.key_figures import PUBLICS, chiffres_cles

    lines = [
        "## `chiffres_cles(con, filtres).en_dict()`",
        "",
        "Grain : un périmètre (les candidatures courantes qui passent les filtres) ; la même",
        "définition pour l'application, les notebooks et le dossier de presse",
        "(`etl/semantic/key_figures.py`, `docs/analyse.md`).",
        "",
        "| clé | type | unité | signification | question source |",
        "|---|---|---|---|---|",
    ]
    values = chiffres_cles(con).en_dict()
    publics = {f"part_{c.removeprefix('nb_')}": libelle for c, (libelle, _) in PUBLICS.items()}
    for key, value in values.items():
        kind = "int"
        if key in publics or key in ("heures_par_participant", "heures_pour_1000_habitants"):
            kind = "float ou None"
        elif key == "population":
            kind = "int ou None"
        elif isinstance(value, str):
            kind = "str"
        if key in KEY_FIGURES:
            unit, meaning = KEY_FIGURES[key]
        else:
            public = next(p for p in publics if key == p or key.startswith(p + "_"))
            unit, meaning = SHARE_SUFFIXES[key.removeprefix(public)]
            meaning = f"{publics[public]} : {meaning}"
        lines.append(f"| `{key}` | {kind} | {unit} | {meaning} |  |")
    lines.append("")
    return lines


def describe(con: duckdb.DuckDBPyConnection, view: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a view or table, in order."""
    return [(r[0], r[1]) for r in con.sql(f"describe {view}").fetchall()]  # view from VIEWS


def dictionary_markdown(warehouse: Path, editions: list[Edition]) -> str:
    """The full dictionary text for the views of a warehouse."""
    fields = {f.nom: f for e in editions for f in e.champs}
    lines = [
        "# Dictionnaire des données",
        "",
        "Généré par `uv run trophees dictionnaire` à partir du schéma réel de l'entrepôt et des",
        "configurations d'édition ; `tests/etl/test_dictionary.py` vérifie qu'il est à jour.",
        "Les noms des vues et des colonnes sont un contrat pour l'application, les notebooks",
        "et le SQL des analystes.",
        "",
    ]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for view in VIEWS:
            lines += [f"## `{view}`", "", f"Grain : {GRAINS[view]}.", ""]
            lines += [
                "| colonne | type | unité | signification | question source |",
                "|---|---|---|---|---|",
            ]
            for column, kind in describe(con, view):
                lines.append(_row(column, kind, fields))
            lines.append("")
        lines += _frames_section(con, {e.annee: e for e in editions}, fields)
    finally:
        con.close()
    return "\n".join(lines)


def _frames_section(
    con: duckdb.DuckDBPyConnection, editions: Mapping[int, Edition], fields: Mapping[str, FormField]
) -> list[str]:
    lines = [
        "# Tableaux d'analyse (`etl.semantic.analysis`)",
        "",
        "Les fonctions d'`etl.semantic.analysis` rendent des tableaux polars filtrés comme",
        "l'application (voir `docs/analyse.md`) ; les notebooks s'en servent. Types polars.",
        "",
    ]
    base = {c for c, _ in describe(con, "candidatures")}
    for name, (grain, helper, scope) in FRAMES.items():
        frame = helper(con, editions)
        lines += [f"## `analyse.{name}()`", "", f"Grain : {grain}.", ""]
        lines += [
            "| colonne | type | unité | signification | question source |",
            "|---|---|---|---|---|",
        ]
        for column, dtype in frame.schema.items():
            if scope == "ajoutees" and column in base:
                continue
            lines.append(_row(column, str(dtype), fields, frame=name))
        lines.append("")
    return lines + _key_figures_section(con)


def _row(column: str, kind: str, fields: Mapping[str, FormField], frame: str | None = None) -> str:
    field = fields.get(column)
    if frame is not None and (frame, column) in FRAME_COLUMNS:
        unit, meaning = FRAME_COLUMNS[(frame, column)]
        question = ""
    elif frame is not None and column in ANALYSIS_COLUMNS:
        unit, meaning = ANALYSIS_COLUMNS[column]
        question = ""
    elif column in DERIVED:
        unit, meaning = DERIVED[column]
        question = ""
    elif column.endswith(AUTRE_SUFFIX) and column.removesuffix(AUTRE_SUFFIX) in fields:
        choix = fields[column.removesuffix(AUTRE_SUFFIX)]
        unit, question = "", ""
        meaning = (
            f"{choix.libelle} : texte libre d'une réponse « Autre : … » (la valeur est alors "
            f"« autre » dans `{choix.nom}`) ; vide sinon"
        )
    elif field is not None:
        unit = field.unite or ""
        meaning = field.libelle + (" (donnée personnelle)" if field.donnee_personnelle else "")
        question = f"« {field.alias[0]} »" if field.alias else ""
    else:
        raise KeyError(f"Colonne non documentée : {column}")
    return f"| `{column}` | {kind} | {unit} | {meaning} | {question} |"
