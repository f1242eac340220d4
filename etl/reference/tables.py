"""Reference tables (polars) from the etalab records: frames in, frames out, no I/O.

Scope: metropolitan France and the five DROM (etalab ``zone`` ``metro`` or ``drom``), i.e.
101 départements and 18 régions. The COM (Saint-Martin, Saint-Pierre-et-Miquelon,
Polynésie…) are outside the scope and absent from every table.

Population everywhere is INSEE's *population municipale* of the populations légales carried
by the etalab package (one figure per current commune); département, région and EPCI
populations are sums of their communes, so every level adds up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from etl.reference.sources import ReferenceBuildError

ZONES_RETENUES = ("metro", "drom")
"""etalab zones kept: metropolitan France and the DROM (not the COM)."""

TYPES_RATTACHES = ("commune-deleguee", "commune-associee", "arrondissement-municipal")
"""etalab types of entities attached to a current commune."""

NB_DEPARTEMENTS = 101
NB_REGIONS = 18

Record = dict[str, Any]
CODES = pl.List(pl.String())


class ReferenceDataError(ReferenceBuildError):
    """The inputs break a contract of the reference tables (counts, links, populations)."""


def _in_scope(records: Iterable[Record]) -> list[Record]:
    return [r for r in records if r.get("zone") in ZONES_RETENUES]


def _frame(records: list[Record], columns: dict[str, tuple[str, pl.DataType]]) -> pl.DataFrame:
    """Records as a frame: ``columns`` maps each output name to (source key, dtype); a list
    column whose key is absent from a record becomes an empty, sorted list."""
    frame = pl.from_dicts(records, schema={key: dtype for key, dtype in columns.values()})
    frame = frame.rename({key: name for name, (key, _) in columns.items()})
    lists = [name for name, (_, dtype) in columns.items() if dtype == CODES]
    return frame.with_columns(pl.col(c).fill_null([]).list.sort() for c in lists)


def epci_membership(epci_records: list[Record]) -> pl.DataFrame:
    """Commune code → SIREN of its EPCI à fiscalité propre (grain: one row per member)."""
    pairs = [(m["code"], e["code"]) for e in epci_records for m in e["membres"]]
    frame = pl.DataFrame(
        {"code": [c for c, _ in pairs], "epci_siren": [s for _, s in pairs]},
        schema={"code": pl.String, "epci_siren": pl.String},
    )
    doubles = frame.filter(pl.col("code").is_duplicated())["code"].unique().sort().to_list()
    if doubles:
        raise ReferenceDataError(
            f"Communes membres de plusieurs EPCI dans la source etalab : {doubles[:10]}."
        )
    return frame


def communes_actuelles(commune_records: list[Record], epci_records: list[Record]) -> pl.DataFrame:
    """One row per current commune (COG « commune-actuelle », metro + DROM), without area.

    Columns: ``code`` (INSEE, 5 chars), ``nom``, ``departement_code``, ``region_code``,
    ``epci_siren`` (null for the few island communes outside any EPCI), ``codes_postaux``,
    ``population`` (inhabitants, population municipale), ``anciens_codes`` (INSEE codes of
    former communes merged into this one, for resolving old codes).
    """
    rows = [r for r in _in_scope(commune_records) if r["type"] == "commune-actuelle"]
    sans_population = [r["code"] for r in rows if r.get("population") is None]
    if sans_population:
        raise ReferenceDataError(
            f"Communes sans population dans la source etalab : {sans_population[:10]}."
        )
    frame = _frame(
        rows,
        {
            "code": ("code", pl.String()),
            "nom": ("nom", pl.String()),
            "departement_code": ("departement", pl.String()),
            "region_code": ("region", pl.String()),
            "codes_postaux": ("codesPostaux", CODES),
            "population": ("population", pl.Int64()),
            "anciens_codes": ("anciensCodes", CODES),
        },
    )
    return (
        frame.join(epci_membership(epci_records), on="code", how="left")
        .select(
            "code",
            "nom",
            "departement_code",
            "region_code",
            "epci_siren",
            "codes_postaux",
            "population",
            "anciens_codes",
        )
        .sort("code")
    )


def communes_rattachees(commune_records: list[Record], communes: pl.DataFrame) -> pl.DataFrame:
    """Communes déléguées/associées and arrondissements municipaux, each with its commune.

    Grain: one row per (``code``, ``type``) — a commune déléguée often shares its code with
    the commune nouvelle. ``commune_code`` is the current commune it belongs to;
    ``codes_postaux`` is empty for communes déléguées/associées (the source gives none:
    use the parent's).
    """
    rows = [r for r in _in_scope(commune_records) if r["type"] in TYPES_RATTACHES]
    frame = _frame(
        rows,
        {
            "code": ("code", pl.String()),
            "nom": ("nom", pl.String()),
            "type": ("type", pl.String()),
            "chef_lieu": ("chefLieu", pl.String()),
            "commune": ("commune", pl.String()),
            "departement_code": ("departement", pl.String()),
            "codes_postaux": ("codesPostaux", CODES),
        },
    ).select(
        "code",
        "nom",
        "type",
        pl.coalesce("chef_lieu", "commune").alias("commune_code"),
        "departement_code",
        "codes_postaux",
    )
    orphelines = frame.join(communes.select("code"), left_on="commune_code", right_on="code")
    if orphelines.height != frame.height:
        raise ReferenceDataError(
            "Des communes déléguées, associées ou arrondissements pointent vers une commune "
            "absente de la source etalab."
        )
    return frame.sort("code", "type")


def epci_table(epci_records: list[Record], communes: pl.DataFrame) -> pl.DataFrame:
    """One row per EPCI à fiscalité propre: ``siren``, ``nom``, ``type`` (CC, CA, CU, METRO,
    MET69), ``population`` (sum of its member communes) and ``nb_communes``."""
    frame = pl.DataFrame(
        {
            "siren": [e["code"] for e in epci_records],
            "nom": [e["nom"] for e in epci_records],
            "type": [e["type"] for e in epci_records],
        },
        schema={"siren": pl.String, "nom": pl.String, "type": pl.String},
    )
    totals = communes.group_by("epci_siren").agg(
        pl.col("population").sum().alias("population"), pl.len().alias("nb_communes")
    )
    return (
        frame.join(totals, left_on="siren", right_on="epci_siren", how="inner")
        .with_columns(pl.col("nb_communes").cast(pl.Int64))
        .sort("siren")
    )


def with_density(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``densite`` (inhabitants per km²) from ``population`` and ``superficie_km2``."""
    return frame.with_columns(
        pl.when(pl.col("superficie_km2") > 0)
        .then(pl.col("population") / pl.col("superficie_km2"))
        .otherwise(None)
        .alias("densite")
    )


def communes_table(communes: pl.DataFrame, superficies: pl.DataFrame) -> pl.DataFrame:
    """Communes with ``superficie_km2`` (null without geometry) and ``densite``.

    ``superficies`` has ``code`` and ``superficie_km2`` for the communes that have a polygon.
    """
    return with_density(communes.join(superficies, on="code", how="left"))


def with_coordinates(communes: pl.DataFrame, points: pl.DataFrame) -> pl.DataFrame:
    """Communes with ``longitude``, ``latitude`` (a point inside the commune, WGS84 degrees)
    and ``carte_longitude``, ``carte_latitude`` (that point in the map layout, where the DROM
    are insets beside metropolitan France); null for the communes without a polygon.

    ``points`` has ``code`` and the four coordinate columns for communes with a polygon.
    """
    return communes.join(points, on="code", how="left")


def departements_table(
    departement_records: list[Record], communes: pl.DataFrame, superficies: pl.DataFrame
) -> pl.DataFrame:
    """One row per département: ``code``, ``nom``, ``region_code``, ``population``,
    ``superficie_km2`` (gap-filled département polygon), ``densite``, ``nb_communes``."""
    rows = _in_scope(departement_records)
    frame = pl.DataFrame(
        {
            "code": [r["code"] for r in rows],
            "nom": [r["nom"] for r in rows],
            "region_code": [r["region"] for r in rows],
        },
        schema={"code": pl.String, "nom": pl.String, "region_code": pl.String},
    )
    totals = communes.group_by("departement_code").agg(
        pl.col("population").sum().alias("population"),
        pl.len().cast(pl.Int64).alias("nb_communes"),
    )
    table = (
        frame.join(totals, left_on="code", right_on="departement_code", how="left")
        .join(superficies, on="code", how="left")
        .pipe(with_density)
        .select(
            "code",
            "nom",
            "region_code",
            "population",
            "superficie_km2",
            "densite",
            "nb_communes",
        )
        .sort("code")
    )
    _check_level(table, NB_DEPARTEMENTS, "départements")
    return table


def regions_table(region_records: list[Record], departements: pl.DataFrame) -> pl.DataFrame:
    """One row per région: ``code``, ``nom``, ``population``, ``superficie_km2`` and
    ``nb_communes`` (sums of its départements), ``densite``."""
    rows = _in_scope(region_records)
    frame = pl.DataFrame(
        {"code": [r["code"] for r in rows], "nom": [r["nom"] for r in rows]},
        schema={"code": pl.String, "nom": pl.String},
    )
    totals = departements.group_by("region_code").agg(
        pl.col("population").sum(),
        pl.col("superficie_km2").sum(),
        pl.col("nb_communes").sum(),
    )
    table = (
        frame.join(totals, left_on="code", right_on="region_code", how="left")
        .pipe(with_density)
        .select("code", "nom", "population", "superficie_km2", "densite", "nb_communes")
        .sort("code")
    )
    _check_level(table, NB_REGIONS, "régions")
    return table


def _check_level(table: pl.DataFrame, expected: int, label: str) -> None:
    if table.height != expected:
        raise ReferenceDataError(
            f"La source etalab donne {table.height} {label} en métropole et DROM, "
            f"{expected} attendus."
        )
    missing = pl.col("population").is_null() | pl.col("superficie_km2").is_null()
    incomplete = table.filter(missing)["code"].to_list()
    if incomplete:
        raise ReferenceDataError(
            f"{label.capitalize()} sans commune ou sans contour : {incomplete}"
        )
