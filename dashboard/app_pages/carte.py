"""Carte: candidatures by département or région, as counts, hours or rates per 1 000
inhabitants, with one bubble per commune and the leading territories below."""

from __future__ import annotations

import streamlit as st

from dashboard import filters, maps, queries
from dashboard.filters import CHOISIR
from dashboard.layouts import carte as layout
from dashboard.queries.vue_ensemble import scope_label

ZOOM_KEY = "carte_zoom"
"""Page-local widget: « Zoomer sur un territoire » writes the shared région/département
filters (URL-bound), so a zoomed map is a shareable link and every figure follows it."""

current = filters.current()
options = queries.filter_options()
scope = scope_label(current, options)
FRANCE = "france"
zoom_labels: dict[str, str] = {
    FRANCE: "France entière",
    **{f"region:{code}": f"Région · {nom}" for code, nom in options.regions.items()},
    **{f"departement:{code}": f"Département · {nom}" for code, nom in options.departements.items()},
}


def _apply_zoom() -> None:
    kind, _, code = str(st.session_state[ZOOM_KEY]).partition(":")
    st.session_state["region"] = code if kind == "region" else None
    st.session_state["departement"] = code if kind == "departement" else None


if current.departement is not None:
    st.session_state[ZOOM_KEY] = f"departement:{current.departement}"
elif current.region is not None:
    st.session_state[ZOOM_KEY] = f"region:{current.region}"
else:
    st.session_state[ZOOM_KEY] = FRANCE

st.title("Carte")
st.caption(f"Périmètre : {scope}")
left, middle, right = st.columns([1.2, 2, 2], vertical_alignment="bottom")
with left:
    # radio buttons: the native control for one choice out of two (and half the cost of a
    # segmented control on every rerun, measured)
    maille = st.radio(
        "Maille",
        list(maps.MAILLES),
        format_func=lambda m: maps.MAILLES[m],
        horizontal=True,
        key="maille",
        bind="query-params",
    )
with middle:
    code_indicateur = st.selectbox(
        "Indicateur",
        list(maps.INDICATEURS),
        format_func=lambda code: maps.INDICATEURS[code].libelle,
        key="carte_indicateur",
        bind="query-params",
        placeholder=CHOISIR,
    )
with right:
    st.selectbox(
        "Zoomer sur un territoire",
        list(zoom_labels),
        format_func=lambda value: zoom_labels.get(value, value),
        key=ZOOM_KEY,
        on_change=_apply_zoom,
        help="Restreint la carte, le classement et les filtres partagés à ce territoire.",
        placeholder=CHOISIR,
    )

maille = maille or "departement"
indicateur = maps.INDICATEURS[code_indicateur or "candidatures"]
layout.render(current, maille, indicateur.code, scope)
