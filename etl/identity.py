"""One candidature across files: its stable id, and which of its lines is current.

The rule (also in ``docs/architecture.md``, « Identité d'une candidature »):

- A **project** is what one respondent sends under one title for one edition. The
  respondent is the e-mail collected by the form, else the contact's e-mail, else the
  structure's name (lower-cased, trimmed); the title is compared without case, accents
  aside, punctuation or extra spaces. Key: ``cle_projet``, a hash computed by the pipeline
  while the personal fields are still there (the address itself never reaches the
  ``reponses`` table).
- Its **id** is ``édition-`` + the first 10 hex digits of SHA-256(« édition | répondant |
  premier horodatage »), the first timestamp being the earliest of the project across
  *every* file loaded for the edition. Each line carries the id it would give as its
  project's first line (``id_si_premiere``), so the build picks one without reading any
  address. Two projects of one respondent started in the same second would share it:
  those take instead SHA-256(« that id | normalised title »).
- A **submission** is one timestamp of a project. Found several times with the same
  answers (a line pasted twice, the CSV and the XLSX of one form, a re-export under
  another name), it counts once: the copy from the file loaded first (then the earlier
  line) stays, the others are ``doublon_identique``. Answers compared: every form field
  stored in ``reponses`` (contact details, kept apart, are not compared).
- **Versions** — the remaining lines of a project — are ordered by timestamp, then by the
  order their files were loaded, then by line: the last is ``courante``; the others are
  ``version_remplacee`` and stay in ``reponses`` for audit.

Everything is decided again at each build over the whole edition, so loading files in
one run or in several gives the same warehouse; lines written before these keys existed
keep the id and status they were given.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

import duckdb
import polars as pl

from etl.editions import Edition
from etl.problems import Severite, problem_rows, with_messages


class Statut(StrEnum):
    """``statut_version`` of a line in ``reponses``."""

    COURANTE = "courante"
    REMPLACEE = "version_remplacee"
    DOUBLON = "doublon_identique"


KEYS: dict[str, pl.DataType] = {
    "cle_projet": pl.String(),
    "id_si_premiere": pl.String(),
}
"""Per-line identity keys stored in ``reponses`` (never in the views)."""

RESPONDENT_FIELDS = ("email_repondant", "contact_email", "structure_nom")
"""Who sent a line, in order of preference."""


def _short_sha256(keys: pl.Series, length: int) -> pl.Series:
    """SHA-256 (hex, first ``length`` digits) of each key's UTF-8 bytes: stable across runs
    and versions. Computed by DuckDB's ``sha256`` in one vectorised pass (the same digest
    as ``hashlib``, checked by the tests; a Python loop took 0,15 s per 100 000 keys)."""
    con = duckdb.connect(":memory:")
    try:
        con.register("__keys", keys.alias("k").to_frame())
        hashed: pl.DataFrame = con.sql(
            f"select left(sha256(k), {int(length)}) as h from __keys"  # noqa: S608 - an int
        ).pl()
    finally:
        con.close()
    return hashed["h"].cast(pl.String)


def normalised_title(column: str = "projet_titre") -> pl.Expr:
    """The title as the identity compares it: lower case, words of letters and digits."""
    return (
        pl.col(column)
        .str.to_lowercase()
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars()
        .fill_null("")
    )


def row_keys(kept: pl.DataFrame, edition: Edition) -> pl.DataFrame:
    """``kept`` with the identity keys of each line (:data:`KEYS`)."""
    respondent = pl.coalesce(
        [
            pl.col(c).cast(pl.String).str.to_lowercase().str.strip_chars()
            for c in RESPONDENT_FIELDS
            if c in kept.columns
        ]
        or [pl.lit(None, pl.String)]
    ).fill_null("")
    debut = pl.col("horodateur").dt.strftime("%Y-%m-%dT%H:%M:%S").fill_null("")
    base = pl.concat_str([pl.lit(str(edition.annee)), respondent], separator="|")
    titles = kept.select("projet_titre").unique().with_columns(normalised_title().alias("titre"))
    texts = kept.select(
        pl.concat_str([base, _looked_up_title(kept, titles)], separator="|").alias("projet"),
        pl.concat_str([base, debut], separator="|").alias("premiere"),
    )
    return kept.with_columns(
        _short_sha256(texts["projet"], 16).alias("cle_projet"),
        _short_sha256(texts["premiere"], 10).alias("id_si_premiere"),
    )


def _looked_up_title(kept: pl.DataFrame, titles: pl.DataFrame) -> pl.Series:
    """Each line's normalised title, from ``titles`` (one row per distinct title: the
    regular expression runs on the few titles, not on every line)."""
    return (
        kept.select("projet_titre")
        .join(titles, on="projet_titre", how="left", nulls_equal=True, maintain_order="left")
        .get_column("titre")
    )


def reconcile(reponses: pl.DataFrame, order: pl.DataFrame, compared: Sequence[str]) -> pl.DataFrame:
    """Every line's ``candidature_id`` and ``statut_version``, decided over all files.

    ``order``: ``edition``, ``fichier``, ``rang`` (the order files were loaded in);
    ``compared``: the columns whose equality makes two copies of a submission identical.
    Rows without keys (written by an earlier version) are returned unchanged. Adds
    ``ref_fichier``, ``ref_ligne``, ``ref_horodateur``: the line a duplicate copies or the
    current version that replaces it (null for a current line).

    Most projects have one line: they are decided at once; only the lines of projects
    sent several times go through the ordering below.
    """
    legacy = reponses.filter(pl.col("cle_projet").is_null())
    keyed = reponses.filter(pl.col("cle_projet").is_not_null())
    projet = ["edition", "cle_projet"]
    several = pl.len().over(projet) > 1
    single = keyed.filter(~several).with_columns(
        pl.col("id_si_premiere").alias("__id"),
        pl.lit(Statut.COURANTE.value).alias("statut_version"),
        pl.lit(None, pl.String).alias("ref_fichier"),
        pl.lit(None, pl.Int64).alias("ref_ligne"),
        pl.lit(None, reponses.schema["horodateur"]).alias("ref_horodateur"),
    )
    multiple = _versions(keyed.filter(several), order, compared)
    decided = pl.concat([single, multiple], how="diagonal_relaxed")
    # two projects of one respondent started in the same second: the title separates them
    collision = pl.col("cle_projet").n_unique().over(["edition", "__id"]) > 1
    decided = decided.with_columns(
        pl.when(collision)
        .then(pl.concat_str([pl.col("__id"), normalised_title()], separator="|"))
        .alias("__cle_titre")
    )
    if decided["__cle_titre"].is_not_null().any():
        titled = _short_sha256(decided["__cle_titre"].fill_null(""), 10)
        decided = decided.with_columns(
            pl.when(pl.col("__cle_titre").is_null())
            .then(pl.col("__id"))
            .otherwise(titled)
            .alias("__id")
        )
    decided = decided.with_columns(
        pl.format("{}-{}", pl.col("edition"), pl.col("__id")).alias("candidature_id")
    ).drop("__id", "__cle_titre")
    return pl.concat([decided, legacy], how="diagonal_relaxed").select(
        [*reponses.columns, "ref_fichier", "ref_ligne", "ref_horodateur"]
    )


def _versions(lines: pl.DataFrame, order: pl.DataFrame, compared: Sequence[str]) -> pl.DataFrame:
    """Status and id of the lines of projects sent several times (see the module)."""
    projet = ["edition", "cle_projet"]
    soumission = [*projet, "horodateur"]
    f = (
        lines.join(
            order.select("edition", "fichier", "rang"), on=["edition", "fichier"], how="left"
        )
        .sort([*soumission, "rang", "ligne"], nulls_last=True)
        .with_columns(pl.int_range(pl.len()).alias("__i"), pl.len().over(soumission).alias("__n"))
    )
    present = [c for c in compared if c in f.columns]
    f = f.with_columns(
        pl.when(pl.col("__n") > 1).then(pl.struct(present).hash(seed=0)).alias("__empreinte")
    )
    copie = [*soumission, "__empreinte"]
    doublon = (pl.col("__n") > 1) & (pl.col("__i") != pl.col("__i").min().over(copie))
    f = f.with_columns(doublon.alias("__doublon"))
    version = ~pl.col("__doublon")
    derniere = pl.col("__i").filter(version).max().over(projet)
    f = f.with_columns(
        (version & (pl.col("__i") == derniere)).alias("__courante"),
        pl.col("id_si_premiere").filter(version).first().over(projet).alias("__id"),
    )
    courante = pl.col("__courante")
    f = f.with_columns(
        pl.when(pl.col("__doublon"))
        .then(pl.lit(Statut.DOUBLON.value))
        .when(courante)
        .then(pl.lit(Statut.COURANTE.value))
        .otherwise(pl.lit(Statut.REMPLACEE.value))
        .alias("statut_version"),
        pl.when(pl.col("__doublon"))
        .then(pl.col("fichier").first().over(copie))
        .when(~courante)
        .then(pl.col("fichier").filter(courante).first().over(projet))
        .alias("ref_fichier"),
        pl.when(pl.col("__doublon"))
        .then(pl.col("ligne").first().over(copie))
        .when(~courante)
        .then(pl.col("ligne").filter(courante).first().over(projet))
        .alias("ref_ligne"),
        pl.when(~pl.col("__doublon") & ~courante)
        .then(pl.col("horodateur").filter(courante).first().over(projet))
        .alias("ref_horodateur"),
    )
    return f.drop("rang", "__i", "__n", "__empreinte", "__doublon", "__courante")


def version_problems(reconciled: pl.DataFrame) -> pl.DataFrame:
    """One warning per duplicate or superseded line of :func:`reconcile`'s output, with
    ``fichier``, ``edition`` and the French message naming the line it yields to."""
    moment = (
        pl.col("ref_horodateur")
        .dt.convert_time_zone("Europe/Paris")
        .dt.strftime("%d/%m/%Y à %H:%M")
        .fill_null("date inconnue")
    )
    autre = pl.format("la ligne {} du fichier « {} »", pl.col("ref_ligne"), pl.col("ref_fichier"))
    detail = (
        pl.when(pl.col("statut_version") == Statut.DOUBLON.value)
        .then(autre)
        .otherwise(pl.format("par {}, déposée le {}", autre, moment))
    )
    lines = reconciled.filter(
        (pl.col("statut_version") != Statut.COURANTE.value) & pl.col("ref_fichier").is_not_null()
    )
    rows = problem_rows(
        lines,
        ligne=pl.col("ligne"),
        valeur=pl.col("candidature_id"),
        regle=pl.col("statut_version"),
        severite=Severite.AVERTISSEMENT,
        detail=detail,
    ).with_columns(lines["fichier"], lines["edition"])
    return with_messages(rows, pl.col("fichier"))
