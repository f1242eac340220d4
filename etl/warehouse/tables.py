"""The tables of a new warehouse: the previous ones carried over, the new files added,
every table in the contract's shape, then identities, versions and counts decided again.

Carried over: every row of the previous warehouse except those of the files a load
replaces (a file of the same name for the same edition, or the demo files a first real
load removes). Then, over all files together: each line's candidature and status
(``etl.identity``), the category and contact rows that follow them, the duplicate
warnings, and each file's counts (loaded, duplicates, errors, warnings).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from etl import identity
from etl.editions import Edition
from etl.pipeline import ProcessedExport
from etl.problems import ROW_RULES, Severite
from etl.reading import RawExport
from etl.warehouse.contract import Contract, conform
from etl.warehouse.storage import TABLES, purges_of, read_only


def new_frames(
    result: ProcessedExport,
    raw: RawExport,
    edition: Edition,
    mapping: Path | None,
    empreinte: str,
    fictif: bool,
    charge_le: datetime,
    contract: Contract,
) -> dict[str, pl.DataFrame]:
    """One processed file as rows of each table (counts and ids are decided later)."""
    internals = [c for c in result.reponses.columns if "__" in c and c != "__ligne__"]
    reponses = result.reponses.drop(internals).rename({"__ligne__": "ligne"})
    personal = [c for c in reponses.columns if c in contract.personnels]
    contacts = reponses.select("edition", "fichier", "ligne", *personal)
    lineage = pl.DataFrame(
        [
            {
                "fichier": raw.fichier,
                "sha256": raw.sha256,
                "edition": edition.annee,
                "encodage": raw.encodage,
                "separateur": raw.separateur,
                "fin_de_ligne": raw.fin_de_ligne,
                "champs_multilignes": raw.champs_multilignes,
                "correspondance": mapping.name
                if mapping
                else f"config/editions/{edition.annee}.toml",
                "lignes_lues": raw.lignes_lues,
                "lignes_rejetees": result.lignes_rejetees,
                "empreinte_config": empreinte,
                "fictif": fictif,
                "charge_le": charge_le,
                "champs_obligatoires": [f.nom for f in edition.champs if f.obligatoire],
            }
        ]
    )
    return {
        "reponses": reponses.drop(personal),
        "categories_reponses": result.categories.rename({"__ligne__": "ligne"}).with_columns(
            pl.lit(edition.annee).alias("edition")
        ),
        "problemes": result.problemes.with_columns(
            pl.lit(raw.fichier).alias("fichier"), pl.lit(edition.annee).alias("edition")
        ),
        "contacts": contacts,
        "chargements_table": lineage,
    }


def warehouse_tables(
    target: Path,
    processed: list[tuple[int, RawExport, ProcessedExport]],
    edition: Edition,
    mapping: Path | None,
    empreinte: str,
    fictif: bool,
    dropped: set[tuple[int, str]],
    contract: Contract,
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Previous tables minus replaced files, plus the new ones, in the contract's shape,
    with identities, versions and each file's counts decided over everything."""
    replaced = {(edition.annee, raw.fichier) for _, raw, _ in processed} | dropped
    parts: dict[str, list[pl.DataFrame]] = {name: [] for name in TABLES}
    purges = purges_of(target)
    if target.exists():
        gone = pl.DataFrame(
            {"edition": [e for e, _ in replaced], "fichier": [f for _, f in replaced]},
            schema={"edition": pl.Int64, "fichier": pl.String},
        )
        con = read_only(target)
        try:
            for name in TABLES:
                old = con.sql(f"select * from {name}").pl()  # noqa: S608 - name from TABLES
                kept = old.with_columns(pl.col("edition").cast(pl.Int64)).join(
                    gone, on=["edition", "fichier"], how="anti", nulls_equal=True
                )
                parts[name].append(conform(kept, contract.table(name)))
        finally:
            con.close()
    now = datetime.now(UTC)
    for rank, (_, raw, result) in enumerate(processed):
        charge_le = now + timedelta(microseconds=rank)  # files of one run keep their order
        frames = new_frames(result, raw, edition, mapping, empreinte, fictif, charge_le, contract)
        for name, frame in frames.items():
            parts[name].append(conform(frame, contract.table(name)))
    tables = {name: pl.concat(frames, how="vertical") for name, frames in parts.items()}
    tables = decide_versions(tables, contract)
    if purges.height:
        purged = purges["edition"].cast(pl.Int32).implode()
        tables["contacts"] = tables["contacts"].filter(~pl.col("edition").is_in(purged))
    return tables, purges


def decide_versions(tables: dict[str, pl.DataFrame], contract: Contract) -> dict[str, pl.DataFrame]:
    """Identities and versions across files (``etl.identity``), then every table that
    depends on them: category and contact rows, duplicate warnings, file counts."""
    lineage = tables["chargements_table"]
    order = lineage.sort("charge_le", "fichier").select(
        pl.col("edition").cast(pl.Int32),
        "fichier",
        pl.int_range(pl.len()).alias("rang"),
    )
    decided = identity.reconcile(tables["reponses"], order, contract.champs)
    line = ["edition", "fichier", "ligne"]
    ids = decided.select(*line, "candidature_id", "statut_version")
    keyed = decided.filter(pl.col("cle_projet").is_not_null()).select(line)
    problems = tables["problemes"]
    row_rule = pl.col("regle").is_in(ROW_RULES)
    problems = pl.concat(
        [
            problems.filter(~row_rule),
            # lines written before identity keys existed keep their duplicate warnings
            problems.filter(row_rule).join(keyed, on=line, how="anti"),
            conform(identity.version_problems(decided), contract.problemes),
        ]
    )
    categories = tables["categories_reponses"].drop("candidature_id", "statut_version")
    contacts = tables["contacts"].drop("candidature_id")
    reponses = decided.drop("ref_fichier", "ref_ligne", "ref_horodateur")
    return {
        "reponses": reponses,
        "categories_reponses": conform(
            categories.join(ids, on=line, how="inner"), contract.categories_reponses
        ),
        "problemes": problems,
        "contacts": conform(
            contacts.join(ids.drop("statut_version"), on=line, how="inner"), contract.contacts
        ),
        "chargements_table": recount(lineage, reponses, problems),
    }


def recount(lineage: pl.DataFrame, reponses: pl.DataFrame, problems: pl.DataFrame) -> pl.DataFrame:
    """Each file's loaded, duplicate, error and warning counts, from the decided tables."""
    per_file = ["edition", "fichier"]
    lines = reponses.group_by(per_file).agg(
        (pl.col("statut_version") == identity.Statut.COURANTE.value).sum().alias("__chargees"),
        (pl.col("statut_version") != identity.Statut.COURANTE.value).sum().alias("__doublons"),
    )
    found = problems.group_by(per_file).agg(
        (pl.col("severite") == Severite.ERREUR.value).sum().alias("__erreurs"),
        (pl.col("severite") == Severite.AVERTISSEMENT.value).sum().alias("__avertissements"),
    )
    keys = lineage.with_columns(pl.col("edition").cast(pl.Int32).alias("__edition"))
    joined = keys.join(
        lines.rename({"edition": "__edition"}), on=["__edition", "fichier"], how="left"
    ).join(found.rename({"edition": "__edition"}), on=["__edition", "fichier"], how="left")
    return joined.with_columns(
        pl.col("__chargees").fill_null(0).cast(pl.Int64).alias("lignes_chargees"),
        pl.col("__doublons").fill_null(0).cast(pl.Int64).alias("doublons"),
        pl.col("__erreurs").fill_null(0).cast(pl.Int64).alias("erreurs"),
        pl.col("__avertissements").fill_null(0).cast(pl.Int64).alias("avertissements"),
    ).select(lineage.columns)
