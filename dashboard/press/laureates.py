"""The laureates of an edition as plain data for cards, sheets and the deck.

:func:`laureats_decides` is the one place that reads the jury's decisions (the
deliberation store, through its read-only reader); :func:`laureats` completes them with
what the warehouse knows of each candidature — never a contact: structure, project title,
territory, 2–3 figures without data warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from dashboard.jury import decisions
from dashboard.jury.store import StoreUnavailable, open_reader
from dashboard.press.small_numbers import SEUIL
from etl.editions.model import Edition
from etl.french import format_hours, format_integer

DECIDES_SCHEMA: dict[str, pl.DataType] = {
    "edition": pl.Int64(),
    "categorie_code": pl.String(),
    "candidature_id": pl.String(),
}


@dataclass(frozen=True)
class Chiffre:
    """One figure of a laureate as printed: ``("Heures d'insertion", "54 000 h")``."""

    libelle: str
    texte: str


@dataclass(frozen=True)
class Laureat:
    """What the communication outputs say about one laureate (no personal data)."""

    edition: int
    edition_nom: str
    categorie_code: str
    categorie_numero: int
    categorie_libelle: str
    candidature_id: str
    structure: str
    projet_titre: str | None
    commune: str | None
    departement: str | None
    region: str | None
    departement_code: str | None
    point: tuple[float, float] | None  # map-layout (longitude, latitude) of the commune
    chiffres: tuple[Chiffre, ...]
    accord_diffusion: bool | None

    @property
    def territoire(self) -> str:
        """``Quimper (Finistère, Bretagne)``, or what is known of it."""
        autour = ", ".join(p for p in (self.departement, self.region) if p)
        if self.commune:
            return f"{self.commune} ({autour})" if autour else self.commune
        return autour or "territoire non renseigné"


def _decided(con: duckdb.DuckDBPyConnection, edition: int) -> pl.DataFrame | None:
    try:
        found = decisions.laureates(con, edition)
    except duckdb.CatalogException:
        return None  # a store without the jury's tables yet
    return found.select(list(DECIDES_SCHEMA)).cast(DECIDES_SCHEMA)  # type: ignore[arg-type]


def laureats_decides(
    edition: int,
    store_path: Path | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> tuple[pl.DataFrame, str]:
    """Laureates decided by the jury (edition, categorie_code, candidature_id) and where
    they were read, in French; an empty frame when no deliberation exists yet.

    This is the one place reading the jury's decisions for communication. ``con``: a
    connection to the store the caller already holds (the app's); otherwise the store is
    read through :func:`~dashboard.jury.store.open_reader` (never blocks the app).
    """
    empty = pl.DataFrame(schema=DECIDES_SCHEMA)
    if con is not None:
        found = _decided(con, edition)
        return (
            (empty, "Aucune délibération enregistrée.")
            if found is None
            else (
                found,
                "Délibérations lues dans la base de l'application",
            )
        )
    try:
        reader = open_reader(store_path)
    except StoreUnavailable as err:
        return empty, str(err)
    with reader:
        found = _decided(reader.con, edition)
        if found is None:
            return empty, "Aucune délibération enregistrée."
        return found, reader.describe_fr()


CANDIDATS_CHIFFRES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("heures_insertion", "Heures d'insertion réalisées", ("heures_insertion",)),
    ("nb_participants", "Participants", ("nb_participants",)),
    (
        "heures_par_participant",
        "Heures par participant",
        ("heures_insertion", "nb_participants"),
    ),
    ("nb_marches_clauses", "Marchés clausés", ("nb_marches_clauses",)),
    ("nb_donneurs_ordre_publics", "Donneurs d'ordre publics", ("nb_donneurs_ordre_publics",)),
)
"""Figures a card may show, in order of preference: (column, label, fields it rests on)."""

MAX_CHIFFRES = 3


def _chiffres(row: dict[str, object], alertes: set[str]) -> tuple[Chiffre, ...]:
    chosen: list[Chiffre] = []
    for colonne, libelle, champs in CANDIDATS_CHIFFRES:
        value = row.get(colonne)
        if not isinstance(value, int | float) or alertes.intersection(champs):
            continue
        if colonne == "nb_participants" and value < SEUIL:
            continue  # a count of fewer than 5 people is never published
        if colonne.startswith("heures"):
            texte = format_hours(round(value))
        else:
            texte = format_integer(round(value))
        chosen.append(Chiffre(libelle, texte))
        if len(chosen) == MAX_CHIFFRES:
            break
    return tuple(chosen)


def laureats(
    con: duckdb.DuckDBPyConnection, edition: Edition, decides: pl.DataFrame
) -> list[Laureat]:
    """The decided laureates of ``edition`` with their warehouse data, in the order of the
    edition's categories (then by structure name)."""
    ids = decides["candidature_id"].to_list()
    if not ids:
        return []
    rows = con.sql(
        """
        select c.candidature_id, c.structure_nom, c.projet_titre, c.accord_diffusion,
               rc.nom as commune_nom, d.nom as departement_nom, r.nom as region_nom,
               c.departement_code, rc.carte_longitude, rc.carte_latitude,
               c.heures_insertion, c.nb_participants, i.heures_par_participant,
               c.nb_marches_clauses, c.nb_donneurs_ordre_publics,
               coalesce((select list(distinct p.champ) from problemes p
                         where p.edition = c.edition and p.fichier = c.fichier
                           and p.ligne = c.ligne and p.champ is not null), []) as alertes
        from candidatures c
        left join indicateurs i using (candidature_id)
        left join ref_communes rc on rc.code = c.commune_code
        left join ref_departements d on d.code = c.departement_code
        left join ref_regions r on r.code = c.region_code
        where c.edition = ? and list_contains(?, c.candidature_id)
        """,
        params=[edition.annee, ids],
    ).pl()
    by_id = {r["candidature_id"]: r for r in rows.iter_rows(named=True)}
    found: list[Laureat] = []
    for decided in decides.iter_rows(named=True):
        row = by_id.get(decided["candidature_id"])
        if row is None:
            continue  # a decision on a candidature no longer loaded: nothing to publish
        try:
            categorie = edition.category(decided["categorie_code"])
        except KeyError:
            continue
        lon, lat = row["carte_longitude"], row["carte_latitude"]
        found.append(
            Laureat(
                edition=edition.annee,
                edition_nom=edition.nom,
                categorie_code=categorie.code,
                categorie_numero=categorie.numero,
                categorie_libelle=categorie.libelle,
                candidature_id=row["candidature_id"],
                structure=row["structure_nom"] or "Structure non renseignée",
                projet_titre=row["projet_titre"],
                commune=row["commune_nom"],
                departement=row["departement_nom"],
                region=row["region_nom"],
                departement_code=row["departement_code"],
                point=(float(lon), float(lat)) if lon is not None and lat is not None else None,
                chiffres=_chiffres(row, set(row["alertes"])),
                accord_diffusion=row["accord_diffusion"],
            )
        )
    return sorted(found, key=lambda x: (x.categorie_numero, x.structure.casefold()))
