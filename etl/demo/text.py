"""Text answers of fictitious candidatures, built column-wise with polars (no per-row Python).

A template is drawn per candidature (numpy indices into the pools of
``etl.demo.vocabulary``), then its placeholders are replaced by that candidature's
values in one vectorised pass per placeholder.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from etl.demo import vocabulary as voc
from etl.demo.territory import slug

PLACEHOLDERS = (
    "structure",
    "de_ville",
    "ville",
    "quartier",
    "equipement",
    "annee",
    "heures",
    "participants",
    "marches",
    "slug",
)
"""Placeholders a template may use, each a column of the context frame."""

SEPARATEURS_DESCRIPTION = (" ", "\n", "\n\n")
PROBAS_SEPARATEURS = (0.65, 0.2, 0.15)
"""How sentences of a description are joined: one paragraph, line breaks, blank lines."""


def tirer(pool: Sequence[str], indices: np.ndarray) -> pl.Series:
    """``pool[i]`` for each index, as a string Series."""
    return pl.Series(list(pool), dtype=pl.String).gather(pl.Series(indices, dtype=pl.Int64))


def au_hasard(pool: Sequence[str], n: int, rng: np.random.Generator) -> pl.Series:
    """``n`` uniform draws from ``pool``."""
    return tirer(pool, rng.integers(0, len(pool), n))


def remplir(gabarits: pl.Series, contexte: pl.DataFrame) -> pl.Series:
    """Templates with every ``{placeholder}`` replaced by the row's context value."""
    expr = pl.lit(gabarits)
    for nom in PLACEHOLDERS:
        if nom in contexte.columns:
            expr = expr.str.replace_all("{" + nom + "}", pl.col(nom), literal=True)
    return contexte.select(expr.alias(gabarits.name)).to_series()


def milliers(valeurs: pl.Expr) -> pl.Expr:
    """A whole number as French text with spaces between thousands: 57205 → « 57 205 »."""
    return (
        valeurs.cast(pl.Int64)
        .cast(pl.String)
        .str.reverse()
        .str.replace_all(r"(\d{3})", "$1 ")
        .str.strip_chars_end(" ")
        .str.reverse()
    )


def noms_structures(
    types: np.ndarray, contexte: pl.DataFrame, rng: np.random.Generator
) -> pl.Series:
    """A place-based structure name per candidature, by ``structure_type`` code."""
    n = types.shape[0]
    gabarits = np.empty(n, dtype=object)
    for type_code, pool in voc.STRUCTURES.items():
        qui = np.flatnonzero(types == type_code)
        gabarits[qui] = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), qui.size)]
    return remplir(pl.Series("structure_nom", gabarits.tolist(), dtype=pl.String), contexte)


def contacts(
    n: int, rng: np.random.Generator, slug_structure: pl.Series, region_codes: pl.Series
) -> dict[str, pl.Series]:
    """Referent name, role, e-mail and phone, and the respondent's e-mail (Google Forms).

    E-mail domains are only ``exemple.fr`` and ``example.org``; phones are in the ranges
    ARCEP reserves for fiction. The respondent is the referent (60 %) or a shared mailbox
    of the structure.
    """
    prenoms = (*voc.PRENOMS_FEMMES, *voc.PRENOMS_HOMMES)
    nb_f, nb_h = len(voc.PRENOMS_FEMMES), len(voc.PRENOMS_HOMMES)
    prenoms_idx = np.where(
        rng.random(n) < 0.7, rng.integers(0, nb_f, n), nb_f + rng.integers(0, nb_h, n)
    )
    noms_idx = rng.integers(0, len(voc.NOMS), n)
    frame = pl.DataFrame(
        {
            "prenom": tirer(prenoms, prenoms_idx),
            "slug_prenom": tirer([slug(x) for x in prenoms], prenoms_idx),
            "nom": tirer(voc.NOMS, noms_idx),
            "slug_nom": tirer([slug(x) for x in voc.NOMS], noms_idx),
            "style": rng.integers(0, 10, n),
            "domaine": au_hasard(voc.DOMAINES_EMAIL, n, rng),
            "generique": rng.random(n) < 0.4,
            "slug_structure": slug_structure,
            "region": region_codes,
            "mobile": rng.random(n) < 0.3,
            "format_tel": rng.integers(0, 10, n),
            "fin_tel": rng.integers(0, 10_000, n),
        }
    )
    prenom, nom = pl.col("prenom"), pl.col("nom")
    slug_prenom = pl.col("slug_prenom")
    contact_email = pl.concat_str(
        pl.when(pl.col("style") < 7).then(slug_prenom).otherwise(slug_prenom.str.slice(0, 1)),
        pl.lit("."),
        pl.col("slug_nom"),
        pl.lit("@"),
        pl.col("domaine"),
    )
    return {
        "contact_nom": frame.select(
            pl.when(pl.col("style") < 7)
            .then(pl.concat_str(prenom, pl.lit(" "), nom))
            .when(pl.col("style") < 9)
            .then(pl.concat_str(nom.str.to_uppercase(), pl.lit(" "), prenom))
            .otherwise(pl.concat_str(prenom, pl.lit(" "), nom.str.to_uppercase()))
        ).to_series(),
        "contact_email": frame.select(contact_email).to_series(),
        "email_repondant": frame.select(
            pl.when(pl.col("generique"))
            .then(
                pl.concat_str(
                    pl.lit("clauses."), pl.col("slug_structure"), pl.lit("@"), pl.col("domaine")
                )
            )
            .otherwise(contact_email)
        ).to_series(),
        "contact_fonction": au_hasard(voc.FONCTIONS, n, rng),
        "contact_telephone": frame.select(_telephone()).to_series(),
    }


def _telephone() -> pl.Expr:
    """A fictitious number in one of the ways people type it (« 01 99 00 12 34 »…)."""
    indicatif = (
        pl.when(pl.col("mobile"))
        .then(pl.lit("06"))
        .otherwise(pl.col("region").replace_strict(voc.INDICATIF_PAR_REGION, default="09"))
    )
    debut = indicatif.replace_strict(voc.TELEPHONES_FICTIFS, return_dtype=pl.String)
    fin = pl.col("fin_tel").cast(pl.String).str.zfill(4)
    fin_groupee = pl.concat_str(fin.str.slice(0, 2), pl.lit(" "), fin.str.slice(2, 2))
    espace = pl.concat_str(debut, pl.lit(" "), fin_groupee)
    return (
        pl.when(pl.col("format_tel") < 6)
        .then(espace)
        .when(pl.col("format_tel") < 8)
        .then(espace.str.replace_all(" ", "", literal=True))
        .when(pl.col("format_tel") < 9)
        .then(espace.str.replace_all(" ", ".", literal=True))
        .otherwise(pl.concat_str(pl.lit("+33 "), espace.str.slice(1)))
    )


def titres(
    principale: np.ndarray, anru: np.ndarray, contexte: pl.DataFrame, rng: np.random.Generator
) -> pl.Series:
    """A project title per candidature, from its main category (urban renewal apart)."""
    cles = np.where(anru, "ANRU", principale)
    gabarits = np.empty(cles.shape[0], dtype=object)
    for cle in np.unique(cles):
        pool = voc.TITRES.get(str(cle), voc.TITRES[""])
        qui = np.flatnonzero(cles == cle)
        gabarits[qui] = np.asarray(pool, dtype=object)[rng.integers(0, len(pool), qui.size)]
    return remplir(pl.Series("projet_titre", gabarits.tolist(), dtype=pl.String), contexte)


def descriptions(
    principale: np.ndarray, contexte: pl.DataFrame, rng: np.random.Generator
) -> pl.Series:
    """2 to 6 sentences per candidature: an introduction, what the project did (its main
    category's sentences and general ones, never twice the same) and its results.

    Sentences are joined by a space, a line break or a blank line (Google Forms keeps
    them), so some answers span several lines of the CSV.
    """
    n = principale.shape[0]
    nb_phrases = rng.integers(2, 7, n)
    categorie = np.empty((n, 2), dtype=object)
    for code in np.unique(principale):
        pool = voc.PHRASES_CATEGORIE.get(str(code), voc.PHRASES_GENERIQUES)
        qui = np.flatnonzero(principale == code)
        debut = rng.integers(0, len(pool), qui.size)
        for rang in range(2):
            categorie[qui, rang] = np.asarray(pool, dtype=object)[(debut + rang) % len(pool)]
    debut_generique = rng.integers(0, len(voc.PHRASES_GENERIQUES), n)
    generiques = [
        tirer(
            voc.PHRASES_GENERIQUES,
            np.asarray((debut_generique + rang) % len(voc.PHRASES_GENERIQUES)),
        )
        for rang in range(2)
    ]
    milieu = [
        pl.Series(categorie[:, 0].tolist(), dtype=pl.String),
        generiques[0],
        pl.Series(categorie[:, 1].tolist(), dtype=pl.String),
        generiques[1],
    ]
    colonnes = {
        "p0": au_hasard(voc.INTRODUCTIONS, n, rng),
        **{f"p{rang + 1}": phrase for rang, phrase in enumerate(milieu)},
        "p5": au_hasard(voc.RESULTATS, n, rng),
        "k": pl.Series(nb_phrases),
        "sep": tirer(
            SEPARATEURS_DESCRIPTION,
            np.asarray(rng.choice(len(SEPARATEURS_DESCRIPTION), n, p=PROBAS_SEPARATEURS)),
        ),
    }
    phrases = pl.DataFrame(colonnes).select(
        pl.concat_str(
            pl.col("p0"),
            *[pl.when(pl.col("k") >= rang + 3).then(pl.col(f"p{rang + 1}")) for rang in range(4)],
            pl.col("p5"),
            separator="\x1f",
            ignore_nulls=True,
        )
        .str.replace_all("\x1f", pl.col("sep"), literal=True)
        .alias("projet_description")
    )
    return remplir(phrases.to_series(), contexte)
