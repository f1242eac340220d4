"""Maps of the candidatures: frames in, Plotly figures out (no streamlit, no database).

- :func:`territory_choropleth`: départements or régions coloured by an indicator, the DROM
  as insets in thin frames, one bubble per commune with candidatures (area ∝ hours);
- :func:`territory_minimap`: one département and a point, for the candidature sheet.

Maps are Plotly *geo* traces drawn as SVG by d3: they need clockwise exterior rings (the
reference layers have them) and a base-map topojson that the app serves itself
(``dashboard/static/world_110m.json``, see :data:`PLOTLY_CONFIG`), so nothing is fetched
from a CDN. Layers are sent inline, trimmed by :mod:`dashboard.maps.layers`; what is drawn
(indicators, bubbles, tables, text alternative) comes from :mod:`dashboard.maps.indicators`,
re-exported here.

Numbers are written the French way in tooltips and colour-bar ticks; territories without
candidatures are grey *and* say so in their tooltip, so colour is never the only carrier
of information. Text typed by candidates (structure names) is escaped before Plotly sees it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import plotly.graph_objects as go
import polars as pl

from dashboard.charts import OKABE_ITO, FrozenFigure, base_layout, plain
from dashboard.charts.locale import plotly_config
from dashboard.maps.indicators import (
    INDICATEURS,
    MAILLE_NOMS,
    MAILLES,
    POUR_MILLE,
    Indicateur,
    commune_points,
    map_text_alternative,
    map_title,
    off_map_text,
    rates_note,
    territory_indicators,
    top_territories,
)
from dashboard.maps.layers import (
    LAYER_FILES,
    display_layer,
    layer_bounds,
    layer_version,
    read_layer,
    reference_layer,
)
from etl import paths
from etl.french import format_hours, format_integer

__all__ = [
    "INDICATEURS",
    "LAYER_FILES",
    "MAILLES",
    "MAILLE_NOMS",
    "PLOTLY_CONFIG",
    "POUR_MILLE",
    "FrozenFigure",
    "Indicateur",
    "commune_points",
    "display_layer",
    "layer_version",
    "map_text_alternative",
    "off_map_text",
    "rates_note",
    "reference_layer",
    "territory_choropleth",
    "territory_indicators",
    "territory_minimap",
    "top_territories",
]

MINIMAP_DECIMALS = 4
"""A single département is drawn larger: it keeps the reference's full precision."""

PLOTLY_CONFIG: dict[str, Any] = plotly_config("geo", topojsonURL="/app/static/", scrollZoom=False)
"""``st.plotly_chart(config=…)`` for every map: the base-map topojson comes from the app's
static folder (``[server] enableStaticServing``), never from Plotly's CDN."""

GRIS_AUCUNE = "#f0f0f0"
"""Fill of a territory without candidatures (and its legend square)."""

ECHELLE_BLEUS: tuple[str, ...] = (
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)
"""ColorBrewer « Blues » without its palest step (kept apart for « aucune candidature »):
one hue from light to dark, readable with every common colour-vision deficiency."""

COULEUR_POINTS = OKABE_ITO["vermillon"]
"""Candidature bubbles: vermillon stands out on every step of the blue scale."""

BULLE_MAX_PX = 34
"""Diameter (px) of the bubble with the most hours; the others have proportional areas."""


def _geo_frame(layer: Mapping[str, Any], width: float = 1.0) -> dict[str, Any]:
    """Geo subplot showing exactly the layer (plus a small margin), without base map.

    The axis ranges are the layer's bounds rather than ``fitbounds="geojson"``: Plotly's
    fit keeps the square frame of the world scope, which left France on 60 % of the map's
    height; ranges give the frame the layer's own proportions.
    """
    x0, y0, x1, y1 = layer_bounds(layer)
    return {
        "visible": False,
        "domain": {"x": [0, width], "y": [0, 1]},
        "fitbounds": False,
        "lonaxis": {"range": [x0, x1]},
        "lataxis": {"range": [y0, y1]},
        "projection": {"type": "mercator"},
        "bgcolor": "rgba(0,0,0,0)",
    }


def _colorscale() -> list[list[Any]]:
    """Grey at exactly 0, then the blue steps from the smallest positive value up."""
    last = len(ECHELLE_BLEUS) - 1
    start = 1e-9
    return [
        [0.0, GRIS_AUCUNE],
        *[[start + (1 - start) * i / last, c] for i, c in enumerate(ECHELLE_BLEUS)],
    ]


def _inset_traces(
    insets: Mapping[str, Sequence[float]], labels: Mapping[str, str]
) -> list[go.Scattergeo]:
    """Thin frames around the DROM insets, each named just above its frame."""
    lon: list[float | None] = []
    lat: list[float | None] = []
    for x0, y0, x1, y1 in insets.values():
        lon += [x0, x1, x1, x0, x0, None]
        lat += [y0, y0, y1, y1, y0, None]
    frames = go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="lines",
        line={"color": "#8c8c8c", "width": 0.8},
        hoverinfo="skip",
        showlegend=False,
        name="Encarts",
    )
    names = go.Scattergeo(
        lon=[(box[0] + box[2]) / 2 for box in insets.values()],
        lat=[box[3] for box in insets.values()],
        mode="text",
        text=[plain(labels.get(code, code)) for code in insets],
        textposition="top center",
        textfont={"size": 10, "color": "#737373"},
        hoverinfo="skip",
        showlegend=False,
        name="Noms des encarts",
    )
    return [frames, names]


def _territory_trace(
    frame: pl.DataFrame, layer: Mapping[str, Any], indicateur: Indicateur
) -> go.Choropleth:
    values = [float(v or 0) for v in frame[indicateur.colonne]]
    top = max(values, default=0.0)
    customdata = [
        [
            plain(row["nom"]),
            indicateur.format(row[indicateur.colonne])
            + ("" if row["candidatures"] else " (aucune candidature)"),
            format_integer(int(row["candidatures"])),
            format_hours(int(row["heures"])),
            format_integer(int(row["population"])),
        ]
        for row in frame.iter_rows(named=True)
    ]
    return go.Choropleth(
        geojson=layer,
        featureidkey="id",
        locations=frame["code"].to_list(),
        z=values,
        zmin=0,
        zmax=top if top > 0 else 1,
        colorscale=_colorscale(),
        marker={"line": {"color": "white", "width": 0.6}},
        customdata=customdata,
        hovertemplate=(
            "<b>%{customdata[0]}</b> (%{location})<br>"
            f"{plain(indicateur.libelle)} : %{{customdata[1]}}<br>"
            "Candidatures : %{customdata[2]}<br>"
            "Heures d'insertion : %{customdata[3]}<br>"
            "Population : %{customdata[4]} hab.<extra></extra>"
        ),
        colorbar={
            "title": {"text": indicateur.legende},
            "tickformat": ",.2~r" if indicateur.taux else ",d",
            "thickness": 14,
            "len": 0.55,
            "x": 1.0,
            "xanchor": "right",
            "outlinewidth": 0,
        },
        name=indicateur.legende,
        showlegend=False,
    )


def _point_traces(points: pl.DataFrame) -> list[go.Scattergeo]:
    absent = go.Scattergeo(
        lon=[None],
        lat=[None],
        mode="markers",
        marker={
            "symbol": "square",
            "size": 12,
            "color": GRIS_AUCUNE,
            "line": {"color": "#9e9e9e", "width": 1},
        },
        name="Aucune candidature",
        hoverinfo="skip",
    )
    if points.is_empty():
        return [absent]
    heures = points["heures"].to_numpy().astype(np.float64)
    top = float(heures.max()) or 1.0
    with_detail = bool(points["detail"].str.len_chars().sum())
    bubbles = go.Scattergeo(
        lon=points["lon"].to_numpy().astype(np.float32),
        lat=points["lat"].to_numpy().astype(np.float32),
        mode="markers",
        marker={
            "size": heures.astype(np.float32),
            "sizemode": "area",
            "sizeref": 2 * top / BULLE_MAX_PX**2,
            "sizemin": 4,
            "color": COULEUR_POINTS,
            "opacity": 0.8,
            "line": {"color": "white", "width": 0.8},
        },
        text=points["titre"].to_list(),
        customdata=points.select("candidatures", "heures").to_numpy().astype(np.int32),
        hovertext=points["detail"].to_list() if with_detail else None,
        hovertemplate=(
            "%{text}<br>Candidatures : %{customdata[0]:,d}<br>"
            "Heures d'insertion : %{customdata[1]:,d}\u202fh"
            + ("%{hovertext}" if with_detail else "")
            + "<extra></extra>"
        ),
        name="Candidatures d'une commune (aire ∝ heures d'insertion)",
    )
    return [absent, bubbles]


def territory_choropleth(
    frame: pl.DataFrame,
    layer: Mapping[str, Any],
    points: pl.DataFrame,
    *,
    indicateur: Indicateur,
    maille: str,
    scope: str,
    insets: Mapping[str, Sequence[float]] | None = None,
    inset_labels: Mapping[str, str] | None = None,
) -> FrozenFigure:
    """Territories coloured by ``indicateur`` with candidature bubbles on top (not frozen
    yet: call :meth:`FrozenFigure.freeze` before sharing it).

    ``frame``: one row per territory drawn (:func:`territory_indicators`); ``layer``: their
    shapes (:func:`display_layer`, ``id`` = territory code); ``points``:
    :func:`commune_points`; ``insets``: frame (min lon, min lat, max lon, max lat) of each
    DROM inset, drawn with ``inset_labels`` (code → name) when given.
    """
    traces: list[Any] = []
    if insets:
        traces += _inset_traces(insets, inset_labels or {})
    traces.append(_territory_trace(frame, layer, indicateur))
    traces += _point_traces(points)
    figure = FrozenFigure(traces)
    layout = base_layout(map_title(indicateur, maille), scope)
    layout.update(
        height=660,
        margin={"l": 0, "r": 0, "t": 80, "b": 10},
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "title": None},
        geo=_geo_frame(layer, width=0.9),  # the colour bar takes the rest
    )
    figure.update_layout(layout)
    return figure


@lru_cache(maxsize=128)
def _minimap_layer(departement_code: str | None, path: str, version: int) -> dict[str, Any]:
    if departement_code is None:
        return display_layer(read_layer(path, version), decimals=2)
    return display_layer(read_layer(path, version), MINIMAP_DECIMALS, codes=[departement_code])


def territory_minimap(departement_code: str | None, point: tuple[float, float] | None) -> go.Figure:
    """A small map of a département (France when None) with a point on it.

    ``point`` is (``carte_longitude``, ``carte_latitude``) of ``ref_communes``: the map
    layout, where a DROM is drawn in its inset (its shape unchanged, only moved and scaled).
    No legend, no tooltip: the page says in words what the map shows. Show it with
    ``st.plotly_chart(figure, config=maps.PLOTLY_CONFIG)``: Plotly then loads its base map
    from the app, not from its CDN.
    """
    maille = "departement" if departement_code is not None else "region"
    path = paths.reference_dir() / LAYER_FILES[maille]
    layer = _minimap_layer(departement_code, str(path), path.stat().st_mtime_ns)
    codes = [str(f["id"]) for f in layer["features"]]
    traces: list[Any] = [
        go.Choropleth(
            geojson=layer,
            featureidkey="id",
            locations=codes,
            z=[1] * len(codes),
            colorscale=[[0, ECHELLE_BLEUS[1]], [1, ECHELLE_BLEUS[1]]],
            showscale=False,
            marker={"line": {"color": "white", "width": 0.6}},
            hoverinfo="skip",
        )
    ]
    if point is not None:
        traces.append(
            go.Scattergeo(
                lon=[point[0]],
                lat=[point[1]],
                mode="markers",
                marker={
                    "size": 11,
                    "color": COULEUR_POINTS,
                    "line": {"color": "white", "width": 1.5},
                },
                hoverinfo="skip",
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(
        height=220,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        paper_bgcolor="rgba(0,0,0,0)",
        geo=_geo_frame(layer),
    )
    return figure
