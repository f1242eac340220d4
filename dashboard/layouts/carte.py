"""Carte, below the page's choices: the map, its notes and the leading territories.

All of it depends only on the warehouse version, the shared filters and the choices made
above it (grain, indicator): drawn once for them, then replayed by Streamlit like the
Vue d'ensemble (:func:`dashboard.layouts.vue_ensemble.render`). The map is the page's
heaviest element: rebuilt, Streamlit hashes its 0,2 MB of JSON twice on every rerun.
"""

from __future__ import annotations

from dataclasses import astuple

import streamlit as st

from dashboard import maps, plain, queries
from dashboard.filters import Filters
from dashboard.queries import carte as q


def render(filters: Filters, maille: str, code_indicateur: str, scope: str) -> None:
    """The map of ``code_indicateur`` by ``maille`` for ``filters``, with its notes and
    the leading territories."""
    _render(queries.version(), astuple(filters), maille, code_indicateur, scope)


@st.cache_resource(ttl=300, max_entries=32, show_spinner=False)
def _render(
    version: int, key: tuple[object, ...], maille: str, code_indicateur: str, scope: str
) -> None:
    filters = Filters(*key)  # type: ignore[arg-type]
    indicateur = maps.INDICATEURS[code_indicateur]
    carte = q.carte(filters, maille, indicateur.code, scope)
    st.plotly_chart(carte.figure, config=maps.PLOTLY_CONFIG, alt=carte.alternative)
    vintages = (queries.reference_metadata() or {}).get("vintages", {})
    zoomed = filters.zoomed
    notes = (  # one caption, one paragraph each
        carte.alternative,
        carte.absentes,
        maps.rates_note(vintages.get("populations", "populations légales"), zoomed),
    )
    st.caption("\n\n".join(note for note in notes if note))
    st.subheader(
        f"{maps.MAILLE_NOMS[maille][1].capitalize()} en tête : {indicateur.libelle.lower()}"
    )
    st.caption(f"Périmètre : {scope}")
    plain.table(carte.classement, hide_index=True, border="horizontal")
