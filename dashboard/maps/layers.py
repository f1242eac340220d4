"""GeoJSON layers as the browser receives them (pure: no streamlit, no database).

The reference layers (``etl.reference``: départements and régions, DROM as insets, rings
clockwise for d3) are read once per file version and trimmed for display: only each
feature's ``id`` and its geometry, coordinates rounded to :data:`DISPLAY_DECIMALS`. A map
is sent inline with its figure on every rerun, so these bytes are the map's cost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from etl import paths

LAYER_FILES: dict[str, str] = {"departement": "departements.geojson", "region": "regions.geojson"}
"""Reference layers with the DROM as insets, by map grain."""

DISPLAY_DECIMALS = 2
"""Decimals of the coordinates sent for a map of all France: 0.01° ≈ 1 km, under a pixel
at that scale (France is ≈ 700 px tall); shared borders stay identical because both sides
round the same way."""

SIMPLIFICATION_DEG = 0.02
"""Extra coverage simplification (degrees, Visvalingam–Whyatt) of a map of all France: at
≈ 70 px per degree a step of 0.02° is about a pixel, and it halves the vertices again,
i.e. the bytes sent and the time Plotly spends copying the figure on each rerun."""

ZOOM_DECIMALS = 3
"""Decimals for a zoomed map (a région or a département fills the frame): ≈ 100 m."""


@lru_cache(maxsize=4)
def read_layer(path: str, version: int) -> dict[str, Any]:
    """A GeoJSON file as a dict, cached per (path, version): never modify the result."""
    loaded: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return loaded


def reference_layer(maille: str) -> dict[str, Any]:
    """The reference GeoJSON of a grain (DROM inset), read once per file version."""
    path = paths.reference_dir() / LAYER_FILES[maille]
    return read_layer(str(path), path.stat().st_mtime_ns)


def _signed_area(ring: np.ndarray[Any, Any]) -> float:
    """Shoelace (x east, y north): negative for a clockwise ring."""
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2


def _rounded_ring(ring: Sequence[Sequence[float]], decimals: int) -> np.ndarray[Any, Any]:
    points = np.round(np.asarray(ring, dtype=np.float64), decimals)
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.any(points[1:] != points[:-1], axis=1)
    return points[keep]


def _rounded_polygons(geometry: Mapping[str, Any], decimals: int) -> list[list[list[list[float]]]]:
    """The polygons of a geometry, rounded; a ring that rounding collapsed or turned
    (tiny islets and holes) is dropped, since d3 would fill the whole globe with it."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    result = []
    for exterior, *holes in polygons:
        outer = _rounded_ring(exterior, decimals)
        if len(outer) < 4 or _signed_area(outer) >= 0:
            continue
        kept = [outer.tolist()]
        for hole in holes:
            inner = _rounded_ring(hole, decimals)
            if len(inner) >= 4 and _signed_area(inner) > 0:
                kept.append(inner.tolist())
        result.append(kept)
    return result


def simplified_layer(collection: Mapping[str, Any], tolerance_deg: float) -> dict[str, Any]:
    """The layer coverage-simplified (neighbours stay seamless), exterior rings clockwise."""
    geoms = np.array([shape(f["geometry"]) for f in collection["features"]], dtype=object)
    simplified = shapely.orient_polygons(
        shapely.coverage_simplify(geoms, tolerance_deg), exterior_cw=True
    )
    features = [
        {"type": "Feature", "id": f["id"], "geometry": mapping(g)}
        for f, g in zip(collection["features"], simplified, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def display_layer(
    collection: Mapping[str, Any], decimals: int | None = None, codes: Sequence[str] = ()
) -> dict[str, Any]:
    """The layer as sent to the browser: ``id`` and geometry only, restricted to ``codes``
    when given (in the layer's order), coordinates rounded to ``decimals`` (default:
    :data:`DISPLAY_DECIMALS` for all France, :data:`ZOOM_DECIMALS` for a subset). A map of
    all France is first simplified by :data:`SIMPLIFICATION_DEG`."""
    wanted = set(codes)
    if decimals is None:
        decimals = ZOOM_DECIMALS if wanted else DISPLAY_DECIMALS
    if not wanted and decimals <= DISPLAY_DECIMALS:
        collection = simplified_layer(collection, SIMPLIFICATION_DEG)
    features = [
        {
            "type": "Feature",
            "id": feature["id"],
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": _rounded_polygons(feature["geometry"], decimals),
            },
        }
        for feature in collection["features"]
        if not wanted or feature["id"] in wanted
    ]
    return {"type": "FeatureCollection", "features": features}


def layer_bounds(layer: Mapping[str, Any], margin: float = 0.02) -> tuple[float, ...]:
    """(min lon, min lat, max lon, max lat) of a :func:`display_layer` (MultiPolygons),
    widened by ``margin`` of its size on each side."""
    coords = np.concatenate(
        [
            np.asarray(ring, dtype=np.float64)
            for feature in layer["features"]
            for polygon in feature["geometry"]["coordinates"]
            for ring in polygon[:1]
        ]
    )
    (x0, y0), (x1, y1) = coords.min(axis=0), coords.max(axis=0)
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    return (float(x0 - dx), float(y0 - dy), float(x1 + dx), float(y1 + dy))


def layer_version(maille: str) -> int:
    """Modification time (ns) of a grain's reference layer: a cache key."""
    return (paths.reference_dir() / LAYER_FILES[maille]).stat().st_mtime_ns
