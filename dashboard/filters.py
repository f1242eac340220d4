"""The shared filters (édition, catégorie, région, département, type de structure,
éligibilité), bound to the URL query parameters so a view can be shared as a link.

Widgets live in the sidebar of the entry page; pages read the current values with
:func:`current`. Session-state keys are defined here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

KEYS = ("edition", "categorie", "region", "departement", "structure", "eligibilite")
ELIGIBILITE = {"eligibles": "Éligibles", "non_eligibles": "Non éligibles"}


@dataclass(frozen=True)
class Filters:
    """Current filter values (None = no filter)."""

    edition: int | None = None
    categorie: str | None = None
    region: str | None = None
    departement: str | None = None
    structure: str | None = None
    eligibilite: str | None = None

    @property
    def zoomed(self) -> bool:
        """Whether a région or a département narrows the territory (maps zoom on it)."""
        return self.region is not None or self.departement is not None


@dataclass(frozen=True)
class FilterOptions:
    """What each filter may take, with its French label (code → label)."""

    editions: dict[int, str]
    categories: dict[str, str]
    regions: dict[str, str]
    departements: dict[str, str]
    structures: dict[str, str]


CHOISIR = "Choisir…"
"""What any other list shows while nothing is chosen (never « Choose an option »)."""
TOUTES = "Toutes"
"""What an empty filter shows: no value chosen means every value."""


def _select(label: str, key: str, options: Mapping[Any, str]) -> None:
    # no value = « Toutes », shown as the placeholder; the ✕ that clears a chosen value
    # brings it back (never Streamlit's English « Choose an option »)
    st.sidebar.selectbox(
        label,
        list(options),
        index=None,
        key=key,
        format_func=lambda v: options.get(v, str(v)),
        placeholder=TOUTES,
        bind="query-params",
    )


def render(options: FilterOptions) -> Filters:
    """Draw the filters in the sidebar (values come from and go to the URL)."""
    st.sidebar.header("Filtres")
    _select("Édition", "edition", options.editions)
    _select("Catégorie", "categorie", options.categories)
    _select("Région", "region", options.regions)
    _select("Département", "departement", options.departements)
    _select("Type de structure", "structure", options.structures)
    _select("Éligibilité", "eligibilite", ELIGIBILITE)
    return current()


def keep() -> None:
    """Keep the filter values through a page that does not draw the filters (jury pages):
    Streamlit forgets the value of a widget that a run does not draw, unless it is set
    again as plain session state."""
    state = st.session_state
    for key in KEYS:
        if key in state:
            state[key] = state[key]


def current() -> Filters:
    """The filter values of this session (set by :func:`render`)."""
    state = st.session_state
    return Filters(**{k: state.get(k) for k in KEYS})
