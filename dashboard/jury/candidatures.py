"""What the jury needs from the warehouse (read-only): candidatures per category.

The warehouse is derived and may be replaced by the ETL at any time; the store only
keeps stable candidature ids, so every read here opens a fresh read-only connection.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl import paths
from etl import warehouse as warehouse_db

COLUMNS = (
    "candidature_id",
    "edition",
    "categorie_code",
    "eligible",
    "cas_limite",
    "structure_nom",
    "structure_siret",
    "structure_type",
    "departement_code",
    "region_code",
    "projet_titre",
    "rural_statut",
    "commune_nom",
    "departement_nom",
    "region_nom",
    "heures_insertion",
    "nb_participants",
    "heures_par_participant",
)


def _read(warehouse: Path | None, sql: str, params: list[object]) -> pl.DataFrame:
    target = warehouse or paths.warehouse_path()
    if not target.exists():
        raise FileNotFoundError(f"Entrepôt introuvable : {target} (lancez `trophees demo`).")
    con = warehouse_db.connect(target)
    try:
        result: pl.DataFrame = con.sql(sql, params=params).pl()
        return result
    finally:
        con.close()


def candidatures_to_judge(edition: int, warehouse: Path | None = None) -> pl.DataFrame:
    """One row per candidature × category of an edition that the jury may score.

    Candidatures declared ineligible for a category are left out; an undetermined
    eligibility (null) stays in, so the jury sees the borderline cases. Territory names,
    the rural test's verdict and three key figures come along for the meeting's table.
    """
    return _read(
        warehouse,
        """
        select cc.candidature_id, cc.edition, cc.categorie_code, cc.eligible, cc.cas_limite,
               c.structure_nom, c.structure_siret, c.structure_type, c.departement_code,
               c.region_code, c.projet_titre, cc.rural_statut,
               rc.nom as commune_nom, rd.nom as departement_nom, rr.nom as region_nom,
               c.heures_insertion, c.nb_participants, i.heures_par_participant, c.corrige
        from candidature_categories cc
        join candidatures c using (candidature_id)
        left join indicateurs i using (candidature_id)
        left join ref_communes rc on rc.code = c.commune_code
        left join ref_departements rd on rd.code = c.departement_code
        left join ref_regions rr on rr.code = c.region_code
        where cc.edition = ? and coalesce(cc.eligible, true)
        order by cc.categorie_code, cc.candidature_id
        """,
        [edition],
    )


def warehouse_is_fictitious(warehouse: Path | None = None) -> bool:
    """Whether every file loaded in the warehouse is generated (demo) data."""
    con = warehouse_db.connect(warehouse or paths.warehouse_path())
    try:
        return warehouse_db.is_fictitious(con)
    finally:
        con.close()
