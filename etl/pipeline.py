"""One export → its answers, ready for the warehouse, and every problem found.

Steps (each a named function): read → map headers → normalise (``rules``) → coherence →
deadline → territory → eligibility → duplicates and stable ids. Pure given its inputs
(edition, resolver, reference); the warehouse module does the I/O.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from etl import rules
from etl.editions import Edition
from etl.reading import RawExport
from etl.reference import Reference
from etl.rules import BRUT, LIGNE
from etl.rural import rural_verdicts
from etl.territory import TerritoryResolver

TERRITORY_INPUTS = {
    "commune": "commune",
    "code_postal": "code_postal",
    "departement": "departement",
    "epci": "epci",
}
"""Canonical form field → resolver input column."""

STATUT_COURANTE = "courante"
STATUT_REMPLACEE = "version_remplacee"
STATUT_DOUBLON = "doublon_identique"


@dataclass(frozen=True)
class ProcessedExport:
    """What one export yields: typed answers (kept lines only) and problems (all lines)."""

    reponses: pl.DataFrame
    """One row per kept line; ``statut_version`` says current, superseded or duplicate."""
    categories: pl.DataFrame
    """One row per kept line × applied category, with its eligibility and reasons."""
    problemes: pl.DataFrame
    """Every problem (``rules.PROBLEM_SCHEMA`` + ``message``)."""
    lignes_lues: int
    lignes_rejetees: int
    colonnes: dict[str, str]


def process_export(
    raw: RawExport,
    edition: Edition,
    resolver: Callable[[], TerritoryResolver],
    reference: Reference,
) -> ProcessedExport:
    """Run every step on one export read by ``etl.reading.read_export``.

    ``resolver`` is called only when territories are resolved: its index takes about a
    second to build, which a load with nothing new to read never pays.
    """
    mapping = rules.map_headers(raw.frame.columns, edition, raw.fichier)
    typed = rules.typed_answers(raw.frame, mapping, edition)
    problems = [rules.value_problems(typed, mapping, edition), unknown_columns(mapping)]
    typed, coherence_problems = rules.coherence(typed, mapping, edition)
    problems.append(coherence_problems)
    typed = with_deadline(typed, edition)
    problems.append(deadline_problems(typed, mapping))
    typed = with_territory(typed, mapping, resolver())
    problems.append(territory_problems(typed, mapping))
    all_problems = pl.concat(problems, how="vertical")
    rejected = all_problems.filter(pl.col("rejette_ligne")).select("ligne").unique()
    kept = typed.join(rejected, left_on=LIGNE, right_on="ligne", how="anti")
    kept = with_populations(kept, reference)
    kept = with_structure_eligibility(kept, edition)
    kept = with_versions(kept, edition, raw.fichier)
    categories = category_verdicts(kept, edition)
    return ProcessedExport(
        reponses=kept,
        categories=categories,
        problemes=rules.with_messages(masked(all_problems, edition), raw.fichier),
        lignes_lues=raw.lignes_lues,
        lignes_rejetees=rejected.height,
        colonnes=mapping.colonnes,
    )


MASQUE = "(donnée personnelle masquée)"


def masked(problems: pl.DataFrame, edition: Edition) -> pl.DataFrame:
    """Problems on personal fields (contact e-mail, phone…) never carry the raw value: the
    quality views are read by more people than the contacts table."""
    personnels = list(edition.champs_personnels)
    return problems.with_columns(
        pl.when(pl.col("champ").is_in(personnels))
        .then(pl.lit(MASQUE))
        .otherwise(pl.col("valeur"))
        .alias("valeur")
    )


def unknown_columns(mapping: rules.HeaderMapping) -> pl.DataFrame:
    """One warning per header the configuration does not know (line 1 = header)."""
    return pl.DataFrame(
        {
            "ligne": [1] * len(mapping.inconnues),
            "champ": [None] * len(mapping.inconnues),
            "colonne": list(mapping.inconnues),
            "valeur": list(mapping.inconnues),
            "regle": ["colonne_inconnue"] * len(mapping.inconnues),
            "severite": ["avertissement"] * len(mapping.inconnues),
            "rejette_ligne": [False] * len(mapping.inconnues),
        },
        schema=rules.PROBLEM_SCHEMA,
    )


def with_deadline(typed: pl.DataFrame, edition: Edition) -> pl.DataFrame:
    """``hors_delai``: submitted after the edition's deadline (kept, flagged)."""
    cloture = edition.calendrier.cloture
    return typed.with_columns(
        (pl.col("horodateur") > pl.lit(cloture).dt.convert_time_zone("Europe/Paris"))
        .fill_null(False)
        .alias("hors_delai")
    )


def deadline_problems(typed: pl.DataFrame, mapping: rules.HeaderMapping) -> pl.DataFrame:
    return typed.filter(pl.col("hors_delai")).select(
        pl.col(LIGNE).alias("ligne"),
        pl.lit("horodateur").alias("champ"),
        pl.lit(mapping.colonnes["horodateur"]).alias("colonne"),
        pl.col("horodateur" + BRUT).alias("valeur"),
        pl.lit("hors_delai").alias("regle"),
        pl.lit("avertissement").alias("severite"),
        pl.lit(False).alias("rejette_ligne"),
    )


def with_territory(
    typed: pl.DataFrame, mapping: rules.HeaderMapping, resolver: TerritoryResolver
) -> pl.DataFrame:
    """Resolve each line's territory from whatever the form gave (distinct inputs once)."""
    inputs = typed.select(
        LIGNE,
        *[
            pl.col(champ).cast(pl.String).alias(col)
            for champ, col in TERRITORY_INPUTS.items()
            if champ in mapping.colonnes
        ],
    )
    resolved = resolver.resolve_frame(inputs.drop(LIGNE))
    outputs = resolved.select(
        pl.col("territoire_statut"),
        pl.col("territoire_niveau"),
        pl.col("commune_code"),
        pl.col("epci_siren"),
        pl.col("departement_code"),
        pl.col("region_code"),
        pl.col("territoire_message"),
    )
    saisie = pl.concat_str(
        [pl.col(c + BRUT) for c in TERRITORY_INPUTS if c in mapping.colonnes],
        separator=" / ",
        ignore_nulls=True,
    ).alias("territoire_saisi")
    return pl.concat([typed, outputs], how="horizontal").with_columns(saisie)


def territory_problems(typed: pl.DataFrame, mapping: rules.HeaderMapping) -> pl.DataFrame:
    colonne = mapping.colonnes.get("commune") or next(iter(mapping.colonnes.values()))
    regle = (
        pl.when(pl.col("territoire_statut") == "inconnu")
        .then(pl.lit("territoire_inconnu"))
        .when(pl.col("territoire_statut") == "ambigu")
        .then(pl.lit("territoire_ambigu"))
        .when(pl.col("territoire_statut") == "avertissement")
        .then(pl.lit("territoire_avertissement"))
    )
    return typed.select(
        pl.col(LIGNE).alias("ligne"),
        pl.lit("commune").alias("champ"),
        pl.lit(colonne).alias("colonne"),
        pl.col("territoire_saisi").alias("valeur"),
        regle.alias("regle"),
        pl.lit("avertissement").alias("severite"),
        pl.lit(False).alias("rejette_ligne"),
    ).filter(pl.col("regle").is_not_null())


def with_populations(kept: pl.DataFrame, reference: Reference) -> pl.DataFrame:
    """Population and density of the resolved commune and département (reference vintage)."""
    communes = reference.communes.select(
        pl.col("code").alias("commune_code"),
        pl.col("population").alias("commune_population"),
        pl.col("densite").alias("commune_densite"),
    )
    departements = reference.departements.select(
        pl.col("code").alias("departement_code"),
        pl.col("population").alias("departement_population"),
    )
    return kept.join(communes, on="commune_code", how="left").join(
        departements, on="departement_code", how="left"
    )


def _answer_label(edition: Edition, champ: str) -> pl.Expr:
    """A choice answer as people read it (its vocabulary's label, never its code)."""
    try:
        nom = edition.field(champ).vocabulaire
        vocabulaire = edition.vocabulary(nom) if nom else None
    except KeyError:
        vocabulaire = None
    labels = {v.code: v.libelle for v in vocabulaire.valeurs} if vocabulaire else {}
    return (
        pl.col(champ)
        .replace_strict(labels, default=pl.col(champ), return_dtype=pl.String)
        .fill_null("non renseigné")
    )


def with_structure_eligibility(kept: pl.DataFrame, edition: Edition) -> pl.DataFrame:
    """``eligible`` and ``motifs`` from the structure and project rules of the edition
    (each reason in French, answers by their label)."""
    regles = edition.eligibilite
    motifs: list[pl.Expr] = []
    if "structure_type" in kept.columns:
        motifs.append(
            pl.when(
                ~pl.col("structure_type").is_in(list(regles.types_structure_admis)).fill_null(False)
            ).then(
                pl.format(
                    "type de structure non admis ({})", _answer_label(edition, "structure_type")
                )
            )
        )
    if regles.competence_guichet_requise and "competence_guichet" in kept.columns:
        motifs.append(
            pl.when(~pl.col("competence_guichet").fill_null(False)).then(
                pl.lit("compétence de guichet « clause sociale » non déclarée")
            )
        )
    reseau = [c for c in regles.reseau_un_parmi if c in kept.columns]
    if reseau:
        aucun = ~pl.any_horizontal([pl.col(c).fill_null(False) for c in reseau])
        motifs.append(
            pl.when(aucun).then(
                pl.lit(
                    "ni adhérente à Alliance Villes Emploi "
                    "ni reconnue par une coordination régionale"
                )
            )
        )
    if "projet_statut" in kept.columns:
        motifs.append(
            pl.when(
                ~pl.col("projet_statut")
                .is_in(list(regles.statuts_projet_acceptes))
                .fill_null(False)
            ).then(
                pl.format(
                    "projet ni finalisé ni en cours de finalisation ({})",
                    _answer_label(edition, "projet_statut"),
                )
            )
        )
    liste = (
        pl.concat_list(motifs).list.drop_nulls() if motifs else pl.lit([], dtype=pl.List(pl.String))
    )
    return kept.with_columns(liste.alias("motifs")).with_columns(
        (pl.col("motifs").list.len() == 0).alias("eligible")
    )


def with_versions(kept: pl.DataFrame, edition: Edition, fichier: str) -> pl.DataFrame:
    """Identical lines collapse; re-submissions: latest wins; stable candidature ids.

    Key of a candidature (docs/dictionnaire.md): edition + normalised respondent e-mail
    (form e-mail, else contact e-mail, else structure name) + normalised project title.
    Its id is a hash of the edition, that respondent and the *earliest* timestamp of the
    group, so a corrected re-export (same timestamps) or a later re-submission keeps it;
    when two groups of one respondent share that earliest second, their titles join the
    hash so that no two projects ever share an id.
    """
    brut_cols = sorted(c for c in kept.columns if c.endswith(BRUT))
    respondent = pl.coalesce(
        [
            pl.col(c).cast(pl.String).str.to_lowercase().str.strip_chars()
            for c in ("email_repondant", "contact_email", "structure_nom")
            if c in kept.columns
        ]
    )
    titre = (
        pl.col("projet_titre")
        .str.to_lowercase()
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
    )
    frame = kept.with_columns(
        pl.struct(brut_cols).hash(seed=0).alias("__empreinte"),
        respondent.alias("__repondant"),
        titre.alias("__titre"),
    )
    frame = frame.with_columns(
        (pl.col(LIGNE) != pl.col(LIGNE).min().over("__empreinte")).alias("__doublon")
    )
    groupe = ["__repondant", "__titre"]
    uniques = frame.filter(~pl.col("__doublon"))
    premier = uniques.group_by(groupe).agg(pl.col("horodateur").min().alias("__premier"))
    dernier = (
        uniques.sort(["horodateur", LIGNE])
        .group_by(groupe)
        .agg(pl.col(LIGNE).last().alias("__dernier"))
    )
    frame = frame.join(premier, on=groupe, how="left", nulls_equal=True).join(
        dernier, on=groupe, how="left", nulls_equal=True
    )
    # Two projects of one respondent first sent in the same second (a copied line whose
    # title was then changed) would share an id: those alone also hash their title.
    debut = pl.col("__premier").dt.strftime("%Y-%m-%dT%H:%M:%S").fill_null("")
    collision = pl.col("__titre").fill_null("").n_unique().over(["__repondant", "__premier"]) > 1
    ident = pl.concat_str(
        [
            pl.lit(str(edition.annee)),
            pl.col("__repondant").fill_null(""),
            pl.when(collision)
            .then(pl.concat_str([debut, pl.col("__titre").fill_null("")], separator="|"))
            .otherwise(debut),
        ],
        separator="|",
    )
    frame = frame.with_columns(
        ident.map_batches(_short_hashes, return_dtype=pl.String).alias("__h"),
        pl.when(pl.col("__doublon"))
        .then(pl.lit(STATUT_DOUBLON))
        .when(pl.col(LIGNE) != pl.col("__dernier"))
        .then(pl.lit(STATUT_REMPLACEE))
        .otherwise(pl.lit(STATUT_COURANTE))
        .alias("statut_version"),
        pl.lit(fichier).alias("fichier"),
        pl.lit(edition.annee).alias("edition"),
    )
    frame = frame.with_columns(
        pl.format("{}-{}", pl.col("edition"), pl.col("__h")).alias("candidature_id")
    )
    return frame.drop(
        "__empreinte", "__repondant", "__titre", "__doublon", "__premier", "__dernier", "__h"
    )


def _short_hashes(keys: pl.Series) -> pl.Series:
    """A short, stable (cross-run, cross-version) hash of each key: SHA-256, 10 hex digits."""
    return pl.Series(
        [hashlib.sha256(k.encode()).hexdigest()[:10] for k in keys.to_list()], dtype=pl.String
    )


def category_verdicts(kept: pl.DataFrame, edition: Edition) -> pl.DataFrame:
    """One row per line × applied category: eligible and reasons, with the rural test."""
    rural = edition.eligibilite.rural
    cats = (
        kept.select(
            "candidature_id",
            "fichier",
            LIGNE,
            "statut_version",
            "eligible",
            "motifs",
            "commune_population",
            "departement_population",
            pl.col("categories").alias("categorie_code"),
        )
        .explode("categorie_code")
        .filter(pl.col("categorie_code").is_not_null())
    )
    rural_codes = list(edition.rural_categories)
    if rural is not None:
        cats = rural_verdicts(cats, rural)
    else:
        cats = cats.with_columns(
            pl.lit(None, pl.Boolean).alias("rural_eligible"),
            pl.lit(None, pl.String).alias("rural_statut"),
            pl.lit(False).alias("rural_cas_limite"),
        )
    est_rural = pl.col("categorie_code").is_in(rural_codes)
    motif_rural = (
        pl.when(est_rural & ~pl.col("rural_eligible"))
        .then(
            pl.lit(
                "territoire hors du champ du prix rural "
                "(commune et département au-dessus des seuils)"
            )
        )
        .when(est_rural & pl.col("rural_eligible").is_null())
        .then(pl.lit("test rural indéterminé : territoire non résolu"))
    )
    rural_cols = [
        c
        for c in ("rural_commune", "rural_departement", "rural_eligible", "rural_statut")
        if c in cats.columns
    ]
    cats = cats.with_columns(
        *[pl.when(est_rural).then(pl.col(c)).alias(c) for c in rural_cols],
        pl.concat_list([pl.col("motifs"), pl.concat_list([motif_rural]).list.drop_nulls()]).alias(
            "motifs"
        ),
        pl.when(est_rural).then(pl.col("rural_cas_limite")).otherwise(False).alias("cas_limite"),
    ).with_columns(
        pl.when(est_rural & pl.col("rural_eligible").is_null() & pl.col("eligible"))
        .then(None)
        .otherwise(pl.col("motifs").list.len() == 0)
        .alias("eligible")
    )
    return cats.drop(
        "commune_population",
        "departement_population",
        "rural_commune_limite",
        "rural_departement_limite",
        strict=False,
    )
