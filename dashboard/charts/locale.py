"""Plotly in French: the chart toolbar's tooltips, hover labels and number and date formats.

Plotly.js translates its interface through a locale passed in the chart's config
(``config={"locale": "fr", "locales": {"fr": …}}``); Streamlit's bundle registers none,
and the app fetches nothing from a CDN, so the French locale is given inline with every
chart (about 2 KB). The wording is ours; day and month names and the number symbols come
from CLDR (Babel, :mod:`etl.french`).
"""

from __future__ import annotations

from typing import Any

from etl.french import DECIMAL, GROUP, LOCALE

DICTIONARY: dict[str, str] = {
    "Autoscale": "Échelle automatique",
    "Box Select": "Sélection rectangulaire",
    "Compare data on hover": "Comparer les données au survol",
    "Double-click on legend to isolate one trace": (
        "Double-cliquez sur la légende pour n'afficher qu'une série"
    ),
    "Double-click to zoom back out": "Double-cliquez pour revenir à la vue entière",
    "Download plot as a PNG": "Télécharger le graphique (PNG)",
    "Download plot": "Télécharger le graphique",
    "Lasso Select": "Sélection au lasso",
    "Orbital rotation": "Rotation orbitale",
    "Pan": "Déplacer",
    "Produced with Plotly.js": "Réalisé avec Plotly.js",
    "Reset": "Réinitialiser",
    "Reset axes": "Réinitialiser les axes",
    "Reset camera to default": "Revenir à la vue par défaut",
    "Reset camera to last save": "Revenir à la dernière vue enregistrée",
    "Reset view": "Réinitialiser la vue",
    "Reset views": "Réinitialiser les vues",
    "Show closest data on hover": "Afficher la donnée la plus proche au survol",
    "Snapshot succeeded": "Image enregistrée",
    "Sorry, there was a problem downloading your snapshot!": (
        "L'image n'a pas pu être téléchargée."
    ),
    "Taking snapshot - this may take a few seconds": (
        "Image en cours de création : quelques secondes…"
    ),
    "Toggle Spike Lines": "Afficher ou masquer les lignes de repère",
    "Toggle show closest data on hover": "Afficher ou masquer les données au survol",
    "Turntable rotation": "Rotation à plat",
    "Zoom": "Zoomer",
    "Zoom in": "Agrandir",
    "Zoom out": "Réduire",
    "trace": "série",
    "lat:": "lat. :",
    "lon:": "long. :",
    "max:": "max. :",
    "mean:": "moyenne :",
    "median:": "médiane :",
    "min:": "min. :",
    "q1:": "1er quartile :",
    "q3:": "3e quartile :",
    "new text": "nouveau texte",
}
"""Plotly's English interface strings → French (toolbar buttons, hover labels)."""


def _names(kind: str, width: str) -> list[str]:
    names = LOCALE.days if kind == "days" else LOCALE.months
    table = names["format"][width]
    # CLDR numbers days from Monday (0) and months from January (1); Plotly wants the week
    # from Sunday and the months from January
    keys = [6, 0, 1, 2, 3, 4, 5] if kind == "days" else list(range(1, 13))
    return [str(table[k]) for k in keys]


PLOTLY_LOCALE_FR: dict[str, Any] = {
    "dictionary": DICTIONARY,
    "format": {
        "days": _names("days", "wide"),
        "shortDays": _names("days", "abbreviated"),
        "months": _names("months", "wide"),
        "shortMonths": _names("months", "abbreviated"),
        "date": "%d/%m/%Y",
        "decimal": DECIMAL,
        "thousands": GROUP,
    },
}


BUTTONS: dict[str, list[list[str]]] = {
    "image": [["toImage"]],
    "cartesian": [["toImage"], ["zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"]],
    "geo": [["toImage"], ["zoomInGeo", "zoomOutGeo", "resetGeo"]],
}
"""The toolbar's buttons by kind of chart. Naming them replaces Plotly's default set and
the « Fullscreen » button Streamlit adds, whose English title no locale translates."""


def plotly_config(buttons: str = "image", **options: Any) -> dict[str, Any]:
    """The ``config`` of every ``st.plotly_chart``: French locale, the toolbar's buttons
    (:data:`BUTTONS`), no Plotly logo, then ``options`` (``displayModeBar``,
    ``topojsonURL``…)."""
    return {
        "locale": "fr",
        "locales": {"fr": PLOTLY_LOCALE_FR},
        "displaylogo": False,
        "modeBarButtons": BUTTONS[buttons],
        **options,
    }
