"""Laureate social cards: a Plotly figure per laureate and format, and its alt text (pure).

Two formats: 1200 × 630 (link previews, X, LinkedIn) and 1080 × 1080 (Instagram).
A card shows the prize, the structure, its territory with a mini-map
(:func:`dashboard.maps.territory_minimap`, offline), 2–3 figures without data warnings,
and the edition's branding. Text from the form (structure names, titles) is escaped
before Plotly sees it. Render with :func:`dashboard.exports.images.figure_bytes`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from dashboard.charts import OKABE_ITO, plain
from dashboard.maps import territory_minimap
from dashboard.press.laureates import Laureat


@dataclass(frozen=True)
class FormatCarte:
    nom: str
    largeur: int
    hauteur: int


PAYSAGE = FormatCarte("1200x630", 1200, 630)
CARRE = FormatCarte("1080x1080", 1080, 1080)
FORMATS = (PAYSAGE, CARRE)

BLEU_NUIT = "#0B2E4F"
ACCENT = OKABE_ITO["orange"]
CHIFFRE = OKABE_ITO["bleu"]
GRIS = "#4D4D4D"
POLICE = "DejaVu Sans, Arial, sans-serif"
STRUCTURE_MAX = 110
"""Characters of the structure name a card shows (the alt text keeps it whole)."""


def wrapped_label(text: str, width: int) -> str:
    """Escaped text on lines of ``width`` characters, never cut inside a word or at a
    hyphen (« Île-de-France » stays whole)."""
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(plain(line) for line in lines or [""])


def _text(
    texte: str, x: float, y: float, size: int, color: str = BLEU_NUIT, **kw: Any
) -> dict[str, Any]:
    return {
        "text": texte,
        "x": x,
        "y": y,
        "xref": "paper",
        "yref": "paper",
        "xanchor": kw.pop("xanchor", "left"),
        "yanchor": kw.pop("yanchor", "top"),
        "showarrow": False,
        "align": kw.pop("align", "left"),
        "font": {"size": size, "color": color, "family": POLICE},
        **kw,
    }


def _layout(laureat: Laureat, fmt: FormatCarte, fictif: bool) -> dict[str, Any]:
    carre = fmt is CARRE
    bandeau = 0.10 if carre else 0.14
    largeur_texte = 34 if carre else 30
    nom = laureat.structure
    if len(nom) > STRUCTURE_MAX:  # four lines at most, whatever was typed
        nom = nom[: STRUCTURE_MAX - 1].rstrip() + "…"
    structure = "<b>" + wrapped_label(nom, largeur_texte) + "</b>"
    lignes = structure.count("<br>") + 1
    taille_structure = 40 if carre else 34
    haut_structure = 0.72 if carre else 0.62
    annotations = [
        _text(
            f"<b>{plain(laureat.edition_nom)}</b>",
            0.04,
            1 - bandeau / 2,
            22 if carre else 20,
            "white",
            yanchor="middle",
        ),
        _text(
            "LAURÉAT",
            0.96,
            1 - bandeau / 2,
            22 if carre else 20,
            ACCENT,
            xanchor="right",
            yanchor="middle",
        ),
        _text(
            f"Prix n° {laureat.categorie_numero}<br>"
            + wrapped_label(laureat.categorie_libelle, 44 if carre else 40),
            0.04,
            1 - bandeau - 0.04,
            24 if carre else 21,
            ACCENT,
        ),
        _text(structure, 0.04, haut_structure, taille_structure),
        _text(
            wrapped_label(laureat.territoire, 44 if carre else 40),
            0.04,
            haut_structure - lignes * taille_structure * 1.3 / fmt.hauteur - 0.03,
            24 if carre else 20,
            GRIS,
        ),
    ]
    for i, chiffre in enumerate(laureat.chiffres):
        if carre:
            x, y = 0.60, 0.42 - i * 0.12
        else:
            x, y = 0.04 + i * 0.20, 0.17
        annotations.append(
            _text(f"<b>{plain(chiffre.texte)}</b>", x, y, 34 if carre else 30, CHIFFRE)
        )
        annotations.append(
            _text(wrapped_label(chiffre.libelle, 22), x, y - (0.045 if carre else 0.075), 16, GRIS)
        )
    pied = "Données fictives de démonstration · " if fictif else ""
    annotations.append(
        _text(
            pied + "Alliance Villes Emploi · Trophées de l'Achat Socialement Responsable",
            0.96,
            0.02,
            13,
            GRIS,
            xanchor="right",
            yanchor="bottom",
        )
    )
    return {
        "width": fmt.largeur,
        "height": fmt.hauteur,
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        "font": {"family": POLICE},
        "shapes": [
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 1 - bandeau,
                "y1": 1,
                "fillcolor": BLEU_NUIT,
                "line": {"width": 0},
                "layer": "below",
            },
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": 1 - bandeau - 0.008,
                "y1": 1 - bandeau,
                "fillcolor": ACCENT,
                "line": {"width": 0},
                "layer": "below",
            },
        ],
        "annotations": annotations,
        "geo": {"domain": {"x": [0.06, 0.52], "y": [0.06, 0.44]}}
        if carre
        else {"domain": {"x": [0.66, 0.97], "y": [0.28, 0.82]}},
    }


def card_figure(laureat: Laureat, fmt: FormatCarte, fictif: bool = False) -> go.Figure:
    """The card of one laureate in one format (a Plotly figure of fmt's pixel size)."""
    figure = territory_minimap(laureat.departement_code, laureat.point)
    figure.update_layout(_layout(laureat, fmt, fictif))
    return figure


def card_alt_text(laureat: Laureat, fictif: bool = False) -> str:
    """The French alternative text of a card (same content in both formats)."""
    chiffres = " ; ".join(f"{c.libelle} : {c.texte}" for c in laureat.chiffres)
    lieu = laureat.departement or "la France"
    point = f", avec un point sur {laureat.commune}" if laureat.commune else ""
    texte = (
        f"Carte du lauréat des {laureat.edition_nom}, prix n° {laureat.categorie_numero} "
        f"« {laureat.categorie_libelle} » : {laureat.structure}, {laureat.territoire}."
    )
    if chiffres:
        texte += f" Chiffres clés : {chiffres}."
    texte += f" Mini-carte : {lieu}{point}."
    if fictif:
        texte += " Données fictives de démonstration."
    return texte


def card_file_name(laureat: Laureat, fmt: FormatCarte) -> str:
    """``carte-2023-COMM-2023-ab12cd34ef-1200x630.png`` (ids only: no name in file names)."""
    return f"carte-{laureat.categorie_code}-{laureat.candidature_id}-{fmt.nom}.png"
