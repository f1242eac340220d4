"""One export → its answers, ready for the warehouse, and every problem found.

Steps (each a named function): read → map headers → normalise (``rules``) → coherence →
deadline → territory → eligibility → identity keys. Pure given its inputs (edition,
resolver, reference); the warehouse build does the I/O and decides, over every file of
the edition, which line is the current version of which candidature (``etl.identity``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from etl import identity, rules
from etl.editions import Edition
from etl.french import format_date
from etl.problems import Severite, concat_problems, problem_rows, with_messages
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


@dataclass(frozen=True)
class ProcessedExport:
    """What one export yields: typed answers (kept lines only) and problems (all lines)."""

    reponses: pl.DataFrame
    """One row per kept line, with its identity keys (``etl.identity.KEYS``)."""
    categories: pl.DataFrame
    """One row per kept line × applied category, with its eligibility and reasons."""
    problemes: pl.DataFrame
    """Every problem found in the file (``etl.problems.PROBLEM_SCHEMA`` + ``message``);
    duplicates and superseded versions are decided at the build, across files."""
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
    check_edition_dates(typed, edition, raw.fichier)
    problems = [rules.value_problems(typed, mapping, edition), unknown_columns(mapping)]
    typed, coherence_problems = rules.coherence(typed, mapping, edition)
    problems.append(coherence_problems)
    typed = with_deadline(typed, edition)
    problems.append(deadline_problems(typed, mapping))
    typed = with_territory(typed, mapping, resolver())
    problems.append(territory_problems(typed, mapping))
    all_problems = concat_problems(problems)
    rejected = all_problems.filter(pl.col("rejette_ligne")).select("ligne").unique()
    kept = (
        typed.filter(~pl.col(LIGNE).is_in(rejected["ligne"].implode()))
        if rejected.height
        else typed  # (a copy of every column only when lines are set aside)
    )
    del typed
    kept = with_populations(kept, reference)
    kept = with_structure_eligibility(kept, edition)
    kept = identity.row_keys(kept, edition).with_columns(
        pl.lit(raw.fichier).alias("fichier"), pl.lit(edition.annee).alias("edition")
    )
    categories = category_verdicts(kept, edition)
    # the raw text and reading codes of each field have served: not carried further
    internals = [c for c in kept.columns if "__" in c and c != LIGNE]
    return ProcessedExport(
        reponses=kept.drop(internals),
        categories=categories,
        problemes=with_messages(masked(all_problems, edition), raw.fichier),
        lignes_lues=raw.lignes_lues,
        lignes_rejetees=rejected.height,
        colonnes=mapping.colonnes,
    )


def check_edition_dates(typed: pl.DataFrame, edition: Edition, fichier: str) -> None:
    """Refuse an export of another edition: most of its answers outside the edition's
    answers window (``Calendar.answers_window``), e.g. last year's file loaded as this
    year's. A few answers outside (a test answer) are kept, flagged by the other rules."""
    dates = typed["horodateur"].drop_nulls()
    if dates.is_empty():
        return
    debut, fin = edition.calendrier.answers_window
    paris = dates.dt.convert_time_zone("Europe/Paris")
    dehors = ((paris < debut) | (paris > fin)).sum()
    if dehors * 2 <= dates.len():
        return
    premiere, derniere = paris.min(), paris.max()
    assert isinstance(premiere, datetime) and isinstance(derniere, datetime)
    raise rules.ChargementImpossible(
        f"Fichier « {fichier} » : ses réponses ont été déposées du {format_date(premiere)} au "
        f"{format_date(derniere)}, alors que l'édition {edition.annee} clôt le "
        f"{format_date(edition.calendrier.cloture)} : ce n'est pas un export de cette "
        "édition. Choisissez l'édition de ces réponses (--edition AAAA, ou la liste « Édition » "
        "de l'application)."
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
    headers = pl.DataFrame({"colonne": list(mapping.inconnues)}, schema={"colonne": pl.String})
    return problem_rows(
        headers,
        ligne=pl.lit(1),
        colonne=pl.col("colonne"),
        valeur=pl.col("colonne"),
        regle="colonne_inconnue",
        severite=Severite.AVERTISSEMENT,
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
    return problem_rows(
        typed,
        where=pl.col("hors_delai"),
        champ="horodateur",
        colonne=mapping.colonnes["horodateur"],
        valeur=pl.col("horodateur" + BRUT),
        regle="hors_delai",
        severite=Severite.AVERTISSEMENT,
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
    """One warning per line whose territory is not resolved exactly; the detail is the
    resolver's explanation (what was trusted, the candidate communes of an ambiguity)."""
    colonne = mapping.colonnes.get("commune") or next(iter(mapping.colonnes.values()))
    regle = (
        pl.when(pl.col("territoire_statut") == "inconnu")
        .then(pl.lit("territoire_inconnu"))
        .when(pl.col("territoire_statut") == "ambigu")
        .then(pl.lit("territoire_ambigu"))
        .when(pl.col("territoire_statut") == "avertissement")
        .then(pl.lit("territoire_avertissement"))
    )
    return problem_rows(
        typed,
        champ="commune",
        colonne=colonne,
        valeur=pl.col("territoire_saisi"),
        regle=regle,
        severite=Severite.AVERTISSEMENT,
        detail=pl.col("territoire_message"),
    )


def with_populations(kept: pl.DataFrame, reference: Reference) -> pl.DataFrame:
    """Population and density of the resolved commune and département (reference vintage);
    looked up by code, the frame's other columns are not copied."""
    communes = reference.communes
    departements = reference.departements
    commune = pl.col("commune_code")
    return kept.with_columns(
        commune.replace_strict(
            communes["code"], communes["population"], default=None, return_dtype=pl.Int64
        ).alias("commune_population"),
        commune.replace_strict(
            communes["code"], communes["densite"], default=None, return_dtype=pl.Float64
        ).alias("commune_densite"),
        pl.col("departement_code")
        .replace_strict(
            departements["code"], departements["population"], default=None, return_dtype=pl.Int64
        )
        .alias("departement_population"),
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


def category_verdicts(kept: pl.DataFrame, edition: Edition) -> pl.DataFrame:
    """One row per line × applied category: eligible and reasons, with the rural test."""
    rural = edition.eligibilite.rural
    cats = (
        kept.select(
            "fichier",
            LIGNE,
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
