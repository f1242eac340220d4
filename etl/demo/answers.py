"""The answers of fictitious candidatures, field group by field group (territory,
structure and referent, project, eligibility), and generic answers for any field a future
edition adds. Pure: every function takes the random generator and returns columns.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from etl.demo import text as txt
from etl.demo import vocabulary as voc
from etl.editions import Edition, FormField

_LIBELLES_AUTRE = ("GIP", "Groupement d'intérêt public", "Autre")
"""Answers of the « Autre » structure type, as typed in the form's « Autre : » box."""

_PREFIXES_SLUG = {
    "plie": "plie",
    "mde": "mde",
    "collectivite": "territoire",
    "association": "asso",
    "autre": "gip",
}
"""First word of a structure's shared mailbox (``clauses.plie-brest@exemple.fr``)."""


def entiers(valeurs: np.ndarray) -> pl.Series:
    """Whole numbers with ``NaN`` as null (Int64)."""
    return pl.Series(valeurs, nan_to_null=True).cast(pl.Int64)


def territoire(lieux: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Commune, postcode, département and EPCI answers as people type them."""
    m = lieux.height
    style_dep = rng.random(m)
    style_epci = rng.random(m)
    return lieux.select(
        pl.col("nom").alias("commune"),
        pl.when(pl.lit(rng.random(m) < 0.85)).then(pl.col("code_postal")).alias("code_postal"),
        pl.when(pl.lit(style_dep < 0.9))
        .then(pl.col("departement_code"))
        .when(pl.lit(style_dep < 0.95))
        .then(pl.format("{} ({})", "departement_nom", "departement_code"))
        .otherwise(pl.format("{} - {}", "departement_code", "departement_nom"))
        .alias("departement"),
        pl.when(pl.lit(style_epci < 0.45))
        .then(pl.col("epci_nom"))
        .when(pl.lit(style_epci < 0.6))
        .then(
            pl.col("epci_nom")
            .str.replace(r"^CA ", "Communauté d'agglomération ")
            .str.replace(r"^CC ", "Communauté de communes ")
        )
        .alias("epci"),
    )


def structure(
    edition: Edition, types: np.ndarray, lieux: pl.DataFrame, rng: np.random.Generator
) -> pl.DataFrame:
    """Structure name, type answer, SIRET and the referent's contact details."""
    m = types.shape[0]
    contexte = lieux.select(pl.col("nom").alias("ville"), pl.col("de_nom").alias("de_ville"))
    noms = txt.noms_structures(types, contexte, rng)
    vocabulaire = edition.vocabulary(vocabulaire_de(edition.field("structure_type")))
    libelles = {v.code: v.libelle for v in vocabulaire.valeurs}
    autres = [a for a in _LIBELLES_AUTRE if vocabulaire.code_for(a) == "autre"] or [
        libelles["autre"]
    ]
    reponses = np.array([libelles.get(t, t) for t in types], dtype=object)
    est_autre = types == "autre"
    reponses[est_autre] = np.asarray(autres, dtype=object)[
        rng.integers(0, len(autres), est_autre.sum())
    ]
    prefixes = np.array([_PREFIXES_SLUG.get(t, "structure") for t in types], dtype=object)
    slugs = pl.Series(prefixes.tolist(), dtype=pl.String) + "-" + lieux["slug"]
    personnes = txt.contacts(m, rng, slugs, lieux["region_code"])
    return pl.DataFrame(
        {
            "structure_nom": noms,
            "structure_type": pl.Series(reponses.tolist(), dtype=pl.String),
            "structure_siret": sirets(m, rng),
            "_slug": slugs,
            **personnes,
        }
    ).with_columns(
        contact_fonction=pl.when(pl.lit(rng.random(m) < 0.9)).then(pl.col("contact_fonction")),
        contact_telephone=pl.when(pl.lit(rng.random(m) < 0.85)).then(pl.col("contact_telephone")),
        email_repondant=emails_uniques(personnes["email_repondant"]),
    )


def emails_uniques(emails: pl.Series) -> pl.Series:
    """Respondent e-mails made unique among first submissions (``clauses2.x@…`` for the
    second structure sharing a mailbox), so only planned re-submissions share one."""
    frame = pl.DataFrame({"e": emails}).with_columns(rang=pl.int_range(pl.len()).over("e"))
    return frame.select(
        pl.when(pl.col("rang") == 0)
        .then(pl.col("e"))
        .otherwise(pl.col("e").str.replace("@", pl.format("{}@", pl.col("rang") + 1), literal=True))
    ).to_series()


def sirets(m: int, rng: np.random.Generator) -> pl.Series:
    """Fictitious SIRETs (SIREN starting with 000, never allocated), Luhn-valid, as typed:
    14 digits or grouped « 000 123 452 00017 »; a quarter left empty."""
    siren = np.zeros((m, 9), dtype=np.int64)
    siren[:, 3:8] = rng.integers(0, 10, (m, 5))
    siren[:, 8] = cle_luhn(siren[:, :8])
    siret = np.zeros((m, 14), dtype=np.int64)
    siret[:, :9] = siren
    siret[:, 9:13] = np.column_stack(
        [np.zeros((m, 2), dtype=np.int64), rng.integers(0, 10, (m, 2))]
    )
    siret[:, 13] = cle_luhn(siret[:, :13])
    chiffres = ["".join(map(str, ligne)) for ligne in siret.tolist()]
    style = rng.random(m)
    textes = [
        None if s > 0.75 else (c if s < 0.4 else f"{c[:3]} {c[3:6]} {c[6:9]} {c[9:]}")
        for c, s in zip(chiffres, style.tolist(), strict=True)
    ]
    return pl.Series("structure_siret", textes, dtype=pl.String)


def cle_luhn(chiffres: np.ndarray) -> np.ndarray:
    """The check digit making ``chiffres`` + digit pass the Luhn test (per row)."""
    longueur = chiffres.shape[1] + 1
    positions = longueur - np.arange(chiffres.shape[1])  # from the right, check digit = 1
    doubles = np.where(positions % 2 == 0, chiffres * 2, chiffres)
    doubles = np.where(doubles > 9, doubles - 9, doubles)
    return np.asarray((10 - doubles.sum(axis=1) % 10) % 10, dtype=np.int64)


def vocabulaire_de(champ: FormField) -> str:
    return champ.vocabulaire or "oui_non"


def reponse_categorie(edition: Edition, code: str) -> str:
    """How the form lists a category: « N. libellé », or its numbered wording in
    ``reponses`` when the call announced a longer one (2024)."""
    categorie = edition.category(code)
    numerotees = [r for r in categorie.reponses if r.startswith(f"{categorie.numero}. ")]
    return numerotees[0] if numerotees else f"{categorie.numero}. {categorie.libelle}"


def projet(
    edition: Edition,
    frame: pl.DataFrame,
    lieux: pl.DataFrame,
    selection: np.ndarray,
    principale: np.ndarray,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """Categories, title, description, reference year, links and publication consent."""
    m = frame.height
    ordre = sorted(range(len(edition.categories)), key=lambda k: edition.categories[k].numero)
    reponses = [
        pl.when(pl.lit(selection[:, k])).then(
            pl.lit(reponse_categorie(edition, edition.categories[k].code))
        )
        for k in ordre
    ]
    contexte = pl.DataFrame(
        {
            "ville": lieux["nom"],
            "de_ville": lieux["de_nom"],
            "structure": frame["structure_nom"],
            "quartier": txt.au_hasard(voc.QUARTIERS, m, rng),
            "equipement": txt.au_hasard(voc.EQUIPEMENTS, m, rng),
            "annee": pl.repeat(str(edition.annee - 1), m, eager=True),
            "slug": frame["_slug"],
        }
    ).hstack(
        frame.select(
            txt.milliers(pl.col("heures_insertion")).alias("heures"),
            txt.milliers(pl.col("nb_participants")).alias("participants"),
            txt.milliers(pl.col("nb_marches_clauses")).alias("marches"),
        )
    )
    typographiques = rng.random(m) < 0.3
    description = txt.descriptions(principale, contexte, rng)
    annee = np.where(rng.random(m) < 0.72, edition.annee - 1, edition.annee).astype(np.float64)
    accord = rng.random(m)
    oui, non = oui_non(edition)
    return pl.DataFrame(
        {
            "categories": pl.select(
                pl.concat_str(
                    reponses, separator=edition.separateur_choix_multiples, ignore_nulls=True
                )
            ).to_series(),
            "projet_titre": txt.titres(principale, frame["_anru"].to_numpy(), contexte, rng),
            "projet_description": pl.select(
                pl.when(pl.lit(typographiques))
                .then(pl.lit(description).str.replace_all("'", "’", literal=True))
                .otherwise(pl.lit(description))
            ).to_series(),
            "annee_reference": entiers(np.where(rng.random(m) < 0.05, np.nan, annee)),
            "lien_documents": txt.remplir(txt.au_hasard(voc.LIENS, m, rng), contexte)
            .to_frame()
            .select(pl.when(pl.lit(rng.random(m) < 0.35)).then(pl.first()))
            .to_series(),
            "accord_diffusion": pl.Series(
                [oui if a < 0.9 else non if a < 0.94 else None for a in accord.tolist()],
                dtype=pl.String,
            ),
        }
    )


def oui_non(edition: Edition) -> tuple[str, str]:
    """The form's « Oui » and « Non » answers (labels of the ``oui_non`` vocabulary)."""
    vocabulaire = edition.vocabulary("oui_non")
    libelles = {v.code: v.libelle for v in vocabulaire.valeurs}
    return libelles["oui"], libelles["non"]


def generiques(edition: Edition, frame: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """``frame`` plus a plausible answer for every field of the edition it lacks (a field a
    future edition adds), by field type; optional fields are left empty half of the time."""
    m = frame.height
    ajouts: dict[str, pl.Series] = {}
    for champ in edition.champs:
        if champ.nom in frame.columns:
            continue
        serie = _reponse_generique(edition, champ, frame, rng)
        if not champ.obligatoire:
            serie = pl.select(pl.when(pl.lit(rng.random(m) < 0.5)).then(pl.lit(serie))).to_series()
        ajouts[champ.nom] = serie.alias(champ.nom)
    return frame.with_columns(**ajouts) if ajouts else frame


def _reponse_generique(
    edition: Edition, champ: FormField, frame: pl.DataFrame, rng: np.random.Generator
) -> pl.Series:
    """One answer per row for a field of unknown meaning, typed by ``champ.type``."""
    m = frame.height
    type_ = champ.type
    if type_ == "entier":
        return pl.Series(rng.integers(0, 50, m), dtype=pl.Int64)
    if type_ == "decimal":
        return pl.Series(np.round(rng.uniform(0, 100, m), 1), dtype=pl.Float64)
    if type_ == "pourcentage":
        return pl.Series(np.round(rng.uniform(0, 1, m), 2), dtype=pl.Float64)
    if type_ == "horodatage":
        return frame["horodateur"]
    if type_ in ("booleen", "choix", "choix_multiples"):
        valeurs = edition.vocabulary(vocabulaire_de(champ)).valeurs
        libelles = [
            edition.category(v.code).libelle if champ.vocabulaire == "categories" else v.libelle
            for v in valeurs
        ]
        return txt.au_hasard(libelles, m, rng)
    par_type = {
        "email": "contact_email",
        "telephone": "contact_telephone",
        "siret": "structure_siret",
        "code_postal": "code_postal",
        "commune": "commune",
        "departement": "departement",
    }
    if type_ in par_type and par_type[type_] in frame.columns:
        return frame[par_type[type_]]
    return txt.au_hasard(("Voir la description du projet.", "Sans objet", "Oui, en 2022"), m, rng)
