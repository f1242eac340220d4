"""What every reader shares: the ``Lecture`` contract, codes and messages, evaluation."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import polars as pl

NON_RENSEIGNE = "non_renseigne"
SUFFIXE_CODE = "__code"
SUFFIXE_DETAIL = "__detail"

MESSAGES: dict[str, str] = {
    NON_RENSEIGNE: "valeur non renseignée",
    "nombre_illisible": "valeur « {valeur} » illisible comme nombre",
    "unite_inattendue": "valeur « {valeur} » : unité inattendue pour cette question",
    "pourcentage_pour_nombre": "valeur « {valeur} » : un pourcentage là où un nombre est attendu",
    "nombre_negatif": "valeur « {valeur} » négative, alors qu'un nombre positif est attendu",
    "decimal_pour_entier": "valeur « {valeur} » décimale, alors qu'un nombre entier est attendu",
    "nombre_ambigu": "valeur « {valeur} » ambiguë : le point sépare-t-il les milliers ou les "
    "décimales ? Lu comme milliers pour un entier, comme décimales sinon ; à vérifier",
    "approximation": "valeur « {valeur} » approximative ou bornée : le nombre est retenu, "
    "à confirmer",
    "pourcentage_illisible": "valeur « {valeur} » illisible comme pourcentage",
    "pourcentage_ambigu": "valeur « {valeur} » ambiguë : pourcentage ou fraction ? "
    "Écrivez « 12,5 % » ou « 0,125 »",
    "pourcentage_hors_bornes": "valeur « {valeur} » hors des bornes d'un pourcentage",
    "base_inconnue": "valeur « {valeur} » : pourcentage sans effectif de référence, "
    "impossible d'en déduire un nombre",
    "effectif_calcule": "valeur « {valeur} » : nombre calculé à partir d'un pourcentage",
    "date_illisible": "valeur « {valeur} » illisible comme date (attendu : jj/mm/aaaa hh:mm)",
    "date_inexistante": "valeur « {valeur} » : cette date n'existe pas",
    "heure_inexistante": "valeur « {valeur} » : heure sautée au passage à l'heure d'été",
    "heure_ambigue": "valeur « {valeur} » : heure vécue deux fois au passage à l'heure "
    "d'hiver, la première (heure d'été) est retenue",
    "booleen_illisible": "valeur « {valeur} » illisible comme Oui/Non",
    "departement_invalide": "valeur « {valeur} » : code département inconnu "
    "(attendu : 01 à 95, 2A, 2B, 971 à 974, 976)",
    "departement_corse_20": "valeur « {valeur} » : « 20 » n'est plus un code département, "
    "précisez 2A (Corse-du-Sud) ou 2B (Haute-Corse)",
    "commune_invalide": "valeur « {valeur} » : code commune INSEE invalide "
    "(5 caractères, ex. 75056 ; en Corse 2A004 ou 2B033, jamais 20…)",
    "code_postal_invalide": "valeur « {valeur} » : code postal invalide (5 chiffres)",
    "zero_initial_ajoute": "valeur « {valeur} » : zéro initial perdu (tableur) et rétabli",
    "siret_format_invalide": "valeur « {valeur} » : un SIRET compte 14 chiffres",
    "siret_cle_invalide": "valeur « {valeur} » : SIRET à la clé de contrôle fausse "
    "(faute de frappe ?)",
    "siren_format_invalide": "valeur « {valeur} » : un SIREN compte 9 chiffres",
    "siren_cle_invalide": "valeur « {valeur} » : SIREN à la clé de contrôle fausse "
    "(faute de frappe ?)",
    "email_invalide": "valeur « {valeur} » : adresse e-mail invalide",
    "telephone_invalide": "valeur « {valeur} » : numéro de téléphone invalide",
    "telephone_etranger": "valeur « {valeur} » : numéro étranger, conservé tel quel",
}
"""One French template per code; ``{valeur}`` is the cell as typed."""

_MARQUEURS_NULS = (
    "n/a", "na", "n.a.", "-", "--", "—", "–", "nc", "n.c.", "non communiqué", "non communique",
    "non renseigné", "non renseigne", "?", "??", "sans objet", "/", "inconnu", "ne sait pas",
    "nsp", ".",
)  # fmt: skip
NULS = frozenset(_MARQUEURS_NULS)
"""Markers meaning « no answer » (compared lower-cased, spaces collapsed). Never 0:
« néant » or « aucun » may mean zero, so they stay unreadable for a human to decide."""

Entree = str | pl.Expr
"""A column name or a string expression."""

_COMPTEUR = itertools.count()


@dataclass(frozen=True)
class Lecture:
    """How to read one column: per row a typed ``valeur`` and a ``code`` (null when clean).

    ``etapes`` are intermediate columns (each level computed after the previous one) that
    ``valeur``, ``code`` and ``detail`` refer to: evaluate a ``Lecture`` with
    ``normaliser``. They exist because polars only shares the outermost repeated
    sub-expression, and a regex read once is several times cheaper than read per use.
    ``detail`` is kind-specific (for percentages: how the unit was resolved).

    ``raccourci``: an optional (condition, value) pair over the raw text, for answers the
    reader would take as they are (« 1234 » for a number): where the condition holds, the
    reading is that value with no code and no detail, so a caller may skip the full
    reading for those rows. The tests check that both agree.
    """

    valeur: pl.Expr
    code: pl.Expr
    detail: pl.Expr | None = None
    etapes: tuple[tuple[pl.Expr, ...], ...] = ()
    raccourci: tuple[pl.Expr, pl.Expr] | None = None


class Resultat(NamedTuple):
    """One value read by ``lire``."""

    valeur: Any
    code: str | None
    detail: str | None = None


class Etapes:
    """Named intermediate columns for one ``Lecture``, unique across lectures."""

    def __init__(self, genre: str) -> None:
        self._prefixe = f"__{genre}_{next(_COMPTEUR)}_"
        self.niveaux: list[tuple[pl.Expr, ...]] = []

    def niveau(self, **colonnes: pl.Expr) -> tuple[pl.Expr, ...]:
        """Add one level of columns; return references to them, in the given order."""
        noms = [self._prefixe + nom for nom in colonnes]
        self.niveaux.append(tuple(e.alias(n) for n, e in zip(noms, colonnes.values(), strict=True)))
        return tuple(pl.col(n) for n in noms)

    def lecture(
        self,
        valeur: pl.Expr,
        code: pl.Expr,
        detail: pl.Expr | None = None,
        raccourci: tuple[pl.Expr, pl.Expr] | None = None,
    ) -> Lecture:
        return Lecture(valeur, code, detail, tuple(self.niveaux), raccourci)


def normaliser(frame: pl.DataFrame, lectures: Mapping[str, Lecture]) -> pl.DataFrame:
    """Add, per ``nom``, the columns ``nom`` (value), ``nom__code`` and, for readers with a
    detail, ``nom__detail``; intermediate columns are dropped. One lazy query, no Python
    per-row work. An existing column named ``nom`` is replaced."""
    requete = frame.lazy()
    temporaires: list[str] = []
    profondeur = max((len(lec.etapes) for lec in lectures.values()), default=0)
    for rang in range(profondeur):
        niveau = [
            e for lec in lectures.values() if rang < len(lec.etapes) for e in lec.etapes[rang]
        ]
        requete = requete.with_columns(niveau)
        temporaires += [e.meta.output_name() for e in niveau]
    sorties = [
        e
        for nom, lec in lectures.items()
        for e in (
            lec.valeur.alias(nom),
            lec.code.alias(nom + SUFFIXE_CODE),
            *([lec.detail.alias(nom + SUFFIXE_DETAIL)] if lec.detail is not None else []),
        )
    ]
    return requete.with_columns(sorties).drop(temporaires).collect()


def lire(lecteur: Callable[..., Lecture], valeur: str | None, **options: Any) -> Resultat:
    """Read one value with a vectorised reader, e.g. ``lire(nombre, "1 234", entier=True)``.

    The same expressions as on a whole column, so scalar and vectorised cannot disagree.
    """
    ligne = pl.DataFrame({"v": [valeur]}, schema={"v": pl.String})
    lecture = lecteur("v", **options)
    sortie = normaliser(ligne, {"x": lecture}).row(0, named=True)
    return Resultat(sortie["x"], sortie["x" + SUFFIXE_CODE], sortie.get("x" + SUFFIXE_DETAIL))


def statut(nom: str) -> pl.Expr:
    """``ok``, ``non_renseigne``, ``avertissement`` or ``rejet`` for a column produced by
    ``normaliser``: a code with a value is a warning, a code without one a rejection."""
    code = pl.col(nom + SUFFIXE_CODE)
    return (
        pl.when(code.is_null())
        .then(pl.lit("ok"))
        .when(code == NON_RENSEIGNE)
        .then(pl.lit(NON_RENSEIGNE))
        .when(pl.col(nom).is_null())
        .then(pl.lit("rejet"))
        .otherwise(pl.lit("avertissement"))
    )


LABELS: dict[str, str] = {
    NON_RENSEIGNE: "valeur manquante",
    "nombre_illisible": "nombre illisible",
    "unite_inattendue": "unité inattendue",
    "pourcentage_pour_nombre": "pourcentage au lieu d'un nombre",
    "nombre_negatif": "nombre négatif",
    "decimal_pour_entier": "décimale au lieu d'un entier",
    "nombre_ambigu": "nombre ambigu",
    "approximation": "valeur approximative",
    "pourcentage_illisible": "pourcentage illisible",
    "pourcentage_ambigu": "pourcentage ambigu",
    "pourcentage_hors_bornes": "pourcentage hors bornes",
    "base_inconnue": "pourcentage sans effectif",
    "effectif_calcule": "effectif calculé",
    "date_illisible": "date illisible",
    "date_inexistante": "date inexistante",
    "heure_inexistante": "heure inexistante",
    "heure_ambigue": "heure ambiguë",
    "booleen_illisible": "Oui/Non illisible",
    "departement_invalide": "département invalide",
    "departement_corse_20": "département « 20 »",
    "commune_invalide": "code commune invalide",
    "code_postal_invalide": "code postal invalide",
    "zero_initial_ajoute": "zéro initial ajouté",
    "siret_format_invalide": "SIRET mal formé",
    "siret_cle_invalide": "SIRET invalide",
    "siren_format_invalide": "SIREN mal formé",
    "siren_cle_invalide": "SIREN invalide",
    "email_invalide": "e-mail invalide",
    "telephone_invalide": "téléphone invalide",
    "telephone_etranger": "téléphone étranger",
}
"""Short French name of each reading rule, shown instead of its code."""


def message(code: str, valeur: str | None, *, ligne: int | None = None, colonne: str = "") -> str:
    """The sentence a user reads, e.g. « Ligne 12, colonne « Heures » : valeur « 12 OOO »
    illisible comme nombre (règle « nombre illisible ») »."""
    lieu = [f"Ligne {ligne}"] if ligne is not None else []
    lieu += [f"colonne « {colonne} »"] if colonne else []
    texte = MESSAGES[code].format(valeur="" if valeur is None else valeur)
    prefixe = f"{', '.join(lieu)} : " if lieu else ""
    return f"{prefixe}{texte} (règle « {LABELS.get(code, code)} »)"


# --- Building blocks for readers ---------------------------------------------------------


def texte(entree: Entree) -> pl.Expr:
    """Spaces of every kind (NBSP, narrow NBSP, tabs, line breaks) collapsed, then trimmed."""
    expr = pl.col(entree) if isinstance(entree, str) else entree
    return (
        expr.cast(pl.String)
        .str.replace_all(r"[\s\u00a0\u202f\u2007\u2009]+", " ")
        .str.strip_chars(" ")
    )


def est_nul(texte_propre: pl.Expr) -> pl.Expr:
    """Empty, blank or a null marker (``NULS``) — the « non renseigné » case."""
    return (
        texte_propre.is_null()
        | (texte_propre == "")
        | texte_propre.str.to_lowercase().is_in(sorted(NULS))
    )


def premier_code(premier: tuple[pl.Expr, str], *suivants: tuple[pl.Expr, str]) -> pl.Expr:
    """The code of the first true condition, else null (one code per row, by priority)."""
    expr: Any = pl.when(premier[0]).then(pl.lit(premier[1]))
    for condition, code in suivants:
        expr = expr.when(condition).then(pl.lit(code))
    resultat: pl.Expr = expr.otherwise(pl.lit(None, pl.String))
    return resultat
