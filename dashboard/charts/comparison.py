"""Figures and display tables that compare candidatures with their category (pure: frames
in, Plotly figures or string frames out; no Streamlit, no database).

Every candidature keeps one colour, one marker symbol and one number (« 1 · PLIE … ») in
every figure, so nothing is told by colour alone; values are written on the marks in
French formats. Candidate text is escaped before it reaches Plotly, whose labels accept a
few HTML tags.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from etl.french import NARROW_NBSP
from etl.semantic import indicators
from etl.semantic.indicators import Indicateur

SEPARATEURS = f",{NARROW_NBSP}"
"""Plotly ``layout.separators``: decimal comma, narrow no-break space between thousands."""

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
"""Okabe-Ito colours (distinguishable with the common colour-vision deficiencies)."""

SYMBOLES = ("circle", "square", "diamond", "triangle-up", "cross", "star")
TIRETS = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
GRIS_MEDIANE = "#8a8a8a"
"""Mid grey: visible on the light and the dark theme."""


def texte_sur(texte: str) -> str:
    """Candidate text made inert for Plotly labels (which read ``<b>``, ``<a>``, ``<br>``)."""
    return html.escape(texte, quote=False)


def repere(numero: int, structure: str | None, longueur: int = 34) -> str:
    """Short name of a selected candidature in charts: « 1 · PLIE du Val ».

    The number ties a bar, a radar line and a table column to the same candidature.
    """
    nom = structure or "Structure sans nom"
    if len(nom) > longueur:
        nom = nom[: longueur - 1].rstrip() + "…"
    return f"{numero} · {nom}"


def _mise_en_page(fig: go.Figure, titre: str, hauteur: int) -> go.Figure:
    fig.update_layout(
        title={"text": titre, "x": 0, "xanchor": "left", "font": {"size": 15}},
        separators=SEPARATEURS,
        height=hauteur,
        margin={"l": 10, "r": 30, "t": 70, "b": 40},
        legend={"orientation": "h", "y": -0.12, "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig


def barres_vs_mediane(
    selection: pl.DataFrame,
    centiles: pl.DataFrame,
    indicateur: Indicateur,
    mediane: float | None,
    portee: str,
) -> go.Figure:
    """One horizontal bar per selected candidature for one indicator, with the category
    median as a grey tick on every row; the value and the percentile rank are written
    beside each bar.

    ``selection`` has ``candidature_id``, ``repere`` and the indicator's column (in
    selection order); ``centiles`` is the output of :func:`etl.semantic.indicators.rangs_centiles`;
    ``portee`` names the category and edition (« MIXITE 2023, 23 candidatures »).
    """
    rangs = centiles.filter(pl.col("indicateur") == indicateur.code)
    par_id = dict(zip(rangs["candidature_id"], rangs["centile"], strict=True))
    lignes = list(selection.iter_rows(named=True))
    noms = [texte_sur(r["repere"]) for r in lignes]
    valeurs = [indicators.echelle(indicateur, r[indicateur.code]) for r in lignes]
    textes = []
    for r in lignes:
        texte = indicators.format_valeur(indicateur, r[indicateur.code])
        centile = par_id.get(r["candidature_id"])
        if indicators.connu(centile):
            texte += f" · {indicators.rang(centile)} centile"
        textes.append(texte)
    fig = go.Figure(
        go.Bar(
            x=[v if v is not None else 0 for v in valeurs],
            y=noms,
            orientation="h",
            marker={"color": [PALETTE[i % len(PALETTE)] for i in range(len(lignes))]},
            text=textes,
            textposition="outside",
            cliponaxis=False,
            customdata=textes,
            hovertemplate="%{y} : %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    if indicators.connu(mediane):
        texte_mediane = indicators.format_valeur(indicateur, mediane)
        fig.add_trace(
            go.Scatter(
                x=[indicators.echelle(indicateur, mediane)] * len(lignes),
                y=noms,
                mode="markers",
                marker={
                    "symbol": "line-ns",
                    "size": 26,
                    "line": {"width": 3, "color": GRIS_MEDIANE},
                },
                name=f"Médiane de la catégorie : {texte_mediane}",
                showlegend=False,
                hovertemplate=f"Médiane de la catégorie : {texte_mediane}<extra></extra>",
            )
        )
    axe: dict[str, Any] = (
        {"ticksuffix": f"{NARROW_NBSP}%"} if indicateur.unite in ("part", "taux") else {}
    )
    connues = [
        v for v in [*valeurs, indicators.echelle(indicateur, mediane)] if indicators.connu(v)
    ]
    if connues and max(connues) > 0:
        # room on the right for the value and rank written after the longest bar
        axe["range"] = [0, max(connues) * 1.6]
    fig.update_xaxes(rangemode="tozero", tickformat=",~r", nticks=4, **axe)
    fig.update_yaxes(autorange="reversed")
    repere_mediane = (
        f"médiane : {indicators.format_valeur(indicateur, mediane)} (trait gris)"
        if indicators.connu(mediane)
        else "médiane non calculable"
    )
    titre = f"{indicateur.libelle}<br><sup>{repere_mediane} · {texte_sur(portee)}</sup>"
    return _mise_en_page(fig, titre, 130 + 46 * max(len(lignes), 1))


def radar_centiles(
    centiles: pl.DataFrame,
    reperes: Mapping[str, str],
    codes: Sequence[str],
    portee: str,
) -> go.Figure:
    """Radar of percentile ranks: one axis per normalised indicator, one line per
    candidature; every axis is the rank within the category (0 = lowest, 50 = median,
    100 = highest), so axes with different units can share one scale.

    ``reperes`` maps ``candidature_id`` → short name, in selection order.
    """
    par_code = {c: indicators.PAR_CODE[c] for c in codes}
    axes = [par_code[c].court for c in codes] + [par_code[codes[0]].court]
    fig = go.Figure()
    fig.add_trace(
        go.Scatterpolar(
            r=[50] * len(axes),
            theta=axes,
            mode="lines",
            line={"color": GRIS_MEDIANE, "dash": "dot", "width": 2},
            name="Médiane de la catégorie (50e centile)",
            hoverinfo="skip",
        )
    )
    for i, (candidature_id, nom) in enumerate(reperes.items()):
        rangs = centiles.filter(pl.col("candidature_id") == candidature_id)
        par_ind = {r["indicateur"]: r for r in rangs.iter_rows(named=True)}
        r_valeurs: list[float | None] = []
        survols: list[str] = []
        for code in [*codes, codes[0]]:
            ligne = par_ind.get(code, {})
            centile = ligne.get("centile")
            r_valeurs.append(centile if indicators.connu(centile) else None)
            valeur = indicators.format_valeur(par_code[code], ligne.get("valeur"))
            rang = (
                f"{indicators.rang(centile)} centile"
                if indicators.connu(centile)
                else "rang non calculable"
            )
            survols.append(f"{par_code[code].libelle} : {valeur} ({rang})")
        fig.add_trace(
            go.Scatterpolar(
                r=r_valeurs,
                theta=axes,
                mode="lines+markers",
                name=texte_sur(nom),
                line={"color": PALETTE[i % len(PALETTE)], "dash": TIRETS[i % len(TIRETS)]},
                marker={"symbol": SYMBOLES[i % len(SYMBOLES)], "size": 9},
                customdata=survols,
                hovertemplate=f"{texte_sur(nom)}<br>%{{customdata}}<extra></extra>",
            )
        )
    fig.update_polars(
        bgcolor="rgba(0,0,0,0)",  # the app theme's background, light or dark
        radialaxis={
            "range": [0, 100],
            "tickvals": [0, 25, 50, 75, 100],
            "ticktext": ["0", "25e", "50e", "75e", "100e"],
            "angle": 90,
            "tickangle": 90,
        },
    )
    titre = f"Rangs centiles des indicateurs normalisés<br><sup>{texte_sur(portee)}</sup>"
    fig = _mise_en_page(fig, titre, 640)
    # the legend wraps on narrow pages (print): it gets its own band under the circle
    fig.update_layout(
        legend={"yanchor": "top", "y": -0.1}, margin={"b": 150, "t": 80, "l": 60, "r": 60}
    )
    return fig


def centiles_candidature(
    positions: Sequence[tuple[str, pl.DataFrame]], codes: Sequence[str]
) -> go.Figure:
    """One candidature's percentile rank (0–100) on each indicator, in each of its
    categories (one marker symbol and colour per category, named in the legend); the
    category median is at 50.

    ``positions``: (category name, :func:`etl.semantic.indicators.rangs_centiles` output for the
    candidature in that category).
    """
    fig = go.Figure()
    seule = len(positions) == 1
    for k, (nom, centiles) in enumerate(positions):
        par_ind = {r["indicateur"]: r for r in centiles.iter_rows(named=True)}
        lignes = [(indicators.PAR_CODE[c], par_ind.get(c, {})) for c in codes]
        connus = [(i, r) for i, r in lignes if indicators.connu(r.get("centile"))]
        textes = [
            f"{indicators.rang(r['centile'])} centile "
            f"({indicators.format_valeur(i, r.get('valeur'))})"
            for i, r in connus
        ]
        fig.add_trace(
            go.Scatter(
                x=[r["centile"] for _, r in connus],
                y=[i.libelle for i, _ in connus],
                mode="markers+text" if seule else "markers",
                marker={
                    "size": 13,
                    "color": PALETTE[k % len(PALETTE)],
                    "symbol": SYMBOLES[k % len(SYMBOLES)],
                    "line": {"width": 1, "color": "white"},
                },
                name=texte_sur(nom),
                text=textes,
                textposition="middle right",
                cliponaxis=False,
                hovertemplate=f"{texte_sur(nom)} — %{{y}} : %{{text}}<extra></extra>",
            )
        )
    fig.add_vline(x=50, line={"color": GRIS_MEDIANE, "dash": "dot", "width": 2})
    fig.add_annotation(x=50, y=1.0, yref="paper", yanchor="bottom", text="médiane", showarrow=False)
    fig.update_xaxes(
        range=[-3, 135 if seule else 103],
        tickvals=[0, 25, 50, 75, 100],
        ticktext=["0", "25e", "50e", "75e", "100e"],
    )
    fig.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=[indicators.PAR_CODE[c].libelle for c in codes],
    )
    noms = ", ".join(nom for nom, _ in positions)
    titre = f"Rang centile de la candidature dans ses catégories<br><sup>{texte_sur(noms)}</sup>"
    fig = _mise_en_page(fig, titre, 150 + 34 * len(codes))
    fig.update_layout(showlegend=not seule)
    return fig
