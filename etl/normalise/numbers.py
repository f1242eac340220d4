"""French numbers and percentages, with the unit resolved explicitly."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import polars as pl

from etl.normalise.base import NON_RENSEIGNE, Entree, Etapes, Lecture, est_nul, premier_code
from etl.normalise.base import texte as texte_propre

UNITES_HEURES = ("h", "heure", "heures", "hrs", "hr", "heures d'insertion")
UNITES_EFFECTIFS = ("personnes", "personne", "pers.", "pers", "participants", "participant")
UNITES_EUROS = ("€", "euros", "euro", "€ ht", "euros ht")
_UNITES_CONNUES = (
    *UNITES_HEURES, *UNITES_EFFECTIFS, *UNITES_EUROS,
    "etp", "k€", "m€", "ans", "an", "mois", "jours", "j", "contrats", "marchés", "entreprises",
)  # fmt: skip
"""Units recognised to explain a rejection (``unite_inattendue``) rather than « illisible »."""

# « avant · signe · corps · après »: words around the number are classified by lookup.
_FORME = r"^(?<avant>.*?)\s*(?<signe>[+\-−]?)\s*(?<corps>\d[\d .,]*\d|\d|[.,]\d+)\s*(?<apres>.*?)$"
# The body: an anchored alternation, the first branch that matches wins.
_CORPS = (
    r"^(?:(?<entier>\d+|\d{1,3}(?: \d{3})+|\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:,\d{3}){2,})"
    r"|(?<ambigu>[1-9]\d{0,2}\.\d{3})"
    r"|(?<virgule>(?:\d*|\d{1,3}(?: \d{3})+|\d{1,3}(?:\.\d{3})+),\d+)"
    r"|(?<point>(?:\d*|\d{1,3}(?: \d{3})+|\d{1,3}(?:,\d{3})+)\.\d+))$"
)
_APPROX_AVANT = (
    "≈", "~", "±", "<", ">", "≤", "≥", "<=", ">=", "environ", "env", "env.", "approx",
    "approx.", "approximativement", "près de", "pres de", "autour de", "de l'ordre de",
    "de l’ordre de", "plus de", "moins de", "au moins", "au plus",
)  # fmt: skip
_APPROX_APRES = ("environ", "env", "env.", "approx", "approx.", "approximativement")
_POURCENT = ("%", "pour cent", "pourcent")
_RIEN = pl.lit(None, pl.String)
CHIFFRES_SEULS = r"^[0-9]{1,15}$"
"""Digits alone, as most answers are (« 1234 »): read as they are, no rule applies (a
number of 15 digits at most is exact in a float, so both readings give the same value)."""


class _Nombre(NamedTuple):
    """Column references for one parsed number (see ``_analyse``)."""

    nul: pl.Expr
    valeur: pl.Expr  # Float64, signed; null when unreadable
    unite: pl.Expr  # a known unit this question does not accept
    pourcent: pl.Expr
    approx: pl.Expr
    ambigu: pl.Expr


def _analyse(etapes: Etapes, entree: Entree, unites: Sequence[str], milliers: bool) -> _Nombre:
    """Parse the French number grammar; ``milliers``: read ``1.234`` as 1234 (else 1.234).

    ``,`` is always the decimal mark; ``.`` is a decimal point unless it groups thousands
    unambiguously (``1.234.567``, ``1.234,5``); ``1.234`` alone is flagged ``ambigu``.
    """
    (t,) = etapes.niveau(t=texte_propre(entree).str.to_lowercase())
    nul, forme = etapes.niveau(nul=est_nul(t), forme=t.str.extract_groups(_FORME))
    suffixes = (
        dict.fromkeys(_UNITES_CONNUES, "unite")
        | dict.fromkeys(_APPROX_APRES, "approx")
        | dict.fromkeys(_POURCENT, "pourcent")
        | dict.fromkeys([*unites, ""], "")
    )
    avant = forme.struct.field("avant")
    suffixe, avant_lu, moins, corps = etapes.niveau(
        suffixe=forme.struct.field("apres").replace_strict(
            suffixes, default="autre", return_dtype=pl.String
        ),
        avant_lu=(avant == "") | avant.is_in(_APPROX_AVANT),
        moins=forme.struct.field("signe").is_in(["-", "−"]),
        corps=forme.struct.field("corps").str.extract_groups(_CORPS),
    )
    entier, ambigu = corps.struct.field("entier"), corps.struct.field("ambigu")
    sans_groupe = pl.coalesce(
        pl.coalesce(entier, ambigu if milliers else _RIEN).str.replace_all(r"[ .,]", ""),
        corps.struct.field("virgule").str.replace_all(r"[ .]", "").str.replace(",", "."),
        pl.coalesce(corps.struct.field("point"), _RIEN if milliers else ambigu).str.replace_all(
            r"[ ,]", ""
        ),
    )
    absolu = pl.concat_str(pl.lit("0"), sans_groupe).cast(pl.Float64, strict=False)
    lisible = avant_lu & suffixe.is_in(["", "approx", "pourcent"])
    (valeur,) = etapes.niveau(
        valeur=pl.when(lisible).then(pl.when(moins).then(-absolu).otherwise(absolu))
    )
    return _Nombre(
        nul=nul,
        valeur=valeur,
        unite=avant_lu & (suffixe == "unite") & absolu.is_not_null(),
        pourcent=suffixe == "pourcent",
        approx=(avant != "") | (suffixe == "approx"),
        ambigu=ambigu.is_not_null(),
    )


def nombre(
    entree: Entree,
    *,
    entier: bool = False,
    decimal_tolere: bool = False,
    negatif_autorise: bool = False,
    unites: Sequence[str] = (),
    milliers: bool | None = None,
) -> Lecture:
    """A French number: ``1 234,5`` (space, NBSP or narrow NBSP), ``1.234,5``, ``≈ 3 000``.

    ``unites``: suffixes this question accepts (``UNITES_HEURES`` reads ``12 000 h``); a
    known unit not listed is ``unite_inattendue``. ``entier`` (hours, counts): Int64, a
    decimal is rejected (``decimal_pour_entier``), or rounded with that code as a warning
    when ``decimal_tolere``; otherwise Float64. Negatives are rejected unless
    ``negatif_autorise``. ``12 %`` is ``pourcentage_pour_nombre``: never read as a count.
    ``milliers``: read the ambiguous ``1.234`` as 1 234 (default: for integers only); a
    decimal quantity of hours reads it so too, always flagged ``nombre_ambigu``.
    """
    etapes = Etapes("nombre")
    n = _analyse(etapes, entree, unites, milliers=entier if milliers is None else milliers)
    illisible = n.valeur.is_null()
    decimal = (n.valeur != n.valeur.round(0)) & pl.lit(entier)
    negatif_refuse = (n.valeur < 0) & pl.lit(not negatif_autorise)
    decimal_refuse = decimal & pl.lit(not decimal_tolere)
    code = premier_code(
        (n.nul, NON_RENSEIGNE),
        (n.pourcent, "pourcentage_pour_nombre"),
        (illisible & n.unite, "unite_inattendue"),
        (illisible, "nombre_illisible"),
        (negatif_refuse, "nombre_negatif"),
        (decimal_refuse, "decimal_pour_entier"),
        (n.ambigu, "nombre_ambigu"),
        (decimal, "decimal_pour_entier"),
        (n.approx, "approximation"),
    )
    rejet = n.nul | n.pourcent | illisible | negatif_refuse | decimal_refuse
    valeur = n.valeur.round(0).cast(pl.Int64) if entier else n.valeur
    brut = pl.col(entree) if isinstance(entree, str) else entree
    raccourci = (
        brut.str.contains(CHIFFRES_SEULS).fill_null(False),
        brut.cast(pl.Int64 if entier else pl.Float64, strict=False),
    )
    return etapes.lecture(pl.when(~rejet).then(valeur), code, raccourci=raccourci)


def pourcentage(
    entree: Entree, *, question_en_pourcentage: bool = False, maximum: float | None = 1.0
) -> Lecture:
    """A share as a fraction (0.125 for 12,5 %); ``detail`` says how the unit was resolved.

    ``12,5 %`` (or an Excel percent cell, which the reader writes that way) →
    ``pourcentage_explicite``; a bare number below 1 → ``fraction``; a bare number ≥ 1 →
    ``pourcentage_question`` when the question asked for a percentage, else ``ambigu``
    (rejected: never guessed). Under a percent question a bare number strictly between 0
    and 1 is ambiguous too. ``maximum`` bounds the fraction (None: no bound). ``.`` is
    always a decimal point here: thousands make no sense in a percentage.
    """
    etapes = Etapes("pourcentage")
    n = _analyse(etapes, entree, (), milliers=False)
    brut = n.valeur
    if question_en_pourcentage:
        ambigu = ~n.pourcent & (brut > 0) & (brut < 1)
        en_cent = n.pourcent | (brut >= 1)
        mode_nu = (
            pl.when(brut >= 1).then(pl.lit("pourcentage_question")).otherwise(pl.lit("fraction"))
        )
    else:
        ambigu = ~n.pourcent & (brut >= 1)
        en_cent = n.pourcent
        mode_nu = pl.lit("fraction")
    fraction = pl.when(en_cent).then(brut / 100).otherwise(brut)
    hors_bornes = fraction < 0
    if maximum is not None:
        hors_bornes = hors_bornes | (fraction > maximum)
    illisible = brut.is_null() | n.unite
    code = premier_code(
        (n.nul, NON_RENSEIGNE),
        (illisible, "pourcentage_illisible"),
        (ambigu, "pourcentage_ambigu"),
        (hors_bornes, "pourcentage_hors_bornes"),
        (n.approx, "approximation"),
    )
    mode = (
        pl.when(n.nul | illisible)
        .then(pl.lit(None, pl.String))
        .when(ambigu)
        .then(pl.lit("ambigu"))
        .when(n.pourcent)
        .then(pl.lit("pourcentage_explicite"))
        .otherwise(mode_nu)
    )
    rejet = n.nul | illisible | ambigu | hors_bornes
    return etapes.lecture(pl.when(~rejet).then(fraction), code, mode)


def effectif_depuis_pourcentage(fraction: pl.Expr, base: pl.Expr) -> Lecture:
    """A count from a share and its base, ``round(fraction × base)``, flagged as computed
    (``effectif_calcule``). Without a base the count is rejected (``base_inconnue``);
    without a share it is non renseigné. Inputs are already-read columns."""
    code = premier_code(
        (fraction.is_null(), NON_RENSEIGNE),
        (base.is_null(), "base_inconnue"),
        (pl.lit(True), "effectif_calcule"),
    )
    return Lecture((fraction * base).round(0).cast(pl.Int64), code)
