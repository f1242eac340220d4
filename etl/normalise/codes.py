"""Yes/no answers, territorial codes, company identifiers and contacts, as text."""

from __future__ import annotations

import polars as pl

from etl.normalise.base import NON_RENSEIGNE, Entree, Etapes, Lecture, est_nul, premier_code
from etl.normalise.base import texte as texte_propre

VRAI = ("oui", "o", "vrai", "true", "yes", "y", "1", "x", "✓", "✔", "coché", "coche")
FAUX = ("non", "n", "faux", "false", "no", "0")
"""« x » / « ✓ » (a ticked cell) mean Oui; an empty cell is non renseigné, never Non."""

DEPARTEMENTS = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
)
"""The 101 département codes (INSEE COG); 975 (Saint-Pierre-et-Miquelon) is not one."""

_COMMUNE = r"^(?:(?:0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5])\d{3}|2[AB]\d{3}|97[1-46]\d{2})$"
_POSTAL = r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$"
_LA_POSTE = "356000000"  # SIREN whose establishments use « digit sum divisible by 5 »
_INDICATIFS_FRANCAIS = r"^(?:33|262|590|594|596)(\d{9})$"  # metropolitan France and DROM


def booleen(entree: Entree) -> Lecture:
    """Oui/Non and their spellings (``O``/``N``, vrai/faux, yes/no, 1/0, ``x`` for Oui)."""
    t = texte_propre(entree).str.to_lowercase()
    table = dict.fromkeys(VRAI, True) | dict.fromkeys(FAUX, False)
    valeur = t.str.strip_chars(".!").replace_strict(table, default=None, return_dtype=pl.Boolean)
    code = premier_code((est_nul(t), NON_RENSEIGNE), (valeur.is_null(), "booleen_illisible"))
    return Lecture(valeur, code)


def departement(entree: Entree) -> Lecture:
    """INSEE département code as text: ``1`` → ``01``, ``2a`` → ``2A``, ``971``.

    Also reads ``01 - Ain``, ``75 Paris`` and ``Ain (01)``; the name is not checked here
    (territory resolution does that). ``20`` is refused with a pointer to 2A/2B.
    """
    t = texte_propre(entree).str.to_uppercase()
    brut = pl.coalesce(
        t.str.extract(r"^(2[AB]|\d{1,3})(?:$|\s*[-–—:]?\s*[^\d\s])", 1),
        t.str.extract(r"\((2[AB]|\d{1,3})\)$", 1),
    )
    etapes = Etapes("departement")
    (code_dep,) = etapes.niveau(
        code=pl.when(brut.str.len_chars() == 1)
        .then(pl.concat_str(pl.lit("0"), brut))
        .otherwise(brut)
    )
    valide = code_dep.is_in(sorted(DEPARTEMENTS)).fill_null(False)
    code = premier_code(
        (est_nul(t), NON_RENSEIGNE),
        (code_dep == "20", "departement_corse_20"),
        (~valide, "departement_invalide"),
    )
    return etapes.lecture(pl.when(valide).then(code_dep), code)


def _code_a_cinq(
    etapes: Etapes, propre: pl.Expr, t: pl.Expr, motif: str, code_invalide: str
) -> Lecture:
    """A 5-character code whose leading zero a spreadsheet may have dropped (``1001``);
    ``propre`` is the cell before code-specific clean-up (for the null markers)."""
    quatre = t.str.contains(r"^\d{4}$")
    (complet,) = etapes.niveau(
        complet=pl.when(quatre).then(pl.concat_str(pl.lit("0"), t)).otherwise(t)
    )
    valide = complet.str.contains(motif).fill_null(False)
    code = premier_code(
        (est_nul(propre), NON_RENSEIGNE),
        (~valide, code_invalide),
        (quatre, "zero_initial_ajoute"),
    )
    return etapes.lecture(pl.when(valide).then(complet), code)


def commune_insee(entree: Entree) -> Lecture:
    """INSEE commune code (5 characters, ``2A004`` in Corsica); ``1001`` → ``01001``
    (flagged ``zero_initial_ajoute``). Format only: existence is checked by territory."""
    propre = texte_propre(entree)
    t = propre.str.to_uppercase().str.replace_all(" ", "", literal=True)
    return _code_a_cinq(Etapes("commune"), propre, t, _COMMUNE, "commune_invalide")


def code_postal(entree: Entree) -> Lecture:
    """Postcode (5 digits): ``75 001``, ``75001 CEDEX 12`` and a trailing town name are read;
    ``1000`` → ``01000`` (flagged ``zero_initial_ajoute``)."""
    propre = texte_propre(entree)
    t = (
        propre.str.to_uppercase()
        .str.replace(r"\s*CEDEX(?:\s*\d+)?$", "")
        .str.replace(r"^(\d{2}) (\d{3})\b", "$1$2")
        .str.replace(r"^(\d{4,5})\s+[A-Z].*$", "$1")
    )
    return _code_a_cinq(Etapes("postal"), propre, t, _POSTAL, "code_postal_invalide")


def _luhn(chiffres: pl.Expr, longueur: int) -> pl.Expr:
    """Luhn check on ``longueur`` digits: every second digit from the right is doubled."""
    total = pl.lit(0, pl.Int32)
    for position in range(longueur):
        chiffre = chiffres.str.slice(position, 1).cast(pl.Int32, strict=False)
        if (longueur - position) % 2 == 0:
            chiffre = chiffre * 2 - pl.when(chiffre > 4).then(9).otherwise(0)
        total = total + chiffre
    return total % 10 == 0


def _identifiant(entree: Entree, longueur: int, genre: str) -> Lecture:
    etapes = Etapes(genre)
    (t,) = etapes.niveau(t=texte_propre(entree))
    brut = t.str.replace_all(r"[\s.\-]", "")
    format_ok = brut.str.contains(rf"^\d{{{longueur}}}$").fill_null(False)
    (chiffres,) = etapes.niveau(chiffres=pl.when(format_ok).then(brut))
    cle_ok = _luhn(chiffres, longueur)
    if longueur == 14:
        somme = pl.sum_horizontal(
            chiffres.str.slice(i, 1).cast(pl.Int32, strict=False) for i in range(14)
        )
        cle_ok = cle_ok | (chiffres.str.starts_with(_LA_POSTE) & (somme % 5 == 0))
    (cle_ok,) = etapes.niveau(cle_ok=cle_ok.fill_null(False))
    code = premier_code(
        (est_nul(t), NON_RENSEIGNE),
        (chiffres.is_null(), f"{genre}_format_invalide"),
        (~cle_ok, f"{genre}_cle_invalide"),
    )
    return etapes.lecture(pl.when(cle_ok).then(chiffres), code)


def siret(entree: Entree) -> Lecture:
    """SIRET as 14 digits (spaces, dots, dashes removed), Luhn-checked; La Poste's
    establishments (SIREN 356000000) may instead have a digit sum divisible by 5."""
    return _identifiant(entree, 14, "siret")


def siren(entree: Entree) -> Lecture:
    """SIREN as 9 digits, Luhn-checked."""
    return _identifiant(entree, 9, "siren")


def email(entree: Entree) -> Lecture:
    """One e-mail address, lower-cased, ``mailto:`` dropped: a sanity check, not RFC 5322."""
    propre = texte_propre(entree)
    t = propre.str.to_lowercase().str.replace(r"^mailto:", "")
    forme = r"^[^@\s<>(),;:\[\]]+@[^@\s<>(),;:\[\]]+\.[^@\s<>(),;:.\[\]]{2,}$"
    valide = (t.str.contains(forme) & ~t.str.contains("..", literal=True)).fill_null(False)
    code = premier_code((est_nul(propre), NON_RENSEIGNE), (~valide, "email_invalide"))
    return Lecture(pl.when(valide).then(t), code)


def telephone(entree: Entree) -> Lecture:
    """A phone number, always text. French numbers as ``06 12 34 56 78`` (``+33``, ``0033``,
    ``(0)`` and DROM prefixes folded into the national form; 9 digits without the leading
    zero are completed and flagged); foreign ones as ``+`` and digits, flagged."""
    etapes = Etapes("telephone")
    t = texte_propre(entree)
    nettoye = t.str.replace_all("(0)", "", literal=True).str.replace(r"^00", "+")
    nul, international, lisible, chiffres = etapes.niveau(
        nul=est_nul(t),
        international=nettoye.str.starts_with("+"),
        lisible=nettoye.str.contains(r"^\+?[\d .\-/()]+$"),
        chiffres=nettoye.str.replace_all(r"\D", ""),
    )
    sans_zero = ~international & chiffres.str.contains(r"^[1-9]\d{8}$")
    (national,) = etapes.niveau(
        national=pl.when(international)
        .then(pl.concat_str(pl.lit("0"), chiffres.str.extract(_INDICATIFS_FRANCAIS, 1)))
        .when(chiffres.str.contains(r"^0[1-9]\d{8}$"))
        .then(chiffres)
        .when(sans_zero)
        .then(pl.concat_str(pl.lit("0"), chiffres))
    )
    etranger = international & national.is_null() & chiffres.str.contains(r"^\d{6,15}$") & lisible
    groupe = national.str.replace(r"^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$", "$1 $2 $3 $4 $5")
    valeur = (
        pl.when(lisible & national.is_not_null())
        .then(groupe)
        .when(etranger)
        .then(pl.concat_str(pl.lit("+"), chiffres))
    )
    code = premier_code(
        (nul, NON_RENSEIGNE),
        (valeur.is_null(), "telephone_invalide"),
        (etranger, "telephone_etranger"),
        (sans_zero, "zero_initial_ajoute"),
    )
    return etapes.lecture(valeur, code)
