"""The organiser's intake in the app (« Charger un export »), without Streamlit.

What the page needs around the one load code path (``etl.warehouse.plan_load`` for the
dry run, ``etl.warehouse.load_files`` for the load, exactly what ``trophees load`` runs):

- an uploaded file is staged under its own name in ``data/cache/televersements/`` (the
  warehouse records files by name), never in ``data/raw`` until it is loaded;
- the mapping saved with an earlier export whose questions were the same is found again
  (``[correspondance] entetes``) and proposed;
- on « Charger », the file is kept unchanged in ``data/raw/<édition>/<moment>/`` with the
  mapping used beside it (``<nom>.correspondance.toml``);
- the dry run's tables for people (problems, territories to check, verdicts) come from
  the plan, personal values masked.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from etl import files, identity, paths
from etl.editions import Edition
from etl.warehouse import LoadPlan

MAPPING_SUFFIX = ".correspondance.toml"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def staging_dir() -> Path:
    """Where uploads wait for their dry run and load (derived data, safe to delete)."""
    return paths.data_dir() / "cache" / "televersements"


def safe_name(name: str) -> str:
    """The uploaded file's own name, without any folder nor character a file name cannot
    hold; the warehouse records a file by this name."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    return base or "export"


@dataclass(frozen=True)
class Upload:
    """An uploaded export, staged under its own name."""

    path: Path
    nom: str
    taille: int
    sha256: str


STAGING_HOURS = 24
"""Uploads not loaded within a day are deleted (the next upload clears them)."""


def stage(name: str, data: bytes) -> Upload:
    """Keep an upload under ``staging_dir()/<empreinte>/<nom>`` (same bytes, same place);
    uploads older than :data:`STAGING_HOURS` go (a loaded one is in ``data/raw``)."""
    _clear_old_uploads()
    digest = hashlib.sha256(data).hexdigest()
    nom = safe_name(name)
    target = staging_dir() / digest[:16] / nom
    if not target.exists():
        files.write_atomic(target, data)
    return Upload(target, nom, len(data), digest)


def _clear_old_uploads() -> None:
    folder = staging_dir()
    limit = time.time() - STAGING_HOURS * 3600
    for staged in folder.iterdir() if folder.exists() else []:
        if staged.is_dir() and staged.stat().st_mtime < limit:
            shutil.rmtree(staged, ignore_errors=True)


def saved_mapping(edition: int, signature: str) -> Path | None:
    """The newest mapping saved with an export of ``edition`` whose questions had this
    signature (``etl.mapping.header_signature``), if any."""
    found: list[tuple[float, Path]] = []
    folder = raw_dir(edition)
    for path in folder.rglob(f"*{MAPPING_SUFFIX}") if folder.exists() else []:
        try:
            section = tomllib.loads(path.read_text(encoding="utf-8")).get("correspondance", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if isinstance(section, dict) and section.get("entetes") == signature:
            found.append((path.stat().st_mtime, path))
    return max(found)[1] if found else None


def raw_dir(edition: int) -> Path:
    """``data/raw/<édition>/``: the exports loaded for an edition, never modified."""
    return paths.raw_dir() / str(edition)


def keep(upload: Upload, edition: int, mapping_text: str, now: datetime | None = None) -> Path:
    """Copy the upload, unchanged, into ``data/raw/<édition>/<moment>/`` with its mapping
    beside it; returns the kept export (the path the load reads)."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    folder = raw_dir(edition) / moment
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / upload.nom
    shutil.copyfile(upload.path, kept)
    files.write_atomic(folder / (upload.nom + MAPPING_SUFFIX), mapping_text)
    return kept


def mapping_path_beside(export: Path) -> Path:
    """The mapping kept beside an export of ``data/raw``."""
    return export.with_name(export.name + MAPPING_SUFFIX)


# --- The dry run, for people ---------------------------------------------------------


def _new(plan: LoadPlan, table: str) -> pl.DataFrame:
    frame = plan.tables.get(table)
    if frame is None:
        return pl.DataFrame()
    return frame.filter(
        (pl.col("edition") == plan.edition.annee) & pl.col("fichier").is_in(list(plan.nouveaux))
    )


SEVERITES = {"erreur": "Erreur", "avertissement": "Avertissement"}


def plan_problems(plan: LoadPlan) -> pl.DataFrame:
    """Every problem the load would record for the files read, French columns; a value on
    a personal field is already masked by the pipeline."""
    found = _new(plan, "problemes")
    if found.is_empty():
        return pl.DataFrame(
            schema=dict.fromkeys(
                ["Fichier", "Ligne", "Colonne", "Valeur", "Règle", "Sévérité", "Message"],
                pl.String,
            )
        )
    return found.sort("fichier", "ligne", "regle").select(
        pl.col("fichier").alias("Fichier"),
        pl.col("ligne").alias("Ligne"),
        pl.col("colonne").alias("Colonne"),
        pl.col("valeur").alias("Valeur"),
        pl.col("regle").alias("Règle"),
        pl.col("severite")
        .replace_strict(SEVERITES, default=pl.col("severite"), return_dtype=pl.String)
        .alias("Sévérité"),
        pl.col("message").alias("Message"),
    )


def _current(plan: LoadPlan) -> pl.DataFrame:
    lines = _new(plan, "reponses")
    if lines.is_empty():
        return lines
    return lines.filter(pl.col("statut_version") == identity.Statut.COURANTE.value)


def plan_territories(plan: LoadPlan) -> pl.DataFrame:
    """Candidatures of the files read whose territory is not resolved exactly."""
    lines = _current(plan)
    if lines.is_empty():
        return pl.DataFrame()
    return (
        lines.filter(pl.col("territoire_statut").fill_null("") != "exact")
        .sort("fichier", "ligne")
        .select(
            pl.col("fichier").alias("Fichier"),
            pl.col("ligne").alias("Ligne"),
            pl.col("structure_nom").alias("Structure"),
            pl.col("territoire_saisi").alias("Territoire saisi"),
            pl.col("territoire_statut").fill_null("non résolu").alias("Statut"),
            pl.col("territoire_message").alias("Explication"),
        )
    )


def plan_verdicts(plan: LoadPlan, edition: Edition) -> pl.DataFrame:
    """Each candidature of the files read × prize: eligible or not, and why."""
    lines = _current(plan)
    categories = _new(plan, "categories_reponses")
    if lines.is_empty() or categories.is_empty():
        return pl.DataFrame()
    labels = {c.code: c.libelle for c in edition.categories}
    joined = categories.filter(pl.col("statut_version") == identity.Statut.COURANTE.value).join(
        lines.select("fichier", "ligne", "structure_nom", "projet_titre"),
        on=["fichier", "ligne"],
    )
    return joined.sort("fichier", "ligne", "categorie_code").select(
        pl.concat_str([pl.col("structure_nom"), pl.col("projet_titre")], separator=" — ").alias(
            "Candidature"
        ),
        pl.col("categorie_code")
        .replace_strict(labels, default=pl.col("categorie_code"), return_dtype=pl.String)
        .alias("Prix"),
        pl.when(pl.col("eligible"))
        .then(pl.lit("éligible"))
        .when(pl.col("eligible").is_null())
        .then(pl.lit("à examiner"))
        .otherwise(pl.lit("non éligible"))
        .alias("Verdict"),
        pl.col("motifs").list.join(" ; ").alias("Motifs"),
    )
