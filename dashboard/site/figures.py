"""The site's images, drawn once at build time as files: no script, no request at reading.

The map is the app's own (:func:`dashboard.maps.territory_choropleth`: same offline
geometry, DROM in insets), coloured by candidatures per département, with the laureates as
stars once the embargo is lifted; it is rendered to SVG by kaleido (the press kit's image
module), so the page needs neither Plotly nor a base-map download. Each image comes with a
French text alternative; the page also gives the same figures as a table.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard import maps
from dashboard.exports import images
from dashboard.press.laureates import Laureat
from dashboard.site.content import SiteContent
from etl import paths
from etl.french import plural

MAP_SIZE = (1000, 720)
MINIMAP_SIZE = (420, 330)


def _insets() -> dict[str, Any] | None:
    """Frames of the DROM insets, as the reference build placed them."""
    metadata_file = paths.reference_dir() / "metadata.json"
    metadata: dict[str, Any] = json.loads(metadata_file.read_text(encoding="utf-8"))
    return metadata.get("insets")


def _laureate_trace(laureates: list[Laureat]) -> go.Scattergeo:
    placed = [x for x in laureates if x.point is not None]
    return go.Scattergeo(
        lon=[x.point[0] for x in placed if x.point],
        lat=[x.point[1] for x in placed if x.point],
        mode="markers+text",
        marker={"symbol": "star", "size": 18, "color": "#D55E00", "line": {"width": 1}},
        text=[f"{x.categorie_numero}" for x in placed],
        textposition="top center",
        textfont={"size": 13, "color": "#1A1A1A"},
        name="Lauréat (numéro du prix)",
        hoverinfo="skip",
    )


def edition_map(content: SiteContent) -> go.Figure:
    """Candidatures per département (DROM in insets), laureates as stars when public."""
    frame = maps.territory_indicators(content.territories)
    layer = maps.display_layer(maps.reference_layer("departement"))
    insets = _insets()
    labels = {
        str(code): str(nom)
        for code, nom in frame.filter(pl.col("code").str.starts_with("97"))
        .select("code", "nom")
        .iter_rows()
    }
    scope = f"Édition {content.context.edition.annee}" + (
        " — données fictives" if content.fictif else ""
    )
    figure: go.Figure = maps.territory_choropleth(
        frame,
        layer,
        maps.commune_points(pl.DataFrame(), with_edition=False),
        indicateur=maps.INDICATEURS["candidatures"],
        maille="departement",
        scope=scope,
        insets=insets,
        inset_labels=labels,
    )
    if content.laureates:
        figure.add_trace(_laureate_trace(content.laureates))
    figure.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    return figure


def edition_map_svg(content: SiteContent) -> bytes:
    return images.figure_bytes(edition_map(content), "svg", *MAP_SIZE)


def edition_map_text(content: SiteContent) -> str:
    """What the map shows, in words (its ``alt`` text)."""
    frame = content.territories.filter(pl.col("candidatures") > 0)
    top = frame.sort(["candidatures", "nom"], descending=[True, False]).head(3)
    leaders = ", ".join(
        f"{n} ({plural(c, 'candidature')})"
        for n, c in top.select("nom", "candidatures").iter_rows()
    )
    text = (
        f"Carte de France des candidatures {content.context.edition.annee} par département "
        f"(outre-mer en médaillons à gauche) : {plural(frame.height, 'département')} "
        f"avec au moins une candidature ; les plus nombreuses : {leaders}."
    )
    if content.laureates:
        text += f" Les {plural(len(content.laureates), 'lauréat')} sont marqués d'une étoile."
    if content.fictif:
        text += " Données fictives de démonstration."
    return text


def minimap_svg(laureat: Laureat) -> bytes:
    figure = maps.territory_minimap(laureat.departement_code, laureat.point)
    figure.update_layout(paper_bgcolor="white")
    return images.figure_bytes(figure, "svg", *MINIMAP_SIZE)


def minimap_text(laureat: Laureat) -> str:
    lieu = laureat.departement or "la France"
    point = f", un point marque {laureat.commune}" if laureat.commune else ""
    return f"Carte du département {lieu}{point}."
