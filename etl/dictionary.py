"""The data dictionary ``docs/dictionnaire.md``, generated from the real warehouse schema.

Form fields take their meaning, unit and source question from the edition configuration;
derived columns are described here, once. ``tests/test_dictionary.py`` rebuilds the
dictionary from a warehouse built by the real ETL and compares it with the committed file,
so a column cannot appear without being documented.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from etl.editions import Edition, FormField

VIEWS = (
    "candidatures",
    "candidature_categories",
    "indicateurs",
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
    "candidature_categories": "une ligne par candidature courante × catégorie demandée",
    "indicateurs": "une ligne par candidature courante (mêmes lignes que `candidatures`) : "
    "indicateurs normalisés, définis une fois pour l'application, les notebooks et le dossier "
    "de presse ; un ratio est vide (jamais 0) quand un de ses termes manque ou que son "
    "dénominateur vaut 0 ; les parts sont des fractions (0,125 = 12,5 %)",
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
    "champ": ("", "champ canonique de la configuration"),
    "valeur": ("", "valeur brute telle que saisie"),
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
        "configurations d'édition ; `tests/test_dictionary.py` vérifie qu'il est à jour.",
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
    finally:
        con.close()
    return "\n".join(lines)


def _row(column: str, kind: str, fields: Mapping[str, FormField]) -> str:
    field = fields.get(column)
    if column in DERIVED:
        unit, meaning = DERIVED[column]
        question = ""
    elif field is not None:
        unit = field.unite or ""
        meaning = field.libelle + (" (donnée personnelle)" if field.donnee_personnelle else "")
        question = f"« {field.alias[0]} »" if field.alias else ""
    else:
        raise KeyError(f"Colonne non documentée : {column}")
    return f"| `{column}` | {kind} | {unit} | {meaning} | {question} |"
